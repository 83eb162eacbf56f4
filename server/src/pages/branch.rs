//! The branch of a supervisor at a glance: each open episode with its stage and most urgent
//! deadline, and the branch's timeliness over a period (R2, R8, R15).

use reengage_app::backend::{BranchRow, BranchView};
use reengage_core::episode::{self, TimelinessFigures, work_item};

use super::listed;
use crate::services::accounts::Staff;
use crate::services::episodes::{read_listed, read_many};
use crate::services::{ServiceError, efforts, office};
use crate::store::lists::{Cursor, Scope, open_work};
use crate::store::lookups;
use crate::web::state::AppState;

/// How many open episodes the branch page lists at most.
const BRANCH_LIMIT: i64 = 500;

/// The branch of a supervisor at a glance: each open episode with its stage and most urgent
/// deadline from `core` on the office's today, its coach, appointment and missing information
/// — [`BRANCH_LIMIT`] of them, of every coach or of `coach` alone (the filter is in the
/// query, so a coach's list is not a cut of the branch's), the most urgent first or, with
/// `after`, the page after it ("Show more").
pub async fn branch(
    state: &AppState,
    staff: Staff,
    from: &str,
    to: &str,
    coach: Option<i64>,
    after: Option<Cursor>,
) -> Result<BranchView, ServiceError> {
    let now = state.clock.now();
    let (branch_id, coaches) = office::supervised_branch(&state.db, &staff, now).await?;
    let name = lookups::branch_name(&state.db, branch_id).await?;
    // A coach of this branch, or the whole branch.
    let scope = match coach.filter(|id| coaches.iter().any(|(c, _)| c == id)) {
        Some(coach) => Scope::Coach(coach),
        None => Scope::Branch(branch_id),
    };
    let mut conn = state.db.pool.acquire().await?;
    let (episodes, next) = open_work(&mut conn, scope, after.as_ref(), BRANCH_LIMIT).await?;
    drop(conn);
    let more = next.is_some();
    let (rows, listed_today) = rows_of(state, episodes, &coaches, now).await?;
    let today = match listed_today {
        Some(day) => day,
        None => office::office_today(&state.db, &staff, now).await?,
    };
    // Timeliness over every episode missed in the period, open or closed (R2, R15).
    let (from, to, problems) = efforts::period_of(from, to, today);
    let (missed, cut) = efforts::missed_in(&state.db, branch_id, from, to, None).await?;
    let mut timeliness = TimelinessFigures::default();
    let ids: Vec<i64> = missed.iter().map(|(id, ..)| *id).collect();
    for (record, today, calendar) in read_many(&state.db, &ids, now).await? {
        timeliness.add(episode::timeliness(&record.facts, today, &calendar));
    }
    let mut problem = problems.join(" ");
    if cut {
        problem
            .push_str(" The period holds more episodes than are measured: choose a shorter one.");
    }
    let problem = (!problem.trim().is_empty()).then(|| problem.trim().to_owned());
    Ok(BranchView {
        today,
        branch: name,
        coaches,
        rows,
        truncated: more,
        next: next.map(|cursor| cursor.encode()),
        later: after.is_some(),
        from,
        to,
        timeliness,
        problem,
    })
}

/// The branch rows of `episodes`, from `core` on each one's office today, and that today.
async fn rows_of(
    state: &AppState,
    episodes: Vec<crate::store::lists::WorkRow>,
    coaches: &[(i64, String)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<BranchRow>, Option<chrono::NaiveDate>), ServiceError> {
    let mut rows = Vec::with_capacity(episodes.len());
    let mut listed_today = None;
    let read = read_listed(&state.db, &listed(&episodes), now).await?;
    for (listed, (record, today, calendar)) in episodes.into_iter().zip(read) {
        listed_today.get_or_insert(today);
        let facts = &record.facts;
        rows.push(BranchRow {
            episode_id: record.id,
            participant: listed.participant,
            coach_id: listed.coach_id,
            coach: listed
                .coach_id
                .and_then(|id| coaches.iter().find(|(c, _)| *c == id))
                .map(|(_, name)| name.clone()),
            stage: episode::stage(facts, today, &calendar),
            work: work_item(facts, today, &calendar),
            appointment_on: facts.appointment.as_ref().map(|a| a.on),
            missing_info: facts
                .outstanding_missing_info()
                .map(|item| item.description.clone())
                .collect(),
            awaiting_finalization: episode::awaiting_finalization(facts),
        });
    }
    Ok((rows, listed_today))
}

/// Every open episode of `staff`'s branch as the branch page lists it, read a page of
/// [`BRANCH_LIMIT`] at a time (keyset), with the office's today: the export's rows, with no
/// cap.
pub async fn every_open_row(
    state: &AppState,
    staff: &Staff,
) -> Result<(Vec<BranchRow>, chrono::NaiveDate), ServiceError> {
    let now = state.clock.now();
    let (branch_id, coaches) = office::supervised_branch(&state.db, staff, now).await?;
    let mut rows = Vec::new();
    let mut after = None;
    let mut listed_today = None;
    loop {
        let mut conn = state.db.pool.acquire().await?;
        let (episodes, next) = open_work(
            &mut conn,
            Scope::Branch(branch_id),
            after.as_ref(),
            BRANCH_LIMIT,
        )
        .await?;
        drop(conn);
        let (page, today) = rows_of(state, episodes, &coaches, now).await?;
        listed_today = listed_today.or(today);
        rows.extend(page);
        match next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let today = match listed_today {
        Some(day) => day,
        None => office::office_today(&state.db, staff, now).await?,
    };
    Ok((rows, today))
}

//! R29: every engagement contact and re-engagement effort of a period that did not end in a
//! disqualification, for one coach or the whole branch — what the page (`/branch/efforts`)
//! shows and its CSV export holds.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use reengage_app::backend::{EffortRow, EffortsFilter, EffortsView};
use reengage_core::episode::{effort_outcome, without_disqualification};
use reengage_core::parse_date_input;

use crate::services::accounts::Staff;
use crate::services::episodes::read_many;
use crate::services::{ServiceError, office};
use crate::store::db::Db;
use crate::store::lists::{self, Cursor, MissedRow};

/// The most efforts one view reads; a longer period is cut and says so.
const LIMIT: i64 = 1_000;

/// The period shown when none is chosen: the last 90 days.
pub const DEFAULT_DAYS: i64 = 90;

/// The filter as asked, with the defaults for what was left empty, and what could not be used.
struct Period {
    from: NaiveDate,
    to: NaiveDate,
    coach: Option<i64>,
    problem: Option<String>,
}

/// The period `from`..`to` as typed (empty: the last `DEFAULT_DAYS` days to today), with a
/// sentence for each part that could not be used.
pub fn period_of(from: &str, to: &str, today: NaiveDate) -> (NaiveDate, NaiveDate, Vec<String>) {
    let mut problems = Vec::new();
    let default_from = today - Duration::days(DEFAULT_DAYS);
    let mut day = |text: &str, default: NaiveDate| {
        if text.trim().is_empty() {
            return default;
        }
        parse_date_input(text).unwrap_or_else(|error| {
            problems.push(error.to_string());
            default
        })
    };
    let (mut start, mut end) = (day(from, default_from), day(to, today));
    if start > end {
        problems.push("The period starts after it ends.".to_owned());
        (start, end) = (default_from, today);
    }
    (start, end, problems)
}

fn period(filter: &EffortsFilter, today: NaiveDate, coaches: &[(i64, String)]) -> Period {
    let (from, to, mut problems) = period_of(&filter.from, &filter.to, today);
    let coach = match filter.coach.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) if coaches.iter().any(|(c, _)| *c == id) => Some(id),
            _ => {
                problems.push("Choose a coach from the list.".to_owned());
                None
            }
        },
    };
    let problem = (!problems.is_empty()).then(|| {
        format!(
            "{} What could not be used is left at its default: every coach, the last 90 days.",
            problems.join(" ")
        )
    });
    Period {
        from,
        to,
        coach,
        problem,
    }
}

/// A branch's episodes (open or closed) missed from `from` to `to`, for one coach or all,
/// newest first, at most `LIMIT` (and whether there were more). Served by
/// episodes_branch_missed (branch_id, missed_on, id).
pub async fn missed_in(
    db: &Db,
    branch_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    coach: Option<i64>,
) -> Result<(Vec<MissedRow>, bool), ServiceError> {
    let (found, next) = missed_in_at_most(db, branch_id, (from, to), coach, None, LIMIT).await?;
    Ok((found, next.is_some()))
}

/// [`missed_in`] older than `before` (from the newest with `None`), at most `limit`, and
/// where the next page starts.
async fn missed_in_at_most(
    db: &Db,
    branch_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    coach: Option<i64>,
    before: Option<&Cursor>,
    limit: i64,
) -> Result<(Vec<MissedRow>, Option<Cursor>), ServiceError> {
    let mut found = lists::missed_in(db, branch_id, (from, to), coach, before, limit + 1).await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next = more.then(|| found.last()).flatten().map(|last| Cursor {
        due: last.4.clone(),
        id: last.0,
    });
    Ok((found, next))
}

/// The R29 view of `staff`'s branch for `filter`, at most the page's number of episodes
/// (`truncated` says when there were more).
pub async fn view(
    db: &Db,
    staff: &Staff,
    filter: &EffortsFilter,
    now: DateTime<Utc>,
) -> Result<EffortsView, ServiceError> {
    page(db, staff, filter, now, LIMIT).await
}

/// The R29 view of `staff`'s branch for `filter`, of at most `limit` misses from
/// `filter.after` (from the newest when it is empty): a page of the view, or of its export,
/// which reads the period page after page (`next`) and so has no row cap. Each page checks
/// `staff`'s access again.
pub async fn page(
    db: &Db,
    staff: &Staff,
    filter: &EffortsFilter,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<EffortsView, ServiceError> {
    let (branch_id, coaches) = office::supervised_branch(db, staff, now).await?;
    let today = office::office_today(db, staff, now).await?;
    let Period {
        from,
        to,
        coach,
        problem,
    } = period(filter, today, &coaches);
    // `after`: the page after the one that ended there ("Show more"); an unreadable one starts
    // from the newest.
    let after = Cursor::parse(filter.after.trim());
    let (found, next) =
        missed_in_at_most(db, branch_id, (from, to), coach, after.as_ref(), limit).await?;
    let truncated = next.is_some();
    let mut rows = Vec::new();
    let ids: Vec<i64> = found.iter().map(|(id, ..)| *id).collect();
    let read = read_many(db, &ids, now).await?;
    for ((id, participant, case_number, coach_id, _), (record, today, calendar)) in
        found.into_iter().zip(read)
    {
        let facts = &record.facts;
        if !without_disqualification(facts) {
            continue;
        }
        rows.push(EffortRow {
            episode_id: id,
            participant,
            case_number,
            coach: coach_id
                .and_then(|c| coaches.iter().find(|(id, _)| *id == c))
                .map(|(_, name)| name.clone()),
            missed_on: facts.trigger.on,
            missed: facts.trigger.what.clone(),
            attempts: facts.attempts.len(),
            outcome: effort_outcome(facts, today, &calendar),
        });
    }
    Ok(EffortsView {
        today,
        coaches,
        from,
        to,
        coach,
        rows,
        truncated,
        next: next.map(|cursor| cursor.encode()),
        later: after.is_some(),
        problem,
    })
}

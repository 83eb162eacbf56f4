//! Today: the signed-in person's open work, most urgent first (core's worklist), and the
//! staffings waiting for their confirmation of presence (R18).

use reengage_app::backend::{ToConfirm, TodayRow, TodayView, Viewer};
use reengage_core::episode::{most_urgent_first, work_item};

use super::listed;
use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::episodes::read_listed;
use crate::services::{ServiceError, office};
use crate::store::lists::{Cursor, open_work};
use crate::web::state::AppState;

/// How many open episodes the Today list shows at most.
const TODAY_LIMIT: i64 = 200;

/// The open work of `staff`: a coach's or aide's own caseload, a contractor's referrals, a
/// supervisor's branch — each row the episode's most urgent deadline (`core`) — all of it,
/// page after page. The morning digest e-mail reads it, so the e-mail and the page never
/// disagree.
pub async fn today(state: &AppState, staff: Staff) -> Result<TodayView, ServiceError> {
    let mut view = today_page(state, staff.clone(), None).await?;
    while let Some(next) = view.next.take() {
        let after = Cursor::parse(&next).ok_or_else(|| {
            ServiceError::Invalid("The list's next page could not be read.".into())
        })?;
        let page = today_page(state, staff.clone(), Some(after)).await?;
        view.rows.extend(page.rows);
        view.next = page.next;
    }
    view.rows
        .sort_by(|a, b| most_urgent_first(&a.work, &b.work));
    Ok(view)
}

/// One page of `staff`'s open work: the most urgent [`TODAY_LIMIT`] episodes after `after`
/// (from the first with `None`), and where the next page starts.
pub async fn today_page(
    state: &AppState,
    staff: Staff,
    after: Option<Cursor>,
) -> Result<TodayView, ServiceError> {
    let now = state.clock.now();
    let role =
        access::authorize(&state.db, &staff, Action::ListEpisodes, Record::None, now).await?;
    let scope = access::own_scope(role, &staff);
    let mut conn = state.db.pool.acquire().await?;
    let (episodes, next) = open_work(&mut conn, scope, after.as_ref(), TODAY_LIMIT).await?;
    // R18: the staffings waiting for this person's confirmation of presence.
    let to_confirm = if role.is_department() {
        crate::store::lists::to_confirm(&mut conn, staff.id)
            .await?
            .into_iter()
            .filter_map(|(episode_id, participant, held_on)| {
                Some(ToConfirm {
                    episode_id,
                    participant,
                    held_on: held_on.parse().ok()?,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    drop(conn);
    let mut rows = Vec::with_capacity(episodes.len());
    let mut listed_today = None;
    let read = read_listed(&state.db, &listed(&episodes), now).await?;
    for (episode, (record, today, calendar)) in episodes.into_iter().zip(read) {
        listed_today.get_or_insert(today);
        let Some(work) = work_item(&record.facts, today, &calendar) else {
            continue;
        };
        rows.push(TodayRow {
            episode_id: record.id,
            participant: episode.participant,
            phone: episode.phone,
            phone_in_service: episode.phone_in_service,
            work,
        });
    }
    rows.sort_by(|a, b| most_urgent_first(&a.work, &b.work));
    // With nothing listed, today is the staff member's office's date.
    let today = match listed_today {
        Some(day) => day,
        None => office::office_today(&state.db, &staff, now).await?,
    };
    Ok(TodayView {
        viewer: Viewer {
            initials: staff.initials,
            role: staff.role,
        },
        today,
        rows,
        to_confirm,
        next: next.map(|cursor| cursor.encode()),
        later: after.is_some(),
    })
}

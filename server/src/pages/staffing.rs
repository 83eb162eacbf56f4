//! The staffing workspace's data (R17–R27, R30): the episode with the branch's team, the
//! releases on file, the staffing's narratives and the earlier decisions; a read of a
//! recorded staffing is audited as every read of a barrier review is.

use chrono::{DateTime, Utc};
use reengage_app::backend::{
    DraftLine, EarlierDecision, NarrativeLine, StaffingPage, StaffingRights,
};

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::episodes::{local_today, read};
use crate::services::{ServiceError, narratives, office};
use crate::store::episodes::{branch_time_zone, releases_on_file};
use crate::store::lookups;
use crate::web::state::AppState;

/// Whether a narrative draft key belongs to the staffing or its decision (R22, R25), of any
/// review (`staffing`, `decision-2`…).
fn of_staffing(key: &str) -> bool {
    ["staffing", "decision"].iter().any(|k| {
        key == *k
            || key
                .strip_prefix(k)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// The office's day of a stored instant.
fn local_day(zone: &str, at: &str) -> Option<chrono::NaiveDate> {
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    Some(local_today(zone, at))
}

/// The staffing workspace of episode `id` for `staff` (department staff of its branch); a
/// read of a recorded staffing is audited as every read of a barrier review is.
pub async fn page(state: &AppState, staff: Staff, id: i64) -> Result<StaffingPage, ServiceError> {
    let now = state.clock.now();
    let role = access::authorize(
        &state.db,
        &staff,
        Action::ViewStaffing,
        Record::Episode(id),
        now,
    )
    .await?;
    let (record, today, calendar) = read(&state.db, id, now).await?;
    access::record_barrier_read(&state.db, &staff, role, &record.facts, id, now).await?;
    let mut conn = state.db.pool.acquire().await?;
    let releases = releases_on_file(&mut conn, record.participant_id).await?;
    let zone = branch_time_zone(&mut conn, record.branch_id)
        .await?
        .unwrap_or_default();
    drop(conn);
    let (case_number, coach_id) =
        lookups::case_number_and_coach(&state.db, record.participant_id).await?;
    let saved = narratives::list(&state.db, id).await?;
    let drafts = narratives::unsaved_drafts(&record.facts, &calendar, record.round(), &saved)
        .into_iter()
        .filter(|(key, _)| of_staffing(key))
        .map(|(key, draft)| DraftLine {
            key,
            kind: draft.kind,
            text: draft.text,
        })
        .collect();
    let narratives = saved
        .into_iter()
        .filter(|n| n.draft_of.as_deref().is_some_and(of_staffing))
        .map(|n| NarrativeLine {
            id: n.id,
            kind: n.kind,
            body: n.body,
            updated_at: n.updated_at,
            author: n.author.unwrap_or_default(),
        })
        .collect();
    let earlier = record
        .earlier
        .iter()
        .map(|d| EarlierDecision {
            outcome: d.outcome,
            decided_on: d.decided_on,
            finalized_on: d.finalized_on,
            superseded_on: local_day(&zone, &d.superseded_at).unwrap_or(today),
            reason: d.reason.clone(),
        })
        .collect();
    let facts = &record.facts;
    Ok(StaffingPage {
        id,
        version: record.version,
        today,
        participant: facts.participant.clone(),
        case_number,
        stage: reengage_core::episode::stage(facts, today, &calendar),
        closed: reengage_core::episode::is_closed(facts, &calendar),
        closures: calendar.office_closures(),
        team: office::staffing_team(&state.db, record.branch_id).await?,
        releases,
        coach_id,
        viewer_id: staff.id,
        may: StaffingRights {
            record: access::allows(role, Action::RecordStaffing),
            missing_info: access::allows(role, Action::MissingInformation),
            post_dq1: access::allows(role, Action::RecordPostDq1Steps),
            finalize: access::allows(role, Action::FinalizeDq1),
        },
        earlier,
        drafts,
        narratives,
        facts: record.facts,
    })
}

//! The missed-activity form's choices: the participants the signed-in person may record a
//! miss for that have no open episode, and the office's day and closures (R1–R3).

use reengage_app::backend::{MissChoices, ParticipantChoice};

use crate::services::access::{self, Action, Record, Role};
use crate::services::accounts::Staff;
use crate::services::{ServiceError, office};
use crate::store::lists;
use crate::web::state::AppState;

/// The participants `staff` may record a miss for that have no open episode: a coach's or
/// aide's caseload, a contractor's referrals, a supervisor's branch — every one of them (a
/// picker that stops part-way hides the person a coach came to record).
pub(super) async fn missed_form(
    state: &AppState,
    staff: Staff,
) -> Result<MissChoices, ServiceError> {
    let now = state.clock.now();
    let role = access::authorize(
        &state.db,
        &staff,
        Action::RecordMissedActivity,
        Record::None,
        now,
    )
    .await?;
    let scope = access::own_scope(role, &staff);
    let rows = lists::without_open_episode(&state.db, scope, i64::MAX).await?;
    let (today, calendar) = office::office_calendar(&state.db, &staff, now).await?;
    Ok(MissChoices {
        closures: calendar.office_closures(),
        today,
        contractor: role == Role::Contractor,
        participants: rows
            .into_iter()
            .map(|(id, name, case_number)| ParticipantChoice {
                id,
                name,
                case_number,
            })
            .collect(),
    })
}

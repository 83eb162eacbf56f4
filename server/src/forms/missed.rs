//! `POST /missed`: a missed activity recorded and its episode opened (R1–R3, R5).

use axum::{Form, extract::State, response::Redirect};
use reengage_app::forms::missed::MissedForm;
use reengage_core::episode::ReportedBy;

use crate::services::access::{self, Action, Record};
use crate::services::episodes::{MissReport, record_missed_activity};
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// `POST /missed`: R1 — record a missed activity and open the episode; on to the episode.
pub async fn missed(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<MissedForm>,
) -> Result<Redirect, Refusal> {
    let staff = auth.user.map(|user| user.staff).ok_or(Refusal::SignedOut)?;
    let now = state.clock.now();
    // The role first, whatever the participant (a 403 reveals nothing).
    let role = match access::authorize(
        &state.db,
        &staff,
        Action::RecordMissedActivity,
        Record::None,
        now,
    )
    .await
    {
        Ok(role) => role,
        Err(error) => return Err(Refusal::Denied(error)),
    };
    let reported_by = if role == access::Role::Contractor {
        ReportedBy::Contractor
    } else {
        ReportedBy::Department
    };
    let (participant, trigger) = match form.trigger(reported_by) {
        Ok(parsed) => parsed,
        Err(message) => return Err(Refusal::back("/missed", &form, message)),
    };
    if let Err(error) = access::authorize(
        &state.db,
        &staff,
        Action::RecordMissedActivity,
        Record::Participant(participant),
        now,
    )
    .await
    {
        return Err(Refusal::Denied(error));
    }
    let report = MissReport {
        trigger,
        called_ahead: form.called_ahead.is_some(),
    };
    let opened = record_missed_activity(&state.db, &staff.actor(), participant, report, now)
        .await
        .map_err(|error| Refusal::service(error, |said| Refusal::back("/missed", &form, said)))?;
    Ok(Redirect::to(&format!(
        "/episodes/{}?saved=miss",
        opened.episode_id
    )))
}

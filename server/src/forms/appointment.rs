//! `POST /episodes/{id}/appointment`: the re-engagement appointment (R12–R16).

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_core::episode::Transition;
use reengage_core::parse_time_input;

use super::{allowed, back_to_form, outcome, version_and_day};
use crate::services::access::Action;
use crate::services::episodes::change;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;
use reengage_app::forms::appointment::AppointmentForm;

/// `POST /episodes/{id}/appointment`: schedule the re-engagement appointment (R12–R16).
pub async fn appointment(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<AppointmentForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::ScheduleAppointment).await?;
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back_to_form(id, "appointment", &form, message)),
    };
    let at = match parse_time_input(&form.at) {
        Ok(at) => at,
        Err(error) => return Err(back_to_form(id, "appointment", &form, error.to_string())),
    };
    let result = change(
        &state.db,
        &staff.actor(),
        id,
        version,
        Transition::ScheduleAppointment { on, at },
        state.clock.now(),
    )
    .await
    .map(|_| ());
    outcome(result, id, "appointment", &form)
}

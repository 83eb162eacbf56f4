//! `POST /episodes/{id}/contact`: contact made (R8, R12), with the plan's new PDP step.

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};

use super::{allowed, back_to_form, outcome_at, version_and_day};
use crate::services::access::Action;
use crate::services::actions;
use crate::services::participants::PdpStep;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;
use reengage_app::forms::contact::ContactForm;

/// `POST /episodes/{id}/contact`: R8 — contact made; within two business days, the plan is
/// adjusted (with the agreed PDP step, if one is added) and the episode closes as re-engaged.
pub async fn contact(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<ContactForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::RecordContact).await?;
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back_to_form(id, "contact", &form, message)),
    };
    let plan_adjusted = form.plan_adjusted.is_some();
    let step = match form.step() {
        Ok(step) => step.map(|(code, starts_on)| PdpStep {
            code,
            starts_on,
            ends_on: None,
            scheduled_time: None,
            attendance_hours: None,
        }),
        Err(message) => return Err(back_to_form(id, "contact", &form, message)),
    };
    // The contact and the plan's new step stand or fall together.
    let result = actions::record_contact(
        &state.db,
        &staff.actor(),
        id,
        version,
        (on, plan_adjusted),
        step,
        state.clock.now(),
    )
    .await
    .map(|changed| changed.version);
    outcome_at(result, id, "contact", &form)
}

//! `POST /episodes/{id}/contact`: contact made (R8, R12), with the plan's new PDP step.

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_core::parse_date_input;
use serde::{Deserialize, Serialize};

use super::{allowed, back_to_form, outcome, version_and_day};
use crate::services::access::Action;
use crate::services::actions;
use crate::services::participants::PdpStep;
use crate::state::AppState;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;

/// What the contact-made form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ContactForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub on: String,
    /// Present ("yes") when the plan was adjusted with the participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_adjusted: Option<String>,
    /// The agreed PDP step to add, if any.
    #[serde(default)]
    pub step_code: String,
    #[serde(default)]
    pub step_on: String,
}

impl ContactForm {
    /// The PDP step the form adds, if one was chosen, or a sentence saying what to fix.
    fn step(&self) -> Result<Option<PdpStep>, String> {
        let code = self.step_code.trim();
        if code.is_empty() {
            return Ok(None);
        }
        if code.len() > 8 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err("Choose the PDP step's code from the list.".into());
        }
        let starts_on = parse_date_input(&self.step_on)
            .map_err(|_| "Enter the day the new PDP step starts.".to_owned())?;
        Ok(Some(PdpStep {
            code: code.to_uppercase(),
            starts_on,
            ends_on: None,
            scheduled_time: None,
            attendance_hours: None,
        }))
    }
}

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
        Ok(step) => step,
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
    .map(|_| ());
    outcome(result, id, "contact", &form)
}

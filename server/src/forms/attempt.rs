//! `POST /episodes/{id}/attempt`: a contact attempt (R7, R9, R10; R5 for a contractor) and,
//! for an invalid address, the ONE missing-information request (R11).

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};

use super::{allowed, back_to_form, outcome_at};
use crate::services::access::{self, Action};
use crate::services::actions;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;
use reengage_app::forms::attempt::AttemptForm;

/// `POST /episodes/{id}/attempt`: log a contact attempt (R7, R9, R10; R5 for a contractor),
/// and for an invalid address the ONE missing-information request (R11).
pub async fn attempt(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<AttemptForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::LogAttempt).await?;
    let by_contractor = staff.role == access::Role::Contractor;
    let (version, attempt) = match form.attempt(&staff.initials, by_contractor) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back_to_form(id, "attempt", &form, message)),
    };
    // The attempt and its R11 request stand or fall together.
    let result = actions::log_attempt(
        &state.db,
        &staff.actor(),
        id,
        version,
        attempt,
        state.clock.now(),
    )
    .await
    .map(|changed| changed.version);
    outcome_at(result, id, "attempt", &form)
}

//! `POST /episodes/{id}/attempt`: a contact attempt (R7, R9, R10; R5 for a contractor) and,
//! for an invalid address, the ONE missing-information request (R11).

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{Attempt, AttemptOutcome, ContactMethod, asks_for_window};
use reengage_core::parse_date_input;
use serde::{Deserialize, Serialize};

use super::{allowed, back_to_form, enum_value, outcome};
use crate::services::access::{self, Action};
use crate::services::accounts::Staff;
use crate::services::actions;
use crate::state::AppState;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;

/// What the contact-attempt form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AttemptForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub window: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The longest note accepted on an attempt.
const MAX_NOTE_CHARS: usize = 2_000;

impl AttemptForm {
    /// The attempt the form describes, or a sentence saying what to fix; `by_contractor` says
    /// who made it (R5), from who is signed in.
    fn attempt(&self, by: &Staff, by_contractor: bool) -> Result<(i64, Attempt), String> {
        let version = self
            .version
            .parse::<i64>()
            .map_err(|_| "Reload the episode and try again.".to_owned())?;
        let on = parse_date_input(&self.on).map_err(|e| e.to_string())?;
        let method: ContactMethod =
            enum_value(&self.method).ok_or("Choose how you tried to reach them.")?;
        let outcome: AttemptOutcome = enum_value(&self.outcome).ok_or("Choose what happened.")?;
        // R9: a window only where the form asks for one.
        let response_window = match (asks_for_window(method, outcome), self.window.as_deref()) {
            (true, Some(days)) if !days.is_empty() => Some(
                days.parse::<i64>()
                    .ok()
                    .and_then(|days| ResponseWindow::new(days).ok())
                    .ok_or("Choose a response window of 1, 2 or 3 business days (R9).")?,
            ),
            _ => None,
        };
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty())
            .map(str::to_owned);
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            return Err(format!(
                "A note can have at most {MAX_NOTE_CHARS} characters."
            ));
        }
        Ok((
            version,
            Attempt {
                on,
                method,
                outcome,
                response_window,
                by_initials: by.initials.clone(),
                note,
                by_contractor,
            },
        ))
    }
}

/// `POST /episodes/{id}/attempt`: log a contact attempt (R7, R9, R10; R5 for a contractor),
/// and for an invalid address the ONE missing-information request (R11).
pub async fn attempt(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<AttemptForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::LogAttempt).await?;
    let by_contractor = staff.role == access::Role::Contractor.as_str();
    let (version, attempt) = match form.attempt(&staff, by_contractor) {
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
    .map(|_| ());
    outcome(result, id, "attempt", &form)
}

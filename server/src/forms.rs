//! The pages' plain HTML forms (POST, form-encoded), so every step works before the wasm has
//! loaded. Each is checked exactly as the REST API checks it: the session, `access`, then
//! `core` through the services. A refusal goes back to the form with everything that was
//! typed and the reason; nothing typed is lost.

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{
    Attempt, AttemptOutcome, ContactMethod, Transition, asks_for_window, r11_request,
};
use reengage_core::parse_date_input;
use serde::{Deserialize, Serialize};

use crate::access::{self, Action, Record};
use crate::auth::Staff;
use crate::http::AppState;
use crate::services::ServiceError;
use crate::services::episodes::change;
use crate::sessions::AuthSession;

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

fn enum_value<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

impl AttemptForm {
    /// The attempt the form describes, or a sentence saying what to fix.
    fn attempt(&self, by: &Staff) -> Result<(i64, Attempt), String> {
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
            },
        ))
    }
}

/// Back to the form `/episodes/{id}/{form}` with what was typed and why it was refused.
fn back_to_form(id: i64, form: &str, typed: &impl Serialize, error: String) -> Response {
    let typed = serde_urlencoded::to_string(typed).unwrap_or_default();
    let error = serde_urlencoded::to_string([("error", error)]).unwrap_or_default();
    Redirect::to(&format!("/episodes/{id}/{form}?{typed}&{error}")).into_response()
}

/// The signed-in staff member and the episode id, once `action` on it is allowed.
async fn allowed(
    state: &AppState,
    auth: AuthSession,
    id: &str,
    action: Action,
) -> Result<(Staff, i64), Response> {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Err(Redirect::to("/signin").into_response());
    };
    let Ok(id) = id.parse::<i64>() else {
        return Err((StatusCode::NOT_FOUND, "There is no such episode.").into_response());
    };
    access::authorize(
        &state.db,
        &staff,
        action,
        Record::Episode(id),
        state.clock.now(),
    )
    .await
    .map_err(refused)?;
    Ok((staff, id))
}

/// After a change: to the episode, or back to the form with the reason.
fn outcome(
    result: Result<(), ServiceError>,
    id: i64,
    form: &str,
    typed: &impl Serialize,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/episodes/{id}?saved={form}")).into_response(),
        Err(ServiceError::Store(error)) => {
            tracing::error!(%error, form, "form could not be saved");
            back_to_form(
                id,
                form,
                typed,
                "It could not be saved. Nothing was changed; try again.".into(),
            )
        }
        Err(error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_))) => refused(error),
        Err(error) => back_to_form(id, form, typed, error.to_string()),
    }
}

/// A refusal of the access check as a short page.
fn refused(error: ServiceError) -> Response {
    match error {
        ServiceError::Forbidden(message) => (StatusCode::FORBIDDEN, message).into_response(),
        ServiceError::NotFound(what) => {
            (StatusCode::NOT_FOUND, format!("There is no {what}.")).into_response()
        }
        other => {
            tracing::error!(error = %other, "form could not be checked");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Re-engage could not check this request; go back and try again.",
            )
                .into_response()
        }
    }
}

/// `POST /episodes/{id}/attempt`: log a contact attempt (R7, R9, R10; R5 for a contractor),
/// and for an invalid address the ONE missing-information request (R11).
pub async fn attempt(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<AttemptForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::LogAttempt).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let (version, attempt) = match form.attempt(&staff) {
        Ok(parsed) => parsed,
        Err(message) => return back_to_form(id, "attempt", &form, message),
    };
    let request = r11_request(&attempt);
    let (actor, now) = (staff.actor(), state.clock.now());
    let result = async {
        let changed = change(
            &state.db,
            &actor,
            id,
            version,
            Transition::LogAttempt(attempt),
            now,
        )
        .await?;
        if let Some(request) = request
            && let Err(error) = change(
                &state.db,
                &actor,
                id,
                changed.version,
                Transition::AddMissingInfo(request),
                now,
            )
            .await
        {
            tracing::warn!(%error, episode = id, "R11 request not added");
        }
        Ok(())
    }
    .await;
    outcome(result, id, "attempt", &form)
}

/// What the appointment form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AppointmentForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub on: String,
}

/// `POST /episodes/{id}/appointment`: schedule the re-engagement appointment (R12–R16).
pub async fn appointment(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<AppointmentForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::ScheduleAppointment).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let Ok(version) = form.version.parse::<i64>() else {
        return back_to_form(
            id,
            "appointment",
            &form,
            "Reload the episode and try again.".into(),
        );
    };
    let on = match parse_date_input(&form.on) {
        Ok(on) => on,
        Err(error) => return back_to_form(id, "appointment", &form, error.to_string()),
    };
    let result = change(
        &state.db,
        &staff.actor(),
        id,
        version,
        Transition::ScheduleAppointment { on },
        state.clock.now(),
    )
    .await
    .map(|_| ());
    outcome(result, id, "appointment", &form)
}

/// What the notice form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NoticeForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub on: String,
}

/// `POST /episodes/{id}/notice`: the DHS 7869 notice was mailed (R15); a late mailing is
/// refused with the fix (reschedule).
pub async fn notice(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<NoticeForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::RecordNoticeMailed).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let Ok(version) = form.version.parse::<i64>() else {
        return back_to_form(
            id,
            "notice",
            &form,
            "Reload the episode and try again.".into(),
        );
    };
    let on = match parse_date_input(&form.on) {
        Ok(on) => on,
        Err(error) => return back_to_form(id, "notice", &form, error.to_string()),
    };
    let result = change(
        &state.db,
        &staff.actor(),
        id,
        version,
        Transition::RecordNoticeMailed { on },
        state.clock.now(),
    )
    .await
    .map(|_| ());
    outcome(result, id, "notice", &form)
}

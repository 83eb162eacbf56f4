//! The pages' plain HTML forms (POST, form-encoded), so every step works before the wasm has
//! loaded. Each is checked exactly as the REST API checks it: the session, `access`, then
//! `core` through the services. A refusal goes back to the form with everything that was
//! typed and the reason; nothing typed is lost.

pub mod admin;
pub mod appointment;
pub mod attempt;
pub mod calendar_feed;
pub mod contact;
pub mod email;
pub mod finalization;
pub mod good_cause;
pub mod missed;
pub mod missing_info;
pub mod narratives;
pub mod notice;
pub mod participants;
pub mod password;
pub mod staffing;

use axum::response::Redirect;
use chrono::NaiveDate;
use reengage_core::parse_date_input;
use serde::Serialize;

use crate::services::ServiceError;
use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// The episode version a form was filled on and the day it names, or what to do.
pub(crate) fn version_and_day(version: &str, on: &str) -> Result<(i64, NaiveDate), String> {
    let version = version
        .parse::<i64>()
        .map_err(|_| "Reload the episode and try again.".to_owned())?;
    let on = parse_date_input(on).map_err(|e| e.to_string())?;
    Ok((version, on))
}

/// Back to the form `/episodes/{id}/{form}` with what was typed and why it was refused.
pub(crate) fn back_to_form(id: i64, form: &str, typed: &impl Serialize, error: String) -> Refusal {
    Refusal::back(format!("/episodes/{id}/{form}"), typed, error)
}

/// The signed-in staff member and the episode id, once `action` on it is allowed.
pub(crate) async fn allowed(
    state: &AppState,
    auth: AuthSession,
    id: &str,
    action: Action,
) -> Result<(Staff, i64), Refusal> {
    let staff = auth.user.map(|user| user.staff).ok_or(Refusal::SignedOut)?;
    let id = id
        .parse::<i64>()
        .map_err(|_| Refusal::Denied(ServiceError::NotFound("such episode".into())))?;
    access::authorize(
        &state.db,
        &staff,
        action,
        Record::Episode(id),
        state.clock.now(),
    )
    .await?;
    Ok((staff, id))
}

/// After a change that left the episode at `version`: to the episode — the address names the
/// version, so the phone's offline queue, sending several steps logged on one episode, bases
/// the next on this one — or back to the form with the reason.
pub(crate) fn outcome_at(
    result: Result<i64, ServiceError>,
    id: i64,
    form: &str,
    typed: &impl Serialize,
) -> Result<Redirect, Refusal> {
    result
        .map(|version| Redirect::to(&format!("/episodes/{id}?saved={form}&version={version}")))
        .map_err(|error| Refusal::service(error, |said| back_to_form(id, form, typed, said)))
}

/// After a change: to the episode, or back to the form with the reason.
pub(crate) fn outcome(
    result: Result<(), ServiceError>,
    id: i64,
    form: &str,
    typed: &impl Serialize,
) -> Result<Redirect, Refusal> {
    result
        .map(|()| Redirect::to(&format!("/episodes/{id}?saved={form}")))
        .map_err(|error| Refusal::service(error, |said| back_to_form(id, form, typed, said)))
}

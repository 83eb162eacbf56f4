//! The pages' plain HTML forms (POST, form-encoded), so every step works before the wasm has
//! loaded. Each is checked exactly as the REST API checks it: the session, `access`, then
//! `core` through the services. A refusal goes back to the form with everything that was
//! typed and the reason; nothing typed is lost.

pub mod staffing;

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{Attempt, AttemptOutcome, ContactMethod, Transition, asks_for_window};
use reengage_core::episode::{ReportedBy, Trigger, TriggerKind};
use reengage_core::narrative::NarrativeType;
use reengage_core::{parse_date_input, parse_time_input};
use serde::{Deserialize, Serialize};

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::episodes::{MissReport, change, record_missed_activity};
use crate::services::participants::PdpStep;
use crate::services::{ServiceError, actions, narratives};
use crate::state::AppState;
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

pub(crate) fn enum_value<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

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

/// The episode version a form was filled on and the day it names, or what to do.
pub(crate) fn version_and_day(version: &str, on: &str) -> Result<(i64, NaiveDate), String> {
    let version = version
        .parse::<i64>()
        .map_err(|_| "Reload the episode and try again.".to_owned())?;
    let on = parse_date_input(on).map_err(|e| e.to_string())?;
    Ok((version, on))
}

/// Back to the form `/episodes/{id}/{form}` with what was typed and why it was refused.
fn back_to_form(id: i64, form: &str, typed: &impl Serialize, error: String) -> Response {
    back_to(&format!("/episodes/{id}/{form}"), typed, error)
}

/// Back to the page at `path` with what was typed and why it was refused.
fn back_to(path: &str, typed: &impl Serialize, error: String) -> Response {
    let typed = serde_urlencoded::to_string(typed).unwrap_or_default();
    let error = serde_urlencoded::to_string([("error", error)]).unwrap_or_default();
    Redirect::to(&format!("{path}?{typed}&{error}")).into_response()
}

/// The signed-in staff member and the episode id, once `action` on it is allowed.
pub(crate) async fn allowed(
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
pub(crate) fn refused(error: ServiceError) -> Response {
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
    let by_contractor = staff.role == access::Role::Contractor.as_str();
    let (version, attempt) = match form.attempt(&staff, by_contractor) {
        Ok(parsed) => parsed,
        Err(message) => return back_to_form(id, "attempt", &form, message),
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

/// What the appointment form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AppointmentForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub on: String,
    /// The time of day, `HH:MM`; optional.
    #[serde(default)]
    pub at: String,
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
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return back_to_form(id, "appointment", &form, message),
    };
    let at = match parse_time_input(&form.at) {
        Ok(at) => at,
        Err(error) => return back_to_form(id, "appointment", &form, error.to_string()),
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
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return back_to_form(id, "notice", &form, message),
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

/// What the missed-activity form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MissedForm {
    #[serde(default)]
    pub participant: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub at: String,
    /// R5: the day the contractor learned of the miss, if later (a contractor's form only).
    #[serde(default)]
    pub aware_on: String,
    /// R1: present ("yes") when the participant called ahead about the miss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_ahead: Option<String>,
}

impl MissedForm {
    /// The participant and the miss the form describes, or a sentence saying what to fix.
    /// Who reported it follows from who is signed in (R5 for a contractor).
    fn trigger(&self, reported_by: ReportedBy) -> Result<(i64, Trigger), String> {
        let participant = self
            .participant
            .parse::<i64>()
            .map_err(|_| "Choose the participant who missed the activity.".to_owned())?;
        let kind: TriggerKind =
            enum_value(&self.kind).ok_or("Choose what happened: which kind of miss (R1).")?;
        let on = parse_date_input(&self.on).map_err(|e| e.to_string())?;
        let at = parse_time_input(&self.at).map_err(|e| e.to_string())?;
        let aware_on = match self.aware_on.trim() {
            "" => None,
            text => Some(
                parse_date_input(text)
                    .map_err(|e| format!("The day you learned of the miss: {e}"))?,
            ),
        };
        Ok((
            participant,
            Trigger {
                kind,
                what: self.what.trim().to_owned(),
                on,
                at,
                reported_by,
                aware_on,
            },
        ))
    }
}

/// `POST /missed`: R1 — record a missed activity and open the episode; on to the episode.
pub async fn missed(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<MissedForm>,
) -> Response {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Redirect::to("/signin").into_response();
    };
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
        Err(error) => return refused(error),
    };
    let reported_by = if role == access::Role::Contractor {
        ReportedBy::Contractor
    } else {
        ReportedBy::Department
    };
    let (participant, trigger) = match form.trigger(reported_by) {
        Ok(parsed) => parsed,
        Err(message) => return back_to("/missed", &form, message),
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
        return refused(error);
    }
    let report = MissReport {
        trigger,
        called_ahead: form.called_ahead.is_some(),
    };
    match record_missed_activity(&state.db, &staff.actor(), participant, report, now).await {
        Ok(opened) => {
            Redirect::to(&format!("/episodes/{}?saved=miss", opened.episode_id)).into_response()
        }
        Err(ServiceError::Store(error)) => {
            tracing::error!(%error, "missed activity could not be saved");
            back_to(
                "/missed",
                &form,
                "It could not be saved. Nothing was changed; try again.".into(),
            )
        }
        Err(error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_))) => refused(error),
        Err(error) => back_to("/missed", &form, error.to_string()),
    }
}

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
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::RecordContact).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return back_to_form(id, "contact", &form, message),
    };
    let plan_adjusted = form.plan_adjusted.is_some();
    let step = match form.step() {
        Ok(step) => step,
        Err(message) => return back_to_form(id, "contact", &form, message),
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

/// What the good-cause form sends (and is sent back with on a refusal).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GoodCauseForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub reason: String,
}

/// `POST /episodes/{id}/good-cause`: R23 — the case manager gives good cause alone, with its
/// reason; the episode closes with no disqualification.
pub async fn good_cause(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<GoodCauseForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::GiveGoodCause).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return back_to_form(id, "good-cause", &form, message),
    };
    let result = actions::give_good_cause(
        &state.db,
        &staff.actor(),
        id,
        version,
        (on, form.reason.clone()),
        state.clock.now(),
    )
    .await
    .map(|_| ());
    outcome(result, id, "good-cause", &form)
}

/// What a narrative form sends: a draft to save, or a saved narrative's new text.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NarrativeForm {
    #[serde(default)]
    pub kind: String,
    /// The draft it is saved from (`attempt-2026-11-24-1`, `staffing`, `decision`).
    #[serde(default)]
    pub draft_of: String,
    #[serde(default)]
    pub body: String,
    /// The page the form returns to: "staffing" for the staffing workspace, else the episode.
    #[serde(default)]
    pub back: String,
}

impl NarrativeForm {
    /// The page the form was on.
    fn page(&self, id: i64) -> String {
        if self.back == "staffing" {
            format!("/episodes/{id}/staffing")
        } else {
            format!("/episodes/{id}")
        }
    }
}

/// Back to the episode's narratives with what was typed (in the draft or narrative it came
/// from) and why it was refused.
fn back_to_narratives(page: &str, which: (&str, String), body: &str, error: String) -> Response {
    let query = serde_urlencoded::to_string([
        (which.0, which.1.as_str()),
        ("body", body),
        ("error", error.as_str()),
    ])
    .unwrap_or_default();
    let query = format!("form=narrative&{query}");
    Redirect::to(&format!("{page}?{query}#narratives")).into_response()
}

/// After a narrative save: to the episode's narratives, or back with the reason.
fn narrative_outcome<T>(
    result: Result<T, ServiceError>,
    page: &str,
    which: (&str, String),
    body: &str,
) -> Response {
    match result {
        Ok(_) => Redirect::to(&format!("{page}?saved=narrative#narratives")).into_response(),
        Err(error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_))) => refused(error),
        Err(ServiceError::Store(error)) => {
            tracing::error!(%error, "narrative could not be saved");
            back_to_narratives(
                page,
                which,
                body,
                "It could not be saved. Nothing was changed; try again.".into(),
            )
        }
        Err(error) => back_to_narratives(page, which, body, error.to_string()),
    }
}

/// `POST /episodes/{id}/narratives`: save one of `core`'s drafts, as edited (R4, R10, R22, R25).
pub async fn new_narrative(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<NarrativeForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::WriteNarrative).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let which = ("draft", form.draft_of.clone());
    let Some(kind) = enum_value::<NarrativeType>(&form.kind) else {
        return back_to_narratives(
            &form.page(id),
            which,
            &form.body,
            "Reload the episode and try again.".into(),
        );
    };
    let result = narratives::write(
        &state.db,
        &staff.actor(),
        id,
        kind,
        &form.body,
        Some(form.draft_of.as_str()),
        state.clock.now(),
    )
    .await;
    narrative_outcome(result, &form.page(id), which, &form.body)
}

/// `POST /episodes/{id}/narratives/{narrative}`: new text for a saved narrative.
pub async fn edit_narrative(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, narrative)): Path<(String, String)>,
    Form(form): Form<NarrativeForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::ReadEpisode).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let Ok(narrative) = narrative.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "There is no such narrative.").into_response();
    };
    let now = state.clock.now();
    if let Err(error) = access::authorize(
        &state.db,
        &staff,
        Action::WriteNarrative,
        Record::Narrative(narrative),
        now,
    )
    .await
    {
        return refused(error);
    }
    // The narrative must belong to the episode in the address.
    let of_episode: Option<i64> =
        match crate::store::lookups::episode_of_narrative(&state.db, narrative).await {
            Ok(found) => found,
            Err(error) => return refused(ServiceError::from(error)),
        };
    if of_episode != Some(id) {
        return refused(ServiceError::NotFound("such narrative".into()));
    }
    let result = narratives::edit(&state.db, &staff.actor(), narrative, &form.body, now).await;
    narrative_outcome(
        result,
        &form.page(id),
        ("narrative", narrative.to_string()),
        &form.body,
    )
}

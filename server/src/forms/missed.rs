//! `POST /missed`: a missed activity recorded and its episode opened (R1–R3, R5).

use axum::{Form, extract::State, response::Redirect};
use reengage_core::episode::{ReportedBy, Trigger, TriggerKind};
use reengage_core::{parse_date_input, parse_time_input};
use serde::{Deserialize, Serialize};

use super::enum_value;
use crate::services::access::{self, Action, Record};
use crate::services::episodes::{MissReport, record_missed_activity};
use crate::state::AppState;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;

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

//! What the contact-attempt form says *before* it is submitted (R7, R9, R11), and the task an
//! attempt calls for (R11). The page calls these as the coach picks; the server calls the
//! same when it stores the attempt.

use chrono::NaiveDate;

use super::facts::{
    Attempt, AttemptOutcome, ContactMethod, EpisodeFacts, MissingInfo, MissingInfoKind,
};
use crate::calendar::BusinessCalendar;
use crate::deadlines::{ResponseWindow, follow_up_due};
use crate::rules::{R7, R8, R9, R11, RuleId};
use crate::words::long_date;

/// One sentence of feedback, with the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub text: String,
    pub rule: RuleId,
}

/// Whether the attempt form should ask for a response window: a message left by phone or
/// e-mail waits one (R9); a written note may.
pub fn asks_for_window(method: ContactMethod, outcome: AttemptOutcome) -> bool {
    outcome == AttemptOutcome::MessageLeft
        && matches!(
            method,
            ContactMethod::Phone | ContactMethod::Email | ContactMethod::Written
        )
}

/// The feedback for an attempt on `on` as picked so far. `phone_in_service` is the
/// participant's phone status on file.
pub fn attempt_hints(
    on: NaiveDate,
    method: ContactMethod,
    outcome: AttemptOutcome,
    window: Option<ResponseWindow>,
    phone_in_service: bool,
    calendar: &BusinessCalendar,
) -> Vec<Hint> {
    let mut hints = Vec::new();
    if outcome == AttemptOutcome::MessageLeft
        && let Some(window) = window.or_else(|| {
            matches!(method, ContactMethod::Phone | ContactMethod::Email)
                .then_some(ResponseWindow::DEFAULT)
        })
        && let Ok(due) = follow_up_due(on, window, calendar)
    {
        hints.push(Hint {
            text: format!("Follow-up due by {} if there is no reply.", long_date(due)),
            rule: R9,
        });
    }
    if outcome == AttemptOutcome::PhoneNotInService
        || (method == ContactMethod::Phone && !phone_in_service)
    {
        hints.push(Hint {
            text: "The phone number is not in service: consider an in-person offsite visit.".into(),
            rule: R7,
        });
    }
    if outcome == AttemptOutcome::AddressInvalid {
        hints.push(Hint {
            text: "A task to send a ONE missing-information request to verify the address will be added."
                .into(),
            rule: R11,
        });
    }
    if outcome == AttemptOutcome::Reached {
        hints.push(Hint {
            text: "Contact made: record it with “Contact made” to adjust the plan.".into(),
            rule: R8,
        });
    }
    hints
}

/// R11: an offsite visit that finds the address invalid calls for a ONE missing-information
/// request to verify the address — unless one is already waiting on `facts`.
pub fn r11_request(facts: &EpisodeFacts, attempt: &Attempt) -> Option<MissingInfo> {
    let waiting = facts
        .outstanding_missing_info()
        .any(|m| m.kind == MissingInfoKind::AddressVerification);
    (attempt.outcome == AttemptOutcome::AddressInvalid && !waiting).then(|| MissingInfo {
        kind: MissingInfoKind::AddressVerification,
        description:
            "Send a ONE missing-information request to verify the physical address of record."
                .into(),
        requested_on: attempt.on,
        resolved_on: None,
    })
}

//! What the missed-activity form (R1–R3, R5, R6, R8), the contact-made form (R8) and the
//! scheduling form (R13) say *before* they are submitted. The page calls these as the coach
//! types; the server calls [`check_miss`] and [`super::check`] — the checks these hints are
//! made of — before it stores anything.

use chrono::NaiveDate;

use super::attempt_form::Hint;
use super::due::{DeadlineKind, deadlines};
use super::facts::{EpisodeFacts, ReportedBy, Trigger};
use super::progress::{contact_on_target, contact_target};
use super::readiness::attempts_readiness;
use super::transition::{Refusal, Transition, check};
use crate::calendar::BusinessCalendar;
use crate::deadlines::missed_pe_call_by;
use crate::rules::{R3, R8, R12, R15};
use crate::words::due_date;

/// The longest "what was missed" accepted, in characters.
pub const MAX_WHAT_CHARS: usize = 200;

/// R1: whether a miss can open an episode on `today`: the participant did not call ahead
/// about it (a miss called ahead opens no episode), it has happened (not in the future) and
/// says what was missed; R5: a contractor's report became known on or after the miss.
pub fn check_miss(trigger: &Trigger, called_ahead: bool, today: NaiveDate) -> Result<(), Refusal> {
    if called_ahead {
        return Err(Refusal::CalledAhead);
    }
    let what = trigger.what.trim();
    if what.is_empty() || what.chars().count() > MAX_WHAT_CHARS {
        return Err(Refusal::WhatWasMissed);
    }
    if trigger.on > today {
        return Err(Refusal::InTheFuture(format!(
            "The date of the miss {}",
            crate::words::long_date(trigger.on)
        )));
    }
    if let Some(aware) = trigger.aware_on {
        if trigger.reported_by != ReportedBy::Contractor {
            return Err(Refusal::AwareOnlyForContractor);
        }
        if aware < trigger.on {
            return Err(Refusal::AwareBeforeMiss {
                aware,
                missed: trigger.on,
            });
        }
        if aware > today {
            return Err(Refusal::InTheFuture(format!(
                "The day the miss became known {}",
                crate::words::long_date(aware)
            )));
        }
    }
    Ok(())
}

/// The feedback for a miss as entered so far: when first contact is due (R2; R5 for a
/// contractor's report, R6 for a pattern of noncooperation), the R3 call for any missed
/// appointment with a known time, and the last day of R8's target for contact.
pub fn miss_hints(
    trigger: &Trigger,
    called_ahead: bool,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<Vec<Hint>, Refusal> {
    check_miss(trigger, called_ahead, today)?;
    let mut hints = Vec::new();
    if let (true, Some(at)) = (trigger.kind.is_appointment(), trigger.at) {
        let call_by = missed_pe_call_by(trigger.on.and_time(at));
        hints.push(Hint {
            text: format!(
                "Call by {} — within 10 minutes of the missed appointment time.",
                crate::words::clock_time(call_by.time())
            ),
            rule: R3,
        });
    }
    // The deadlines of the episode the miss would open: one computation for the form, the
    // episode page and Today.
    let facts = EpisodeFacts::new(String::new(), trigger.clone());
    if let Some(first) = deadlines(&facts, today, calendar)
        .into_iter()
        .find(|d| d.kind == DeadlineKind::FirstContact)
    {
        // "first contact — 1 business day after the missed orientation" →
        // "First contact due by Monday, November 30 — 1 business day after …".
        let (what, why) = first
            .why
            .split_once(" — ")
            .unwrap_or(("contact", &first.why));
        let mut what = what.chars();
        let what: String = what
            .next()
            .map(|c| c.to_uppercase().chain(what).collect())
            .unwrap_or_default();
        hints.push(Hint {
            text: format!("{what} due by {} — {why}.", due_date(first.due, today)),
            rule: first.rule,
        });
    }
    if let Some(by) = contact_target(&facts, calendar) {
        hints.push(Hint {
            text: format!(
                "Contact made by {} meets the target for adjusting the plan; contact later still lets you adjust it.",
                due_date(by, today)
            ),
            rule: R8,
        });
    }
    Ok(hints)
}

/// What the contact-made form says for contact on `on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactAdvice {
    /// R8: contact met the timeliness target (2 business days after the miss; R6's 5 for a
    /// pattern). Met or late, the plan can be adjusted and the episode closes as re-engaged.
    pub in_time: bool,
    pub hints: Vec<Hint>,
}

/// R8: the feedback for contact made on `on` — the plan can be adjusted and the episode closes
/// as re-engaged at any time before a decision; whether the contact met the timeliness target
/// or was late; and, if the plan is not adjusted, what follows (a re-engagement appointment
/// with its notice, R12, R15). A date the server would refuse is the refusal.
pub fn contact_advice(
    facts: &EpisodeFacts,
    on: NaiveDate,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<ContactAdvice, Refusal> {
    check(
        facts,
        &Transition::RecordContact {
            on,
            plan_adjusted: false,
        },
        today,
        calendar,
    )?;
    let by = contact_target(facts, calendar)
        .map(|by| due_date(by, today))
        .unwrap_or_default();
    let in_time = contact_on_target(facts, on, calendar);
    let timeliness = if in_time {
        format!("Contact met the target (by {by}).")
    } else {
        format!(
            "Contact came after the target (by {by}): it counts as late in the timeliness figures."
        )
    };
    Ok(ContactAdvice {
        in_time,
        hints: vec![
            Hint {
                text: format!(
                    "{timeliness} Adjust the plan with the participant and the episode closes as re-engaged, with no re-engagement appointment."
                ),
                rule: R8,
            },
            Hint {
                text: "If they do not agree to a plan, record the contact without it, then schedule a re-engagement appointment.".into(),
                rule: R12,
            },
            Hint {
                text: "Mail the DHS 7869 notice at least 7 days before that appointment.".into(),
                rule: R15,
            },
        ],
    })
}

/// What the scheduling form warns of before it is submitted: the steps of the contact
/// attempts a DQ1 will need and the record does not show yet (R13: "a DQ1 will need a
/// written attempt"; R9's follow-up). Warnings, not refusals: the appointment can be made.
pub fn scheduling_warnings(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Vec<Hint> {
    attempts_readiness(facts, calendar)
        .into_iter()
        .map(|item| Hint {
            text: item.problem,
            rule: item.rule,
        })
        .collect()
}

//! What the missed-activity form (R1–R3, R5, R6, R8) and the contact-made form (R8) say
//! *before* they are submitted. The page calls these as the coach types; the server calls
//! [`check_miss`] and [`super::check`] — the checks these hints are made of — before it
//! stores anything.

use chrono::{NaiveDate, NaiveTime};

use super::attempt_form::Hint;
use super::due::{DeadlineKind, deadlines};
use super::facts::{EpisodeFacts, Trigger, TriggerKind};
use super::progress::adjust_plan_in_time;
use super::transition::{Refusal, Transition, check};
use crate::calendar::BusinessCalendar;
use crate::deadlines::{adjust_plan_contact_by, missed_pe_call_by};
use crate::rules::{R3, R8, R12, R15};
use crate::words::due_date;

/// The longest "what was missed" accepted, in characters.
pub const MAX_WHAT_CHARS: usize = 200;

/// R1: whether a miss can open an episode on `today`: it has happened (not in the future) and
/// says what was missed.
pub fn check_miss(trigger: &Trigger, today: NaiveDate) -> Result<(), Refusal> {
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
    Ok(())
}

/// "9:10 am".
fn clock_time(time: NaiveTime) -> String {
    time.format("%-I:%M %P").to_string()
}

/// The feedback for a miss as entered so far: when first contact is due (R2; R5 for a
/// contractor's report, R6 for a pattern of noncooperation), the R3 call for a missed JOBS
/// appointment with its time, and the last day contact lets the plan be adjusted (R8).
pub fn miss_hints(
    trigger: &Trigger,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<Vec<Hint>, Refusal> {
    check_miss(trigger, today)?;
    let mut hints = Vec::new();
    if let (TriggerKind::MissedJobsAppointment, Some(at)) = (trigger.kind, trigger.at) {
        let call_by = missed_pe_call_by(trigger.on.and_time(at));
        hints.push(Hint {
            text: format!(
                "Call by {} — within 10 minutes of the missed appointment time.",
                clock_time(call_by.time())
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
    if trigger.kind != TriggerKind::PatternOfNoncooperation
        && let Ok(by) = adjust_plan_contact_by(trigger.on, calendar)
    {
        hints.push(Hint {
            text: format!(
                "Contact made by {} lets you adjust the plan instead of a re-engagement appointment.",
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
    /// R8: contact within two business days of the miss — the plan can be adjusted and the
    /// episode closes as re-engaged.
    pub in_time: bool,
    pub hints: Vec<Hint>,
}

/// R8: the feedback for contact made on `on` — within two business days of the miss, adjust
/// the plan and close as re-engaged; later, what the policy requires instead (a re-engagement
/// appointment with its notice, R12, R15). A date the server would refuse is the refusal.
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
    let by = adjust_plan_contact_by(facts.trigger.on, calendar)
        .map(|by| due_date(by, today))
        .unwrap_or_default();
    if adjust_plan_in_time(facts, on, calendar) {
        return Ok(ContactAdvice {
            in_time: true,
            hints: vec![Hint {
                text: format!(
                    "Within 2 business days of the miss (by {by}): adjust the plan with the participant; the episode closes as re-engaged, with no re-engagement appointment."
                ),
                rule: R8,
            }],
        });
    }
    Ok(ContactAdvice {
        in_time: false,
        hints: vec![
            Hint {
                text: format!(
                    "More than 2 business days after the miss (the last day was {by}): the plan cannot simply be adjusted."
                ),
                rule: R8,
            },
            Hint {
                text: "Record the contact, then schedule a re-engagement appointment.".into(),
                rule: R12,
            },
            Hint {
                text: "Mail the DHS 7869 notice at least 7 days before that appointment.".into(),
                rule: R15,
            },
        ],
    })
}

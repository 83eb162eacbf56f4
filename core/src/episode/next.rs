//! The next action on an episode, in plain words: "Call Ms. Smith by Monday, November 30 —
//! first contact after the missed orientation".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::due::{DeadlineKind, deadlines};
use super::facts::{AttemptOutcome, DecisionOutcome, EpisodeFacts, ReportedBy, TriggerKind};
use super::progress::{invite_on, second_unsuccessful_on, written_and_other};
use super::readiness::{confirmations_needed, dq1_readiness, post_dq1_checklist};
use super::stage::{Stage, stage};
use crate::calendar::BusinessCalendar;
use crate::deadlines::missed_pe_call_by;
use crate::notice::{earliest_appointment_for_mailing, notice_mail_by, pickup_words};
use crate::rules::{
    R2, R3, R5, R6, R7, R8, R11, R12, R13, R14, R15, R17, R18, R23, R25, R26, R27, RuleId,
};
use crate::words::{due_date, long_date};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextAction {
    pub text: String,
    pub rule: RuleId,
    /// The day it is due by, where there is one.
    pub due: Option<NaiveDate>,
}

fn action(text: String, rule: RuleId, due: Option<NaiveDate>) -> NextAction {
    NextAction { text, rule, due }
}

/// What to do next on the episode, as of `today`.
pub fn next_action(
    facts: &EpisodeFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> NextAction {
    let who = &facts.participant;
    let open = |kind: DeadlineKind| {
        deadlines(facts, today, calendar)
            .into_iter()
            .find(|d| d.kind == kind && d.is_open())
    };
    match stage(facts, today, calendar) {
        Stage::Missed => {
            let trigger = &facts.trigger;
            // R3: any missed appointment with a known time, the coach's own too.
            if let (true, Some(at), true) = (trigger.kind.is_appointment(), trigger.at, today == trigger.on) {
                let call_by = missed_pe_call_by(trigger.on.and_time(at));
                return action(
                    format!("Call {who} by {} — within 10 minutes of the missed {}", call_by.format("%-I:%M %P"), trigger.what),
                    R3,
                    Some(trigger.on),
                );
            }
            let verb = if trigger.kind == TriggerKind::PatternOfNoncooperation || trigger.reported_by == ReportedBy::Contractor { "Contact" } else { "Call" };
            let rule = match (trigger.kind, trigger.reported_by) {
                (TriggerKind::PatternOfNoncooperation, _) => R6,
                (_, ReportedBy::Contractor) => R5,
                _ => R2,
            };
            match open(DeadlineKind::FirstContact) {
                Some(deadline) => action(
                    format!("{verb} {who} by {} — first contact after the missed {}", due_date(deadline.due, today), trigger.what),
                    rule,
                    Some(deadline.due),
                ),
                None => action(format!("{verb} {who} — first contact after the missed {}", trigger.what), rule, None),
            }
        }
        Stage::AttemptingContact => {
            let last = facts.attempts.last();
            match last.map(|a| a.outcome) {
                Some(AttemptOutcome::AddressInvalid) if !facts.missing_info.iter().any(|m| m.kind == super::facts::MissingInfoKind::AddressVerification) => {
                    return action(format!("Send a missing-information request in ONE to verify {who}'s address"), R11, None);
                }
                Some(AttemptOutcome::PhoneNotInService) => {
                    return action(format!("Visit {who} in person — the phone number is not in service"), R7, None);
                }
                _ => {}
            }
            if let Some(deadline) = open(DeadlineKind::FollowUp) {
                return action(format!("Follow up with {who} by {} — {}", due_date(deadline.due, today), deadline.why), deadline.rule, Some(deadline.due));
            }
            if !written_and_other(facts) {
                let has_written = facts.attempts.iter().any(|a| a.unsuccessful() && a.method.is_written());
                let text = if !has_written {
                    format!("Send {who} a letter, note or postcard — one attempt in writing (R13: a DQ1 will need it)")
                } else {
                    format!("Try {who} by phone, e-mail or a visit — one attempt in another way than writing")
                };
                let rule = if second_unsuccessful_on(facts).is_none() { R14 } else { R13 };
                return action(text, rule, None);
            }
            let invite = invite_on(facts, calendar);
            action(
                match invite {
                    Some(day) => format!("Wait for {who}'s reply until {}; then invite to a re-engagement appointment", due_date(day, today)),
                    None => format!("Wait for {who}'s reply; then invite to a re-engagement appointment"),
                },
                R12,
                invite,
            )
        }
        Stage::ContactMade => match &facts.contact_made {
            Some(contact) if contact.plan_adjusted => action(format!("Re-engaged: {who}'s plan was adjusted. Nothing more is due."), R8, None),
            _ => action(format!("Adjust {who}'s plan with the agreed updated plan; if they do not agree to one, schedule a re-engagement appointment"), R8, None),
        },
        Stage::InviteToReengagement => {
            let earliest = earliest_appointment_for_mailing(today, calendar).ok();
            let from = earliest.map(|d| format!(" on {} or later", due_date(d, today))).unwrap_or_default();
            let due = open(DeadlineKind::Invite).map(|d| d.due);
            action(format!("Schedule {who}'s re-engagement appointment{from} — no reply 3 business days after the second attempt"), R12, due)
        }
        Stage::AppointmentScheduled => {
            let Some(appointment) = &facts.appointment else {
                return action(format!("Schedule {who}'s re-engagement appointment"), R12, None);
            };
            match (appointment.notice_mailed_on, notice_mail_by(appointment.on, calendar)) {
                (None, Ok(due)) if due >= today => action(format!("Mail the DHS 7869 notice to {who} by {}{}", due_date(due, today), pickup_words(calendar)), R15, Some(due)),
                (None, _) => {
                    let earliest = earliest_appointment_for_mailing(today, calendar).map(|d| due_date(d, today)).unwrap_or_default();
                    action(format!("The DHS 7869 notice is too late for the appointment on {}: reschedule it to {earliest} or later", long_date(appointment.on)), R15, None)
                }
                (Some(_), _) => action(format!("Hold the re-engagement appointment and case review with {who} on {}", due_date(appointment.on, today)), R17, Some(appointment.on)),
            }
        }
        Stage::Staffing => {
            let missing: Vec<_> = facts.outstanding_missing_info().map(|m| m.description.as_str()).collect();
            if !missing.is_empty() {
                return action(format!("Gather the missing information before the team decides: {}", missing.join("; ")), R17, None);
            }
            match &facts.staffing {
                None => action(format!("Hold the staffing for {who} with at least three department staff"), R18, None),
                Some(staffing) if confirmations_needed(staffing) > 0 => action(
                    format!("Each department member of {who}'s staffing confirms being present with their own sign-in ({} more), then the team decides", confirmations_needed(staffing)),
                    R18,
                    None,
                ),
                Some(_) => action(format!("Record the team's decision for {who}"), R23, None),
            }
        }
        Stage::Decided => match facts.decision.as_ref().map(|d| d.outcome) {
            Some(DecisionOutcome::Dq1) => match dq1_readiness(facts, calendar).into_iter().next() {
                Some(unmet) => action(format!("Before the DQ1 is finalized: {}", unmet.problem), unmet.rule, None),
                None => action("Finalize the DQ1 — an operations manager or lead worker who sat on the staffing and confirmed it".to_owned(), R26, None),
            },
            Some(DecisionOutcome::GoodCause) => action(format!("Closed: good cause, no disqualification. Record it in {who}'s Engagement narrative."), R25, None),
            _ => action(format!("Closed: {who} re-engaged with a new plan. Record it in the Engagement narrative."), R25, None),
        },
        Stage::Finalized => match post_dq1_checklist(facts).into_iter().find(|(_, done)| !done) {
            Some((step, _)) => action(format!("After the DQ1: {step}"), R27, None),
            None => action(format!("Keep trying to engage {who} in services"), R27, None),
        },
    }
}

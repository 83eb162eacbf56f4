//! The stage of an episode (docs/rules.md), derived from its facts, never typed in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::{DecisionOutcome, EpisodeFacts};
use super::progress::{invite_on, plan_adjusted};
use crate::calendar::BusinessCalendar;

/// The eight stages of a re-engagement episode, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Stage {
    /// R1–R6: the miss is recorded; the first contact attempt is due.
    Missed,
    /// R7–R11: attempts logged, waiting for replies.
    AttemptingContact,
    /// R8: contact made; adjust the plan (the episode closes as re-engaged) — at any time
    /// before a decision.
    ContactMade,
    /// R12–R14: attempts exhausted; schedule the re-engagement appointment.
    InviteToReengagement,
    /// R15, R16: appointment scheduled; the DHS 7869 notice to mail on time.
    AppointmentScheduled,
    /// R17–R22: the case review.
    Staffing,
    /// R23–R25: the team decided.
    Decided,
    /// R26, R27: DQ1 finalized.
    Finalized,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Self::Missed,
        Self::AttemptingContact,
        Self::ContactMade,
        Self::InviteToReengagement,
        Self::AppointmentScheduled,
        Self::Staffing,
        Self::Decided,
        Self::Finalized,
    ];

    /// The stages an episode at `self` goes through, in order, for a step indicator: a
    /// contact made (R8) ends the episode there; otherwise it runs to staffing and a
    /// decision, and a DQ1 to its finalization (R26).
    pub fn path(self) -> &'static [Stage] {
        const REENGAGED: [Stage; 3] = [Stage::Missed, Stage::AttemptingContact, Stage::ContactMade];
        const REENGAGEMENT: [Stage; 7] = [
            Stage::Missed,
            Stage::AttemptingContact,
            Stage::InviteToReengagement,
            Stage::AppointmentScheduled,
            Stage::Staffing,
            Stage::Decided,
            Stage::Finalized,
        ];
        match self {
            Self::ContactMade => &REENGAGED,
            _ => &REENGAGEMENT,
        }
    }

    /// The stage's name as a coach reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Missed => "Missed",
            Self::AttemptingContact => "Attempting contact",
            Self::ContactMade => "Contact made",
            Self::InviteToReengagement => "Invite to re-engagement",
            Self::AppointmentScheduled => "Appointment scheduled",
            Self::Staffing => "Staffing",
            Self::Decided => "Decided",
            Self::Finalized => "Finalized",
        }
    }
}

/// The stage of `facts` on `today`.
pub fn stage(facts: &EpisodeFacts, today: NaiveDate, calendar: &BusinessCalendar) -> Stage {
    if facts.finalized_on.is_some() {
        return Stage::Finalized;
    }
    if facts.decision.is_some() {
        return Stage::Decided;
    }
    // R8: the plan adjusted after contact at any time before a decision: re-engaged.
    if plan_adjusted(facts) {
        return Stage::ContactMade;
    }
    if facts.staffing.is_some() || facts.appointment.as_ref().is_some_and(|a| a.on <= today) {
        return Stage::Staffing;
    }
    if facts.appointment.is_some() {
        return Stage::AppointmentScheduled;
    }
    if facts.contact_made.is_some() {
        // R8: contact made; the plan is to be adjusted with the participant.
        return Stage::ContactMade;
    }
    if invite_on(facts, calendar).is_some_and(|day| day <= today) {
        return Stage::InviteToReengagement;
    }
    if facts.attempts.is_empty() {
        Stage::Missed
    } else {
        Stage::AttemptingContact
    }
}

/// Whether the episode has ended: re-engaged (R8, the plan adjusted after contact at any
/// time before a decision, or a new plan), good cause (R23), or a finalized DQ1.
pub fn is_closed(facts: &EpisodeFacts, _calendar: &BusinessCalendar) -> bool {
    if facts.finalized_on.is_some() {
        return true;
    }
    match &facts.decision {
        Some(decision) => decision.outcome != DecisionOutcome::Dq1,
        None => plan_adjusted(facts),
    }
}

/// R26: a DQ1 decision made and not yet finalized — it waits for an operations manager or
/// lead worker who sat on the staffing.
pub fn awaiting_finalization(facts: &EpisodeFacts) -> bool {
    facts.finalized_on.is_none()
        && facts
            .decision
            .as_ref()
            .is_some_and(|d| d.outcome == DecisionOutcome::Dq1)
}

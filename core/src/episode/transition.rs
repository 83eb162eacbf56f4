//! The changes a person can make to an episode, and the policy checks each must pass. The
//! page runs them for instant feedback; the server runs the very same checks before it
//! stores anything, and its answer is the one that counts.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::facts::{
    Attempt, AttemptOutcome, ContactMethod, Decision, DecisionOutcome, EpisodeFacts, MissingInfo,
    PostDq1Steps, Staffing, StaffingRole,
};
use super::progress::{adjust_plan_in_time, invite_on, qualifying_attempt};
use super::readiness::{
    MIN_DEPARTMENT_STAFF, ReadinessItem, dq1_decision_readiness, dq1_readiness, good_cause,
};
use super::stage::is_closed;
use crate::calendar::BusinessCalendar;
use crate::notice::{
    AppointmentProblem, MailingProblem, NoticeError, appointment_mail_by, notice_mailing,
};
use crate::rules::{R1, R2, R8, R9, R12, R13, R15, R17, R18, R19, R23, R24, R26, R30, RuleId};
use crate::words::long_date;

/// A change to an episode, as a person asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    LogAttempt(Attempt),
    /// R8: contact made, and whether the plan was adjusted with the participant.
    RecordContact {
        on: NaiveDate,
        plan_adjusted: bool,
    },
    /// R12–R16: schedule the re-engagement appointment (scheduled today), at a time of day
    /// where one is set (the DHS 7869 notice gives it).
    ScheduleAppointment {
        on: NaiveDate,
        #[serde(default)]
        at: Option<NaiveTime>,
    },
    /// R15: the DHS 7869 notice went in the mail.
    RecordNoticeMailed {
        on: NaiveDate,
    },
    AddMissingInfo(MissingInfo),
    ResolveMissingInfo {
        index: usize,
        on: NaiveDate,
    },
    RecordStaffing(Staffing),
    Decide(Decision),
    /// R26: an operations manager or lead worker who sat on the staffing finalizes a DQ1.
    FinalizeDq1 {
        on: NaiveDate,
        role: StaffingRole,
        initials: String,
    },
    /// R24: new information — the episode goes back to staffing; the decision is superseded.
    RequestNewStaffing {
        reason: String,
    },
    /// R27: the steps after a DQ1 decision (some before finalizing, some after).
    RecordPostDq1Steps(PostDq1Steps),
}

/// A change the policy does not allow, naming the rule and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum Refusal {
    #[error("{0} is in the future. Record what has happened, dated the day it happened.")]
    InTheFuture(String),
    #[error(
        "This episode is closed. If something new came to light, request a new staffing (R24)."
    )]
    Closed,
    #[error("The attempt on {} is dated before the miss on {} (R2).", long_date(*attempt), long_date(*missed))]
    AttemptBeforeMiss {
        attempt: NaiveDate,
        missed: NaiveDate,
    },
    #[error("The attempt on {} is dated before the attempt already logged on {}. Log attempts in the order they happened (R10).", long_date(*attempt), long_date(*previous))]
    AttemptOutOfOrder {
        attempt: NaiveDate,
        previous: NaiveDate,
    },
    #[error("Choose a response window of 1, 2 or 3 business days for the message left (R9).")]
    WindowRequired,
    #[error("A response window applies only to a message left (R9).")]
    WindowWithoutMessage,
    #[error("Contact on {} is dated before the miss on {} (R8).", long_date(*contact), long_date(*missed))]
    ContactBeforeMiss {
        contact: NaiveDate,
        missed: NaiveDate,
    },
    #[error("Contact was made on {}, after the 2 business days of R8: the plan cannot simply be adjusted — schedule a re-engagement appointment.", long_date(*.0))]
    TooLateToAdjust(NaiveDate),
    #[error(
        "Before a re-engagement appointment, make at least two attempts, one in writing and one in another way (R13, R14)."
    )]
    NotEnoughAttempts,
    #[error("Wait for a reply until {}: 3 business days after the second attempt (R12).", long_date(*.0))]
    InviteTooEarly(NaiveDate),
    #[error("{0}")]
    Notice(NoticeError),
    // One sentence for R15's "too soon", said alike by the form and the refusal.
    #[error("{}", AppointmentProblem::TooSoon { earliest: *earliest })]
    TooSoonForNotice { earliest: NaiveDate },
    #[error("There is no appointment yet. Schedule it before recording the notice (R15).")]
    NoAppointment,
    // One sentence for a late mailing, said alike by the notice form and the refusal.
    #[error("{}", MailingProblem::Late { mailed: *mailed, due: *due, earliest: *earliest })]
    NoticeTooLate {
        mailed: NaiveDate,
        due: NaiveDate,
        earliest: NaiveDate,
    },
    #[error("There is no missing-information item {0}.")]
    NoSuchItem(usize),
    #[error(
        "Say what information is missing, e.g. “child safety check” or “outcome of the offsite visit” (R17)."
    )]
    WhatIsMissing,
    #[error("That information was already gathered on {} (R17).", long_date(*.0))]
    AlreadyGathered(NaiveDate),
    #[error("The staffing can be held on the appointment day, {}, or later (R17).", long_date(*.0))]
    StaffingBeforeAppointment(NaiveDate),
    #[error("{0} may not be invited without an MCS 3010 release in force (R19).")]
    PartnerWithoutRelease(String),
    #[error(
        "The staffing needs at least {MIN_DEPARTMENT_STAFF} department staff; it has {0} (R18)."
    )]
    TooFewStaff(usize),
    #[error("Record the staffing before deciding (R17, R18).")]
    NoStaffing,
    #[error("No determination while information is missing: {0} (R17).")]
    MissingInformation(String),
    #[error("Good cause was found ({0}): no disqualification may be imposed (R23).")]
    GoodCauseFound(String),
    #[error(
        "Record the team's recommended engagement strategies and the PDP next steps before deciding (R30)."
    )]
    NoNextSteps,
    #[error("Only a DQ1 decision is finalized or has post-DQ1 steps (R26, R27).")]
    NotDq1,
    #[error(
        "A DQ1 is finalized by an operations manager or lead worker who sat on the staffing (R18, R26)."
    )]
    NotAFinalizer,
    #[error("The DQ1 cannot be finalized yet: {} item(s) are not done (R26).", .0.len())]
    NotReady(Vec<ReadinessItem>),
    #[error("A DQ1 may not be imposed yet: {} step(s) of due process are not done (R26). Each is listed with where to fix it.", .0.len())]
    NotReadyToDecide(Vec<ReadinessItem>),
    #[error(
        "The team has decided. To look at the case again, request a new staffing with what came to light (R24)."
    )]
    AlreadyDecided,
    #[error("The decision can be made on the staffing day, {}, or later (R17).", long_date(*.0))]
    DecisionBeforeStaffing(NaiveDate),
    #[error(
        "No good-cause question was answered yes: answer the one that gives good cause, or choose another outcome (R23)."
    )]
    NoGoodCauseFound,
    #[error(
        "The DQ1 is finalized: its recorded steps stay recorded. Steps still to do can be added (R26, R27)."
    )]
    FinalizedStepsStay,
    #[error("A new staffing needs a reason: what new information came to light (R24).")]
    ReasonRequired,
    #[error("There is no decision to review yet (R24).")]
    NothingToReview,
    #[error(
        "Say what was missed in a few words, e.g. “orientation” or “JOBS appointment (PE)” (R1)."
    )]
    WhatWasMissed,
}

impl Refusal {
    /// The unmet items of a DQ1 refused (R26), each with its rule and where it is fixed, as
    /// the page lists them.
    pub fn unmet(&self) -> Option<&[ReadinessItem]> {
        match self {
            Self::NotReady(items) | Self::NotReadyToDecide(items) => Some(items),
            _ => None,
        }
    }

    /// The rule the refusal rests on.
    pub fn rule(&self) -> Option<RuleId> {
        Some(match self {
            Self::InTheFuture(_) | Self::NoSuchItem(_) => return None,
            Self::Closed | Self::ReasonRequired | Self::NothingToReview => R24,
            Self::WhatWasMissed => R1,
            Self::AttemptBeforeMiss { .. } => R2,
            Self::AttemptOutOfOrder { .. } => crate::rules::R10,
            Self::WindowRequired | Self::WindowWithoutMessage => R9,
            Self::ContactBeforeMiss { .. } | Self::TooLateToAdjust(_) => R8,
            Self::NotEnoughAttempts => R13,
            Self::InviteTooEarly(_) => R12,
            Self::Notice(error) => error.rule(),
            Self::TooSoonForNotice { .. } | Self::NoAppointment | Self::NoticeTooLate { .. } => R15,
            Self::StaffingBeforeAppointment(_)
            | Self::NoStaffing
            | Self::MissingInformation(_)
            | Self::WhatIsMissing
            | Self::AlreadyGathered(_) => R17,
            Self::PartnerWithoutRelease(_) => R19,
            Self::TooFewStaff(_) | Self::NotAFinalizer => R18,
            Self::GoodCauseFound(_) => R23,
            Self::NoNextSteps => R30,
            Self::NotDq1
            | Self::NotReady(_)
            | Self::NotReadyToDecide(_)
            | Self::FinalizedStepsStay => R26,
            Self::AlreadyDecided => R24,
            Self::DecisionBeforeStaffing(_) => R17,
            Self::NoGoodCauseFound => R23,
        })
    }
}

fn not_after_today(what: &str, on: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if on > today {
        return Err(Refusal::InTheFuture(format!("{what} {}", long_date(on))));
    }
    Ok(())
}

/// Whether `transition` is allowed on `facts` on `today`.
pub fn check(
    facts: &EpisodeFacts,
    transition: &Transition,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<(), Refusal> {
    let closed = is_closed(facts, calendar);
    let allowed_when_closed = matches!(
        transition,
        Transition::RequestNewStaffing { .. } | Transition::RecordPostDq1Steps(_)
    );
    if closed && !allowed_when_closed {
        return Err(Refusal::Closed);
    }
    match transition {
        Transition::LogAttempt(attempt) => {
            not_after_today("The attempt date", attempt.on, today)?;
            if attempt.on < facts.trigger.on {
                return Err(Refusal::AttemptBeforeMiss {
                    attempt: attempt.on,
                    missed: facts.trigger.on,
                });
            }
            if let Some(previous) = facts.attempts.last().filter(|p| attempt.on < p.on) {
                return Err(Refusal::AttemptOutOfOrder {
                    attempt: attempt.on,
                    previous: previous.on,
                });
            }
            match (attempt.outcome, attempt.response_window) {
                (AttemptOutcome::MessageLeft, None)
                    if matches!(attempt.method, ContactMethod::Phone | ContactMethod::Email) =>
                {
                    Err(Refusal::WindowRequired)
                }
                (outcome, Some(_)) if outcome != AttemptOutcome::MessageLeft => {
                    Err(Refusal::WindowWithoutMessage)
                }
                _ => Ok(()),
            }
        }
        Transition::RecordContact { on, plan_adjusted } => {
            not_after_today("The contact date", *on, today)?;
            if *on < facts.trigger.on {
                return Err(Refusal::ContactBeforeMiss {
                    contact: *on,
                    missed: facts.trigger.on,
                });
            }
            if *plan_adjusted && !adjust_plan_in_time(facts, *on, calendar) {
                return Err(Refusal::TooLateToAdjust(*on));
            }
            Ok(())
        }
        Transition::ScheduleAppointment { on, .. } => {
            let late_contact = facts
                .contact_made
                .as_ref()
                .is_some_and(|c| !adjust_plan_in_time(facts, c.on, calendar));
            if !late_contact {
                if qualifying_attempt(facts).is_none() {
                    return Err(Refusal::NotEnoughAttempts);
                }
                if let Some(invite) = invite_on(facts, calendar).filter(|day| today < *day) {
                    return Err(Refusal::InviteTooEarly(invite));
                }
            }
            match appointment_mail_by(*on, today, calendar) {
                Ok(_) => Ok(()),
                Err(AppointmentProblem::Notice(error)) => Err(Refusal::Notice(error)),
                Err(AppointmentProblem::TooSoon { earliest }) => {
                    Err(Refusal::TooSoonForNotice { earliest })
                }
            }
        }
        Transition::RecordNoticeMailed { on } => {
            not_after_today("The mailing date", *on, today)?;
            let appointment = facts.appointment.as_ref().ok_or(Refusal::NoAppointment)?;
            match notice_mailing(*on, appointment.on, calendar) {
                Ok(_) => Ok(()),
                Err(MailingProblem::Notice(error)) => Err(Refusal::Notice(error)),
                Err(MailingProblem::Late {
                    mailed,
                    due,
                    earliest,
                }) => Err(Refusal::NoticeTooLate {
                    mailed,
                    due,
                    earliest,
                }),
            }
        }
        Transition::AddMissingInfo(item) => {
            not_after_today("The request date", item.requested_on, today)?;
            if item.description.trim().is_empty() {
                return Err(Refusal::WhatIsMissing);
            }
            Ok(())
        }
        Transition::ResolveMissingInfo { index, on } => {
            not_after_today("The date", *on, today)?;
            let item = facts
                .missing_info
                .get(*index)
                .ok_or(Refusal::NoSuchItem(*index))?;
            match item.resolved_on {
                Some(gathered) => Err(Refusal::AlreadyGathered(gathered)),
                None => Ok(()),
            }
        }
        Transition::RecordStaffing(staffing) => {
            not_after_today("The staffing date", staffing.held_on, today)?;
            if facts.decision.is_some() {
                return Err(Refusal::AlreadyDecided);
            }
            if let Some(appointment) = facts
                .appointment
                .as_ref()
                .filter(|a| staffing.held_on < a.on)
            {
                return Err(Refusal::StaffingBeforeAppointment(appointment.on));
            }
            if let Some(partner) = staffing.partners_without_release().next() {
                return Err(Refusal::PartnerWithoutRelease(partner.name.clone()));
            }
            Ok(())
        }
        Transition::Decide(decision) => {
            not_after_today("The decision date", decision.decided_on, today)?;
            if facts.decision.is_some() {
                return Err(Refusal::AlreadyDecided);
            }
            let staffing = facts.staffing.as_ref().ok_or(Refusal::NoStaffing)?;
            if decision.decided_on < staffing.held_on {
                return Err(Refusal::DecisionBeforeStaffing(staffing.held_on));
            }
            if decision.outcome == DecisionOutcome::Dq1 {
                // R26: every step of due process, listed as the page lists it.
                let unmet = dq1_decision_readiness(&apply(facts, transition, today), calendar);
                if !unmet.is_empty() {
                    return Err(Refusal::NotReadyToDecide(unmet));
                }
                return Ok(());
            }
            let department = staffing.department_staff();
            if department < MIN_DEPARTMENT_STAFF {
                return Err(Refusal::TooFewStaff(department));
            }
            if staffing.recommended_strategies.is_empty() || staffing.pdp_next_steps.is_empty() {
                return Err(Refusal::NoNextSteps);
            }
            let missing: Vec<_> = facts
                .outstanding_missing_info()
                .map(|m| m.description.clone())
                .collect();
            if !missing.is_empty() {
                return Err(Refusal::MissingInformation(missing.join("; ")));
            }
            if decision.outcome == DecisionOutcome::GoodCause
                && !good_cause(facts, decision.decided_on).found()
            {
                return Err(Refusal::NoGoodCauseFound);
            }
            Ok(())
        }
        Transition::FinalizeDq1 { on, role, initials } => {
            not_after_today("The finalization date", *on, today)?;
            if facts.decision.as_ref().map(|d| d.outcome) != Some(DecisionOutcome::Dq1) {
                return Err(Refusal::NotDq1);
            }
            let sat = facts.staffing.as_ref().is_some_and(|s| {
                s.members
                    .iter()
                    .any(|m| m.role == *role && m.initials.eq_ignore_ascii_case(initials))
            });
            if !matches!(
                role,
                StaffingRole::OperationsManager | StaffingRole::LeadWorker
            ) || !sat
            {
                return Err(Refusal::NotAFinalizer);
            }
            let unmet = dq1_readiness(facts, calendar);
            if !unmet.is_empty() {
                return Err(Refusal::NotReady(unmet));
            }
            Ok(())
        }
        Transition::RecordPostDq1Steps(steps) => {
            if facts.decision.as_ref().map(|d| d.outcome) != Some(DecisionOutcome::Dq1) {
                return Err(Refusal::NotDq1);
            }
            if facts.finalized_on.is_some() && !steps.keeps(&facts.post_dq1) {
                return Err(Refusal::FinalizedStepsStay);
            }
            Ok(())
        }
        Transition::RequestNewStaffing { reason } => {
            if reason.trim().is_empty() {
                return Err(Refusal::ReasonRequired);
            }
            if facts.decision.is_none() {
                return Err(Refusal::NothingToReview);
            }
            Ok(())
        }
    }
}

/// The facts after `transition`, once `check` allowed it; `today` dates what it records.
pub fn apply(facts: &EpisodeFacts, transition: &Transition, today: NaiveDate) -> EpisodeFacts {
    let mut next = facts.clone();
    match transition {
        Transition::LogAttempt(attempt) => next.attempts.push(attempt.clone()),
        Transition::RecordContact { on, plan_adjusted } => {
            next.contact_made = Some(super::facts::ContactMade {
                on: *on,
                plan_adjusted: *plan_adjusted,
            });
        }
        Transition::ScheduleAppointment { on, at } => {
            next.appointment = Some(super::facts::Appointment {
                on: *on,
                at: *at,
                scheduled_on: today,
                notice_mailed_on: None,
            });
        }
        Transition::RecordNoticeMailed { on } => {
            if let Some(appointment) = &mut next.appointment {
                appointment.notice_mailed_on = Some(*on);
            }
        }
        Transition::AddMissingInfo(item) => next.missing_info.push(item.clone()),
        Transition::ResolveMissingInfo { index, on } => {
            if let Some(item) = next.missing_info.get_mut(*index) {
                item.resolved_on = Some(*on);
            }
        }
        Transition::RecordStaffing(staffing) => next.staffing = Some(staffing.clone()),
        Transition::Decide(decision) => next.decision = Some(decision.clone()),
        Transition::FinalizeDq1 { on, .. } => next.finalized_on = Some(*on),
        Transition::RecordPostDq1Steps(steps) => next.post_dq1 = steps.clone(),
        Transition::RequestNewStaffing { .. } => {
            // R24: a new review and a new determination; the steps after a DQ1 follow the
            // new decision, not the superseded one.
            next.decision = None;
            next.finalized_on = None;
            next.staffing = None;
            next.post_dq1 = PostDq1Steps::default();
        }
    }
    next
}

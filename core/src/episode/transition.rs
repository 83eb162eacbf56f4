//! The changes a person can make to an episode, and the policy checks each must pass. The
//! page runs them for instant feedback; the server runs the very same checks before it
//! stores anything, and its answer is the one that counts.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::facts::{
    Attempt, AttemptOutcome, ContactMethod, DecidedBy, Decision, DecisionOutcome, EpisodeFacts,
    MissingInfo, PostDq1Steps, Staffing, StaffingRole,
};
use super::progress::{invite_on, second_unsuccessful_on};
use super::readiness::{
    MIN_DEPARTMENT_STAFF, ReadinessItem, dq1_decision_readiness, dq1_readiness, good_cause,
};
use super::stage::is_closed;
use crate::calendar::BusinessCalendar;
use crate::notice::{
    AppointmentProblem, MailingProblem, NoticeError, appointment_mail_by, notice_mailing,
};
use crate::rules::{R1, R2, R5, R8, R9, R12, R14, R15, R17, R18, R19, R23, R24, R26, R30, RuleId};
use crate::words::long_date;

/// The longest reason for good cause given by the case manager (R23), in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

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
    /// R17–R20, R23, R30: the staffing as recorded. Confirmations of presence stand while the
    /// team and its day stay the same; a change to the team clears them.
    RecordStaffing(Staffing),
    /// R18: a department member of the staffing (`staff_id`, the signed-in person — never
    /// someone else) confirms "I was present".
    ConfirmPresence {
        staff_id: i64,
        on: NaiveDate,
    },
    /// R23–R25: the team's decision.
    Decide(Decision),
    /// R23: the case manager gives good cause alone, at any stage before a decision, with its
    /// reason — no staffing needed (policy 004). The episode closes with no disqualification.
    GiveGoodCause {
        on: NaiveDate,
        reason: String,
    },
    /// R26: an operations manager or lead worker who sat on the staffing and confirmed it
    /// (`staff_id`, the signed-in person) finalizes a DQ1.
    FinalizeDq1 {
        on: NaiveDate,
        staff_id: i64,
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
    #[error(
        "This episode is closed: the participant re-engaged with an adjusted plan (R8). A new miss opens a new episode: record it as a missed activity (R1)."
    )]
    ClosedReengaged,
    #[error("The attempt on {} is dated before the miss on {} (R2).", long_date(*attempt), long_date(*missed))]
    AttemptBeforeMiss {
        attempt: NaiveDate,
        missed: NaiveDate,
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
    #[error(
        "Before a re-engagement appointment, make at least two contact attempts that did not reach the participant (R14)."
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
        "The staffing needs at least {MIN_DEPARTMENT_STAFF} department staff picked from the branch's list; it has {0} (R18). Someone without an account of the branch is named, but does not count."
    )]
    TooFewStaff(usize),
    #[error("{0} is on the team twice: list each person once (R18).")]
    MemberTwice(String),
    #[error(
        "Only a department member of this staffing, picked from the branch's list, confirms being present. Ask whoever records the staffing to add you (R18)."
    )]
    NotOnTheTeam,
    #[error("You confirmed you were present on {} already (R18).", long_date(*.0))]
    AlreadyConfirmed(NaiveDate),
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
        "A DQ1 is finalized by an operations manager or lead worker who sat on the staffing and confirmed being present with their own sign-in (R18, R26)."
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
    #[error(
        "A miss the participant called ahead about is not the start of re-engagement: no episode is opened. Talk with them about the plan and reschedule the activity (R1)."
    )]
    CalledAhead,
    #[error("The contractor became aware on {}, before the miss on {}: give the day of its report, on or after the miss (R5).", long_date(*aware), long_date(*missed))]
    AwareBeforeMiss { aware: NaiveDate, missed: NaiveDate },
    #[error(
        "The day the miss became known is a JOBS contractor's report's (R5); for the department, give the day of the miss."
    )]
    AwareOnlyForContractor,
    #[error(
        "Say why there is good cause, in at most 2,000 characters: it is recorded and narrated (R23)."
    )]
    GoodCauseReason,
    #[error("Good cause is dated on or after the miss on {} (R23).", long_date(*.0))]
    GoodCauseBeforeMiss(NaiveDate),
    #[error(
        "A team decision is recorded with the staffing; good cause given by the case manager alone is its own step (R23)."
    )]
    NotATeamDecision,
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
            Self::WhatWasMissed | Self::CalledAhead | Self::ClosedReengaged => R1,
            Self::AwareBeforeMiss { .. } | Self::AwareOnlyForContractor => R5,
            Self::AttemptBeforeMiss { .. } => R2,
            Self::WindowRequired | Self::WindowWithoutMessage => R9,
            Self::ContactBeforeMiss { .. } => R8,
            Self::NotEnoughAttempts => R14,
            Self::InviteTooEarly(_) => R12,
            Self::Notice(error) => error.rule(),
            Self::TooSoonForNotice { .. } | Self::NoAppointment | Self::NoticeTooLate { .. } => R15,
            Self::StaffingBeforeAppointment(_)
            | Self::NoStaffing
            | Self::MissingInformation(_)
            | Self::WhatIsMissing
            | Self::AlreadyGathered(_) => R17,
            Self::PartnerWithoutRelease(_) => R19,
            Self::TooFewStaff(_)
            | Self::NotAFinalizer
            | Self::MemberTwice(_)
            | Self::NotOnTheTeam
            | Self::AlreadyConfirmed(_) => R18,
            Self::GoodCauseFound(_)
            | Self::GoodCauseReason
            | Self::GoodCauseBeforeMiss(_)
            | Self::NotATeamDecision => R23,
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
        // The fix each refusal names must be one that is accepted: a new staffing reviews a
        // decision; an episode closed by an adjusted plan has none, and a new miss opens anew.
        return Err(if facts.decision.is_some() {
            Refusal::Closed
        } else {
            Refusal::ClosedReengaged
        });
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
            // R10: an earlier attempt entered late takes its place by its date.
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
        Transition::RecordContact { on, .. } => {
            // R8: contact at any time before the decision lets the plan be adjusted; the two
            // business days are a timeliness target, not a gate.
            not_after_today("The contact date", *on, today)?;
            if facts.decision.is_some() {
                return Err(Refusal::AlreadyDecided);
            }
            if *on < facts.trigger.on {
                return Err(Refusal::ContactBeforeMiss {
                    contact: *on,
                    missed: facts.trigger.on,
                });
            }
            Ok(())
        }
        Transition::ScheduleAppointment { on, .. } => {
            if facts.decision.is_some() {
                return Err(Refusal::AlreadyDecided);
            }
            // R14, R12: without contact, two unsuccessful attempts and three business days
            // without a reply after the second. R13 (one of them in writing) is not asked
            // here: the form warns that a DQ1 will need it (`scheduling_warnings`).
            if facts.contact_made.is_none() {
                if second_unsuccessful_on(facts).is_none() {
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
            match notice_mailing(*on, appointment.on, today, calendar) {
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
            for (index, member) in staffing.members.iter().enumerate() {
                let twice = staffing.members[..index].iter().any(|earlier| {
                    match (earlier.staff_id, member.staff_id) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => earlier.initials.eq_ignore_ascii_case(&member.initials),
                        _ => false,
                    }
                });
                if twice {
                    return Err(Refusal::MemberTwice(member.initials.clone()));
                }
            }
            if let Some(partner) = staffing.partners_without_release().next() {
                return Err(Refusal::PartnerWithoutRelease(partner.name.clone()));
            }
            Ok(())
        }
        Transition::ConfirmPresence { staff_id, on } => {
            not_after_today("The confirmation date", *on, today)?;
            let staffing = facts.staffing.as_ref().ok_or(Refusal::NoStaffing)?;
            let member = staffing
                .members
                .iter()
                .find(|m| m.staff_id == Some(*staff_id) && m.counts_toward_three())
                .ok_or(Refusal::NotOnTheTeam)?;
            match member.confirmed_on {
                Some(day) => Err(Refusal::AlreadyConfirmed(day)),
                None => Ok(()),
            }
        }
        Transition::Decide(decision) => {
            not_after_today("The decision date", decision.decided_on, today)?;
            if facts.decision.is_some() {
                return Err(Refusal::AlreadyDecided);
            }
            if decision.by != DecidedBy::Team {
                return Err(Refusal::NotATeamDecision);
            }
            let staffing = facts.staffing.as_ref().ok_or(Refusal::NoStaffing)?;
            if decision.decided_on < staffing.held_on {
                return Err(Refusal::DecisionBeforeStaffing(staffing.held_on));
            }
            if decision.outcome == DecisionOutcome::Dq1 {
                // R26: every step of due process, listed as the page lists it — among them
                // three department members who confirmed their presence (R18).
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
        Transition::GiveGoodCause { on, reason } => {
            not_after_today("The day of good cause", *on, today)?;
            if facts.decision.is_some() {
                return Err(Refusal::AlreadyDecided);
            }
            if *on < facts.trigger.on {
                return Err(Refusal::GoodCauseBeforeMiss(facts.trigger.on));
            }
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
                return Err(Refusal::GoodCauseReason);
            }
            Ok(())
        }
        Transition::FinalizeDq1 { on, staff_id } => {
            not_after_today("The finalization date", *on, today)?;
            if facts.decision.as_ref().map(|d| d.outcome) != Some(DecisionOutcome::Dq1) {
                return Err(Refusal::NotDq1);
            }
            // R18, R26: matched by account — an operations manager or lead worker of the
            // team who confirmed being present.
            let finalizer = facts.staffing.as_ref().is_some_and(|s| {
                s.members.iter().any(|m| {
                    m.staff_id == Some(*staff_id)
                        && m.confirmed()
                        && matches!(
                            m.role,
                            StaffingRole::OperationsManager | StaffingRole::LeadWorker
                        )
                })
            });
            if !finalizer {
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
        // R10: in the order of their days, an earlier one entered late among them.
        Transition::LogAttempt(attempt) => {
            let at = facts.attempt_position(attempt.on);
            next.attempts.insert(at, attempt.clone());
        }
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
        Transition::RecordStaffing(staffing) => {
            // R18: confirmations stand while the team and its day are the same; a change to
            // the team clears them. A request never brings its own.
            let kept = facts
                .staffing
                .as_ref()
                .filter(|before| before.same_team(staffing));
            let mut staffing = staffing.clone();
            for member in &mut staffing.members {
                member.confirmed_on = kept.and_then(|before| {
                    before
                        .members
                        .iter()
                        .find(|m| m.staff_id.is_some() && m.staff_id == member.staff_id)
                        .and_then(|m| m.confirmed_on)
                });
            }
            next.staffing = Some(staffing);
        }
        Transition::ConfirmPresence { staff_id, on } => {
            if let Some(member) = next
                .staffing
                .as_mut()
                .and_then(|s| s.members.iter_mut().find(|m| m.staff_id == Some(*staff_id)))
            {
                member.confirmed_on = Some(*on);
            }
        }
        Transition::Decide(decision) => next.decision = Some(decision.clone()),
        Transition::GiveGoodCause { on, reason } => {
            next.decision = Some(Decision {
                outcome: DecisionOutcome::GoodCause,
                decided_on: *on,
                by: DecidedBy::CaseManager {
                    reason: reason.trim().to_owned(),
                },
            });
        }
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

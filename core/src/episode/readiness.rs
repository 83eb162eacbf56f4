//! The DQ1 guardrail (docs/rules.md, R26), good cause (R23), and the post-DQ1 steps (R27).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::{BarrierArea, EpisodeFacts, Exemption, Staffing, StaffingRole};
use super::progress::{first_message, follow_up_after, invite_on, written_and_other};
use crate::calendar::BusinessCalendar;
use crate::notice::{notice_mail_by, notice_on_time};
use crate::rules::{R9, R12, R13, R14, R15, R17, R18, R19, R20, R23, R27, R30, RuleId};
use crate::words::long_date;

/// R18: the smallest staffing team of department staff or designees.
pub const MIN_DEPARTMENT_STAFF: usize = 3;

/// Where on the episode page an unmet item is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FixAt {
    Attempts,
    Appointment,
    Staffing,
    MissingInfo,
    BarrierReview,
    GoodCause,
    /// R30: the team's recommended strategies and the PDP next steps.
    NextSteps,
    PostDq1,
}

/// One unmet item of the DQ1 guardrail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadinessItem {
    pub rule: RuleId,
    /// What is missing, in a sentence a supervisor understands.
    pub problem: String,
    pub fix_at: FixAt,
}

fn item(rule: RuleId, fix_at: FixAt, problem: impl Into<String>) -> ReadinessItem {
    ReadinessItem {
        rule,
        problem: problem.into(),
        fix_at,
    }
}

/// R23: why the team must find good cause, or which questions are still open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoodCause {
    /// Each reason that gives good cause, in words.
    pub reasons: Vec<String>,
    /// The questions not yet answered.
    pub unanswered: Vec<String>,
}

impl GoodCause {
    pub fn found(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// R23: the exemption periods that overlap the episode, from the miss through `through` —
/// "exempt during any time prior to or at the time of the re-engagement process".
pub fn overlapping_exemptions(facts: &EpisodeFacts, through: NaiveDate) -> Vec<&Exemption> {
    facts
        .exemptions
        .iter()
        .filter(|e| e.overlaps(facts.trigger.on, through))
        .collect()
}

/// R23: good cause from the staffing's answers and the exemptions that overlap the episode
/// (from the miss through `through`), dates in the pages' words.
pub fn good_cause(facts: &EpisodeFacts, through: NaiveDate) -> GoodCause {
    good_cause_dated(facts, through, long_date)
}

/// R23: [`good_cause`] with its dates written by `date` (a narrative's mm/dd/yyyy).
pub fn good_cause_dated(
    facts: &EpisodeFacts,
    through: NaiveDate,
    date: fn(NaiveDate) -> String,
) -> GoodCause {
    let mut result = GoodCause::default();
    if let Some(exemption) = overlapping_exemptions(facts, through).first() {
        result.reasons.push(match exemption.to {
            Some(to) => format!("exempt from {} to {}", date(exemption.from), date(to)),
            None => format!("exempt since {}", date(exemption.from)),
        });
    }
    let answers = facts
        .staffing
        .as_ref()
        .map(|s| s.good_cause.clone())
        .unwrap_or_default();
    let questions = [
        (
            answers.exempt,
            "exempt before or during the process",
            "Was the participant exempt at any time before or during the process?",
        ),
        (
            answers.outside_control,
            "a situation outside the participant's control prevented engagement",
            "Was there a situation outside the participant's control?",
        ),
        (
            answers.household_issue,
            "an ongoing household issue prevented engagement",
            "Did an ongoing household issue (active DV in the last 6 months, mental health, substance use, learning needs, physical health) prevent engagement?",
        ),
        (
            answers.department_failed,
            "the department did not provide assistance or reasonable accommodation",
            "Did the department fail to provide assistance or reasonable accommodation?",
        ),
    ];
    for (answer, reason, question) in questions {
        match answer {
            Some(true) => result.reasons.push(reason.to_owned()),
            Some(false) => {}
            None => result.unanswered.push(question.to_owned()),
        }
    }
    result
}

/// R27: the steps after a DQ1 decision, with whether each is recorded.
pub fn post_dq1_checklist(facts: &EpisodeFacts) -> Vec<(&'static str, bool)> {
    let steps = &facts.post_dq1;
    vec![
        (
            "PDP shows an RE step dated the re-engagement day with 1 hour attendance",
            steps.re_step_recorded,
        ),
        (
            "A copy of the updated PDP given to the participant",
            steps.pdp_copy_to_participant,
        ),
        (
            "“DQ1 – JOBS Disqualification” selected on the TRACS Re-engagement page",
            steps.dq1_selected_on_page,
        ),
        ("ONE case note documenting the DQ1", steps.one_case_note),
        (
            "State Family Pre-SSI Program and Family Support and Connections offered",
            steps.resources_offered,
        ),
        (
            "The TRACS Re-engagement page finalized",
            steps.page_finalized,
        ),
    ]
}

/// R18: how many more department staff (accounts of the branch) the staffing needs (0 when
/// it has enough).
pub fn department_staff_needed(staffing: &Staffing) -> usize {
    MIN_DEPARTMENT_STAFF.saturating_sub(staffing.department_staff())
}

/// R18, R26: how many more department members must confirm "I was present" before a DQ1 may
/// be decided or finalized (0 when enough have).
pub fn confirmations_needed(staffing: &Staffing) -> usize {
    MIN_DEPARTMENT_STAFF.saturating_sub(staffing.confirmed_department_staff())
}

/// R26: every unmet item that stops a DQ1 from being finalized, each with its rule: the
/// items of [`dq1_decision_readiness`] and the post-DQ1 steps that come before finalizing
/// (R27). Empty when a DQ1 may be finalized.
pub fn dq1_readiness(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Vec<ReadinessItem> {
    let mut unmet = dq1_decision_readiness(facts, calendar);
    push_post_dq1(facts, &mut unmet);
    unmet
}

/// R26 (policy 003, 004: "ensure all required steps have been completed before making the
/// decision to impose a disqualification"): every step of due process a DQ1 decision needs,
/// each unmet one with its rule and where it is fixed. Empty when the team may decide DQ1.
/// The good-cause questions are weighed through the decision's day where there is one, else
/// through the staffing's.
pub fn dq1_decision_readiness(
    facts: &EpisodeFacts,
    calendar: &BusinessCalendar,
) -> Vec<ReadinessItem> {
    let mut unmet = attempts_readiness(facts, calendar);

    // R12: the invitation came at least 3 business days after the second attempt — waiting
    // for a reply, which there was when contact was made.
    let waited_for_reply = facts.contact_made.is_none();
    match (invite_on(facts, calendar), &facts.appointment) {
        (_, None) => unmet.push(item(R12, FixAt::Appointment, "Schedule the re-engagement appointment.")),
        (Some(due), Some(appointment)) if waited_for_reply && appointment.scheduled_on < due => unmet.push(item(R12, FixAt::Appointment, format!(
            "The appointment was scheduled on {}, before 3 business days had passed after the second attempt ({}): reschedule it.",
            long_date(appointment.scheduled_on), long_date(due)
        ))),
        _ => {}
    }

    // R15: the notice went out at least 7 calendar days before the appointment — on or before
    // the appointment minus 7, whatever weekday it was mailed.
    if let Some(appointment) = &facts.appointment {
        match (appointment.notice_mailed_on, notice_mail_by(appointment.on, calendar)) {
            (_, Err(problem)) => unmet.push(item(R15, FixAt::Appointment, problem.to_string())),
            (None, Ok(_)) => unmet.push(item(R15, FixAt::Appointment, "Record the day the DHS 7869 notice was mailed.")),
            (Some(mailed), Ok(_)) if !notice_on_time(mailed, appointment.on) => unmet.push(item(R15, FixAt::Appointment, format!(
                "The DHS 7869 notice was mailed on {}, fewer than 7 days before the appointment on {}: reschedule it.",
                long_date(mailed), long_date(appointment.on)
            ))),
            _ => {}
        }
    }

    // R17: no determination while information is missing.
    for missing in facts.outstanding_missing_info() {
        unmet.push(item(
            R17,
            FixAt::MissingInfo,
            format!("Gather the missing information: {}.", missing.description),
        ));
    }

    let Some(staffing) = &facts.staffing else {
        unmet.push(item(
            R18,
            FixAt::Staffing,
            "Hold the staffing with at least three department staff, each confirming being present.",
        ));
        unmet.push(item(
            R20,
            FixAt::BarrierReview,
            "Review every barrier area (for the adult and the children where it applies).",
        ));
        unmet.push(item(
            R23,
            FixAt::GoodCause,
            "Answer the good-cause questions.",
        ));
        unmet.push(item(
            R30,
            FixAt::NextSteps,
            "Record the team's recommended engagement strategies and the PDP next steps.",
        ));
        return unmet;
    };

    // R18: at least three department staff — accounts of the branch — each confirming "I
    // was present" with their own sign-in. No one person can impose a DQ1.
    let department = staffing.department_staff();
    let needed = department_staff_needed(staffing);
    if needed > 0 {
        unmet.push(item(R18, FixAt::Staffing, format!(
            "The staffing had {department} department staff picked from the branch's list; at least {MIN_DEPARTMENT_STAFF} are needed ({needed} more). Someone named without an account does not count."
        )));
    }
    let to_confirm = confirmations_needed(staffing);
    if to_confirm > 0 {
        let waiting: Vec<&str> = staffing
            .members
            .iter()
            .filter(|m| m.counts_toward_three() && m.confirmed_on.is_none())
            .map(|m| m.initials.as_str())
            .collect();
        let who = if waiting.is_empty() {
            String::new()
        } else {
            format!(" Not yet confirmed: {}.", waiting.join(", "))
        };
        unmet.push(item(R18, FixAt::Staffing, format!(
            "{} department member(s) confirmed being present with their own sign-in; at least {MIN_DEPARTMENT_STAFF} must ({to_confirm} more).{who}",
            staffing.confirmed_department_staff()
        )));
    }
    // R18, R26: the operations manager or lead worker who reviews the case's technical and
    // process validity sits on the team — and finalizes the DQ1: without one, no one could
    // (one who has not confirmed yet still may, before finalizing).
    if !staffing.members.iter().any(|m| {
        m.counts_toward_three()
            && matches!(
                m.role,
                StaffingRole::OperationsManager | StaffingRole::LeadWorker
            )
    }) {
        unmet.push(item(
            R18,
            FixAt::Staffing,
            "An operations manager or lead worker sits on the team (from the branch's list): one of them, having confirmed being present, finalizes the DQ1 (R26).",
        ));
    }

    // R19: community partners only with an MCS 3010 on file.
    for partner in staffing.partners_without_release() {
        unmet.push(item(
            R19,
            FixAt::Staffing,
            format!(
                "{} took part without an MCS 3010 release in force on {}.",
                partner.name,
                long_date(staffing.held_on)
            ),
        ));
    }

    // R20: every cell of the review answered — each area for whom policy 002 reviews it;
    // where a barrier is present, the accommodations offered and whether it affected
    // participation.
    for (area, who) in BarrierArea::cells() {
        let finding = staffing
            .barrier_review
            .iter()
            .find(|f| f.area == area && f.who == who);
        match finding {
            None => unmet.push(item(
                R20,
                FixAt::BarrierReview,
                format!("Review {} for the {}.", area.label(), who.label()),
            )),
            Some(f) if f.present => {
                if !f.accommodation_recorded() {
                    unmet.push(item(
                        R20,
                        FixAt::BarrierReview,
                        format!(
                            "Record the accommodations and resources offered for {} ({}).",
                            area.label(),
                            who.label()
                        ),
                    ));
                }
                if f.affected_participation.is_none() {
                    unmet.push(item(
                        R20,
                        FixAt::BarrierReview,
                        format!(
                            "Decide whether {} affected the {}'s ability to participate.",
                            area.label(),
                            who.label()
                        ),
                    ));
                }
            }
            Some(_) => {}
        }
    }

    // R23: no good cause, every question answered.
    let through = facts
        .decision
        .as_ref()
        .map_or(staffing.held_on, |d| d.decided_on);
    let cause = good_cause(facts, through);
    for reason in &cause.reasons {
        unmet.push(item(
            R23,
            FixAt::GoodCause,
            format!("Good cause: {reason}. No disqualification may be imposed."),
        ));
    }
    for question in &cause.unanswered {
        unmet.push(item(R23, FixAt::GoodCause, format!("Answer: {question}")));
    }

    // R30: the team's recommended strategies and the PDP next steps.
    if staffing.recommended_strategies.is_empty() || staffing.pdp_next_steps.is_empty() {
        unmet.push(item(
            R30,
            FixAt::NextSteps,
            "Record the team's recommended engagement strategies and the PDP next steps.",
        ));
    }
    unmet
}

/// R9, R13, R14: the guardrail items of the contact attempts — the steps a DQ1 will need that
/// the attempts have not done yet. The scheduling form warns with them (R13 is a warning
/// there, not a refusal). Read from the attempts' days and outcomes, never their order.
pub fn attempts_readiness(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Vec<ReadinessItem> {
    let mut unmet = Vec::new();
    // R13, R14: two unsuccessful attempts, one written and one in another format.
    if !written_and_other(facts) {
        let unsuccessful = || facts.attempts.iter().filter(|a| a.unsuccessful());
        let text = if !unsuccessful().any(|a| a.method.is_written()) {
            "A DQ1 will need a written attempt (letter, note or postcard) that did not reach the participant, besides one in another way."
        } else {
            "A DQ1 will need an attempt by phone, visit or e-mail that did not reach the participant, besides the written one."
        };
        let rule = if unsuccessful().count() < 2 { R14 } else { R13 };
        unmet.push(item(rule, FixAt::Attempts, text));
    }
    // R9: after the first message left, a follow-up attempt on or after its window's end.
    if let Some((message, window_end)) = first_message(facts, calendar)
        && follow_up_after(facts, window_end).is_none()
        && facts.contact_made.is_none()
    {
        unmet.push(item(R9, FixAt::Attempts, format!(
            "A DQ1 will need a follow-up attempt on or after {}, when the response window of the message of {} ends.",
            long_date(window_end), long_date(message.on)
        )));
    }
    unmet
}

/// R27: the day the PDP's RE step is dated — the re-engagement day: the appointment's, or
/// the staffing's where there was no appointment.
pub fn re_step_day(facts: &EpisodeFacts) -> Option<NaiveDate> {
    facts
        .appointment
        .as_ref()
        .map(|a| a.on)
        .or_else(|| facts.staffing.as_ref().map(|s| s.held_on))
}

/// R27: the steps that come before the Re-engagement page is finalized (policy 003: the PDP
/// RE step and DQ1 selected on the page; the ONE case note and resources follow it).
fn push_post_dq1(facts: &EpisodeFacts, unmet: &mut Vec<ReadinessItem>) {
    if !facts.post_dq1.re_step_recorded {
        let dated = re_step_day(facts)
            .map(|day| format!("dated {}", long_date(day)))
            .unwrap_or_else(|| "dated the re-engagement day".to_owned());
        unmet.push(item(
            R27,
            FixAt::PostDq1,
            format!("Record the RE step on the PDP, {dated}, with 1 hour attendance."),
        ));
    }
    if !facts.post_dq1.dq1_selected_on_page {
        unmet.push(item(
            R27,
            FixAt::PostDq1,
            "Select “DQ1 – JOBS Disqualification” on the TRACS Re-engagement page.",
        ));
    }
}

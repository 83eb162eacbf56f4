//! The DQ1 guardrail (DESIGN.md §4, R26), good cause (R23), and the post-DQ1 steps (R27).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::{
    AttemptOutcome, BarrierArea, EpisodeFacts, Exemption, HouseholdMember, Staffing,
};
use super::progress::{invite_on, qualifying_attempt};
use crate::calendar::BusinessCalendar;
use crate::deadlines::follow_up_due;
use crate::notice::notice_mail_by;
use crate::rules::{R9, R12, R13, R15, R17, R18, R19, R20, R23, R27, R30, RuleId};
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
/// (from the miss through `through`).
pub fn good_cause(facts: &EpisodeFacts, through: NaiveDate) -> GoodCause {
    let mut result = GoodCause::default();
    if let Some(exemption) = overlapping_exemptions(facts, through).first() {
        result.reasons.push(match exemption.to {
            Some(to) => format!(
                "exempt from {} to {}",
                long_date(exemption.from),
                long_date(to)
            ),
            None => format!("exempt since {}", long_date(exemption.from)),
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
    ]
}

/// R18: how many more department staff or designees the staffing needs (0 when it has
/// enough).
pub fn department_staff_needed(staffing: &Staffing) -> usize {
    MIN_DEPARTMENT_STAFF.saturating_sub(staffing.department_staff())
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
    let mut unmet = Vec::new();

    // R13: two attempts, one written and one in another format.
    let qualified = qualifying_attempt(facts);
    if qualified.is_none() {
        unmet.push(item(R13, FixAt::Attempts, "Make at least two contact attempts, one in writing and one in another way (phone, visit or e-mail)."));
    }

    // R9: every follow-up waited the response window of the message before it.
    for pair in facts.attempts.windows(2) {
        let (earlier, later) = (&pair[0], &pair[1]);
        if let (AttemptOutcome::MessageLeft, Some(window)) =
            (earlier.outcome, earlier.response_window)
            && let Ok(due) = follow_up_due(earlier.on, window, calendar)
            && later.on < due
        {
            unmet.push(item(R9, FixAt::Attempts, format!(
                "The follow-up of {} came before the response window of the message of {} had run (until {}).",
                long_date(later.on), long_date(earlier.on), long_date(due)
            )));
        }
    }

    // R12: the invitation came at least 3 business days after the second attempt.
    match (invite_on(facts, calendar), &facts.appointment) {
        (_, None) => unmet.push(item(R12, FixAt::Appointment, "Schedule the re-engagement appointment.")),
        (Some(due), Some(appointment)) if appointment.scheduled_on < due => unmet.push(item(R12, FixAt::Appointment, format!(
            "The appointment was scheduled on {}, before 3 business days had passed after the second attempt ({}).",
            long_date(appointment.scheduled_on), long_date(due)
        ))),
        _ => {}
    }

    // R15: the notice went out at least 7 calendar days before the appointment.
    if let Some(appointment) = &facts.appointment {
        match (appointment.notice_mailed_on, notice_mail_by(appointment.on, calendar)) {
            (None, _) => unmet.push(item(R15, FixAt::Appointment, "Record the day the DHS 7869 notice was mailed.")),
            (Some(mailed), Ok(due)) if mailed > due => unmet.push(item(R15, FixAt::Appointment, format!(
                "The DHS 7869 notice was mailed on {}, later than {} — fewer than 7 days before the appointment.",
                long_date(mailed), long_date(due)
            ))),
            (Some(_), Err(problem)) => unmet.push(item(R15, FixAt::Appointment, problem.to_string())),
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
            "Hold the staffing with at least three department staff.",
        ));
        unmet.push(item(
            R20,
            FixAt::BarrierReview,
            "Review every barrier area for the adult and the children.",
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

    // R18: at least three department staff.
    let department = staffing.department_staff();
    let needed = department_staff_needed(staffing);
    if needed > 0 {
        unmet.push(item(R18, FixAt::Staffing, format!(
            "The staffing had {department} department staff; at least {MIN_DEPARTMENT_STAFF} are needed ({needed} more)."
        )));
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

    // R20: every area, for the adult and the children, reviewed; where present, whether it
    // affected participation.
    for area in BarrierArea::ALL {
        for who in HouseholdMember::ALL {
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
                Some(f) if f.present && f.affected_participation.is_none() => unmet.push(item(
                    R20,
                    FixAt::BarrierReview,
                    format!(
                        "Decide whether {} affected the {}'s ability to participate.",
                        area.label(),
                        who.label()
                    ),
                )),
                Some(_) => {}
            }
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

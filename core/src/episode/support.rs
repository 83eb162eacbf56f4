//! Staffing preparation (R21), enhanced case management (R28) and the view of engagement
//! efforts that did not end in disqualification (R29).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::{DecisionOutcome, EpisodeFacts};
use super::progress::{contact_on_target, plan_adjusted, written_and_other};
use super::stage::stage;
use crate::calendar::BusinessCalendar;
use crate::notice::notice_on_time;
use crate::rules::{R13, R15, R17, R18, R19, R20, R21, R23, RuleId};

/// One line of the staffing preparation checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub label: &'static str,
    pub rule: RuleId,
    /// `Some` where the recorded facts answer it; `None` for a reminder a person ticks off.
    pub done: Option<bool>,
}

/// R21: the staffing preparation checklist (after the voluntary form DHS 7825V).
pub fn staffing_preparation_checklist(facts: &EpisodeFacts) -> Vec<ChecklistItem> {
    let notice_in_time = facts.appointment.as_ref().map(|appointment| {
        appointment
            .notice_mailed_on
            .is_some_and(|mailed| notice_on_time(mailed, appointment.on))
    });
    let partners_cleared = facts
        .staffing
        .as_ref()
        .map(|staffing| staffing.partners_without_release().next().is_none());
    vec![
        ChecklistItem {
            label: "Two or more unsuccessful contact attempts, one in writing, each narrated",
            rule: R13,
            done: Some(written_and_other(facts)),
        },
        ChecklistItem {
            label: "DHS 7869 notice mailed at least 7 days before the appointment",
            rule: R15,
            done: Some(notice_in_time.unwrap_or(false)),
        },
        ChecklistItem {
            label: "Missing information gathered (child safety check, offsite visit outcome…)",
            rule: R17,
            done: Some(facts.outstanding_missing_info().next().is_none()),
        },
        ChecklistItem {
            label: "MCS 3010 on file for every community partner invited",
            rule: R19,
            done: partners_cleared,
        },
        ChecklistItem {
            label: "Family Assessment (FACT), intake and contractor notes reviewed for barriers",
            rule: R20,
            done: None,
        },
        ChecklistItem {
            label: "Exemptions and the participant's situation checked for good cause",
            rule: R23,
            done: None,
        },
        ChecklistItem {
            label: "Team of at least three department staff invited; participant invited",
            rule: R21,
            done: None,
        },
        ChecklistItem {
            label: "Each department member confirms being present with their own sign-in",
            rule: R18,
            done: facts
                .staffing
                .as_ref()
                .map(|s| super::readiness::confirmations_needed(s) == 0),
        },
    ]
}

/// R28: several barriers present call for enhanced case management, co-managed with the
/// partners that have an MCS 3010 on file. Returns those partners' names when it applies.
pub fn enhanced_case_management(facts: &EpisodeFacts) -> Option<Vec<String>> {
    let staffing = facts.staffing.as_ref()?;
    let mut areas: Vec<_> = staffing
        .barrier_review
        .iter()
        .filter(|finding| finding.present)
        .map(|finding| finding.area)
        .collect();
    areas.sort();
    areas.dedup();
    (areas.len() >= 2).then(|| {
        staffing
            .partners
            .iter()
            .filter(|p| p.cleared_on(staffing.held_on))
            .map(|p| p.name.clone())
            .collect()
    })
}

/// R29: whether the episode belongs in the view of engagement contacts and re-engagement
/// efforts that did not result in a disqualification.
pub fn without_disqualification(facts: &EpisodeFacts) -> bool {
    facts.decision.as_ref().map(|d| d.outcome) != Some(DecisionOutcome::Dq1)
}

/// R29: where an effort that did not end in a disqualification stands, in a supervisor's
/// words: re-engaged by the plan adjusted after contact (R8, saying whether the contact met
/// its target), re-engaged with a new plan, good cause (R23, the team's or the case
/// manager's), or still open at its stage.
pub fn effort_outcome(
    facts: &EpisodeFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> String {
    match (facts.decision.as_ref(), &facts.contact_made) {
        (Some(decision), _) if decision.case_manager_reason().is_some() => {
            "Good cause given by the case manager — no disqualification".to_owned()
        }
        (Some(decision), _) => match decision.outcome {
            DecisionOutcome::GoodCause => "Good cause — no disqualification".to_owned(),
            DecisionOutcome::ReengagedNewPlan => "Re-engaged with a new plan".to_owned(),
            DecisionOutcome::Dq1 => "DQ1 — disqualification".to_owned(),
        },
        (None, Some(contact)) if plan_adjusted(facts) => {
            if contact_on_target(facts, contact.on, calendar) {
                "Re-engaged — plan adjusted; contact within the target".to_owned()
            } else {
                "Re-engaged — plan adjusted; contact after the target (late)".to_owned()
            }
        }
        _ => format!("Open — {}", stage(facts, today, calendar).label()),
    }
}

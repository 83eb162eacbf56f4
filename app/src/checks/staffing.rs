//! What the staffing form says as it stands, all of it from `core`: the form read as the
//! server reads it (`crate::forms::staffing`), the staffing and the decision checked by
//! `core` — the team (R18), each partner's release (R19), good cause (R23) — and the DQ1
//! readiness list (R26) of every step of due process not done. Computed on the server for
//! the form as it first shows and in the browser on every change, from the same
//! [`StaffingCheck`].

use chrono::NaiveDate;
use reengage_core::BusinessCalendar;
use reengage_core::episode::{
    self, Decision, DecisionOutcome, GoodCause, ReadinessItem, Release, Staffing, Transition,
};
use reengage_core::parse_date_input;

use super::readiness::unmet_list;
use super::said::{Block, Region, Said};
use crate::backend::{StaffingPage, TeamMember};
use crate::forms::fields::Fields;
use crate::forms::staffing::{StaffingForm, proposal};

/// A partner named for the staffing, with whether an MCS 3010 is in force on its day (R19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerStanding {
    pub name: String,
    pub cleared: bool,
}

/// What the staffing and finalization forms are checked against, in the browser as on the
/// server: the facts, the branch's team and the releases on file (the office's calendar comes
/// with the form's state), and the signed-in person's seat.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffingCheck {
    /// The episode (the readiness list links to its pages).
    pub id: i64,
    pub today: NaiveDate,
    pub facts: episode::EpisodeFacts,
    pub team: Vec<TeamMember>,
    pub releases: Vec<(String, Release)>,
    /// The signed-in person's account: a DQ1's finalizer must have sat on the team and
    /// confirmed it (R18, R26).
    pub viewer_id: i64,
    /// Whether the signed-in person may finalize a DQ1: only they are told why they may not.
    pub may_finalize: bool,
}

impl From<&StaffingPage> for StaffingCheck {
    fn from(page: &StaffingPage) -> Self {
        StaffingCheck {
            id: page.id,
            today: page.today,
            facts: page.facts.clone(),
            team: page.team.clone(),
            releases: page.releases.clone(),
            viewer_id: page.viewer_id,
            may_finalize: page.may.finalize && page.facts.finalized_on.is_none(),
        }
    }
}

/// What the page says about the form as it stands, all of it from `core`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// The form cannot be read yet: what to fix.
    pub problem: Option<String>,
    /// R18: department staff on the team (accounts of the branch), how many more are needed,
    /// and how many of them confirmed being present (kept while the team stays the same).
    pub department: usize,
    pub needed: usize,
    pub confirmed: usize,
    pub partners: Vec<PartnerStanding>,
    /// R23: good cause from the answers and the exemptions overlapping the episode.
    pub cause: GoodCause,
    pub outcome: Option<DecisionOutcome>,
    /// `core`'s refusal of the staffing as filled in, if any.
    pub staffing_refusal: Option<String>,
    /// `core`'s refusal of the decision chosen, if any.
    pub decision_refusal: Option<String>,
    /// R26: why a DQ1 may not be imposed now, whatever is chosen — `None` only when `core`
    /// would allow it — and every step of due process not done.
    pub dq1_refusal: Option<String>,
    pub unmet: Vec<ReadinessItem>,
}

/// Reviews the form `fields` of the workspace `page` as the server would check it.
pub fn review(page: &StaffingCheck, calendar: &BusinessCalendar, fields: &Fields) -> Review {
    let proposal = match proposal(fields, &page.team, &page.releases) {
        Ok(proposal) => proposal,
        Err(problem) => {
            return Review {
                problem: Some(problem),
                dq1_refusal: Some(
                    "Correct what is said above; the DQ1 readiness is checked again.".to_owned(),
                ),
                ..Review::default()
            };
        }
    };
    let staffing = &proposal.staffing;
    let record = Transition::RecordStaffing(staffing.clone());
    let staffing_refusal = episode::check(&page.facts, &record, page.today, calendar)
        .err()
        .map(|r| r.to_string());
    let staffed = episode::apply(&page.facts, &record, page.today);
    let through = proposal
        .decision
        .as_ref()
        .map_or(staffing.held_on, |d| d.decided_on);
    let mut review = Review {
        problem: None,
        department: staffing.department_staff(),
        needed: episode::department_staff_needed(staffing),
        confirmed: staffed
            .staffing
            .as_ref()
            .map_or(0, Staffing::confirmed_department_staff),
        partners: staffing
            .partners
            .iter()
            .map(|p| PartnerStanding {
                name: p.name.clone(),
                cleared: p.cleared_on(staffing.held_on),
            })
            .collect(),
        cause: episode::good_cause(&staffed, through),
        outcome: proposal.decision.as_ref().map(|d| d.outcome),
        staffing_refusal,
        ..Review::default()
    };
    if let Some(decision) = &proposal.decision {
        let decide = Transition::Decide(decision.clone());
        review.decision_refusal = episode::check(&staffed, &decide, page.today, calendar)
            .err()
            .map(|refusal| refusal.to_string());
    }
    // R26: the DQ1 weighed on the day of the decision, whichever outcome is chosen, so the
    // list never says "done" for a decision not checked.
    let decided_on = proposal
        .decision
        .as_ref()
        .map(|d| d.decided_on)
        .or_else(|| parse_date_input(fields.get(StaffingForm::DECIDED_ON)).ok())
        .unwrap_or(page.today);
    let dq1 = Transition::Decide(Decision::by_team(DecisionOutcome::Dq1, decided_on));
    match episode::check(&staffed, &dq1, page.today, calendar) {
        Err(refusal) => {
            review.unmet = refusal.unmet().map(<[_]>::to_vec).unwrap_or_default();
            review.dq1_refusal = Some(refusal.to_string());
        }
        Ok(()) => review.dq1_refusal = review.staffing_refusal.clone(),
    }
    review
}

/// R18: the team as the page says it — department staff picked from the branch's list (a
/// named row never counts), and how many of them confirmed being present.
fn team_words(review: &Review) -> String {
    let team = match review.needed {
        0 => format!(
            "{} department staff on the team: enough (R18).",
            review.department
        ),
        needed => format!(
            "{} department staff on the team: {needed} more needed — at least three (R18).",
            review.department
        ),
    };
    if review.department == 0 {
        return team;
    }
    format!(
        "{team} {} confirmed being present; a DQ1 needs three who did.",
        review.confirmed
    )
}

/// R23: good cause as the page says it.
fn cause_words(review: &Review) -> String {
    if review.cause.found() {
        format!(
            "Good cause found: {}. No disqualification may be imposed (R23).",
            review.cause.reasons.join("; ")
        )
    } else if review.cause.unanswered.is_empty() {
        "No good cause found on any question (R23).".to_owned()
    } else {
        format!(
            "{} question(s) not answered yet (R23).",
            review.cause.unanswered.len()
        )
    }
}

/// What the staffing form says as it stands, all of it from `core` ([`review`]): the team
/// (R18), each partner's release (R19), good cause (R23), and for the decision what stops it
/// with — while a DQ1 is considered, or always to a page that cannot follow the form — the
/// readiness list of every step of due process not done (R26).
pub fn said(check: &StaffingCheck, calendar: &BusinessCalendar, fields: &Fields) -> Said {
    let review = review(check, calendar, fields);
    let partners = review
        .partners
        .iter()
        .map(|p| {
            if p.cleared {
                Block::text("alert alert-info", format!("{}: MCS 3010 in force on the staffing day.", p.name))
            } else {
                Block::text(
                    "alert alert-error",
                    format!("{} has no MCS 3010 in force on the staffing day: may not be invited (R19).", p.name),
                )
            }
        })
        .collect();
    let error = |text: &Option<String>| {
        text.clone()
            .map(|text| Block::text("alert alert-error", text))
    };
    let mut decision: Vec<Block> = [error(&review.problem), error(&review.staffing_refusal)]
        .into_iter()
        .flatten()
        .collect();
    let verdict = review.dq1_refusal.clone().unwrap_or_else(|| {
        "Every step of due process is done: the team may impose a DQ1.".to_owned()
    });
    let mut blocks = vec![Block::text("", verdict)];
    if !review.unmet.is_empty() {
        blocks.push(unmet_list(check.id, &review.unmet));
    }
    let readiness = Block::Section {
        class: "readiness",
        heading: "DQ1 readiness (R26)",
        blocks,
    };
    decision.push(if review.outcome == Some(DecisionOutcome::Dq1) {
        readiness
    } else {
        Block::UntilLive(Box::new(readiness))
    });
    if review.outcome.is_some() && review.outcome != Some(DecisionOutcome::Dq1) {
        decision.extend(error(&review.decision_refusal));
    }
    Said::default()
        .with(
            Region::Team,
            vec![Block::text("alert alert-info", team_words(&review))],
        )
        .with(Region::Partners, partners)
        .with(
            Region::Cause,
            vec![Block::text("alert alert-info", cause_words(&review))],
        )
        .with(Region::Decision, decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::fields::code;
    use crate::forms::staffing::example::{complete, d, page};
    use crate::forms::staffing::initial;
    use reengage_core::rules::{R17, R18, R19, R20, R23};

    fn rules(review: &Review) -> Vec<reengage_core::RuleId> {
        review.unmet.iter().map(|i| i.rule).collect()
    }

    fn reviewed(page: &StaffingPage, fields: &Fields) -> Review {
        review(&StaffingCheck::from(page), &page.calendar(), fields)
    }

    /// R26: the readiness list is always on a page that cannot follow the form; a live page
    /// shows it while a DQ1 is chosen. The team's and good cause's lines are said in their
    /// own regions.
    #[test]
    fn r26_the_readiness_list_waits_for_a_dq1_once_the_page_is_live() {
        let page = page();
        let check = StaffingCheck::from(&page);
        let mut fields = initial(&page);
        let before = said(&check, &page.calendar(), &fields);
        assert!(
            matches!(before.blocks(Region::Decision), [Block::UntilLive(section)] if matches!(**section, Block::Section { class: "readiness", .. })),
            "{before:?}"
        );
        assert!(matches!(
            before.blocks(Region::Team),
            [Block::Text { text, .. }] if text == "2 department staff on the team: 1 more needed — at least three (R18). 0 confirmed being present; a DQ1 needs three who did."
        ));
        assert!(before.blocks(Region::Partners).is_empty());
        fields.push("outcome", code(DecisionOutcome::Dq1));
        let dq1 = said(&check, &page.calendar(), &fields);
        assert!(
            matches!(
                dq1.blocks(Region::Decision),
                [Block::Section {
                    class: "readiness",
                    ..
                }]
            ),
            "{dq1:?}"
        );
    }

    #[test]
    fn a_new_staffing_starts_with_the_coach_and_the_signed_in_person_and_today() {
        let fields = initial(&page());
        assert_eq!(fields.all("member").collect::<Vec<_>>(), vec!["1", "2"]);
        assert_eq!(fields.get("held_on"), "2026-11-19");
        assert_eq!(fields.get("version"), "7");
        let said = reviewed(&page(), &fields);
        assert_eq!((said.department, said.needed), (2, 1), "R18");
    }

    #[test]
    fn r26_the_dq1_list_is_weighed_whatever_outcome_is_chosen() {
        let page = page();
        // Nothing chosen: the list is there, and never says the DQ1 may be imposed.
        let said = reviewed(&page, &initial(&page));
        assert_eq!(said.outcome, None);
        assert!(said.dq1_refusal.is_some());
        assert!(
            rules(&said).contains(&R17) && rules(&said).contains(&R20),
            "{said:?}"
        );
        // Everything done but the child safety check and the team's confirmations (R18: a
        // team just picked has none).
        let fields = complete(&page);
        let said = reviewed(&page, &fields);
        assert_eq!(rules(&said), vec![R17, R18]);
        assert_eq!(said.confirmed, 0);
        // The same team saved and confirmed by its three members: they stand.
        let mut page = page;
        let mut saved = proposal(&fields, &page.team, &page.releases)
            .unwrap()
            .staffing;
        for member in &mut saved.members {
            member.confirmed_on = Some(d("2026-11-19"));
        }
        page.facts.staffing = Some(saved);
        let said = reviewed(&page, &fields);
        assert_eq!(rules(&said), vec![R17]);
        assert_eq!(said.confirmed, 3);
        assert_eq!(
            said.decision_refusal, None,
            "no outcome chosen, none refused"
        );
        // Another team clears them.
        let mut other = fields.clone();
        other
            .0
            .retain(|(name, value)| !(name == "member" && value == "3"));
        assert_eq!(reviewed(&page, &other).confirmed, 0);
        // Gathered: a DQ1 may be imposed; a good cause decision is refused (no cause).
        let mut gathered = page.clone();
        gathered.facts.missing_info[0].resolved_on = Some(d("2026-11-19"));
        let said = reviewed(&gathered, &fields);
        assert_eq!((said.dq1_refusal.clone(), rules(&said)), (None, vec![]));
        let mut good_cause = fields.clone();
        good_cause.push("outcome", "GoodCause");
        let said = reviewed(&gathered, &good_cause);
        assert!(said.decision_refusal.unwrap().contains("(R23)"));
    }

    #[test]
    fn r19_r23_partners_and_good_cause_as_the_form_stands() {
        let page = page();
        let mut fields = complete(&page);
        fields.push("partner", "Community Action");
        fields.push("other_partner", "Food bank");
        fields.0.retain(|(name, _)| name != "gc_household_issue");
        fields.push("gc_household_issue", "yes");
        let said = reviewed(&page, &fields);
        assert_eq!(
            said.partners,
            vec![
                PartnerStanding {
                    name: "Community Action".into(),
                    cleared: true
                },
                PartnerStanding {
                    name: "Food bank".into(),
                    cleared: false
                },
            ]
        );
        assert!(
            said.staffing_refusal
                .as_deref()
                .unwrap()
                .contains("Food bank may not be invited")
        );
        assert!(said.cause.found());
        assert!(rules(&said).contains(&R19) && rules(&said).contains(&R23));
    }

    #[test]
    fn the_form_reads_back_as_cores_staffing_or_says_what_to_fix() {
        let page = page();
        let proposed = proposal(&complete(&page), &page.team, &page.releases).unwrap();
        let staffing = proposed.staffing;
        assert_eq!(staffing.held_on, d("2026-11-19"));
        assert_eq!(staffing.members.len(), 3);
        assert_eq!(staffing.barrier_review.len(), 10);
        assert_eq!(
            staffing.recommended_strategies,
            vec!["Weekly check-in call", "Home visit"]
        );
        assert_eq!(proposed.decision, None);
        // What to fix, in a sentence each; the DQ1 is not said to be possible meanwhile.
        let cases: [(&[(&str, &str)], &str); 5] = [
            (&[("held_on", "soon")], "The day the staffing was held"),
            (&[("member", "99")], "Reload the page"),
            (&[("other_initials_0", "CW")], "Choose the role of CW"),
            (&[("other_role_0", "ChildWelfare")], "Give the initials"),
            (
                &[("outcome", "Dq1"), ("decided_on", "")],
                "The day of the decision",
            ),
        ];
        for (extra, said) in cases {
            let mut fields = complete(&page);
            for (name, value) in extra {
                fields.0.retain(|(n, _)| n != name);
                fields.push(*name, *value);
            }
            let answer = reviewed(&page, &fields);
            assert!(
                answer.problem.as_deref().unwrap_or("").contains(said),
                "{extra:?}: {answer:?}"
            );
            assert!(answer.dq1_refusal.is_some());
        }
        // Another member on the team, by initials and role (R18: child welfare does not count).
        let mut fields = complete(&page);
        fields.push("other_initials_0", "cw");
        fields.push("other_role_0", "ChildWelfare");
        let staffing = proposal(&fields, &page.team, &page.releases)
            .unwrap()
            .staffing;
        assert_eq!(staffing.members.last().unwrap().initials, "CW");
        assert_eq!(
            staffing.department_staff(),
            3,
            "R18: child welfare does not count"
        );
        // R18: a designee typed in a department seat is named only, and never counts.
        let mut typed = complete(&page);
        typed
            .0
            .retain(|(name, value)| !(name == "member" && value == "3"));
        typed.push("other_initials_0", "ED");
        typed.push("other_role_0", "EngagementSpecialist");
        let staffing = proposal(&typed, &page.team, &page.releases)
            .unwrap()
            .staffing;
        assert_eq!(staffing.members.len(), 3);
        assert_eq!(staffing.department_staff(), 2);
        assert_eq!(staffing.members[2].staff_id, None);
    }
}

//! What the finalization form says as its boxes are ticked, from `core` (R26, R27): whether
//! the steps can be recorded, the readiness list (R26) and, to whoever may finalize, why they
//! may not. Checked against the same [`StaffingCheck`] as the staffing form.

use reengage_core::BusinessCalendar;
use reengage_core::episode::{self, ReadinessItem, Transition};

use super::readiness::unmet_list;
use super::said::{Block, Region, Said};
use super::staffing::StaffingCheck;
use crate::forms::fields::Fields;
use crate::forms::finalization::post_dq1_steps;

/// What the finalization form says as its boxes are ticked, from `core` (R26, R27).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinalizationReview {
    /// The steps as ticked cannot be recorded (a finalized DQ1 keeps its steps).
    pub steps_refusal: Option<String>,
    /// Every item that stops the DQ1 from being finalized with those steps.
    pub unmet: Vec<ReadinessItem>,
    /// Why the signed-in person may not finalize it, other than the unmet items.
    pub finalizer: Option<String>,
}

/// Reviews the finalization form `fields`: finalizing today, as the signed-in person.
pub fn finalization(
    page: &StaffingCheck,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> FinalizationReview {
    let steps = Transition::RecordPostDq1Steps(post_dq1_steps(fields));
    let steps_refusal = episode::check(&page.facts, &steps, page.today, calendar)
        .err()
        .map(|r| r.to_string());
    let with_steps = episode::apply(&page.facts, &steps, page.today);
    let finalize = Transition::FinalizeDq1 {
        on: page.today,
        staff_id: page.viewer_id,
    };
    let finalizer = match episode::check(&with_steps, &finalize, page.today, calendar) {
        Err(refusal) if refusal.unmet().is_none() => Some(refusal.to_string()),
        _ => None,
    };
    FinalizationReview {
        steps_refusal,
        unmet: episode::dq1_readiness(&with_steps, calendar),
        finalizer,
    }
}

/// What the finalization form says as its boxes are ticked, from `core` ([`finalization`]):
/// whether the steps can be recorded, the readiness list (R26) and, to whoever may finalize,
/// why they may not.
pub fn said(check: &StaffingCheck, calendar: &BusinessCalendar, fields: &Fields) -> Said {
    let review = finalization(check, calendar, fields);
    let mut blocks = Vec::new();
    if review.unmet.is_empty() {
        blocks.push(Block::text(
            "",
            "Every step is done: the DQ1 may be finalized (R26).",
        ));
    } else {
        blocks.push(Block::text(
            "",
            format!(
                "The DQ1 cannot be finalized yet: {} item(s) are not done (R26).",
                review.unmet.len()
            ),
        ));
        blocks.push(unmet_list(check.id, &review.unmet));
    }
    if let Some(finalizer) = review.finalizer.filter(|_| check.may_finalize) {
        blocks.push(Block::text("alert alert-error", finalizer));
    }
    let refusal = review
        .steps_refusal
        .map(|refusal| Block::text("alert alert-error", refusal));
    let readiness = Block::Section {
        class: "readiness",
        heading: "DQ1 readiness (R26)",
        blocks,
    };
    Said::default().with(
        Region::Decision,
        refusal.into_iter().chain([readiness]).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::StaffingPage;
    use crate::forms::finalization::post_dq1_fields;
    use crate::forms::staffing::example::{complete, d, page};
    use crate::forms::staffing::proposal;
    use reengage_core::episode::{Decision, DecisionOutcome};

    fn finalized(page: &StaffingPage, fields: &Fields) -> FinalizationReview {
        finalization(&StaffingCheck::from(page), &page.calendar(), fields)
    }

    #[test]
    fn r27_finalizing_is_weighed_as_the_boxes_are_ticked() {
        let mut page = page();
        page.facts.missing_info[0].resolved_on = Some(d("2026-11-19"));
        let mut staffing = proposal(&complete(&page), &page.team, &page.releases)
            .unwrap()
            .staffing;
        // R18: each member confirmed being present with their own sign-in.
        for member in &mut staffing.members {
            member.confirmed_on = Some(d("2026-11-19"));
        }
        page.facts.staffing = Some(staffing);
        page.facts.decision = Some(Decision::by_team(DecisionOutcome::Dq1, d("2026-11-19")));
        let mut fields = post_dq1_fields(&page);
        assert_eq!(finalized(&page, &fields).unmet.len(), 2);
        fields.push("re_step_recorded", "yes");
        fields.push("dq1_selected_on_page", "yes");
        let ready = finalized(&page, &fields);
        assert_eq!((ready.unmet.len(), ready.finalizer), (0, None));
        // A coach on the team may record the steps but not finalize (R18, R26): the
        // finalizer is matched by account.
        page.viewer_id = 1;
        assert!(
            finalized(&page, &fields)
                .finalizer
                .unwrap()
                .contains("operations manager")
        );
        // Nor a manager who did not confirm being present.
        page.viewer_id = 2;
        page.facts.staffing.as_mut().unwrap().members[1].confirmed_on = None;
        assert!(finalized(&page, &fields).finalizer.is_some());
    }
}

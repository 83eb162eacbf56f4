//! What the finalization form sends (`POST /episodes/{id}/finalization`): the steps after a
//! DQ1 ticked (R27) and, with [`FinalizationForm::FINALIZE`], the DQ1's finalization (R26).

use reengage_core::episode::PostDq1Steps;

use super::fields::{Fields, YES};
use crate::backend::StaffingPage;

/// The finalization form's field names; each step's box is one of [`POST_DQ1_FIELDS`],
/// sent [`YES`] when ticked.
pub enum FinalizationForm {}

impl FinalizationForm {
    /// The episode version the form was filled on.
    pub const VERSION: &'static str = "version";
    /// Which button sent the form: [`FinalizationForm::SAVE`] or
    /// [`FinalizationForm::FINALIZE`].
    pub const INTENT: &'static str = "intent";
    pub const SAVE: &'static str = "save";
    pub const FINALIZE: &'static str = "finalize";
}

/// The steps after a DQ1 (R27) by field name, with the step each ticks.
pub const POST_DQ1_FIELDS: [&str; 6] = [
    "re_step_recorded",
    "pdp_copy_to_participant",
    "dq1_selected_on_page",
    "one_case_note",
    "resources_offered",
    "page_finalized",
];

/// The steps after a DQ1 a finalization form ticks.
pub fn post_dq1_steps(fields: &Fields) -> PostDq1Steps {
    let ticked = |name| fields.has(name, YES);
    PostDq1Steps {
        re_step_recorded: ticked(POST_DQ1_FIELDS[0]),
        pdp_copy_to_participant: ticked(POST_DQ1_FIELDS[1]),
        dq1_selected_on_page: ticked(POST_DQ1_FIELDS[2]),
        one_case_note: ticked(POST_DQ1_FIELDS[3]),
        resources_offered: ticked(POST_DQ1_FIELDS[4]),
        page_finalized: ticked(POST_DQ1_FIELDS[5]),
    }
}

/// The finalization form's fields for the steps already recorded.
pub fn post_dq1_fields(page: &StaffingPage) -> Fields {
    let steps = &page.facts.post_dq1;
    let mut fields = Fields::default();
    fields.push(FinalizationForm::VERSION, page.version.to_string());
    let flags = [
        steps.re_step_recorded,
        steps.pdp_copy_to_participant,
        steps.dq1_selected_on_page,
        steps.one_case_note,
        steps.resources_offered,
        steps.page_finalized,
    ];
    for (name, done) in POST_DQ1_FIELDS.into_iter().zip(flags) {
        if done {
            fields.push(name, YES);
        }
    }
    fields
}

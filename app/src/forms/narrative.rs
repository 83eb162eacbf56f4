//! What a narrative form sends (`POST /episodes/{id}/narratives` for a draft,
//! `…/narratives/{narrative}` for a saved one's new text; R4, R10, R22, R25).

use super::contract::form_contract;

form_contract! {
    /// What a narrative form sends: a draft to save, or a saved narrative's new text.
    pub struct NarrativeForm {
        #[serde(default)]
        pub kind: String as KIND,
        /// The draft it is saved from (`attempt-2026-11-24-1`, `staffing`, `decision`).
        #[serde(default)]
        pub draft_of: String as DRAFT_OF,
        #[serde(default)]
        pub body: String as BODY,
        /// The page the form returns to: [`NarrativeForm::TO_STAFFING`] for the staffing
        /// workspace, else the episode.
        #[serde(default)]
        pub back: String as BACK,
    }
}

impl NarrativeForm {
    /// The value of [`NarrativeForm::BACK`] that returns to the staffing workspace.
    pub const TO_STAFFING: &'static str = "staffing";

    /// The page the form was on.
    pub fn page(&self, id: i64) -> String {
        if self.back == Self::TO_STAFFING {
            format!("/episodes/{id}/staffing")
        } else {
            format!("/episodes/{id}")
        }
    }
}

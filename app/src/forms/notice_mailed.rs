//! What the notice-mailed form sends (`POST /episodes/{id}/notice`, R15).

use super::contract::form_contract;

form_contract! {
    /// What the notice-mailed form sends (and is sent back with on a refusal).
    pub struct NoticeMailedForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub on: String as ON,
    }
}

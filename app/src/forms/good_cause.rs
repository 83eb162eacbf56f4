//! What the good-cause form sends (`POST /episodes/{id}/good-cause`, R23).

use super::contract::form_contract;

form_contract! {
    /// What the good-cause form sends (and is sent back with on a refusal).
    pub struct GoodCauseForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub on: String as ON,
        #[serde(default)]
        pub reason: String as REASON,
    }
}

//! What the second-factor form sends (`POST /signin/code`): the code from the authenticator
//! app, or a recovery code.

use super::contract::form_contract;

form_contract! {
    /// What the second-factor form sends. Never sent back to the page.
    pub struct SecondFactorForm {
        #[serde(default)]
        pub code: String as CODE,
    }
}

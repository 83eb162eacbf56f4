//! What the appointment form sends (`POST /episodes/{id}/appointment`, R12–R16).

use super::contract::form_contract;

form_contract! {
    /// What the appointment form sends (and is sent back with on a refusal).
    pub struct AppointmentForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub on: String as ON,
        /// The time of day, `HH:MM`; optional.
        #[serde(default)]
        pub at: String as AT,
    }
}

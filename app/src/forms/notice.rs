//! What the notice calculator asks (`GET /notice?appointment=…`, R15, R16): no record, only
//! the appointment day.

use super::contract::form_contract;

form_contract! {
    /// The notice calculator's one field, in the address.
    pub struct NoticeDateForm {
        #[serde(default)]
        pub appointment: String as APPOINTMENT,
    }
}

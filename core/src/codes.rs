//! A choice by its name: each enum of `core` is sent by a form, stored in a column and shown
//! in the API under its serde name (`PhoneCall`, `family_coach`). Written once here for the
//! pages, the forms, the server's handlers and its store.

use serde::{Serialize, de::DeserializeOwned};

/// The name `value` (a unit enum variant) goes by; "" for anything that has no name.
pub fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The value named `name`, if there is one.
pub fn from_code<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::episode::{AttemptOutcome, ContactMethod};

    #[test]
    fn a_choice_goes_by_its_name_and_comes_back_from_it() {
        for method in [ContactMethod::Phone, ContactMethod::OffsiteVisit] {
            assert_eq!(from_code::<ContactMethod>(&code(&method)), Some(method));
        }
        assert_eq!(code(&ContactMethod::OffsiteVisit), "OffsiteVisit");
        assert_eq!(from_code::<AttemptOutcome>("not a choice"), None);
        assert_eq!(code(&3), "");
    }
}

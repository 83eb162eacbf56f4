//! What the contact-made form sends (`POST /episodes/{id}/contact`, R8), and the PDP step it
//! adds.

use chrono::NaiveDate;
use reengage_core::parse_date_input;

use super::contract::form_contract;

form_contract! {
    /// What the contact-made form sends (and is sent back with on a refusal).
    pub struct ContactForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub on: String as ON,
        /// Present ("yes") when the plan was adjusted with the participant.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub plan_adjusted: Option<String> as PLAN_ADJUSTED,
        /// The agreed PDP step to add, if any.
        #[serde(default)]
        pub step_code: String as STEP_CODE,
        #[serde(default)]
        pub step_on: String as STEP_ON,
    }
}

impl ContactForm {
    /// The PDP step the form adds, if one was chosen — its code and the day it starts — or a
    /// sentence saying what to fix.
    pub fn step(&self) -> Result<Option<(String, NaiveDate)>, String> {
        let code = self.step_code.trim();
        if code.is_empty() {
            return Ok(None);
        }
        if code.len() > 8 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err("Choose the PDP step's code from the list.".into());
        }
        let starts_on = parse_date_input(&self.step_on)
            .map_err(|_| "Enter the day the new PDP step starts.".to_owned())?;
        Ok(Some((code.to_uppercase(), starts_on)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(code: &str, on: &str) -> Result<Option<(String, NaiveDate)>, String> {
        ContactForm {
            step_code: code.into(),
            step_on: on.into(),
            ..ContactForm::default()
        }
        .step()
    }

    #[test]
    fn a_step_is_added_only_when_chosen_and_dated() {
        assert_eq!(step(" ", ""), Ok(None));
        assert_eq!(
            step("sw", "2026-12-01"),
            Ok(Some((
                "SW".into(),
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
            )))
        );
        assert_eq!(
            step("S W", "2026-12-01"),
            Err("Choose the PDP step's code from the list.".into())
        );
        assert_eq!(
            step("SW", ""),
            Err("Enter the day the new PDP step starts.".into())
        );
    }
}

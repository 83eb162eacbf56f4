//! What the new-staffing form sends (`POST /episodes/{id}/new-staffing`, R24).

use super::contract::form_contract;

form_contract! {
    /// What the new-staffing form sends.
    pub struct NewStaffingForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub reason: String as REASON,
        /// [`NewStaffingForm::TO_STAFFING`] to return to the workspace; otherwise the episode
        /// page.
        #[serde(default)]
        pub back: String as BACK,
    }
}

/// The longest reason for a new staffing.
pub const MAX_REASON_CHARS: usize = 2_000;

impl NewStaffingForm {
    /// The value of [`NewStaffingForm::BACK`] that returns to the staffing workspace.
    pub const TO_STAFFING: &'static str = "staffing";

    /// The episode version, or a sentence saying what to fix.
    pub fn parse(&self) -> Result<i64, String> {
        let Ok(version) = self.version.parse::<i64>() else {
            return Err("Reload the page and try again.".into());
        };
        if self.reason.chars().count() > MAX_REASON_CHARS {
            return Err("Say what came to light in at most 2,000 characters.".into());
        }
        Ok(version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r24_a_version_and_a_reason_short_enough() {
        let form = |version: &str, reason: String| NewStaffingForm {
            version: version.into(),
            reason,
            back: NewStaffingForm::TO_STAFFING.into(),
        };
        assert_eq!(form("5", "a new job".into()).parse(), Ok(5));
        assert_eq!(
            form("", String::new()).parse(),
            Err("Reload the page and try again.".into())
        );
        assert_eq!(
            form("5", "x".repeat(2_001)).parse(),
            Err("Say what came to light in at most 2,000 characters.".into())
        );
    }
}

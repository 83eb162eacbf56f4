//! What the e-mail form sends (`POST /account/email`): whether the signed-in person gets the
//! morning digest e-mail.

use super::contract::form_contract;

form_contract! {
    /// What the e-mail form sends.
    pub struct EmailForm {
        /// [`EmailForm::ON`] or [`EmailForm::OFF`].
        #[serde(default)]
        pub digest: String as DIGEST,
    }
}

impl EmailForm {
    /// The value that turns the digest on.
    pub const ON: &'static str = "on";
    /// The value that turns it off.
    pub const OFF: &'static str = "off";

    /// Whether the digest is wanted, or what to do.
    pub fn wanted(&self) -> Result<bool, &'static str> {
        match self.digest.as_str() {
            Self::ON => Ok(true),
            Self::OFF => Ok(false),
            _ => Err("Choose whether to get the morning digest e-mail, then save."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EmailForm;

    #[test]
    fn the_digest_is_on_or_off_and_nothing_else() {
        let form = |digest: &str| EmailForm {
            digest: digest.into(),
        };
        assert_eq!(form("on").wanted(), Ok(true));
        assert_eq!(form("off").wanted(), Ok(false));
        assert!(form("").wanted().is_err());
        assert!(form("yes").wanted().is_err());
    }
}

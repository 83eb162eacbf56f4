//! What the password form sends (`POST /account/password`): the person's own new password,
//! with their current one.

use super::contract::form_contract;

form_contract! {
    /// What the password form sends. Nothing of it is ever sent back to the page.
    pub struct PasswordForm {
        #[serde(default)]
        pub current: String as CURRENT,
        #[serde(default)]
        pub new: String as NEW,
        #[serde(default)]
        pub again: String as AGAIN,
    }
}

impl PasswordForm {
    /// The new password, once typed the same twice, or what to do.
    pub fn new_password(&self) -> Result<&str, &'static str> {
        if self.current.is_empty() {
            return Err("Type your current password.");
        }
        if self.new != self.again {
            return Err("The two new passwords differ. Type the new one twice, the same.");
        }
        Ok(&self.new)
    }
}

#[cfg(test)]
mod tests {
    use super::PasswordForm;

    #[test]
    fn the_new_password_is_typed_the_same_twice() {
        let form = |current: &str, new: &str, again: &str| PasswordForm {
            current: current.into(),
            new: new.into(),
            again: again.into(),
        };
        assert_eq!(
            form("old one", "a lantern for winter", "a lantern for winter").new_password(),
            Ok("a lantern for winter")
        );
        assert!(
            form("old one", "a lantern for winter", "a lantern for wintr")
                .new_password()
                .is_err()
        );
        assert!(
            form("", "a lantern for winter", "a lantern for winter")
                .new_password()
                .is_err()
        );
    }
}

//! What the admin pages' forms send (`/admin/…`): an office's details and closure days, and a
//! staff account — created, given a role, an office or a work phone, disabled or enabled, a
//! password reset, a token revoked.

use super::contract::form_contract;

form_contract! {
    /// An office's details (`POST /admin/offices/{id}`), or a new office's
    /// (`POST /admin/offices`).
    pub struct OfficeForm {
        #[serde(default)]
        pub name: String as NAME,
        #[serde(default)]
        pub address: String as ADDRESS,
        #[serde(default)]
        pub phone: String as PHONE,
        #[serde(default)]
        pub time_zone: String as TIME_ZONE,
        /// HH:MM, or empty for none.
        #[serde(default)]
        pub mail_pickup: String as MAIL_PICKUP,
    }
}

/// The `/admin` page's section with the form that adds an office (`POST /admin/offices`,
/// an [`OfficeForm`]): a refused one comes back to it.
pub const NEW_OFFICE: &str = "add-office";

/// The `/admin` page's section with the form that adds a staff account ([`NewStaffForm`]).
pub const NEW_STAFF: &str = "new-staff";

form_contract! {
    /// A closure day to add (`POST /admin/offices/{id}/closures`) or remove
    /// (`…/closures/remove`, the day alone).
    pub struct ClosureForm {
        #[serde(default)]
        pub on: String as ON,
        #[serde(default)]
        pub name: String as NAME,
    }
}

form_contract! {
    /// A new staff account (`POST /admin/staff`).
    pub struct NewStaffForm {
        #[serde(default)]
        pub email: String as EMAIL,
        #[serde(default)]
        pub name: String as NAME,
        #[serde(default)]
        pub initials: String as INITIALS,
        #[serde(default)]
        pub role: String as ROLE,
        /// An office's id, or empty for none.
        #[serde(default)]
        pub office: String as OFFICE,
        #[serde(default)]
        pub phone: String as PHONE,
        /// A first password: its owner chooses their own at their first sign-in.
        #[serde(default)]
        pub password: String as PASSWORD,
    }
}

form_contract! {
    /// A change to a staff account (`POST /admin/staff/{id}`): which change, and its value.
    pub struct StaffChangeForm {
        /// One of the `StaffChangeForm::*` change names.
        #[serde(default)]
        pub change: String as CHANGE,
        #[serde(default)]
        pub role: String as ROLE,
        #[serde(default)]
        pub office: String as OFFICE,
        #[serde(default)]
        pub phone: String as PHONE,
        #[serde(default)]
        pub password: String as PASSWORD,
        #[serde(default)]
        pub token: String as TOKEN,
    }
}

impl StaffChangeForm {
    pub const SET_ROLE: &'static str = "role";
    pub const SET_OFFICE: &'static str = "office";
    pub const SET_PHONE: &'static str = "phone";
    pub const DISABLE: &'static str = "disable";
    pub const ENABLE: &'static str = "enable";
    pub const RESET_PASSWORD: &'static str = "password";
    pub const REVOKE_TOKEN: &'static str = "revoke";
    pub const ISSUE_TOKEN: &'static str = "issue-token";
}

/// What a saved admin form's redirect says (`?saved=…`), in words. `moved-N`: a closure day
/// that moved N open deadlines.
pub fn saved_message(saved: &str) -> Option<String> {
    if let Some(n) = saved.strip_prefix("closed-") {
        let n: usize = n.parse().ok()?;
        return Some(format!(
            "Closure day added. It moves {} open deadline{} in this office.",
            n,
            if n == 1 { "" } else { "s" }
        ));
    }
    if let Some(n) = saved.strip_prefix("reopened-") {
        let n: usize = n.parse().ok()?;
        return Some(format!(
            "Closure day removed. It moves {} open deadline{} back.",
            n,
            if n == 1 { "" } else { "s" }
        ));
    }
    Some(
        match saved {
            "office" => "Office details saved.",
            "office-created" => "Office added. Add its closure days below.",
            "created" => "Account created. Give its owner the first password: they choose their own at their first sign-in.",
            "role" => "Role changed. Their sessions ended and their API tokens were revoked.",
            "branch" => "Office changed. Their sessions ended and their API tokens were revoked.",
            "phone" => "Work phone saved.",
            "disabled" => "Account disabled: its sessions and tokens stopped working.",
            "enabled" => "Account enabled again.",
            "password" => "Password reset. Their sessions ended; they choose their own at their next sign-in.",
            "revoked" => "Token revoked.",
            "token" => "API token made: copy it now, it is not shown again.",
            "unchanged" => "Nothing changed: the account already had that.",
            _ => return None,
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::saved_message;

    #[test]
    fn a_closure_says_how_many_deadlines_it_moved() {
        assert_eq!(
            saved_message("closed-3").as_deref(),
            Some("Closure day added. It moves 3 open deadlines in this office.")
        );
        assert_eq!(
            saved_message("closed-1").as_deref(),
            Some("Closure day added. It moves 1 open deadline in this office.")
        );
        assert!(
            saved_message("reopened-0")
                .unwrap()
                .contains("0 open deadlines back")
        );
        assert_eq!(saved_message("closed-x"), None);
        assert_eq!(saved_message("nonsense"), None);
    }
}

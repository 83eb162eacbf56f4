//! What the participant pages' forms send: a search (`POST /participants/search`, answered in
//! place so what is typed never reaches a URL), a participant's record (`POST
//! /participants/new`, `POST /participants/{id}`), a caseload move (`POST
//! /participants/move`).

use super::contract::form_contract;

form_contract! {
    /// A participant search: a case number or the beginning of a name.
    pub struct SearchForm {
        #[serde(default)]
        pub query: String as QUERY,
    }
}

form_contract! {
    /// A participant's record, new or edited. Check boxes are sent only when ticked.
    pub struct ParticipantForm {
        /// New participants only: a case number never changes.
        #[serde(default)]
        pub case_number: String as CASE_NUMBER,
        #[serde(default)]
        pub first_name: String as FIRST_NAME,
        #[serde(default)]
        pub last_name: String as LAST_NAME,
        #[serde(default)]
        pub display_name: String as DISPLAY_NAME,
        #[serde(default)]
        pub phone: String as PHONE,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone_in_service: Option<String> as PHONE_IN_SERVICE,
        #[serde(default)]
        pub email: String as EMAIL,
        #[serde(default)]
        pub address: String as ADDRESS,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_verified: Option<String> as ADDRESS_VERIFIED,
        #[serde(default)]
        pub language: String as LANGUAGE,
        /// A coach's id, or empty for none.
        #[serde(default)]
        pub coach: String as COACH,
        /// A contractor's id, or empty for no referral.
        #[serde(default)]
        pub contractor: String as CONTRACTOR,
        /// The referral's last day, or empty.
        #[serde(default)]
        pub contractor_until: String as CONTRACTOR_UNTIL,
    }
}

form_contract! {
    /// A caseload move: from one coach to another; one participant (by case number) or all.
    pub struct MoveForm {
        #[serde(default)]
        pub from_coach: String as FROM_COACH,
        #[serde(default)]
        pub to_coach: String as TO_COACH,
        /// Empty for the whole caseload.
        #[serde(default)]
        pub case_number: String as CASE_NUMBER,
    }
}

/// An optional id as a form sends it (`""` for none), or what to do.
pub fn optional_id(value: &str, what: &str) -> Result<Option<i64>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .map(Some)
        .map_err(|_| format!("Choose the {what} from the list."))
}

/// What a caseload move's redirect says: `moved-P-E`, P participants with E open episodes.
pub fn moved_message(saved: &str) -> Option<String> {
    let rest = saved.strip_prefix("moved-")?;
    let (p, e) = rest.split_once('-')?;
    let (p, e): (usize, usize) = (p.parse().ok()?, e.parse().ok()?);
    Some(format!(
        "Moved {p} participant{} and {e} open episode{} to the new coach.",
        if p == 1 { "" } else { "s" },
        if e == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_number_or_nothing() {
        assert_eq!(optional_id(" 12 ", "coach"), Ok(Some(12)));
        assert_eq!(optional_id("", "coach"), Ok(None));
        assert!(optional_id("x", "coach").unwrap_err().contains("coach"));
    }

    #[test]
    fn a_move_says_what_moved() {
        assert_eq!(
            moved_message("moved-1-0").as_deref(),
            Some("Moved 1 participant and 0 open episodes to the new coach.")
        );
        assert_eq!(moved_message("moved-x-1"), None);
        assert_eq!(moved_message("saved"), None);
    }
}

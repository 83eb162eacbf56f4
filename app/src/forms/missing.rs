//! What the missing-information forms send (R17): an item to add
//! (`POST /episodes/{id}/missing-info`), and the day an item was gathered
//! (`POST /episodes/{id}/missing-info/{index}`).

use reengage_core::episode::MissingInfoKind;

use super::contract::form_contract;
use super::fields::{Fields, from_code};

form_contract! {
    /// What the form adding missing information sends.
    pub struct MissingForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub kind: String as KIND,
        #[serde(default)]
        pub description: String as DESCRIPTION,
    }
}

/// The longest description of missing information.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

impl MissingForm {
    /// What was typed, as the workspace gets it back with a refusal.
    pub fn fields(&self) -> Fields {
        let mut fields = Fields::default();
        fields.push(Self::KIND, self.kind.clone());
        fields.push(Self::DESCRIPTION, self.description.clone());
        fields
    }

    /// The episode version and the kind of information missing, or a sentence saying what to
    /// fix.
    pub fn parse(&self) -> Result<(i64, MissingInfoKind), String> {
        let version = self
            .version
            .parse::<i64>()
            .map_err(|_| "Reload the page and try again.".to_owned())?;
        let kind: MissingInfoKind =
            from_code(&self.kind).ok_or("Choose the kind of information from the list.")?;
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err("Say what is missing in at most 500 characters.".to_owned());
        }
        Ok((version, kind))
    }
}

/// The form marking an item gathered: the episode version and the day. Beside the staffing
/// form it is that form's button, and sends its fields along.
pub enum GatheredForm {}

impl GatheredForm {
    pub const VERSION: &'static str = "version";
    const GATHERED_ON: &'static str = "gathered_on_";

    /// The day item `index` was gathered.
    pub fn gathered_on(index: usize) -> String {
        format!("{}{index}", Self::GATHERED_ON)
    }

    /// Whether `name` is the day of an item gathered (of any item).
    pub fn is_gathered_on(name: &str) -> bool {
        name.starts_with(Self::GATHERED_ON)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r17_the_kind_of_information_or_what_to_fix() {
        let form = |version: &str, kind: &str, description: String| MissingForm {
            version: version.into(),
            kind: kind.into(),
            description,
        };
        assert_eq!(
            form("2", "ChildSafetyCheck", "check".into()).parse(),
            Ok((2, MissingInfoKind::ChildSafetyCheck))
        );
        assert_eq!(
            form("", "ChildSafetyCheck", String::new()).parse(),
            Err("Reload the page and try again.".into())
        );
        assert_eq!(
            form("2", "Rumour", String::new()).parse(),
            Err("Choose the kind of information from the list.".into())
        );
        assert_eq!(
            form("2", "ChildSafetyCheck", "x".repeat(501)).parse(),
            Err("Say what is missing in at most 500 characters.".into())
        );
    }

    #[test]
    fn the_day_of_an_item_gathered_is_named_by_its_index() {
        assert_eq!(GatheredForm::gathered_on(2), "gathered_on_2");
        assert!(GatheredForm::is_gathered_on(&GatheredForm::gathered_on(0)));
        assert!(!GatheredForm::is_gathered_on(GatheredForm::VERSION));
    }
}

//! How a plain-POST form's contract is declared: the struct the server decodes the form into
//! (and sends back with a refusal), and each field's name as a constant made from the same
//! declaration. A page writes `name=AttemptForm::ON`; renaming the field `on` then renames
//! what the page sends, and a constant renamed with it fails to compile wherever it is used.

use chrono::NaiveDate;
use reengage_core::parse_date_input;

/// Declares a form's contract: a serde struct with the same field names, optionality and
/// `#[serde(...)]` attributes as the form sends, and for each field `name: Type as NAME` the
/// constant `Form::NAME`, its name as sent, from `stringify!` of the field itself.
/// `Form::FIELDS` lists them all, in order.
macro_rules! form_contract {
    (
        $(#[$meta:meta])*
        pub struct $form:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty as $name:ident,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
        pub struct $form {
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $form {
            $(
                #[doc = concat!("The name the `", stringify!($field), "` field is sent under.")]
                pub const $name: &'static str = stringify!($field);
            )*

            /// Every field's name, in the order declared.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }
    };
}

pub(crate) use form_contract;

/// The episode version a form was filled on and the day it names, or what to do.
pub fn version_and_day(version: &str, on: &str) -> Result<(i64, NaiveDate), String> {
    let version = version
        .parse::<i64>()
        .map_err(|_| "Reload the episode and try again.".to_owned())?;
    let on = parse_date_input(on).map_err(|e| e.to_string())?;
    Ok((version, on))
}

#[cfg(test)]
mod tests {
    use super::*;

    form_contract! {
        /// A form for the test.
        pub struct Example {
            #[serde(default)]
            pub on: String as ON,
            /// Optional.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ticked: Option<String> as TICKED,
        }
    }

    #[test]
    fn each_name_is_the_fields_own_as_serde_sends_it() {
        assert_eq!((Example::ON, Example::TICKED), ("on", "ticked"));
        assert_eq!(Example::FIELDS, ["on", "ticked"]);
        let sent = Example {
            on: "2026-12-01".into(),
            ticked: Some("yes".into()),
        };
        let json = serde_json::to_value(&sent).unwrap();
        let names: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(names, Example::FIELDS);
        let back: Example = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!((back.on.as_str(), back.ticked), ("", None));
    }

    #[test]
    fn a_version_and_a_day_or_what_to_do() {
        assert_eq!(
            version_and_day("3", "2026-12-01"),
            Ok((3, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()))
        );
        assert_eq!(
            version_and_day("", "2026-12-01"),
            Err("Reload the episode and try again.".to_owned())
        );
        assert!(version_and_day("3", "soon").is_err());
    }
}

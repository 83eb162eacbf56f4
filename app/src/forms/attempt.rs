//! What the contact-attempt form sends (`POST /episodes/{id}/attempt`), and the attempt it
//! describes (R7, R9, R10; R5 for a contractor).

use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{Attempt, AttemptOutcome, ContactMethod, asks_for_window};
use reengage_core::parse_date_input;

use super::contract::form_contract;
use super::fields::from_code;

form_contract! {
    /// What the contact-attempt form sends (and is sent back with on a refusal).
    pub struct AttemptForm {
        #[serde(default)]
        pub version: String as VERSION,
        #[serde(default)]
        pub on: String as ON,
        #[serde(default)]
        pub method: String as METHOD,
        #[serde(default)]
        pub outcome: String as OUTCOME,
        #[serde(default)]
        pub window: Option<String> as WINDOW,
        #[serde(default)]
        pub note: Option<String> as NOTE,
    }
}

/// The longest note accepted on an attempt.
pub const MAX_NOTE_CHARS: usize = 2_000;

impl AttemptForm {
    /// The episode version and the attempt the form describes, or a sentence saying what to
    /// fix; `by_initials` and `by_contractor` say who made it (R5), from who is signed in.
    pub fn attempt(
        &self,
        by_initials: &str,
        by_contractor: bool,
    ) -> Result<(i64, Attempt), String> {
        let version = self
            .version
            .parse::<i64>()
            .map_err(|_| "Reload the episode and try again.".to_owned())?;
        let on = parse_date_input(&self.on).map_err(|e| e.to_string())?;
        let method: ContactMethod =
            from_code(&self.method).ok_or("Choose how you tried to reach them.")?;
        let outcome: AttemptOutcome = from_code(&self.outcome).ok_or("Choose what happened.")?;
        // R9: a window only where the form asks for one.
        let response_window = match (asks_for_window(method, outcome), self.window.as_deref()) {
            (true, Some(days)) if !days.is_empty() => Some(
                days.parse::<i64>()
                    .ok()
                    .and_then(|days| ResponseWindow::new(days).ok())
                    .ok_or("Choose a response window of 1, 2 or 3 business days (R9).")?,
            ),
            _ => None,
        };
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty())
            .map(str::to_owned);
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            return Err(format!(
                "A note can have at most {MAX_NOTE_CHARS} characters."
            ));
        }
        Ok((
            version,
            Attempt {
                on,
                method,
                outcome,
                response_window,
                by_initials: by_initials.to_owned(),
                note,
                by_contractor,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(outcome: &str, window: Option<&str>, note: Option<&str>) -> AttemptForm {
        AttemptForm {
            version: "4".into(),
            on: "2026-11-24".into(),
            method: "Phone".into(),
            outcome: outcome.into(),
            window: window.map(str::to_owned),
            note: note.map(str::to_owned),
        }
    }

    #[test]
    fn r9_the_attempt_has_a_window_only_where_the_form_asks_for_one() {
        let (version, left) = form("MessageLeft", Some("3"), Some("  called twice "))
            .attempt("CD", false)
            .unwrap();
        assert_eq!(version, 4);
        assert_eq!(left.response_window, ResponseWindow::new(3).ok());
        assert_eq!(left.note.as_deref(), Some("called twice"));
        assert_eq!(
            (left.by_initials.as_str(), left.by_contractor),
            ("CD", false)
        );
        let (_, unanswered) = form("NoAnswer", Some("3"), None)
            .attempt("CD", true)
            .unwrap();
        assert_eq!(unanswered.response_window, None);
        assert!(unanswered.by_contractor);
    }

    #[test]
    fn what_to_fix_in_a_sentence() {
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        let cases = [
            (
                AttemptForm {
                    version: String::new(),
                    ..form("MessageLeft", None, None)
                },
                "Reload the episode and try again.",
            ),
            (
                AttemptForm {
                    method: "Pigeon".into(),
                    ..form("MessageLeft", None, None)
                },
                "Choose how you tried to reach them.",
            ),
            (form("Shrug", None, None), "Choose what happened."),
            (
                form("MessageLeft", Some("9"), None),
                "Choose a response window of 1, 2 or 3 business days (R9).",
            ),
            (
                form("MessageLeft", None, Some(&long)),
                "A note can have at most 2000 characters.",
            ),
        ];
        for (form, said) in cases {
            assert_eq!(form.attempt("CD", false).unwrap_err(), said, "{form:?}");
        }
    }
}

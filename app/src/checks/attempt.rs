//! What the contact-attempt form says as it is filled in (R7, R9, R11): `core`'s hints
//! ("Follow-up due by …", the offsite-visit suggestion, the ONE request), and whether a
//! response window applies.

use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{AttemptOutcome, ContactMethod, asks_for_window, attempt_hints};
use reengage_core::parse_date_input;

use super::said::{Block, Group, Region, Said, hint_lines};
use crate::forms::attempt::AttemptForm;
use crate::forms::fields::{Fields, from_code};

/// What the form says for its fields: `core`'s hints (R7, R9, R11), and whether a response
/// window applies (R9: only to a message left).
pub fn said(phone_in_service: bool, calendar: &BusinessCalendar, fields: &Fields) -> Said {
    let method = from_code(fields.get(AttemptForm::METHOD)).unwrap_or(ContactMethod::Phone);
    let outcome =
        from_code(fields.get(AttemptForm::OUTCOME)).unwrap_or(AttemptOutcome::MessageLeft);
    let asks = asks_for_window(method, outcome);
    let hints = match parse_date_input(fields.get(AttemptForm::ON)) {
        Err(_) => vec!["Enter the date of the attempt.".to_owned()],
        Ok(day) => {
            let window = fields
                .get(AttemptForm::WINDOW)
                .parse::<i64>()
                .ok()
                .and_then(|days| ResponseWindow::new(days).ok())
                .unwrap_or(ResponseWindow::DEFAULT);
            hint_lines(attempt_hints(
                day,
                method,
                outcome,
                asks.then_some(window),
                phone_in_service,
                calendar,
            ))
        }
    };
    Said::default()
        .with(Region::Answer, vec![Block::hints(hints)])
        .off_when(Group::ResponseWindow, !asks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::said::Item;
    use crate::forms::fields::code;
    use reengage_core::calendar::Closure;

    fn fields(on: &str, method: ContactMethod, outcome: AttemptOutcome, window: &str) -> Fields {
        let mut fields = Fields::default();
        fields.push(AttemptForm::ON, on);
        fields.push(AttemptForm::METHOD, code(method));
        fields.push(AttemptForm::OUTCOME, code(outcome));
        fields.push(AttemptForm::WINDOW, window);
        fields
    }

    fn hints(said: &Said) -> Vec<String> {
        match said.blocks(Region::Answer) {
            [Block::List { items, .. }] => {
                items.iter().map(|Item { text, .. }| text.clone()).collect()
            }
            other => panic!("not a hints list: {other:?}"),
        }
    }

    #[test]
    fn r9_the_follow_up_is_counted_on_the_offices_calendar() {
        let oregon = BusinessCalendar::oregon();
        let tuesday = fields(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::MessageLeft,
            "2",
        );
        let said = said(true, &oregon, &tuesday);
        assert!(
            hints(&said)
                .iter()
                .any(|h| h.contains("Follow-up due by Monday, November 30, 2026")),
            "{said:?}"
        );
        // The office is closed on the Monday too: the follow-up moves to Tuesday.
        let iced = oregon.with_closures([Closure {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            name: "Ice storm".into(),
        }]);
        let said = super::said(true, &iced, &tuesday);
        assert!(
            hints(&said)
                .iter()
                .any(|h| h.contains("Follow-up due by Tuesday, December 1, 2026")),
            "{said:?}"
        );
    }

    #[test]
    fn r9_a_response_window_applies_only_to_a_message_left() {
        let calendar = BusinessCalendar::oregon();
        let left = fields(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::MessageLeft,
            "2",
        );
        assert!(!said(true, &calendar, &left).is_off(Group::ResponseWindow));
        // A disabled group is not sent: no window at all.
        let unanswered = fields(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::NoAnswer,
            "",
        );
        assert!(said(true, &calendar, &unanswered).is_off(Group::ResponseWindow));
        let undated = fields("", ContactMethod::Phone, AttemptOutcome::MessageLeft, "2");
        assert_eq!(
            hints(&said(true, &calendar, &undated)),
            vec!["Enter the date of the attempt.".to_owned()]
        );
    }
}

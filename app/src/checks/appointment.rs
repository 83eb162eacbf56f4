//! What the appointment form says for the day picked (R15, R16): when the DHS 7869 notice
//! must be mailed, or that the day is too soon — from `reengage_core::appointment_mail_by`,
//! the function the server's check uses.

use chrono::NaiveDate;
use reengage_core::{BusinessCalendar, appointment_mail_by, mail_by_words, parse_date_input};

use super::said::{Block, Region, Said};
use crate::forms::appointment::AppointmentForm;
use crate::forms::fields::Fields;

/// What the form says for the day picked: when the DHS 7869 notice must be mailed, or why the
/// day cannot be (R15, R16).
pub fn said(today: NaiveDate, calendar: &BusinessCalendar, fields: &Fields) -> Said {
    let answer = parse_date_input(fields.get(AppointmentForm::ON))
        .map_err(|problem| problem.to_string())
        .and_then(|day| {
            appointment_mail_by(day, today, calendar).map_err(|problem| problem.to_string())
        });
    let block = match answer {
        Ok(mail_by) => Block::text(
            "alert alert-info",
            format!(
                "Notice DHS 7869 must be mailed by {} (R15).",
                mail_by_words(mail_by, calendar)
            ),
        ),
        Err(problem) => Block::text("alert alert-error", problem),
    };
    Said::default().with(Region::Answer, vec![block])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::said::Block;
    use chrono::NaiveTime;
    use reengage_core::MailPickup;

    fn answer(today: &str, hour: u32, picked: &str) -> String {
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        let calendar = BusinessCalendar::oregon().with_mail_pickup(MailPickup::as_of(
            NaiveTime::from_hms_opt(15, 0, 0),
            today,
            NaiveTime::from_hms_opt(hour, 0, 0).unwrap(),
        ));
        let mut fields = Fields::default();
        fields.push(AppointmentForm::ON, picked);
        let said = said(today, &calendar, &fields);
        match said.blocks(Region::Answer) {
            [Block::Text { text, .. }] => text.clone(),
            other => panic!("one sentence expected, got {other:?}"),
        }
    }

    /// R15: the mail-by sentence names the office's pickup, and after the pickup the day
    /// before Thanksgiving no longer counts (the notice leaves on Monday 11-30).
    #[test]
    fn the_mail_by_sentence_names_the_pickup_and_counts_from_it() {
        assert_eq!(
            answer("2026-11-25", 10, "2026-12-02"),
            "Notice DHS 7869 must be mailed by Wednesday, November 25, 2026, before the 3:00 pm pickup (R15)."
        );
        assert_eq!(
            answer("2026-11-25", 16, "2026-12-02"),
            "Too soon for the 7-day notice: the earliest appointment is Monday, December 7, 2026 (R15)."
        );
    }
}

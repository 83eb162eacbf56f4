//! What the notice-mailed form says for the day entered (R15): in time for the appointment,
//! or late and what to do (reschedule) — from `reengage_core::notice_mailing`, the function
//! the server's check uses.

use chrono::NaiveDate;
use reengage_core::{BusinessCalendar, long_date, notice_mailing, parse_date_input};

use super::said::{Block, Region, Said};
use crate::forms::fields::Fields;
use crate::forms::notice_mailed::NoticeMailedForm;

/// What the form says for the day entered: in time for the appointment, or late and what to do
/// (R15).
pub fn said(
    today: NaiveDate,
    appointment: Option<NaiveDate>,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> Said {
    let answer = match appointment {
        None => Err(
            "There is no appointment yet. Schedule it before recording the notice (R15)."
                .to_owned(),
        ),
        Some(appointment) => parse_date_input(fields.get(NoticeMailedForm::ON))
            .map_err(|problem| problem.to_string())
            .and_then(|day| {
                notice_mailing(day, appointment, today, calendar)
                    .map_err(|problem| problem.to_string())
            })
            .map(|due| {
                format!(
                    "In time: at least 7 days before the appointment on {} (mail by {}, R15).",
                    long_date(appointment),
                    long_date(due)
                )
            }),
    };
    let block = match answer {
        Ok(text) => Block::text("alert alert-info", text),
        Err(problem) => Block::text("alert alert-error", problem),
    };
    Said::default().with(Region::Answer, vec![block])
}

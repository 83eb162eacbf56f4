//! What the appointment form says for the day picked (R15, R16): when the DHS 7869 notice
//! must be mailed, or that the day is too soon — from `reengage_core::appointment_mail_by`,
//! the function the server's check uses.

use chrono::NaiveDate;
use reengage_core::{BusinessCalendar, appointment_mail_by, long_date, parse_date_input};

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
                long_date(mail_by)
            ),
        ),
        Err(problem) => Block::text("alert alert-error", problem),
    };
    Said::default().with(Region::Answer, vec![block])
}

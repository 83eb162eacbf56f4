//! The re-engagement appointment notice, DHS 7869.
//!
//! R15: the notice must be mailed at least 7 calendar days before the appointment.
//! R16: the appointment is on a business day.
//! Counting (CALENDAR.md): the latest mailing day is the appointment minus 7 calendar days;
//! if nobody mails that day, move *back* to the previous business day, since moving forward
//! would shorten the notice.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::BusinessCalendar;
use crate::words::long_date;

/// The calendar-day notice period of R15.
pub const NOTICE_CALENDAR_DAYS: u64 = 7;

/// Why a notice date cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum NoticeError {
    /// R16: the appointment must fall on a day the office is open.
    #[error(
        "{} is not a business day. Choose a weekday the office is open for the re-engagement appointment (R16).",
        long_date(*.0)
    )]
    AppointmentNotBusinessDay(NaiveDate),
    /// The date is at the edge of the representable calendar.
    #[error("{} is outside the dates Re-engage can plan for.", long_date(*.0))]
    OutOfRange(NaiveDate),
}

impl NoticeError {
    /// The rule the error rests on: R16 for the appointment day, R15 otherwise.
    pub fn rule(&self) -> crate::rules::RuleId {
        match self {
            Self::AppointmentNotBusinessDay(_) => crate::rules::R16,
            Self::OutOfRange(_) => crate::rules::R15,
        }
    }
}

/// R15, R16: the last day the DHS 7869 notice can be mailed for an appointment on
/// `appointment`.
pub fn notice_mail_by(
    appointment: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, NoticeError> {
    if !calendar.is_business_day(appointment) {
        return Err(NoticeError::AppointmentNotBusinessDay(appointment));
    }
    appointment
        .checked_sub_days(Days::new(NOTICE_CALENDAR_DAYS))
        .and_then(|day| calendar.on_or_before(day).ok())
        .ok_or(NoticeError::OutOfRange(appointment))
}

/// R15, R16: the earliest appointment day for a notice mailed on `mailed`: seven calendar
/// days later, moved forward to the next business day.
pub fn earliest_appointment_for_mailing(
    mailed: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, NoticeError> {
    mailed
        .checked_add_days(Days::new(NOTICE_CALENDAR_DAYS))
        .and_then(|day| calendar.on_or_after(day).ok())
        .ok_or(NoticeError::OutOfRange(mailed))
}

/// Why an appointment picked on a given day cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppointmentProblem {
    #[error(transparent)]
    Notice(#[from] NoticeError),
    /// R15: the notice could no longer be mailed 7 days before it.
    #[error(
        "Too soon: if the notice is mailed today, the earliest appointment is {} (R15).",
        long_date(*earliest)
    )]
    TooSoon { earliest: NaiveDate },
}

/// R15, R16: for an appointment on `appointment` picked on `today`, the last day to mail the
/// DHS 7869 notice — or why that day cannot be given (not a business day, or too soon for
/// the notice). The scheduling form says this as the date is picked; the server refuses
/// with the same answer.
pub fn appointment_mail_by(
    appointment: NaiveDate,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, AppointmentProblem> {
    let mail_by = notice_mail_by(appointment, calendar)?;
    if mail_by < today {
        let earliest = earliest_appointment_for_mailing(today, calendar)?;
        return Err(AppointmentProblem::TooSoon { earliest });
    }
    Ok(mail_by)
}

/// Why a DHS 7869 mailing cannot be recorded for an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum MailingProblem {
    #[error(transparent)]
    Notice(#[from] NoticeError),
    /// R15: mailed fewer than 7 calendar days before the appointment; the fix is to
    /// reschedule it to `earliest` or later.
    #[error(
        "Mailed on {} is later than {}, fewer than 7 days before the appointment. Reschedule the appointment to {} or later (R15).",
        long_date(*mailed),
        long_date(*due),
        long_date(*earliest)
    )]
    Late {
        mailed: NaiveDate,
        due: NaiveDate,
        earliest: NaiveDate,
    },
}

/// R15: whether a notice mailed on `mailed` is in time for the appointment on
/// `appointment`; the last mailing day when it is. The notice form says this as the day is
/// picked; the server refuses with the same answer.
pub fn notice_mailing(
    mailed: NaiveDate,
    appointment: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, MailingProblem> {
    let due = notice_mail_by(appointment, calendar)?;
    if mailed > due {
        let earliest = earliest_appointment_for_mailing(mailed, calendar)?;
        return Err(MailingProblem::Late {
            mailed,
            due,
            earliest,
        });
    }
    Ok(due)
}

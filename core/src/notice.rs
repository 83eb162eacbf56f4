//! The re-engagement appointment notice, DHS 7869.
//!
//! R15: the notice must be mailed at least 7 calendar days before the appointment.
//! R16: the appointment is on a business day.
//!
//! R15 asks three different questions, each answered here once:
//! * *planning* — the mail-by day a coach is shown: the appointment minus 7 calendar days,
//!   moved *back* to the office's previous business day when nobody mails that day (moving
//!   forward would shorten the notice): [`notice_mail_by`];
//! * *recording* — a mailing that happened meets R15 when it is on or before the appointment
//!   minus 7, whatever weekday it was: [`notice_on_time`];
//! * *earliest appointment* — for a notice not yet mailed, counted from the next day the
//!   office can mail (today, if it is a business day): [`earliest_appointment_for_mailing`].
//!
//! The office's mail pickup ([`crate::calendar::MailPickup`]) counts in planning: once today's
//! pickup has gone, a notice put in the mail today leaves on the next business day, so today
//! is no longer a day the office can mail — neither the first mailing day nor a mail-by day.
//! The mail-by sentence names the pickup: "by Tuesday, December 1, before the 3:00 pm pickup"
//! ([`pickup_words`]). Recording a mailing that happened is not affected.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::BusinessCalendar;
use crate::words::{clock_time, long_date};

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
/// `appointment` — the appointment minus 7 calendar days, moved back to a day the office's
/// mail leaves (a business day whose pickup has not gone).
pub fn notice_mail_by(
    appointment: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, NoticeError> {
    if !calendar.is_business_day(appointment) {
        return Err(NoticeError::AppointmentNotBusinessDay(appointment));
    }
    appointment
        .checked_sub_days(Days::new(NOTICE_CALENDAR_DAYS))
        .and_then(|day| calendar.mailing_on_or_before(day).ok())
        .ok_or(NoticeError::OutOfRange(appointment))
}

/// R15: what the mail-by sentence adds for the office's pickup — ", before the 3:00 pm
/// pickup" — or nothing when the office has not set one.
pub fn pickup_words(calendar: &BusinessCalendar) -> String {
    match calendar.mail_pickup().at {
        Some(at) => format!(", before the {} pickup", clock_time(at)),
        None => String::new(),
    }
}

/// R15: the mail-by day as a sentence says it — "Tuesday, December 1, 2026, before the
/// 3:00 pm pickup".
pub fn mail_by_words(mail_by: NaiveDate, calendar: &BusinessCalendar) -> String {
    format!("{}{}", long_date(mail_by), pickup_words(calendar))
}

/// R15, recording: whether a notice actually mailed on `mailed` met the 7 calendar days
/// before the appointment on `appointment` — on or before the appointment minus 7, whatever
/// weekday it was (mailed on Thanksgiving, Thursday 2026-11-26, for Friday 2026-12-04 is on
/// time).
pub fn notice_on_time(mailed: NaiveDate, appointment: NaiveDate) -> bool {
    appointment
        .checked_sub_days(Days::new(NOTICE_CALENDAR_DAYS))
        .is_some_and(|last| mailed <= last)
}

/// R15: the first day on or after `day` the office can mail a notice: `day` itself if it is a
/// business day whose mail pickup has not gone, else the next business day.
pub fn first_mailing_day(
    day: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, NoticeError> {
    calendar
        .mailing_on_or_after(day)
        .map_err(|_| NoticeError::OutOfRange(day))
}

/// R15, R16, earliest appointment: for a notice not yet mailed on `day`, the earliest
/// appointment — counted from the next day the office can mail ([`first_mailing_day`]), plus
/// 7 calendar days, moved forward to a business day. On Thanksgiving 2026 (Thursday 11-26;
/// Friday 11-27 closed too) the office mails next on Monday 11-30, so the earliest appointment
/// is Monday 2026-12-07. It is always a day [`appointment_mail_by`] accepts on `day`.
pub fn earliest_appointment_for_mailing(
    day: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, NoticeError> {
    first_mailing_day(day, calendar)?
        .checked_add_days(Days::new(NOTICE_CALENDAR_DAYS))
        .and_then(|day| calendar.on_or_after(day).ok())
        .ok_or(NoticeError::OutOfRange(day))
}

/// Why an appointment picked on a given day cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppointmentProblem {
    #[error(transparent)]
    Notice(#[from] NoticeError),
    /// R15: the notice could no longer be mailed 7 days before it.
    #[error(
        "Too soon for the 7-day notice: the earliest appointment is {} (R15).",
        long_date(*earliest)
    )]
    TooSoon { earliest: NaiveDate },
}

/// R15, R16: for an appointment on `appointment` picked on `today`, the last day to mail the
/// DHS 7869 notice — or why that day cannot be given (not a business day, or too soon for a
/// notice mailed on the next day the office can mail). The scheduling form says this as the
/// date is picked; the server refuses with the same answer, and the earliest day it suggests
/// is one it accepts.
pub fn appointment_mail_by(
    appointment: NaiveDate,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, AppointmentProblem> {
    let mail_by = notice_mail_by(appointment, calendar)?;
    if mail_by < first_mailing_day(today, calendar)? {
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
    /// R15: mailed fewer than 7 calendar days before the appointment (`due` is the last day
    /// that would have met it); the fix is to reschedule it to `earliest` or later — the
    /// earliest a new notice mailed from today allows — and mail a new notice.
    #[error(
        "Mailed on {} is later than {}, fewer than 7 days before the appointment. Reschedule the appointment to {} or later and mail a new notice for it (R15).",
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

/// R15, recording: whether a notice mailed on `mailed` is in time for the appointment on
/// `appointment` ([`notice_on_time`]), recorded on `today`; the planning mail-by day when it
/// is. A late one is answered with the fix: the earliest appointment a new notice mailed from
/// `today` allows. The notice form says this as the day is picked; the server refuses with
/// the same answer.
pub fn notice_mailing(
    mailed: NaiveDate,
    appointment: NaiveDate,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, MailingProblem> {
    let planned = notice_mail_by(appointment, calendar)?;
    if !notice_on_time(mailed, appointment) {
        let due = appointment
            .checked_sub_days(Days::new(NOTICE_CALENDAR_DAYS))
            .ok_or(NoticeError::OutOfRange(appointment))?;
        let earliest = earliest_appointment_for_mailing(today.max(mailed), calendar)?;
        return Err(MailingProblem::Late {
            mailed,
            due,
            earliest,
        });
    }
    Ok(planned)
}

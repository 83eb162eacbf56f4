//! The deadlines of the re-engagement process, each a named function citing its rule.
//! Periods of business days exclude the day of the event (docs/rules.md, Business days).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::{BusinessCalendar, CalendarError};

/// R2: business days to attempt first contact after a missed activity or appointment.
pub const FIRST_CONTACT_BUSINESS_DAYS: u32 = 1;
/// R5: business days for a JOBS contractor's engagement contact.
pub const CONTRACTOR_CONTACT_BUSINESS_DAYS: u32 = 1;
/// R6: business days to contact after becoming aware of a pattern of noncooperation.
pub const NONCOOPERATION_CONTACT_BUSINESS_DAYS: u32 = 5;
/// R3: minutes after a missed PE appointment to call.
pub const PE_CALL_MINUTES: i64 = 10;
/// R8: the timeliness target for contact, in business days after the miss (a target, not a
/// gate: contact later still lets the plan be adjusted).
pub const ADJUST_PLAN_BUSINESS_DAYS: u32 = 2;
/// R12: business days without a reply after the second attempt before inviting.
pub const INVITE_AFTER_BUSINESS_DAYS: u32 = 3;

/// R9: the response window a coach chooses after leaving a message: 1 to 3 business days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "openapi", schema(value_type = u8, description = "Business days, 1 to 3 (R9)", example = 2))]
pub struct ResponseWindow(u8);

/// R9: a response window outside 1–3 business days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error(
    "A response window of {0} business days is not allowed: choose 1, 2 or 3 business days (R9)."
)]
pub struct WindowOutOfRange(pub i64);

impl ResponseWindow {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 3;
    /// The window the attempt form offers first.
    pub const DEFAULT: ResponseWindow = ResponseWindow(2);

    /// R9: 1, 2 or 3 business days.
    pub fn new(days: i64) -> Result<Self, WindowOutOfRange> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&days) {
            Ok(Self(days as u8))
        } else {
            Err(WindowOutOfRange(days))
        }
    }

    pub fn business_days(self) -> u32 {
        u32::from(self.0)
    }
}

impl TryFrom<u8> for ResponseWindow {
    type Error = WindowOutOfRange;
    fn try_from(days: u8) -> Result<Self, Self::Error> {
        Self::new(i64::from(days))
    }
}

impl From<ResponseWindow> for u8 {
    fn from(window: ResponseWindow) -> u8 {
        window.0
    }
}

/// R2: first contact is due by close of business of the first business day after the miss.
pub fn first_contact_due(
    missed_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_business_days(missed_on, FIRST_CONTACT_BUSINESS_DAYS)
}

/// R5: a JOBS contractor that learns of a missed activity with no call-ahead attempts an
/// engagement contact within one business day of the day it became aware (which may be after
/// the miss).
pub fn contractor_contact_due(
    learned_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_business_days(learned_on, CONTRACTOR_CONTACT_BUSINESS_DAYS)
}

/// R6: after becoming aware of a pattern of noncooperation, contact no more than five
/// business days later.
pub fn noncooperation_contact_due(
    aware_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_business_days(aware_on, NONCOOPERATION_CONTACT_BUSINESS_DAYS)
}

/// R3: for a missed JOBS (PE) appointment, call within ten minutes of the appointment time.
/// A nudge shown to the coach, not an enforced deadline.
pub fn missed_pe_call_by(appointment_at: NaiveDateTime) -> NaiveDateTime {
    appointment_at + TimeDelta::minutes(PE_CALL_MINUTES)
}

/// R9: after a message was left with no reply, the follow-up attempt is due when the chosen
/// response window has run.
pub fn follow_up_due(
    message_left_on: NaiveDate,
    window: ResponseWindow,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_business_days(message_left_on, window.business_days())
}

/// R8: the last day of the timeliness target for contact after a miss: two business days
/// after it. Contact by then is "met", later "late" — either way the plan can be adjusted.
pub fn adjust_plan_contact_by(
    missed_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_business_days(missed_on, ADJUST_PLAN_BUSINESS_DAYS)
}

/// R12: the day to invite the participant to a re-engagement appointment when there has
/// been no reply: three business days after the second attempt.
pub fn invite_to_reengagement_on(
    second_attempt_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_business_days(second_attempt_on, INVITE_AFTER_BUSINESS_DAYS)
}

//! The business calendar (CALENDAR.md): which days an office is open.
//!
//! A calendar is a value passed into every rule, never a global. For now it knows weekends
//! and closure days supplied as data; Oregon's legal holidays by rule come with the calendar
//! work that extends this type.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The days an office is open for business: Monday to Friday, except closure days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    closures: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    /// A calendar whose only non-business days are Saturdays and Sundays.
    pub fn weekends_only() -> Self {
        Self::default()
    }

    /// A calendar that is also closed on each of `closures` (holidays, office closures).
    pub fn with_closures(closures: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            closures: closures.into_iter().collect(),
        }
    }

    /// Whether the office is open on `date`: a weekday that is not a closure day.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.closures.contains(&date)
    }

    /// `date` itself when it is a business day, otherwise the last business day before it.
    /// `None` only at the very start of the representable calendar.
    pub fn on_or_before(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut day = date;
        while !self.is_business_day(day) {
            day = day.checked_sub_days(Days::new(1))?;
        }
        Some(day)
    }

    /// `date` itself when it is a business day, otherwise the first business day after it.
    /// `None` only at the very end of the representable calendar.
    pub fn on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut day = date;
        while !self.is_business_day(day) {
            day = day.checked_add_days(Days::new(1))?;
        }
        Some(day)
    }
}

//! The Oregon business calendar (docs/rules.md, Business days): which days an office is open, and how
//! periods of business days are counted.
//!
//! A calendar is a value passed into every rule, never a global: Oregon's legal holidays by
//! rule (ORS 187.010) with their weekend observance, the state-office closure on the day after
//! Thanksgiving, and any extra closure days an office supplies as data (ORS 187.020 days,
//! weather, emergencies).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The years the holiday rules are checked for.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A weekday on which the office is closed, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    pub date: NaiveDate,
    pub name: String,
}

/// Why a calendar question cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("{0} is outside the years Re-engage plans for (1990–2100).")]
    YearOutOfRange(i32),
    #[error("The date is outside the dates Re-engage can plan for.")]
    OutOfRange,
}

/// An office's outgoing-mail pickup (R15, docs/rules.md): the time of day the post picks up
/// the office's mail. After it, a notice put in the mail today leaves on the office's next
/// business day, so today no longer counts as a day the notice can be mailed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailPickup {
    /// The pickup time, office time; `None` when the office has not set one (then a notice
    /// mailed on a business day leaves that day, whatever the hour).
    pub at: Option<NaiveTime>,
    /// The day whose pickup has already gone: the office's today, once its clock reads `at`
    /// or later.
    pub gone_on: Option<NaiveDate>,
}

impl MailPickup {
    /// The pickup at `at` as it stands at office time `now` on the office's `today`.
    pub fn as_of(at: Option<NaiveTime>, today: NaiveDate, now: NaiveTime) -> Self {
        Self {
            at,
            gone_on: at.filter(|at| now >= *at).map(|_| today),
        }
    }
}

/// The days an office is open for business: Monday to Friday, except holidays and closures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    oregon_holidays: bool,
    closures: BTreeMap<NaiveDate, String>,
    /// The office's mail pickup: only the mailing questions of R15 read it.
    mail: MailPickup,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        Self::oregon()
    }
}

/// One of the fixed Oregon closures: its name and the day it falls in a year.
struct Rule {
    name: &'static str,
    /// The month the day falls in (an observed New Year's Day may fall on December 31).
    month: u32,
    /// The day itself, before weekend observance; `None` in a year it does not exist.
    day: fn(i32) -> Option<NaiveDate>,
    /// Whether a weekend date moves to the nearest weekday (ORS 187.010(2)).
    observed: bool,
}

const RULES: &[Rule] = &[
    Rule {
        name: "New Year's Day",
        month: 1,
        day: |y| ymd(y, 1, 1),
        observed: true,
    },
    Rule {
        name: "Martin Luther King Jr.'s Birthday",
        month: 1,
        day: |y| nth_weekday(y, 1, Weekday::Mon, 3),
        observed: false,
    },
    Rule {
        name: "Presidents Day",
        month: 2,
        day: |y| nth_weekday(y, 2, Weekday::Mon, 3),
        observed: false,
    },
    Rule {
        name: "Memorial Day",
        month: 5,
        day: |y| last_weekday(y, 5, Weekday::Mon),
        observed: false,
    },
    // HB 2168 (2021): Oregon first observed Juneteenth in 2022.
    Rule {
        name: "Juneteenth",
        month: 6,
        day: |y| if y >= 2022 { ymd(y, 6, 19) } else { None },
        observed: true,
    },
    Rule {
        name: "Independence Day",
        month: 7,
        day: |y| ymd(y, 7, 4),
        observed: true,
    },
    Rule {
        name: "Labor Day",
        month: 9,
        day: |y| nth_weekday(y, 9, Weekday::Mon, 1),
        observed: false,
    },
    Rule {
        name: "Veterans Day",
        month: 11,
        day: |y| ymd(y, 11, 11),
        observed: true,
    },
    Rule {
        name: "Thanksgiving Day",
        month: 11,
        day: |y| nth_weekday(y, 11, Weekday::Thu, 4),
        observed: false,
    },
    // Not a legal holiday, but a paid holiday for state employees: offices are closed.
    Rule {
        name: "Day after Thanksgiving",
        month: 11,
        day: |y| nth_weekday(y, 11, Weekday::Thu, 4).and_then(|d| d.succ_opt()),
        observed: false,
    },
    Rule {
        name: "Christmas Day",
        month: 12,
        day: |y| ymd(y, 12, 25),
        observed: true,
    },
];

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    nth_weekday(year, month, weekday, 5).or_else(|| nth_weekday(year, month, weekday, 4))
}

/// ORS 187.010(2): Saturday → the Friday before, Sunday → the Monday after.
fn observance(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date.pred_opt().unwrap_or(date),
        Weekday::Sun => date.succ_opt().unwrap_or(date),
        _ => date,
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// An Oregon closure on a weekday: its rule's name and whether it is an observed date.
#[derive(Clone, Copy)]
struct OregonClosure {
    date: NaiveDate,
    name: &'static str,
    observed: bool,
}

impl OregonClosure {
    fn named(self) -> (NaiveDate, String) {
        let name = if self.observed {
            format!("{} (observed)", self.name)
        } else {
            self.name.to_owned()
        };
        (self.date, name)
    }
}

/// The Oregon closures that fall on `year`'s weekdays, at their observed dates. A New Year's
/// Day on a Saturday is observed on December 31 of the year before, so it belongs there.
fn oregon_closures(year: i32) -> impl Iterator<Item = OregonClosure> {
    [year, year + 1].into_iter().flat_map(move |rule_year| {
        RULES.iter().filter_map(move |rule| {
            let actual = (rule.day)(rule_year)?;
            let date = if rule.observed {
                observance(actual)
            } else {
                actual
            };
            (date.year() == year && !is_weekend(date)).then_some(OregonClosure {
                date,
                name: rule.name,
                observed: date != actual,
            })
        })
    })
}

/// The Oregon closure on weekday `date`, if any: the same answer as looking `date` up in
/// [`oregon_closures`]. Deadlines ask this of every day they count (a branch page, thousands of
/// times), so the closures of [`SUPPORTED_YEARS`] are worked out once, into a table read by
/// date; a day outside them is worked out from the rules of its month.
fn oregon_closure_on(date: NaiveDate) -> Option<OregonClosure> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<NaiveDate, OregonClosure>> =
        std::sync::OnceLock::new();
    if !SUPPORTED_YEARS.contains(&date.year()) {
        return oregon_closure_by_rules(date);
    }
    TABLE
        .get_or_init(|| {
            SUPPORTED_YEARS
                .flat_map(oregon_closures)
                .map(|closure| (closure.date, closure))
                .collect()
        })
        .get(&date)
        .copied()
}

/// [`oregon_closure_on`] from the rules alone: only the rules of `date`'s month are tried (and
/// on December 31 the next New Year's Day).
fn oregon_closure_by_rules(date: NaiveDate) -> Option<OregonClosure> {
    let (year, month) = (date.year(), date.month());
    let new_years_eve = month == 12 && date.day() == 31;
    RULES
        .iter()
        .filter(|rule| rule.month == month || (new_years_eve && rule.month == 1))
        .find_map(|rule| {
            let rule_year = if rule.month < month { year + 1 } else { year };
            let actual = (rule.day)(rule_year)?;
            let observed = if rule.observed {
                observance(actual)
            } else {
                actual
            };
            (observed == date).then_some(OregonClosure {
                date,
                name: rule.name,
                observed: date != actual,
            })
        })
}

impl BusinessCalendar {
    /// Oregon's legal holidays and the day after Thanksgiving (the default calendar).
    pub fn oregon() -> Self {
        Self {
            oregon_holidays: true,
            closures: BTreeMap::new(),
            mail: MailPickup::default(),
        }
    }

    /// A calendar whose only non-business days are Saturdays and Sundays and the closures
    /// added to it. For tests and what-if questions, not for deadlines.
    pub fn weekends_only() -> Self {
        Self {
            oregon_holidays: false,
            closures: BTreeMap::new(),
            mail: MailPickup::default(),
        }
    }

    /// This calendar, also closed on each of `closures` (an office's own closure days).
    pub fn with_closures(mut self, closures: impl IntoIterator<Item = Closure>) -> Self {
        self.closures
            .extend(closures.into_iter().map(|c| (c.date, c.name)));
        self
    }

    /// This calendar with the office's mail pickup as it stands now (R15).
    pub fn with_mail_pickup(mut self, mail: MailPickup) -> Self {
        self.mail = mail;
        self
    }

    /// The office's mail pickup (R15), so a browser can rebuild the same calendar.
    pub fn mail_pickup(&self) -> MailPickup {
        self.mail
    }

    /// R15: whether a notice put in the mail on `date` leaves the office that day — a
    /// business day whose pickup has not gone yet.
    pub fn is_mailing_day(&self, date: NaiveDate) -> bool {
        self.is_business_day(date) && self.mail.gone_on != Some(date)
    }

    /// `date` itself when a notice mailed on it leaves that day, otherwise the last such day
    /// before it.
    pub fn mailing_on_or_before(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        while !self.is_mailing_day(day) {
            day = day.pred_opt().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(day)
    }

    /// `date` itself when a notice mailed on it leaves that day, otherwise the first such day
    /// after it.
    pub fn mailing_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        while !self.is_mailing_day(day) {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(day)
    }

    /// The office's own closure days added to this calendar (not the legal holidays), so a
    /// browser can rebuild the same calendar from the page's data.
    pub fn office_closures(&self) -> Vec<Closure> {
        self.closures
            .iter()
            .map(|(date, name)| Closure {
                date: *date,
                name: name.clone(),
            })
            .collect()
    }

    /// The name of the closure on `date`, if the office is closed that weekday.
    pub fn closure_name(&self, date: NaiveDate) -> Option<String> {
        if let Some(name) = self.closures.get(&date) {
            return Some(name.clone());
        }
        self.oregon_closure(date).map(|closure| closure.named().1)
    }

    fn oregon_closure(&self, date: NaiveDate) -> Option<OregonClosure> {
        if !self.oregon_holidays || is_weekend(date) {
            return None;
        }
        oregon_closure_on(date)
    }

    /// Whether the office is open on `date`.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date)
            && !self.closures.contains_key(&date)
            && self.oregon_closure(date).is_none()
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.on_or_after(date.succ_opt().ok_or(CalendarError::OutOfRange)?)
    }

    /// The last business day strictly before `date`.
    pub fn previous_business_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.on_or_before(date.pred_opt().ok_or(CalendarError::OutOfRange)?)
    }

    /// `date` itself when it is a business day, otherwise the last business day before it.
    pub fn on_or_before(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        while !self.is_business_day(day) {
            day = day.pred_opt().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(day)
    }

    /// `date` itself when it is a business day, otherwise the first business day after it.
    pub fn on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        while !self.is_business_day(day) {
            day = day.succ_opt().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(day)
    }

    /// The day `n` business days after `date`, the day of `date` itself not counted
    /// (docs/rules.md, Business days, ORS 174.120 style). `n = 0` gives `date` itself.
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        for _ in 0..n {
            day = self.next_business_day(day)?;
        }
        Ok(day)
    }

    /// How many business days lie after `from` up to and including `to`; negative when `to`
    /// is before `from`. `business_days_between(d, add_business_days(d, n)) == n`.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (start, end, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut count = 0;
        let mut day = start;
        while day < end {
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
            if self.is_business_day(day) {
                count += 1;
            }
        }
        sign * count
    }

    /// Every weekday of `year` the office is closed, sorted, with its name.
    pub fn closures_in_year(&self, year: i32) -> Result<Vec<Closure>, CalendarError> {
        if !SUPPORTED_YEARS.contains(&year) {
            return Err(CalendarError::YearOutOfRange(year));
        }
        let mut days: BTreeMap<NaiveDate, String> = BTreeMap::new();
        if self.oregon_holidays {
            days.extend(oregon_closures(year).map(OregonClosure::named));
        }
        for (date, name) in self
            .closures
            .range(ymd(year, 1, 1).unwrap_or(NaiveDate::MIN)..)
        {
            if date.year() != year {
                break;
            }
            if !is_weekend(*date) {
                days.entry(*date).or_insert_with(|| name.clone());
            }
        }
        Ok(days
            .into_iter()
            .map(|(date, name)| Closure { date, name })
            .collect())
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    /// The table of Oregon's closures answers exactly what the rules do, for every day of
    /// every supported year and at both ends of the range.
    #[test]
    fn the_closures_table_answers_as_the_rules_do_every_day_of_every_supported_year() {
        let mut day = NaiveDate::from_ymd_opt(*SUPPORTED_YEARS.start(), 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(*SUPPORTED_YEARS.end(), 12, 31).unwrap();
        let mut closures = 0;
        while day <= end {
            if !is_weekend(day) {
                let table = oregon_closure_on(day).map(|c| (c.date, c.name, c.observed));
                let rules = oregon_closure_by_rules(day).map(|c| (c.date, c.name, c.observed));
                assert_eq!(table, rules, "{day}");
                closures += usize::from(table.is_some());
            }
            day = day.succ_opt().unwrap();
        }
        // About eleven a year on weekdays.
        assert!(closures > 10 * SUPPORTED_YEARS.count(), "{closures}");
        // Outside the table, the rules still answer: Christmas 2101 is a Sunday, observed Monday.
        let observed = NaiveDate::from_ymd_opt(2101, 12, 26).unwrap();
        assert!(oregon_closure_on(observed).is_some_and(|c| c.observed));
    }
}

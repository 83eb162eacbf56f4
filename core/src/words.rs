//! Dates in the words a caseworker reads: "Tuesday, December 1, 2026".
//!
//! Written out here rather than through a formatting library so the browser build stays
//! small and both sides render the very same text.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of a weekday.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// "Tuesday, December 1, 2026".
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{}, {} {}, {}",
        weekday_name(date.weekday()),
        MONTHS[date.month0() as usize],
        date.day(),
        date.year()
    )
}

/// "3:00 pm", "10:30 am": a time of day as a caseworker reads it.
pub fn clock_time(time: NaiveTime) -> String {
    time.format("%-I:%M %P").to_string()
}

/// "Monday, November 30" — a deadline near `today`; the year is added when it differs.
pub fn due_date(date: NaiveDate, today: NaiveDate) -> String {
    let short = format!(
        "{}, {} {}",
        weekday_name(date.weekday()),
        MONTHS[date.month0() as usize],
        date.day()
    );
    if date.year() == today.year() {
        short
    } else {
        format!("{short}, {}", date.year())
    }
}

/// "1 business day", "3 business days".
pub fn business_days(n: i64) -> String {
    if n == 1 {
        "1 business day".to_owned()
    } else {
        format!("{n} business days")
    }
}

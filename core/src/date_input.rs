//! Reading a date a person typed or picked, with a message that tells them what to do.
//!
//! Browsers send `<input type="date">` values as `YYYY-MM-DD`; the same parser serves the
//! page (as the person types) and the server (for a date in the URL or a form).

use chrono::{NaiveDate, NaiveTime};
use thiserror::Error;

/// Why a typed date could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateInputError {
    #[error("Enter a date.")]
    Empty,
    #[error("“{0}” is not a date. Enter it as year-month-day, for example 2026-12-08.")]
    NotADate(String),
    #[error("“{0}” is not a time. Enter hours and minutes, for example 10:00.")]
    NotATime(String),
}

/// Parses `YYYY-MM-DD` (surrounding spaces ignored).
pub fn parse_date_input(text: &str) -> Result<NaiveDate, DateInputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DateInputError::Empty);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        // Keep the echo short: the message is shown on a phone.
        let shown: String = text.chars().take(40).collect();
        DateInputError::NotADate(shown)
    })
}

/// Parses an optional time of day as `<input type="time">` sends it (`HH:MM` or
/// `HH:MM:SS`); empty is none.
pub fn parse_time_input(text: &str) -> Result<Option<NaiveTime>, DateInputError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map(Some)
        .map_err(|_| DateInputError::NotATime(text.chars().take(40).collect()))
}

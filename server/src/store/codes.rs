//! How `core`'s values are written in columns: dates as `YYYY-MM-DD`, times as `HH:MM`,
//! enums by their names in `core` (`MissedFirstActivity`), flags as 0/1.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use serde::{Serialize, de::DeserializeOwned};

use super::StoreError;

/// An enum's name as stored.
pub fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => unreachable!("only unit enums are stored as codes, got {other:?}"),
    }
}

/// The enum value of a stored name.
pub fn from_code<T: DeserializeOwned>(column: &'static str, name: &str) -> Result<T, StoreError> {
    reengage_core::codes::from_code(name).ok_or_else(|| StoreError::Corrupt {
        column,
        value: name.to_owned(),
    })
}

pub fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn parse_day(column: &'static str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::Corrupt {
        column,
        value: text.to_owned(),
    })
}

pub fn parse_optional_day(
    column: &'static str,
    text: Option<String>,
) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| parse_day(column, &t)).transpose()
}

pub fn time(value: NaiveTime) -> String {
    value.format("%H:%M").to_string()
}

pub fn parse_optional_time(
    column: &'static str,
    text: Option<String>,
) -> Result<Option<NaiveTime>, StoreError> {
    text.map(|t| {
        NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| StoreError::Corrupt {
            column,
            value: t.clone(),
        })
    })
    .transpose()
}

pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub fn optional_flag(value: Option<bool>) -> Option<i64> {
    value.map(flag)
}

/// An instant as stored: UTC, ISO-8601, microseconds (`2026-11-24T20:00:00.000000Z`).
pub fn instant(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Micros, true)
}

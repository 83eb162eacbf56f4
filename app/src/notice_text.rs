//! The DHS 7869 notice's words in each language the agency prints it in (`app/notices/*.txt`,
//! one file per language, named by its ISO 639-1 code). English is the reference: every file
//! has its keys and, in each text, the same `{braces}` (checked by this module's tests).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

mod files {
    include!(concat!(env!("OUT_DIR"), "/notices.rs"));
}

/// The language every participant's notice is in unless their record says otherwise.
pub const ENGLISH: &str = "en";

/// One language's notice text.
#[derive(Debug)]
pub struct NoticeText {
    /// Its ISO 639-1 code: `en`, `es`.
    pub code: &'static str,
    texts: HashMap<&'static str, &'static str>,
}

/// Reads a language file: `key = text` lines; `#` lines and blank lines are comments.
fn parse(code: &'static str, file: &'static str) -> NoticeText {
    let texts = file
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, text)| (key.trim(), text.trim()))
        .collect();
    NoticeText { code, texts }
}

/// Every language, English first, then by code.
pub fn languages() -> &'static [NoticeText] {
    static ALL: OnceLock<Vec<NoticeText>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<NoticeText> = files::FILES
            .iter()
            .map(|(code, file)| parse(code, file))
            .collect();
        all.sort_by_key(|text| (text.code != ENGLISH, text.code));
        all
    })
}

/// The language `code`, if the notice is printed in it.
pub fn language(code: &str) -> Option<&'static NoticeText> {
    languages().iter().find(|text| text.code == code)
}

/// The language `code`, else English.
pub fn language_or_english(code: &str) -> &'static NoticeText {
    language(code)
        .or_else(|| language(ENGLISH))
        .expect("app/notices/en.txt")
}

impl NoticeText {
    /// The text of `key` (the English one where this file lacks it: never blank on paper).
    pub fn get(&self, key: &str) -> &'static str {
        self.texts
            .get(key)
            .copied()
            .or_else(|| {
                (self.code != ENGLISH)
                    .then(|| language(ENGLISH).and_then(|en| en.texts.get(key).copied()))
                    .flatten()
            })
            .unwrap_or_default()
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.get(key).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// The language's own name: "English", "Español".
    pub fn name(&self) -> &'static str {
        self.get("name")
    }

    /// The language's name in English, for staff: "Spanish".
    pub fn name_in_english(&self) -> &'static str {
        self.get("name_in_english")
    }

    fn nth(&self, key: &str, index: usize) -> &'static str {
        self.get(key)
            .split(',')
            .nth(index)
            .map(str::trim)
            .unwrap_or_default()
    }

    /// A date as the notice writes it: "Tuesday, December 8, 2026", "martes 8 de diciembre de 2026".
    pub fn long_date(&self, date: NaiveDate) -> String {
        let weekday = self.nth("weekdays", date.weekday().num_days_from_monday() as usize);
        let month = self.nth("months", date.month0() as usize);
        self.fill(
            "long_date",
            &[
                ("weekday", weekday),
                ("month", month),
                ("day", &date.day().to_string()),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// A time of day as the notice writes it: "10:00 am", "10:00 a. m.".
    pub fn clock(&self, time: NaiveTime) -> String {
        let (pm, hour) = time.hour12();
        self.fill(
            "clock",
            &[
                ("hour", &hour.to_string()),
                ("minute", &format!("{:02}", time.minute())),
                ("half", self.get(if pm { "pm" } else { "am" })),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{braces}` of a text, sorted.
    fn braces(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_language_has_every_english_key_with_the_same_braces() {
        let english = language(ENGLISH).expect("English");
        assert!(languages().len() >= 2, "English and Spanish at least");
        for text in languages() {
            assert_eq!(text.code.len(), 2, "{}: an ISO 639-1 code", text.code);
            for (key, reference) in &english.texts {
                let own = text
                    .texts
                    .get(key)
                    .unwrap_or_else(|| panic!("{}.txt has no {key}", text.code));
                assert!(!own.is_empty(), "{}.txt: {key} is blank", text.code);
                assert_eq!(braces(own), braces(reference), "{}.txt: {key}", text.code);
            }
            for key in text.texts.keys() {
                assert!(
                    english.texts.contains_key(key),
                    "{}.txt: unknown key {key}",
                    text.code
                );
            }
            assert_eq!(text.get("weekdays").split(',').count(), 7, "{}", text.code);
            assert_eq!(text.get("months").split(',').count(), 12, "{}", text.code);
        }
    }

    #[test]
    fn dates_and_times_are_written_in_the_language() {
        let on = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let at = NaiveTime::from_hms_opt(15, 5, 0).unwrap();
        let english = language_or_english("en");
        assert_eq!(english.long_date(on), "Tuesday, December 8, 2026");
        assert_eq!(english.long_date(on), reengage_core::long_date(on));
        assert_eq!(english.clock(at), "3:05 pm");
        let spanish = language("es").expect("Spanish");
        assert_eq!(spanish.long_date(on), "martes 8 de diciembre de 2026");
        assert_eq!(
            spanish.long_date(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            "viernes 1 de enero de 2027"
        );
        assert_eq!(
            spanish.clock(NaiveTime::from_hms_opt(9, 30, 0).unwrap()),
            "9:30 a. m."
        );
        assert_eq!(spanish.name(), "Español");
        assert_eq!(spanish.name_in_english(), "Spanish");
    }

    #[test]
    fn an_unknown_language_prints_in_english() {
        assert_eq!(language_or_english("xx").code, "en");
        assert!(language("xx").is_none());
        let spanish = language("es").unwrap();
        assert_eq!(
            spanish.fill("missed", &[("what", "orientación"), ("missed_on", "lunes")]),
            "Usted faltó a la actividad «orientación» del lunes. Queremos ayudarle a volver a participar en su plan. Por favor, venga a una cita de reincorporación:"
        );
    }
}

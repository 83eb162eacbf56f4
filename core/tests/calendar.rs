//! The Oregon business calendar (docs/rules.md, Business days) and the deadline functions, from hand-checked
//! tables, natively and in wasm32.

use chrono::{NaiveDate, NaiveDateTime};
use reengage_core::calendar::{BusinessCalendar, CalendarError, Closure};
use reengage_core::deadlines::*;
use reengage_core::{earliest_appointment_for_mailing, notice_mail_by};
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn oregon() -> BusinessCalendar {
    BusinessCalendar::oregon()
}

fn closures(year: i32) -> Vec<(String, String)> {
    oregon()
        .closures_in_year(year)
        .unwrap()
        .into_iter()
        .map(|c| (c.date.to_string(), c.name))
        .collect()
}

fn table(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn worked_years_2025_2026_2027() {
    assert_eq!(
        closures(2025),
        table(&[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-20", "Martin Luther King Jr.'s Birthday"),
            ("2025-02-17", "Presidents Day"),
            ("2025-05-26", "Memorial Day"),
            ("2025-06-19", "Juneteenth"),
            ("2025-07-04", "Independence Day"),
            ("2025-09-01", "Labor Day"),
            ("2025-11-11", "Veterans Day"),
            ("2025-11-27", "Thanksgiving Day"),
            ("2025-11-28", "Day after Thanksgiving"),
            ("2025-12-25", "Christmas Day"),
        ])
    );
    assert_eq!(
        closures(2026),
        table(&[
            ("2026-01-01", "New Year's Day"),
            ("2026-01-19", "Martin Luther King Jr.'s Birthday"),
            ("2026-02-16", "Presidents Day"),
            ("2026-05-25", "Memorial Day"),
            ("2026-06-19", "Juneteenth"),
            ("2026-07-03", "Independence Day (observed)"),
            ("2026-09-07", "Labor Day"),
            ("2026-11-11", "Veterans Day"),
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-11-27", "Day after Thanksgiving"),
            ("2026-12-25", "Christmas Day"),
        ])
    );
    assert_eq!(
        closures(2027),
        table(&[
            ("2027-01-01", "New Year's Day"),
            ("2027-01-18", "Martin Luther King Jr.'s Birthday"),
            ("2027-02-15", "Presidents Day"),
            ("2027-05-31", "Memorial Day"),
            ("2027-06-18", "Juneteenth (observed)"),
            ("2027-07-05", "Independence Day (observed)"),
            ("2027-09-06", "Labor Day"),
            ("2027-11-11", "Veterans Day"),
            ("2027-11-25", "Thanksgiving Day"),
            ("2027-11-26", "Day after Thanksgiving"),
            ("2027-12-24", "Christmas Day (observed)"),
            ("2027-12-31", "New Year's Day (observed)"),
        ])
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn new_years_day_on_a_saturday_is_observed_the_year_before() {
    let cal = oregon();
    // 2022-01-01 was a Saturday: observed Friday 2021-12-31; 2022 has no January 1 closure.
    assert!(!cal.is_business_day(d("2021-12-31")));
    assert_eq!(
        cal.closure_name(d("2021-12-31")).as_deref(),
        Some("New Year's Day (observed)")
    );
    assert!(closures(2021).contains(&("2021-12-31".into(), "New Year's Day (observed)".into())));
    assert!(
        !closures(2022)
            .iter()
            .any(|(date, _)| date.starts_with("2022-01-0"))
    );
    assert!(cal.is_business_day(d("2022-01-03")));
    // 2028-01-01 is a Saturday too.
    assert!(!cal.is_business_day(d("2027-12-31")));
    // A Sunday New Year's Day (2023) is observed on Monday January 2.
    assert_eq!(
        cal.closure_name(d("2023-01-02")).as_deref(),
        Some("New Year's Day (observed)")
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn juneteenth_from_2022_and_no_columbus_day() {
    let cal = oregon();
    assert!(
        cal.is_business_day(d("2021-06-18")),
        "2021: not yet an Oregon holiday"
    );
    assert!(
        !closures(2021)
            .iter()
            .any(|(_, name)| name.starts_with("Juneteenth"))
    );
    // 2022-06-19 was a Sunday: observed Monday 06-20.
    assert_eq!(
        cal.closure_name(d("2022-06-20")).as_deref(),
        Some("Juneteenth (observed)")
    );
    assert!(!cal.is_business_day(d("2023-06-19")));
    // Columbus Day, 2nd Monday of October, is a federal holiday only.
    assert!(cal.is_business_day(d("2026-10-12")));
    assert!(cal.is_business_day(d("2027-10-11")));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn office_closures_are_data() {
    let snow = Closure {
        date: d("2026-12-16"),
        name: "Weather closure".into(),
    };
    let saturday = Closure {
        date: d("2026-12-19"),
        name: "Saturday event".into(),
    };
    let office = oregon().with_closures([snow.clone(), saturday.clone()]);
    assert!(!office.is_business_day(d("2026-12-16")));
    // The office's own days, as a page hands them to the browser to rebuild the calendar.
    assert_eq!(office.office_closures(), vec![snow.clone(), saturday]);
    let rebuilt = oregon().with_closures(office.office_closures());
    assert!(!rebuilt.is_business_day(d("2026-12-16")));
    assert_eq!(oregon().office_closures(), vec![]);
    assert!(
        oregon().is_business_day(d("2026-12-16")),
        "other offices stay open"
    );
    assert_eq!(
        office.closure_name(d("2026-12-16")).as_deref(),
        Some("Weather closure")
    );
    let year = office.closures_in_year(2026).unwrap();
    assert_eq!(
        year.len(),
        12,
        "the weekday closure is listed; the Saturday is not"
    );
    assert!(year.windows(2).all(|w| w[0].date < w[1].date));
    // Weekends only, plus data: no Oregon holidays.
    let bare = BusinessCalendar::weekends_only();
    assert!(bare.is_business_day(d("2026-12-25")));
    assert_eq!(bare.closures_in_year(2026), Ok(vec![]));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn supported_years_are_1990_to_2100() {
    let cal = oregon();
    assert_eq!(
        cal.closures_in_year(1989),
        Err(CalendarError::YearOutOfRange(1989))
    );
    assert_eq!(
        cal.closures_in_year(2101),
        Err(CalendarError::YearOutOfRange(2101))
    );
    // 1990: New Year's Day on a Monday; no Juneteenth.
    let first = cal.closures_in_year(1990).unwrap();
    assert_eq!(
        first[0],
        Closure {
            date: d("1990-01-01"),
            name: "New Year's Day".into()
        }
    );
    assert_eq!(first.len(), 10);
    // 2100: Christmas on a Saturday → Friday 12-24; New Year's Day 2101, also a Saturday,
    // is observed on Friday 2100-12-31.
    let last = cal.closures_in_year(2100).unwrap();
    let tail: Vec<_> = last[last.len() - 2..]
        .iter()
        .map(|c| (c.date, c.name.as_str()))
        .collect();
    assert_eq!(
        tail,
        vec![
            (d("2100-12-24"), "Christmas Day (observed)"),
            (d("2100-12-31"), "New Year's Day (observed)"),
        ]
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn stepping_through_business_days() {
    let cal = oregon();
    assert_eq!(cal.next_business_day(d("2026-11-25")), Ok(d("2026-11-30")));
    assert_eq!(
        cal.previous_business_day(d("2026-11-30")),
        Ok(d("2026-11-25"))
    );
    assert_eq!(cal.next_business_day(d("2026-12-31")), Ok(d("2027-01-04")));
    assert_eq!(
        cal.previous_business_day(d("2027-01-04")),
        Ok(d("2026-12-31"))
    );
    // Christmas observed Friday 2027-12-24.
    assert_eq!(cal.next_business_day(d("2027-12-23")), Ok(d("2027-12-27")));
    // New Year's observed Friday 2027-12-31.
    assert_eq!(cal.next_business_day(d("2027-12-30")), Ok(d("2028-01-03")));
    assert_eq!(
        cal.add_business_days(d("2026-11-28"), 0),
        Ok(d("2026-11-28"))
    );
    assert_eq!(
        cal.add_business_days(d("2026-11-25"), 3),
        Ok(d("2026-12-02"))
    );
    // 12-24, (Christmas), 12-28, 12-29, 12-30, 12-31.
    assert_eq!(
        cal.add_business_days(d("2026-12-23"), 5),
        Ok(d("2026-12-31"))
    );
    assert_eq!(
        cal.business_days_between(d("2026-11-25"), d("2026-12-02")),
        3
    );
    assert_eq!(
        cal.business_days_between(d("2026-12-02"), d("2026-11-25")),
        -3
    );
    assert_eq!(
        cal.business_days_between(d("2026-11-26"), d("2026-11-29")),
        0
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_first_contact_due() {
    let cal = oregon();
    for (missed, due) in [
        ("2026-11-25", "2026-11-30"), // docs/rules.md, Business days: Thursday and Friday are closures
        ("2026-11-23", "2026-11-24"),
        ("2026-11-20", "2026-11-23"), // Friday → Monday
        ("2026-11-21", "2026-11-23"), // a Saturday miss counts from the next day
        ("2026-11-26", "2026-11-30"), // a miss on Thanksgiving
        ("2026-12-31", "2027-01-04"), // New Year's Day
        ("2027-12-30", "2028-01-03"), // New Year's observed on 2027-12-31
        ("2026-07-02", "2026-07-06"), // Independence Day observed on Friday 07-03
    ] {
        assert_eq!(first_contact_due(d(missed), &cal), Ok(d(due)), "{missed}");
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r5_contractor_contact_due() {
    let cal = oregon();
    assert_eq!(
        contractor_contact_due(d("2026-11-25"), &cal),
        Ok(d("2026-11-30"))
    );
    assert_eq!(
        contractor_contact_due(d("2026-12-24"), &cal),
        Ok(d("2026-12-28"))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r6_noncooperation_contact_due() {
    let cal = oregon();
    // Thanksgiving week: 11-24, 11-25, 11-30, 12-01, 12-02.
    assert_eq!(
        noncooperation_contact_due(d("2026-11-23"), &cal),
        Ok(d("2026-12-02"))
    );
    // Christmas and New Year's: 12-28, 12-29, 12-30, 12-31, 2027-01-04.
    assert_eq!(
        noncooperation_contact_due(d("2026-12-24"), &cal),
        Ok(d("2027-01-04"))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r3_call_within_ten_minutes_of_a_missed_pe_appointment() {
    let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    assert_eq!(
        missed_pe_call_by(at("2026-11-24 09:00")),
        at("2026-11-24 09:10")
    );
    assert_eq!(
        missed_pe_call_by(at("2026-12-31 23:55")),
        at("2027-01-01 00:05")
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_response_window_and_follow_up() {
    let cal = oregon();
    assert_eq!(ResponseWindow::new(0), Err(WindowOutOfRange(0)));
    assert_eq!(ResponseWindow::new(4), Err(WindowOutOfRange(4)));
    assert_eq!(ResponseWindow::new(-1), Err(WindowOutOfRange(-1)));
    assert_eq!(
        WindowOutOfRange(4).to_string(),
        "A response window of 4 business days is not allowed: choose 1, 2 or 3 business days (R9)."
    );
    assert_eq!(ResponseWindow::DEFAULT.business_days(), 2);
    for (left, window, due) in [
        ("2026-11-25", 1, "2026-11-30"),
        ("2026-11-25", 2, "2026-12-01"),
        ("2026-11-25", 3, "2026-12-02"),
        ("2026-12-23", 3, "2026-12-29"),
        ("2026-11-10", 1, "2026-11-12"), // Veterans Day
    ] {
        let window = ResponseWindow::new(window).unwrap();
        assert_eq!(
            follow_up_due(d(left), window, &cal),
            Ok(d(due)),
            "{left} + {window:?}"
        );
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_contact_in_two_business_days_to_adjust_the_plan() {
    let cal = oregon();
    // The R8 target: two business days after a miss on the Wednesday before Thanksgiving.
    assert_eq!(
        adjust_plan_contact_by(d("2026-11-25"), &cal),
        Ok(d("2026-12-01"))
    );
    // Across the year end: a miss on Wednesday 2026-12-30 → Monday 2027-01-04 (New Year's
    // Day, Friday, closed).
    assert_eq!(
        adjust_plan_contact_by(d("2026-12-30"), &cal),
        Ok(d("2027-01-04"))
    );
    // A miss on a Saturday counts from Monday.
    assert_eq!(
        adjust_plan_contact_by(d("2026-11-21"), &cal),
        Ok(d("2026-11-24"))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r12_invite_three_business_days_after_the_second_attempt() {
    let cal = oregon();
    assert_eq!(
        invite_to_reengagement_on(d("2026-11-24"), &cal),
        Ok(d("2026-12-01"))
    );
    assert_eq!(
        invite_to_reengagement_on(d("2026-12-30"), &cal),
        Ok(d("2027-01-05"))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_r16_notice_on_the_oregon_calendar() {
    let cal = oregon();
    assert_eq!(notice_mail_by(d("2026-12-08"), &cal), Ok(d("2026-12-01")));
    assert_eq!(notice_mail_by(d("2026-12-04"), &cal), Ok(d("2026-11-25")));
    // Minus 7 is New Year's Day 2027 → Thursday 2026-12-31.
    assert_eq!(notice_mail_by(d("2027-01-08"), &cal), Ok(d("2026-12-31")));
    // Minus 7 is Veterans Day (Wednesday) → Tuesday.
    assert_eq!(notice_mail_by(d("2026-11-18"), &cal), Ok(d("2026-11-10")));
    assert!(
        notice_mail_by(d("2026-12-25"), &cal).is_err(),
        "R16: Christmas"
    );
    assert!(
        notice_mail_by(d("2027-12-31"), &cal).is_err(),
        "R16: New Year's observed"
    );
    // Mailed the Friday before Thanksgiving week: +7 is Friday 11-27, closed → Monday.
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-11-20"), &cal),
        Ok(d("2026-11-30"))
    );
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-12-24"), &cal),
        Ok(d("2026-12-31"))
    );
}

/// Every day of every supported year: whether the office is open, and the name of the day it
/// is closed, agree with that year's list of closures (the day-by-day lookup deadlines use
/// tries only the rules of the day's month, and the next New Year's Day on December 31).
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn each_day_agrees_with_its_years_closures_1990_to_2100() {
    use chrono::Datelike;
    let cal = oregon();
    let mut closed = 0;
    for year in reengage_core::calendar::SUPPORTED_YEARS {
        let list = cal.closures_in_year(year).unwrap();
        let mut day = d(&format!("{year}-01-01"));
        while day.year() == year {
            let listed = list.iter().find(|c| c.date == day).map(|c| c.name.clone());
            let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
            assert_eq!(cal.closure_name(day), listed, "{day}");
            assert_eq!(
                cal.is_business_day(day),
                !weekend && listed.is_none(),
                "{day}"
            );
            closed += usize::from(listed.is_some());
            day = day.succ_opt().unwrap();
        }
    }
    // Eleven closures a year, less those that fall on a weekend unobserved.
    assert!((111 * 9..=111 * 11).contains(&closed), "{closed}");
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn new_years_day_on_a_saturday_is_observed_the_friday_before() {
    // 2022-01-01 and 2028-01-01 are Saturdays.
    assert_eq!(
        oregon().closure_name(d("2021-12-31")).as_deref(),
        Some("New Year's Day (observed)")
    );
    assert!(!oregon().is_business_day(d("2027-12-31")));
    assert!(oregon().is_business_day(d("2026-12-31")));
}

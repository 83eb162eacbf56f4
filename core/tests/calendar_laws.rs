//! Laws of the business calendar, checked on random dates from 1990 to 2100 (proptest).
//! Native only: the table tests in `calendar.rs` run in wasm32 as well.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use reengage_core::{BusinessCalendar, notice_mail_by};

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap();
    let span = (last - first).num_days() as u64;
    (0..=span).prop_map(move |offset| first + Days::new(offset))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn adding_business_days_lands_on_business_days_in_order(date in any_date(), n in 0u32..=366) {
        let cal = BusinessCalendar::oregon();
        let end = cal.add_business_days(date, n).unwrap();
        if n >= 1 {
            prop_assert!(cal.is_business_day(end));
            let before = cal.add_business_days(date, n - 1).unwrap();
            prop_assert!(before < end, "strictly increasing in n");
        } else {
            prop_assert_eq!(end, date);
        }
        prop_assert_eq!(cal.business_days_between(date, end), i64::from(n));
        prop_assert_eq!(cal.business_days_between(end, date), -i64::from(n));
    }

    #[test]
    fn next_and_previous_business_days_skip_nothing(date in any_date()) {
        let cal = BusinessCalendar::oregon();
        let next = cal.next_business_day(date).unwrap();
        let previous = cal.previous_business_day(date).unwrap();
        prop_assert!(next > date && cal.is_business_day(next));
        prop_assert!(previous < date && cal.is_business_day(previous));
        prop_assert_eq!(cal.business_days_between(date, next), 1);
        prop_assert_eq!(cal.business_days_between(previous, date), i64::from(cal.is_business_day(date)));
        // At most a four-day weekend plus a closure or two in between.
        prop_assert!((next - date).num_days() <= 5 && (date - previous).num_days() <= 5);
    }

    #[test]
    fn r15_notice_is_a_business_day_at_least_seven_days_before(date in any_date()) {
        let cal = BusinessCalendar::oregon();
        match notice_mail_by(date, &cal) {
            Ok(mail_by) => {
                prop_assert!(cal.is_business_day(date));
                prop_assert!(cal.is_business_day(mail_by));
                prop_assert!((date - mail_by).num_days() >= 7);
                // The latest such day: every later day up to date − 7 is a closure.
                let mut day = mail_by.succ_opt().unwrap();
                while (date - day).num_days() >= 7 {
                    prop_assert!(!cal.is_business_day(day));
                    day = day.succ_opt().unwrap();
                }
            }
            Err(_) => prop_assert!(!cal.is_business_day(date)),
        }
    }

    #[test]
    fn a_years_closures_are_sorted_weekdays_of_that_year(year in 1990i32..=2100) {
        let cal = BusinessCalendar::oregon();
        let closures = cal.closures_in_year(year).unwrap();
        prop_assert!(closures.windows(2).all(|w| w[0].date < w[1].date));
        prop_assert!((9..=13).contains(&closures.len()));
        for closure in &closures {
            prop_assert_eq!(closure.date.year(), year);
            prop_assert!(closure.date.weekday().num_days_from_monday() < 5);
            prop_assert!(!cal.is_business_day(closure.date));
        }
    }
}

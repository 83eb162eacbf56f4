//! Test vectors for the policy core. This one file is compiled twice: natively (`cargo test`)
//! and to wasm32, run in Node by `wasm-bindgen-test-runner`, so the browser and the server are
//! proven to give the same answers from the same vectors.

use chrono::{Datelike, Days, NaiveDate};
use reengage_core::{
    BusinessCalendar, Closure, DateInputError, NoticeError, earliest_appointment_for_mailing,
    long_date, notice_mail_by, parse_date_input,
};
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test vector date")
}

/// State offices closed on Thanksgiving 2026 and the day after, supplied as data.
fn thanksgiving_2026() -> BusinessCalendar {
    BusinessCalendar::weekends_only().with_closures([
        Closure {
            date: d("2026-11-26"),
            name: "Thanksgiving Day".into(),
        },
        Closure {
            date: d("2026-11-27"),
            name: "Day after Thanksgiving".into(),
        },
    ])
}

/// R15: (appointment, latest mailing day) on a weekends-only calendar.
const NOTICE_WEEKENDS_ONLY: &[(&str, &str)] = &[
    // The example of the page: Tuesday appointment, Tuesday a week before.
    ("2026-12-08", "2026-12-01"),
    ("2026-12-07", "2026-11-30"),
    ("2026-12-04", "2026-11-27"),
    // Across the year end.
    ("2027-01-04", "2026-12-28"),
    ("2027-01-06", "2026-12-30"),
    // Across February in leap and common years.
    ("2024-03-07", "2024-02-29"),
    ("2028-03-06", "2028-02-28"),
    ("2100-03-01", "2100-02-22"),
    // The ends of the supported range.
    ("1990-01-08", "1990-01-01"),
    ("2100-01-04", "2099-12-28"),
];

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_notice_mails_seven_calendar_days_before() {
    let calendar = BusinessCalendar::weekends_only();
    for (appointment, expected) in NOTICE_WEEKENDS_ONLY {
        assert_eq!(
            notice_mail_by(d(appointment), &calendar),
            Ok(d(expected)),
            "appointment {appointment}"
        );
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_mailing_day_on_a_closure_moves_back_not_forward() {
    // docs/rules.md, Business days: appointment Friday 2026-12-04 → minus 7 is Friday 2026-11-27, a closure,
    // and Thursday is Thanksgiving → mail by Wednesday 2026-11-25.
    let calendar = thanksgiving_2026();
    assert_eq!(
        notice_mail_by(d("2026-12-04"), &calendar),
        Ok(d("2026-11-25"))
    );
    assert_eq!(
        notice_mail_by(d("2026-12-03"), &calendar),
        Ok(d("2026-11-25"))
    );
    assert_eq!(
        notice_mail_by(d("2026-12-02"), &calendar),
        Ok(d("2026-11-25"))
    );
    assert_eq!(
        notice_mail_by(d("2026-12-08"), &calendar),
        Ok(d("2026-12-01"))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r16_appointment_on_a_weekend_or_closure_is_refused() {
    let weekends = BusinessCalendar::weekends_only();
    for day in ["2026-12-05", "2026-12-06", "2027-01-02", "2100-12-25"] {
        assert_eq!(
            notice_mail_by(d(day), &weekends),
            Err(NoticeError::AppointmentNotBusinessDay(d(day))),
            "{day}"
        );
    }
    assert_eq!(
        notice_mail_by(d("2026-11-27"), &thanksgiving_2026()),
        Err(NoticeError::AppointmentNotBusinessDay(d("2026-11-27")))
    );
    let message = notice_mail_by(d("2026-12-05"), &weekends)
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "Saturday, December 5, 2026 is not a business day. Choose a weekday the office is open \
         for the re-engagement appointment (R16)."
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r16_earliest_appointment_moves_forward_to_a_business_day() {
    let calendar = thanksgiving_2026();
    // Mailed Tuesday → the next Tuesday.
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-11-24"), &calendar),
        Ok(d("2026-12-01"))
    );
    // Mailed Friday → +7 is Friday.
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-12-04"), &calendar),
        Ok(d("2026-12-11"))
    );
    // +7 lands on Thanksgiving → Monday after the closures and the weekend.
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-11-19"), &calendar),
        Ok(d("2026-11-30"))
    );
    // Across the year end: Saturday 2027-01-02 → Monday 2027-01-04.
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-12-26"), &BusinessCalendar::weekends_only()),
        Ok(d("2027-01-04"))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_r16_every_business_day_of_five_years_gets_a_full_notice() {
    let calendar = thanksgiving_2026();
    let mut day = d("2025-01-01");
    let mut checked = 0;
    while day.year() < 2030 {
        if calendar.is_business_day(day) {
            let mail_by = notice_mail_by(day, &calendar).expect("business day");
            assert!(
                calendar.is_business_day(mail_by),
                "{day}: mails on {mail_by}"
            );
            assert!(
                day.signed_duration_since(mail_by).num_days() >= 7,
                "{day}: notice of fewer than 7 days"
            );
            let earliest = earliest_appointment_for_mailing(mail_by, &calendar).unwrap();
            assert!(earliest <= day, "{day}: earliest appointment {earliest}");
            checked += 1;
        }
        day = day.checked_add_days(Days::new(1)).unwrap();
    }
    // 1,304 weekdays in 2025–2029, less the two Thanksgiving closures of 2026.
    assert_eq!(checked, 1_302);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn dates_read_as_words() {
    assert_eq!(long_date(d("2026-12-01")), "Tuesday, December 1, 2026");
    assert_eq!(long_date(d("2027-01-31")), "Sunday, January 31, 2027");
    assert_eq!(long_date(d("2024-02-29")), "Thursday, February 29, 2024");
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn typed_dates_are_read_or_explained() {
    assert_eq!(parse_date_input("2026-12-08"), Ok(d("2026-12-08")));
    assert_eq!(parse_date_input("  2026-12-08 "), Ok(d("2026-12-08")));
    assert_eq!(parse_date_input(""), Err(DateInputError::Empty));
    assert_eq!(parse_date_input("   "), Err(DateInputError::Empty));
    assert_eq!(
        parse_date_input("2026-02-30"),
        Err(DateInputError::NotADate("2026-02-30".into()))
    );
    assert_eq!(
        parse_date_input("12/08/2026").unwrap_err().to_string(),
        "“12/08/2026” is not a date. Enter it as year-month-day, for example 2026-12-08."
    );
    let long = "9".repeat(500);
    match parse_date_input(&long) {
        Err(DateInputError::NotADate(shown)) => assert_eq!(shown.chars().count(), 40),
        other => panic!("expected NotADate, got {other:?}"),
    }
}

/// R15, R16: the scheduling form's answer for an appointment picked on a day — the same
/// function the server's transition check uses.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_r16_an_appointment_picked_today_is_mailed_by_or_too_soon() {
    use reengage_core::{AppointmentProblem, appointment_mail_by};
    let oregon = BusinessCalendar::oregon();
    let picked =
        |appointment: &str, today: &str| appointment_mail_by(d(appointment), d(today), &oregon);
    // Picked on Tuesday 2026-11-24, before Thanksgiving.
    assert_eq!(picked("2026-12-08", "2026-11-24"), Ok(d("2026-12-01")));
    // Minus 7 is Thursday 11-26 (Thanksgiving): back to Wednesday 11-25, still ahead.
    assert_eq!(picked("2026-12-03", "2026-11-24"), Ok(d("2026-11-25")));
    // Minus 7 is today: mail it today.
    assert_eq!(picked("2026-12-01", "2026-11-24"), Ok(d("2026-11-24")));
    // Minus 7 is yesterday: too soon; the earliest is 7 days from today, a business day.
    assert_eq!(
        picked("2026-11-30", "2026-11-24"),
        Err(AppointmentProblem::TooSoon {
            earliest: d("2026-12-01")
        })
    );
    let said = picked("2026-11-30", "2026-11-24").unwrap_err().to_string();
    assert_eq!(
        said,
        "Too soon for the 7-day notice: the earliest appointment is Tuesday, December 1, 2026 (R15)."
    );
    // Picked on Wednesday 11-25: 7 days ahead is Wednesday 12-02.
    assert_eq!(
        picked("2026-12-01", "2026-11-25"),
        Err(AppointmentProblem::TooSoon {
            earliest: d("2026-12-02")
        })
    );
    // R16: a weekend or a holiday is never an appointment day; across the year end too.
    assert!(matches!(
        picked("2026-12-05", "2026-11-24"),
        Err(AppointmentProblem::Notice(_))
    ));
    assert!(matches!(
        picked("2027-01-01", "2026-12-21"),
        Err(AppointmentProblem::Notice(_))
    ));
    assert_eq!(picked("2027-01-04", "2026-12-28"), Ok(d("2026-12-28")));
    // Picked on New Year's Eve: 7 days ahead is Thursday 2027-01-07.
    assert_eq!(
        picked("2027-01-05", "2026-12-31"),
        Err(AppointmentProblem::TooSoon {
            earliest: d("2027-01-07")
        })
    );
    // Picked on New Year's Day (closed): the office mails next on Monday 2027-01-04, so the
    // earliest is Monday 01-11; Friday 01-08 is too soon (its mail-by, Friday 01-01, is
    // rolled back to Thursday 12-31).
    assert_eq!(
        picked("2027-01-08", "2027-01-01"),
        Err(AppointmentProblem::TooSoon {
            earliest: d("2027-01-11")
        })
    );
    assert_eq!(picked("2027-01-11", "2027-01-01"), Ok(d("2027-01-04")));
}

/// R15, earliest appointment (the three questions of R15, the third): on Thanksgiving 2026 the
/// office mails next on Monday 11-30, so the earliest appointment is Monday 12-07 — never a
/// day the server then refuses. Every suggested earliest day is accepted, on every day of a
/// year across its holidays, weekends and year end.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_the_earliest_appointment_counts_from_the_next_mailing_day_and_is_accepted() {
    use reengage_core::{
        AppointmentProblem, appointment_mail_by, earliest_appointment_for_mailing,
        first_mailing_day,
    };
    let oregon = BusinessCalendar::oregon();
    let thanksgiving = d("2026-11-26");
    assert_eq!(
        first_mailing_day(thanksgiving, &oregon),
        Ok(d("2026-11-30"))
    );
    assert_eq!(
        earliest_appointment_for_mailing(thanksgiving, &oregon),
        Ok(d("2026-12-07"))
    );
    assert_eq!(
        appointment_mail_by(d("2026-12-07"), thanksgiving, &oregon),
        Ok(d("2026-11-30"))
    );
    // Thursday 12-03 and Friday 12-04 are too soon from Thanksgiving, with 12-07 as the fix.
    for day in ["2026-12-03", "2026-12-04"] {
        assert_eq!(
            appointment_mail_by(d(day), thanksgiving, &oregon),
            Err(AppointmentProblem::TooSoon {
                earliest: d("2026-12-07")
            }),
            "{day}"
        );
    }
    // A Saturday counts from Monday.
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-11-21"), &oregon),
        Ok(d("2026-11-30"))
    );
    // Every day from 2026-11-01 to 2028-01-31: the earliest is accepted and the business day
    // before it is not.
    let mut today = d("2026-11-01");
    while today <= d("2028-01-31") {
        let earliest = earliest_appointment_for_mailing(today, &oregon).unwrap();
        assert!(
            appointment_mail_by(earliest, today, &oregon).is_ok(),
            "{today}: {earliest} refused"
        );
        let before = oregon.previous_business_day(earliest).unwrap();
        assert!(
            appointment_mail_by(before, today, &oregon).is_err(),
            "{today}: {before} accepted before the earliest {earliest}"
        );
        today = today.succ_opt().unwrap();
    }
}

/// R15, recording (the second question): a mailing that happened meets R15 when it is on or
/// before the appointment minus 7, whatever weekday — the planning day is not the test.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_a_recorded_mailing_is_on_time_on_or_before_the_appointment_minus_7() {
    use reengage_core::{notice_mail_by, notice_on_time};
    let oregon = BusinessCalendar::oregon();
    // Planning says Wednesday 11-25 for Friday 12-04 (11-27 is closed) …
    assert_eq!(
        notice_mail_by(d("2026-12-04"), &oregon),
        Ok(d("2026-11-25"))
    );
    // … but a notice actually mailed on Thanksgiving, or the day after, is on time.
    assert!(notice_on_time(d("2026-11-26"), d("2026-12-04")));
    assert!(notice_on_time(d("2026-11-27"), d("2026-12-04")));
    assert!(!notice_on_time(d("2026-11-28"), d("2026-12-04")));
    // A Saturday mailing for the Monday after next; across the year end.
    assert!(notice_on_time(d("2026-12-26"), d("2027-01-04")));
    assert!(notice_on_time(d("2026-12-28"), d("2027-01-04")));
    assert!(!notice_on_time(d("2026-12-29"), d("2027-01-04")));
}

/// R15: a mailing on a day is in time for the appointment, or late with the fix — the notice
/// form's answer and the server's refusal alike.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_a_notice_mailed_on_a_day_is_in_time_or_late_with_the_fix() {
    use reengage_core::{MailingProblem, notice_mailing};
    let oregon = BusinessCalendar::oregon();
    // Appointment Friday 2026-12-04: minus 7 is the day after Thanksgiving (closed), so the
    // notice must go by Wednesday 11-25.
    let today = d("2026-11-30");
    assert_eq!(
        notice_mailing(d("2026-11-25"), d("2026-12-04"), today, &oregon),
        Ok(d("2026-11-25"))
    );
    assert_eq!(
        notice_mailing(d("2026-11-20"), d("2026-12-04"), today, &oregon),
        Ok(d("2026-11-25"))
    );
    // Mailed on Thanksgiving for Friday 12-04: on time (recording, not planning).
    assert_eq!(
        notice_mailing(d("2026-11-26"), d("2026-12-04"), today, &oregon),
        Ok(d("2026-11-25"))
    );
    let late = notice_mailing(d("2026-11-30"), d("2026-12-04"), today, &oregon).unwrap_err();
    assert_eq!(
        late,
        MailingProblem::Late {
            mailed: d("2026-11-30"),
            due: d("2026-11-27"),
            earliest: d("2026-12-07")
        }
    );
    assert_eq!(
        late.to_string(),
        "Mailed on Monday, November 30, 2026 is later than Friday, November 27, 2026, fewer than 7 days before the appointment. Reschedule the appointment to Monday, December 7, 2026 or later and mail a new notice for it (R15)."
    );
    // The fix counts from the day it is recorded: a late mailing recorded a day later.
    assert!(matches!(
        notice_mailing(d("2026-11-30"), d("2026-12-04"), d("2026-12-01"), &oregon),
        Err(MailingProblem::Late { earliest, .. }) if earliest == d("2026-12-08")
    ));
    // Across the year end: mailed New Year's Eve for Tuesday 2027-01-05 is late; the
    // earliest is Thursday 01-07.
    assert!(matches!(
        notice_mailing(d("2026-12-31"), d("2027-01-05"), d("2026-12-31"), &oregon),
        Err(MailingProblem::Late { earliest, .. }) if earliest == d("2027-01-07")
    ));
    assert!(matches!(
        notice_mailing(d("2026-11-20"), d("2026-12-05"), today, &oregon),
        Err(MailingProblem::Notice(_))
    ));
}

/// R15 with the office's mail pickup: once today's pickup has gone, a notice put in the mail
/// today leaves on the next business day — across Thanksgiving 2026 (Thursday 11-26 and
/// Friday 11-27 closed), the week-end and the year end.
#[wasm_bindgen_test]
#[test]
fn after_the_mail_pickup_today_no_longer_counts_as_a_mailing_day() {
    use chrono::NaiveTime;
    use reengage_core::{
        AppointmentProblem, MailPickup, appointment_mail_by, first_mailing_day, mail_by_words,
        pickup_words,
    };
    let three_pm = NaiveTime::from_hms_opt(15, 0, 0);
    let at = |today: &str, h: u32, m: u32| {
        BusinessCalendar::oregon().with_mail_pickup(MailPickup::as_of(
            three_pm,
            d(today),
            NaiveTime::from_hms_opt(h, m, 0).unwrap(),
        ))
    };
    // Wednesday before Thanksgiving: at 2:59 pm the notice still leaves today…
    let before = at("2026-11-25", 14, 59);
    assert_eq!(
        first_mailing_day(d("2026-11-25"), &before),
        Ok(d("2026-11-25"))
    );
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-11-25"), &before),
        Ok(d("2026-12-02"))
    );
    assert_eq!(
        appointment_mail_by(d("2026-12-02"), d("2026-11-25"), &before),
        Ok(d("2026-11-25"))
    );
    // …at 3:00 pm it leaves on Monday 11-30, so the earliest appointment is Monday 12-07,
    // and Wednesday 12-02 is too soon.
    let after = at("2026-11-25", 15, 0);
    assert_eq!(
        first_mailing_day(d("2026-11-25"), &after),
        Ok(d("2026-11-30"))
    );
    assert_eq!(
        earliest_appointment_for_mailing(d("2026-11-25"), &after),
        Ok(d("2026-12-07"))
    );
    assert_eq!(
        appointment_mail_by(d("2026-12-02"), d("2026-11-25"), &after),
        Err(AppointmentProblem::TooSoon {
            earliest: d("2026-12-07")
        })
    );
    // The planning mail-by day of an appointment whose last day is today goes back to the
    // day before: the notice can no longer leave in time.
    assert_eq!(
        notice_mail_by(d("2026-12-02"), &before),
        Ok(d("2026-11-25"))
    );
    assert_eq!(notice_mail_by(d("2026-12-02"), &after), Ok(d("2026-11-24")));
    // Only mailing moves: the office is still open today, and business days count the same.
    assert!(after.is_business_day(d("2026-11-25")));
    assert_eq!(
        after.add_business_days(d("2026-11-24"), 1),
        before.add_business_days(d("2026-11-24"), 1)
    );
    // Another day's pickup is not today's: a later appointment plans as without one.
    assert_eq!(notice_mail_by(d("2026-12-08"), &after), Ok(d("2026-12-01")));
    // Friday 12-04 after the pickup: the notice leaves Monday 12-07.
    assert_eq!(
        first_mailing_day(d("2026-12-04"), &at("2026-12-04", 16, 30)),
        Ok(d("2026-12-07"))
    );
    // Year end: Thursday 2027-12-30 after the pickup; Friday 12-31 is New Year's Day
    // observed, so the notice leaves Monday 2028-01-03 and the earliest appointment is
    // Monday 01-10.
    let year_end = at("2027-12-30", 15, 1);
    assert_eq!(
        first_mailing_day(d("2027-12-30"), &year_end),
        Ok(d("2028-01-03"))
    );
    assert_eq!(
        earliest_appointment_for_mailing(d("2027-12-30"), &year_end),
        Ok(d("2028-01-10"))
    );
    // The sentence names the pickup; without one, nothing is added and nothing moves.
    assert_eq!(
        mail_by_words(d("2026-12-01"), &before),
        "Tuesday, December 1, 2026, before the 3:00 pm pickup"
    );
    assert_eq!(pickup_words(&BusinessCalendar::oregon()), "");
    let unset = BusinessCalendar::oregon().with_mail_pickup(MailPickup::as_of(
        None,
        d("2026-11-25"),
        NaiveTime::from_hms_opt(23, 59, 0).unwrap(),
    ));
    assert_eq!(
        first_mailing_day(d("2026-11-25"), &unset),
        Ok(d("2026-11-25"))
    );
    assert_eq!(
        mail_by_words(d("2026-12-01"), &unset),
        "Tuesday, December 1, 2026"
    );
}

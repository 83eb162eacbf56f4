//! The missed-activity form (R1, R2, R3, R5, R6, R8) and the contact-made form (R8), natively
//! and in wasm32: what the page says before it is submitted, and the refusal the server gives.

use chrono::{NaiveDate, NaiveTime};
use reengage_core::BusinessCalendar;
use reengage_core::episode::*;
use reengage_core::rules::{R1, R2, R3, R5, R6, R8, R12, R15};
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn trigger(kind: TriggerKind, on: &str, at: Option<&str>, by: ReportedBy) -> Trigger {
    Trigger {
        kind,
        what: match kind {
            TriggerKind::MissedJobsAppointment => "JOBS appointment (PE)".into(),
            _ => "orientation".into(),
        },
        on: d(on),
        at: at.map(|t| NaiveTime::parse_from_str(t, "%H:%M").expect("test time")),
        reported_by: by,
        aware_on: None,
    }
}

fn said(hints: &[Hint]) -> Vec<(String, String)> {
    hints
        .iter()
        .map(|h| (h.rule.to_string(), h.text.clone()))
        .collect()
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_r8_a_miss_the_day_before_thanksgiving_is_due_the_monday_after() {
    // Wednesday 2026-11-25; Thursday (Thanksgiving) and Friday are closed.
    let miss = trigger(
        TriggerKind::MissedCoachAppointment,
        "2026-11-25",
        None,
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-11-25"), &BusinessCalendar::oregon()).unwrap();
    assert_eq!(
        said(&hints),
        vec![
            (
                R2.to_string(),
                "First contact due by Monday, November 30 — 1 business day after the missed orientation."
                    .to_owned()
            ),
            (
                R8.to_string(),
                "Contact made by Tuesday, December 1 meets the target for adjusting the plan; contact later still lets you adjust it."
                    .to_owned()
            ),
        ]
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r3_a_missed_pe_appointment_calls_within_ten_minutes() {
    let miss = trigger(
        TriggerKind::MissedJobsAppointment,
        "2026-11-24",
        Some("09:00"),
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-11-24"), &BusinessCalendar::oregon()).unwrap();
    assert_eq!(hints[0].rule, R3);
    assert_eq!(
        hints[0].text,
        "Call by 9:10 am — within 10 minutes of the missed appointment time."
    );
    assert_eq!(hints[1].rule, R2);
    assert!(
        hints[1]
            .text
            .starts_with("First contact due by Wednesday, November 25 —"),
        "{hints:?}"
    );
    // An afternoon appointment, and the hour past noon.
    let miss = trigger(
        TriggerKind::MissedJobsAppointment,
        "2026-11-24",
        Some("12:55"),
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-11-24"), &BusinessCalendar::oregon()).unwrap();
    assert!(hints[0].text.starts_with("Call by 1:05 pm"), "{hints:?}");
    // Without a time there is no R3 call, and other misses never have one.
    let miss = trigger(
        TriggerKind::MissedJobsAppointment,
        "2026-11-24",
        None,
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-11-24"), &BusinessCalendar::oregon()).unwrap();
    assert!(hints.iter().all(|h| h.rule != R3), "{hints:?}");
    // R3 for any missed appointment with a known time: the coach's own, the contractor's.
    for kind in [
        TriggerKind::MissedCoachAppointment,
        TriggerKind::MissedContractorAppointment,
        TriggerKind::MissedFirstActivity,
    ] {
        let miss = trigger(kind, "2026-11-24", Some("09:00"), ReportedBy::Department);
        let hints = miss_hints(&miss, false, d("2026-11-24"), &BusinessCalendar::oregon()).unwrap();
        assert_eq!(hints[0].rule, R3, "{kind:?}");
        let facts = EpisodeFacts::new("Ms. Smith", miss);
        let next = next_action(&facts, d("2026-11-24"), &BusinessCalendar::oregon());
        assert_eq!(next.rule, R3, "{kind:?}: {next:?}");
    }
    // Not for an ongoing step or low attendance, which have no appointment time.
    let miss = trigger(
        TriggerKind::LowAttendance,
        "2026-11-24",
        Some("09:00"),
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-11-24"), &BusinessCalendar::oregon()).unwrap();
    assert!(hints.iter().all(|h| h.rule != R3), "{hints:?}");
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_across_the_year_end_names_the_year() {
    // Thursday 2026-12-31; New Year's Day is Friday: first contact Monday, January 4, 2027.
    let miss = trigger(
        TriggerKind::MissedFirstActivity,
        "2026-12-31",
        None,
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-12-31"), &BusinessCalendar::oregon()).unwrap();
    assert_eq!(
        hints[0].text,
        "First contact due by Monday, January 4, 2027 — 1 business day after the missed orientation."
    );
    assert_eq!(
        hints[1].text,
        "Contact made by Tuesday, January 5, 2027 meets the target for adjusting the plan; contact later still lets you adjust it."
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r5_r6_a_contractors_report_and_a_pattern_of_noncooperation() {
    // A Friday miss reported by the contractor: Monday.
    let miss = trigger(
        TriggerKind::MissedContractorAppointment,
        "2026-11-20",
        None,
        ReportedBy::Contractor,
    );
    let hints = miss_hints(&miss, false, d("2026-11-23"), &BusinessCalendar::oregon()).unwrap();
    assert_eq!(hints[0].rule, R5);
    assert!(
        hints[0]
            .text
            .starts_with("Engagement contact due by Monday, November 23 —"),
        "{hints:?}"
    );
    // Noncooperation noticed Monday 2026-11-23: five business days skip Thanksgiving —
    // Tuesday, Wednesday, Monday, Tuesday, Wednesday December 2. R8's target is R6's five.
    let miss = trigger(
        TriggerKind::PatternOfNoncooperation,
        "2026-11-23",
        None,
        ReportedBy::Department,
    );
    let hints = miss_hints(&miss, false, d("2026-11-23"), &BusinessCalendar::oregon()).unwrap();
    assert_eq!(hints.len(), 2, "{hints:?}");
    assert_eq!(hints[0].rule, R6);
    assert!(
        hints[0]
            .text
            .starts_with("Contact due by Wednesday, December 2 —"),
        "{hints:?}"
    );
    assert_eq!(hints[1].rule, R8);
    assert!(
        hints[1]
            .text
            .starts_with("Contact made by Wednesday, December 2 meets the target")
    );
}

/// R5: a contractor's report counts from the day it became aware (the report's date), which
/// may be after the miss; by default the day of the miss.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r5_the_contractor_counts_from_the_day_it_became_aware() {
    let calendar = BusinessCalendar::oregon();
    // Missed Monday 11-23; the contractor learned of it on Wednesday 11-25: due Monday 11-30.
    let mut miss = trigger(
        TriggerKind::MissedContractorAppointment,
        "2026-11-23",
        None,
        ReportedBy::Contractor,
    );
    miss.aware_on = Some(d("2026-11-25"));
    let hints = miss_hints(&miss, false, d("2026-11-25"), &calendar).unwrap();
    assert_eq!(hints[0].rule, R5);
    assert!(
        hints[0]
            .text
            .starts_with("Engagement contact due by Monday, November 30 —"),
        "{hints:?}"
    );
    // Aware before the miss, or in the future, is refused; a department report has no such day.
    miss.aware_on = Some(d("2026-11-20"));
    let refusal = check_miss(&miss, false, d("2026-11-25")).unwrap_err();
    assert_eq!(refusal.rule(), Some(R5));
    miss.aware_on = Some(d("2026-11-30"));
    assert!(matches!(
        check_miss(&miss, false, d("2026-11-25")),
        Err(Refusal::InTheFuture(_))
    ));
    let mut department = miss.clone();
    department.reported_by = ReportedBy::Department;
    department.aware_on = Some(d("2026-11-24"));
    assert_eq!(
        check_miss(&department, false, d("2026-11-25")),
        Err(Refusal::AwareOnlyForContractor)
    );
    // Across the year end: aware Thursday 12-31 → Monday 2027-01-04.
    let mut year_end = trigger(
        TriggerKind::MissedContractorAppointment,
        "2026-12-28",
        None,
        ReportedBy::Contractor,
    );
    year_end.aware_on = Some(d("2026-12-31"));
    let deadline = &deadlines(
        &EpisodeFacts::new("Ms. Smith", year_end),
        d("2026-12-31"),
        &calendar,
    )[0];
    assert_eq!((deadline.rule, deadline.due), (R5, d("2027-01-04")));
}

/// R1: a miss the participant called ahead about opens no episode; the form says why.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r1_a_miss_called_ahead_about_opens_no_episode() {
    let miss = trigger(
        TriggerKind::MissedCoachAppointment,
        "2026-11-24",
        None,
        ReportedBy::Department,
    );
    let refusal = check_miss(&miss, true, d("2026-11-24")).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::CalledAhead, Some(R1))
    );
    assert!(refusal.to_string().contains("no episode is opened"));
    assert_eq!(
        miss_hints(&miss, true, d("2026-11-24"), &BusinessCalendar::oregon()),
        Err(Refusal::CalledAhead)
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r1_a_miss_must_say_what_and_have_happened() {
    let calendar = BusinessCalendar::oregon();
    let mut miss = trigger(
        TriggerKind::MissedFirstActivity,
        "2026-11-26",
        None,
        ReportedBy::Department,
    );
    let refusal = miss_hints(&miss, false, d("2026-11-25"), &calendar).unwrap_err();
    assert!(matches!(refusal, Refusal::InTheFuture(_)), "{refusal:?}");
    assert_eq!(check_miss(&miss, false, d("2026-11-25")), Err(refusal));
    miss.on = d("2026-11-25");
    assert_eq!(check_miss(&miss, false, d("2026-11-25")), Ok(()));
    miss.what = "   ".into();
    let refusal = check_miss(&miss, false, d("2026-11-25")).unwrap_err();
    assert_eq!(refusal, Refusal::WhatWasMissed);
    assert_eq!(refusal.rule(), Some(R1));
    miss.what = "x".repeat(201);
    assert_eq!(
        miss_hints(&miss, false, d("2026-11-25"), &calendar),
        Err(Refusal::WhatWasMissed)
    );
}

fn missed_on(on: &str) -> EpisodeFacts {
    EpisodeFacts::new(
        "Ms. Smith",
        trigger(
            TriggerKind::MissedCoachAppointment,
            on,
            None,
            ReportedBy::Department,
        ),
    )
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_contact_within_two_business_days_across_thanksgiving_adjusts_the_plan() {
    // Missed Tuesday 2026-11-24: two business days are Wednesday 25 and Monday 30.
    let facts = missed_on("2026-11-24");
    let calendar = BusinessCalendar::oregon();
    let advice = contact_advice(&facts, d("2026-11-30"), d("2026-12-01"), &calendar).unwrap();
    assert!(advice.in_time);
    let rules: Vec<_> = advice.hints.iter().map(|h| h.rule).collect();
    assert_eq!(rules, vec![R8, R12, R15]);
    assert!(
        advice.hints[0]
            .text
            .starts_with("Contact met the target (by Monday, November 30). Adjust the plan"),
        "{advice:?}"
    );
    // The next day is late — and the plan can still be adjusted (R8 is a target).
    let advice = contact_advice(&facts, d("2026-12-01"), d("2026-12-01"), &calendar).unwrap();
    assert!(!advice.in_time);
    assert!(
        advice.hints[0].text.starts_with(
            "Contact came after the target (by Monday, November 30): it counts as late"
        ),
        "{advice:?}"
    );
    // What the advice says is what the server's check does.
    for on in ["2026-11-30", "2026-12-01"] {
        assert_eq!(
            check(
                &facts,
                &Transition::RecordContact {
                    on: d(on),
                    plan_adjusted: true
                },
                d("2026-12-01"),
                &calendar
            ),
            Ok(())
        );
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_across_the_year_end_and_dates_the_server_refuses() {
    // Missed Wednesday 2026-12-30: Thursday 31 and Monday 4 (New Year's Day is Friday).
    let facts = missed_on("2026-12-30");
    let calendar = BusinessCalendar::oregon();
    let today = d("2027-01-05");
    assert!(
        contact_advice(&facts, d("2027-01-04"), today, &calendar)
            .unwrap()
            .in_time
    );
    assert!(
        !contact_advice(&facts, d("2027-01-05"), today, &calendar)
            .unwrap()
            .in_time
    );
    assert_eq!(
        contact_advice(&facts, d("2026-12-29"), today, &calendar),
        Err(Refusal::ContactBeforeMiss {
            contact: d("2026-12-29"),
            missed: d("2026-12-30")
        })
    );
    assert!(matches!(
        contact_advice(&facts, d("2027-01-06"), today, &calendar),
        Err(Refusal::InTheFuture(_))
    ));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r3_the_appointment_time_reads_as_a_time_input_sends_it() {
    use reengage_core::{DateInputError, parse_time_input};
    let nine = NaiveTime::from_hms_opt(9, 0, 0);
    assert_eq!(parse_time_input("09:00"), Ok(nine));
    assert_eq!(parse_time_input(" 09:00:00 "), Ok(nine));
    assert_eq!(parse_time_input(""), Ok(None));
    assert_eq!(
        parse_time_input("9 o'clock"),
        Err(DateInputError::NotATime("9 o'clock".into()))
    );
    assert_eq!(
        parse_time_input("25:00").unwrap_err().to_string(),
        "“25:00” is not a time. Enter hours and minutes, for example 10:00."
    );
}

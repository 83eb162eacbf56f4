//! The contact-attempt form's instant feedback (R7, R8, R9, R11) and the R11 task, natively
//! and in wasm32: the same answers the page shows and the server stores.

use chrono::NaiveDate;
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use reengage_core::rules::{R7, R8, R9, R11};
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn hints(
    on: &str,
    method: ContactMethod,
    outcome: AttemptOutcome,
    window: Option<i64>,
    in_service: bool,
) -> Vec<Hint> {
    attempt_hints(
        d(on),
        method,
        outcome,
        window.map(|w| ResponseWindow::new(w).unwrap()),
        in_service,
        &BusinessCalendar::oregon(),
    )
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_the_follow_up_day_follows_the_window_across_thanksgiving() {
    // A voicemail on Tuesday 2026-11-24: Thursday and Friday are closed.
    for (window, due) in [
        (1, "Wednesday, November 25, 2026"),
        (2, "Monday, November 30, 2026"),
        (3, "Tuesday, December 1, 2026"),
    ] {
        let said = hints(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::MessageLeft,
            Some(window),
            true,
        );
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!(said[0].rule, R9);
        assert_eq!(
            said[0].text,
            format!("Follow-up due by {due} if there is no reply.")
        );
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_across_the_year_end_and_the_default_window() {
    // New Year's Eve, two business days (the form's default): Monday 4, Tuesday 5.
    let said = hints(
        "2026-12-31",
        ContactMethod::Email,
        AttemptOutcome::MessageLeft,
        None,
        true,
    );
    assert_eq!(
        said[0].text,
        "Follow-up due by Tuesday, January 5, 2027 if there is no reply."
    );
    // A written note without a window says nothing about a follow-up day.
    assert!(
        hints(
            "2026-12-31",
            ContactMethod::Written,
            AttemptOutcome::MessageLeft,
            None,
            true
        )
        .is_empty()
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r7_a_phone_out_of_service_suggests_an_offsite_visit() {
    let said = hints(
        "2026-11-24",
        ContactMethod::Phone,
        AttemptOutcome::PhoneNotInService,
        None,
        true,
    );
    assert_eq!(said.iter().map(|h| h.rule).collect::<Vec<_>>(), vec![R7]);
    // Known on file: said as soon as "Phone" is picked.
    let said = hints(
        "2026-11-24",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
        false,
    );
    assert_eq!(said.iter().map(|h| h.rule).collect::<Vec<_>>(), vec![R7]);
    assert!(
        hints(
            "2026-11-24",
            ContactMethod::OffsiteVisit,
            AttemptOutcome::NobodyHome,
            None,
            false
        )
        .is_empty()
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r11_an_invalid_address_adds_the_one_request() {
    let said = hints(
        "2026-11-24",
        ContactMethod::OffsiteVisit,
        AttemptOutcome::AddressInvalid,
        None,
        true,
    );
    assert_eq!(said.iter().map(|h| h.rule).collect::<Vec<_>>(), vec![R11]);
    let visit = Attempt {
        on: d("2026-11-24"),
        method: ContactMethod::OffsiteVisit,
        outcome: AttemptOutcome::AddressInvalid,
        response_window: None,
        by_initials: "RH".into(),
        note: None,
        by_contractor: false,
    };
    let mut facts = EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind: TriggerKind::MissedCoachAppointment,
            what: "orientation".into(),
            on: d("2026-11-23"),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        },
    );
    let request = r11_request(&facts, &visit).expect("a request");
    assert_eq!(request.kind, MissingInfoKind::AddressVerification);
    assert_eq!(request.requested_on, d("2026-11-24"));
    assert_eq!(request.resolved_on, None);
    let nobody = Attempt {
        outcome: AttemptOutcome::NobodyHome,
        ..visit.clone()
    };
    assert_eq!(r11_request(&facts, &nobody), None);
    // One ONE request at a time: a second invalid-address visit while it is open adds none;
    // once the address was verified, a new one does.
    facts.missing_info.push(request);
    assert_eq!(r11_request(&facts, &visit), None);
    facts.missing_info[0].resolved_on = Some(d("2026-11-30"));
    assert!(r11_request(&facts, &visit).is_some());
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_reaching_the_participant_points_to_contact_made() {
    let said = hints(
        "2026-11-24",
        ContactMethod::FaceToFace,
        AttemptOutcome::Reached,
        None,
        true,
    );
    assert_eq!(said.iter().map(|h| h.rule).collect::<Vec<_>>(), vec![R8]);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_the_form_asks_for_a_window_only_for_a_message_left() {
    for method in ContactMethod::ALL {
        for outcome in [
            AttemptOutcome::MessageLeft,
            AttemptOutcome::NoAnswer,
            AttemptOutcome::Reached,
        ] {
            let asks = asks_for_window(method, outcome);
            let expected = outcome == AttemptOutcome::MessageLeft
                && matches!(
                    method,
                    ContactMethod::Phone | ContactMethod::Email | ContactMethod::Written
                );
            assert_eq!(asks, expected, "{method:?} {outcome:?}");
        }
    }
}

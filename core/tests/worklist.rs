//! The Today list (R2 and the deadlines after it): which deadline of an episode is the work,
//! how urgent it is in business days, and the order of the list — natively and in wasm32, at
//! the calendar's edges (Thanksgiving and the day after, the year end, weekends).

use chrono::NaiveDate;
use reengage_core::BusinessCalendar;
use reengage_core::episode::*;
use reengage_core::rules::{R2, R8, R9};
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn missed_orientation(on: &str) -> EpisodeFacts {
    EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind: TriggerKind::MissedCoachAppointment,
            what: "orientation".into(),
            on: d(on),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        },
    )
}

fn urgency_on(facts: &EpisodeFacts, today: &str) -> (Urgency, NaiveDate) {
    let item = work_item(facts, d(today), &BusinessCalendar::oregon()).expect("open work");
    (item.urgency, item.deadline.due)
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_a_miss_before_thanksgiving_is_at_risk_through_the_closed_days_then_due_then_overdue() {
    // Wednesday 2026-11-25: Thursday is Thanksgiving, Friday the day after: due Monday 30.
    let facts = missed_orientation("2026-11-25");
    let item = work_item(&facts, d("2026-11-25"), &BusinessCalendar::oregon()).unwrap();
    assert_eq!(item.deadline.rule, R2);
    assert_eq!(item.deadline.kind, DeadlineKind::FirstContact);
    let monday = d("2026-11-30");
    assert_eq!(urgency_on(&facts, "2026-11-25"), (Urgency::AtRisk, monday));
    assert_eq!(urgency_on(&facts, "2026-11-27"), (Urgency::AtRisk, monday));
    assert_eq!(urgency_on(&facts, "2026-11-28"), (Urgency::AtRisk, monday));
    assert_eq!(
        urgency_on(&facts, "2026-11-30"),
        (Urgency::DueToday, monday)
    );
    assert_eq!(
        urgency_on(&facts, "2026-12-01"),
        (Urgency::Overdue(1), monday)
    );
    assert_eq!(
        urgency_on(&facts, "2026-12-03"),
        (Urgency::Overdue(3), monday)
    );
    // The weekend does not add to the count.
    assert_eq!(
        urgency_on(&facts, "2026-12-05"),
        (Urgency::Overdue(4), monday)
    );
    assert_eq!(
        urgency_on(&facts, "2026-12-07"),
        (Urgency::Overdue(5), monday)
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_a_miss_on_new_years_eve_is_due_the_first_monday_of_the_new_year() {
    let facts = missed_orientation("2026-12-31");
    let monday = d("2027-01-04");
    assert_eq!(urgency_on(&facts, "2026-12-31"), (Urgency::AtRisk, monday));
    assert_eq!(
        urgency_on(&facts, "2027-01-04"),
        (Urgency::DueToday, monday)
    );
    assert_eq!(
        urgency_on(&facts, "2027-01-05"),
        (Urgency::Overdue(1), monday)
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_then_r9_after_a_message_the_work_is_the_plan_window_then_the_follow_up() {
    let mut facts = missed_orientation("2026-11-02");
    facts.attempts.push(Attempt {
        on: d("2026-11-03"),
        method: ContactMethod::Phone,
        outcome: AttemptOutcome::MessageLeft,
        response_window: Some(reengage_core::deadlines::ResponseWindow::new(3).unwrap()),
        by_initials: "RH".into(),
        note: None,
        by_contractor: false,
    });
    let calendar = BusinessCalendar::oregon();
    // R8 first: contact within 2 business days of Monday's miss (by Wednesday 4) still
    // adjusts the plan, so that is the most urgent chance on Tuesday.
    let item = work_item(&facts, d("2026-11-03"), &calendar).unwrap();
    assert_eq!(
        (item.deadline.kind, item.deadline.rule),
        (DeadlineKind::AdjustPlan, R8)
    );
    assert_eq!(
        (item.urgency, item.deadline.due),
        (Urgency::AtRisk, d("2026-11-04"))
    );
    // Once that chance has passed it is never "overdue": the work is the follow-up, three
    // business days after Tuesday 3 (Wednesday 4, Thursday 5, Friday 6).
    let item = work_item(&facts, d("2026-11-05"), &calendar).unwrap();
    assert_eq!(
        (item.deadline.kind, item.deadline.rule),
        (DeadlineKind::FollowUp, R9)
    );
    assert_eq!(
        (item.urgency, item.deadline.due),
        (Urgency::AtRisk, d("2026-11-06"))
    );
    let item = work_item(&facts, d("2026-11-09"), &calendar).unwrap();
    assert_eq!(
        (item.deadline.kind, item.urgency),
        (DeadlineKind::FollowUp, Urgency::Overdue(1))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_closed_episode_has_no_work() {
    let mut facts = missed_orientation("2026-11-02");
    facts.contact_made = Some(ContactMade {
        on: d("2026-11-03"),
        plan_adjusted: true,
    });
    assert_eq!(
        work_item(&facts, d("2026-11-04"), &BusinessCalendar::oregon()),
        None
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_list_runs_overdue_longest_first_then_today_then_at_risk_then_upcoming() {
    let item = |urgency, due: &str| WorkItem {
        urgency,
        deadline: Deadline {
            kind: DeadlineKind::FirstContact,
            rule: R2,
            due: d(due),
            status: DeadlineStatus::DueToday,
            at_risk: false,
            why: String::new(),
        },
    };
    let mut items = [
        item(Urgency::Upcoming(2), "2026-12-09"),
        item(Urgency::Overdue(3), "2026-12-02"),
        item(Urgency::AtRisk, "2026-12-08"),
        item(Urgency::DueToday, "2026-12-07"),
        item(Urgency::Overdue(5), "2026-11-30"),
        item(Urgency::Upcoming(4), "2026-12-11"),
    ];
    items.sort_by(most_urgent_first);
    let order: Vec<Urgency> = items.iter().map(|item| item.urgency).collect();
    assert_eq!(
        order,
        vec![
            Urgency::Overdue(5),
            Urgency::Overdue(3),
            Urgency::DueToday,
            Urgency::AtRisk,
            Urgency::Upcoming(2),
            Urgency::Upcoming(4),
        ]
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_the_same_misses_fall_in_the_groups_the_calendar_gives_on_monday_december_7() {
    let calendar = BusinessCalendar::oregon();
    let on = |miss: &str| {
        work_item(&missed_orientation(miss), d("2026-12-07"), &calendar)
            .unwrap()
            .urgency
    };
    assert_eq!(on("2026-11-25"), Urgency::Overdue(5)); // due Monday 11-30
    assert_eq!(on("2026-12-01"), Urgency::Overdue(3)); // due Wednesday 12-02
    assert_eq!(on("2026-12-04"), Urgency::DueToday); // Friday's miss, due Monday
    assert_eq!(on("2026-12-07"), Urgency::AtRisk); // due Tuesday 12-08
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_urgency_reads_as_a_sentence() {
    assert_eq!(Urgency::Overdue(1).label(), "Overdue by 1 business day");
    assert_eq!(Urgency::Overdue(3).label(), "Overdue by 3 business days");
    assert_eq!(Urgency::DueToday.label(), "Due today");
    assert_eq!(Urgency::AtRisk.label(), "Due next business day");
    assert_eq!(Urgency::Upcoming(4).label(), "Due in 4 business days");
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_r26_the_step_indicator_follows_the_episodes_path() {
    assert_eq!(
        Stage::ContactMade.path(),
        &[Stage::Missed, Stage::AttemptingContact, Stage::ContactMade]
    );
    for stage in Stage::ALL.into_iter().filter(|s| *s != Stage::ContactMade) {
        let path = stage.path();
        assert!(path.contains(&stage), "{stage:?}");
        assert_eq!(path.first(), Some(&Stage::Missed));
        assert_eq!(path.last(), Some(&Stage::Finalized));
        assert!(!path.contains(&Stage::ContactMade));
    }
}

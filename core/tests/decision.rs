//! The staffing workspace's rules: the DQ1 decision refused with every unmet step of due
//! process (R26), the decision standing until a new staffing (R24), good cause named (R23),
//! partners cleared by the release on file (R19), the team's size (R18), and the steps of a
//! finalized DQ1 (R27) — at the year end and across Thanksgiving, natively and in wasm32.

use chrono::NaiveDate;
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use reengage_core::rules::*;
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn cal() -> BusinessCalendar {
    BusinessCalendar::oregon()
}

fn attempt(on: &str, method: ContactMethod, window: Option<i64>) -> Attempt {
    Attempt {
        on: d(on),
        method,
        outcome: AttemptOutcome::MessageLeft,
        response_window: window.map(|w| ResponseWindow::new(w).expect("1 to 3")),
        by_initials: "CD".into(),
        note: None,
        by_contractor: false,
    }
}

/// A staff account of the branch on the team (ids: CD 1, MD 2, ED 3).
fn member(initials: &str, role: StaffingRole) -> StaffingMember {
    let staff_id = match initials {
        "CD" => 1,
        "MD" => 2,
        "ED" => 3,
        _ => 9,
    };
    StaffingMember::account(staff_id, initials, role)
}

/// R20: every cell answered "no concerns".
fn all_clear() -> Vec<BarrierFinding> {
    BarrierArea::cells()
        .map(|(area, who)| BarrierFinding::none_found(area, who))
        .collect()
}

/// R18: the three department members of `team_staffing` confirm "I was present".
fn confirmed(on: &str) -> Vec<(&str, Transition)> {
    (1..=3)
        .map(|staff_id| {
            (
                on,
                Transition::ConfirmPresence {
                    staff_id,
                    on: d(on),
                },
            )
        })
        .collect()
}

/// `team_staffing` as recorded and confirmed by its three department members on `on`.
fn confirmed_staffing(on: &str) -> Staffing {
    let mut staffing = team_staffing(on);
    for member in &mut staffing.members {
        member.confirmed_on = Some(d(on));
    }
    staffing
}

fn team_staffing(on: &str) -> Staffing {
    Staffing {
        held_on: d(on),
        members: vec![
            member("CD", StaffingRole::FamilyCoach),
            member("MD", StaffingRole::OperationsManager),
            member("ED", StaffingRole::EngagementSpecialist),
        ],
        participant_attended: false,
        partners: vec![],
        barrier_review: all_clear(),
        good_cause: GoodCauseAnswers {
            exempt: Some(false),
            outside_control: Some(false),
            household_issue: Some(false),
            department_failed: Some(false),
        },
        recommended_strategies: vec!["Weekly check-in call".into()],
        pdp_next_steps: vec!["Job search, 10 hours a week".into()],
    }
}

fn dq1(on: &str) -> Transition {
    Transition::Decide(Decision::by_team(DecisionOutcome::Dq1, d(on)))
}

/// Checks and applies each change as the server does.
fn run(mut facts: EpisodeFacts, steps: Vec<(&str, Transition)>) -> EpisodeFacts {
    for (today, change) in steps {
        check(&facts, &change, d(today), &cal())
            .unwrap_or_else(|refusal| panic!("{today}: {change:?} refused: {refusal}"));
        facts = apply(&facts, &change, d(today));
    }
    facts
}

/// A missed orientation on Tuesday 2026-12-22; a voicemail on Wednesday 12-23 with a 2-day
/// window (Christmas on Friday 12-25: the follow-up is due Monday 12-28); the letter on
/// 12-28; no reply 3 business days later, Thursday 12-31 (New Year's Day is Friday); the
/// appointment Thursday 2027-01-07, its notice mailed 12-31, the last day (R15).
fn year_end() -> EpisodeFacts {
    let facts = EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind: TriggerKind::MissedCoachAppointment,
            what: "orientation".into(),
            on: d("2026-12-22"),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        },
    );
    run(
        facts,
        vec![
            (
                "2026-12-23",
                Transition::LogAttempt(attempt("2026-12-23", ContactMethod::Phone, Some(2))),
            ),
            (
                "2026-12-28",
                Transition::LogAttempt(attempt("2026-12-28", ContactMethod::Written, None)),
            ),
            (
                "2026-12-31",
                Transition::ScheduleAppointment {
                    on: d("2027-01-07"),
                    at: None,
                },
            ),
            (
                "2026-12-31",
                Transition::RecordNoticeMailed {
                    on: d("2026-12-31"),
                },
            ),
        ],
    )
}

fn rules(items: &[ReadinessItem]) -> Vec<RuleId> {
    items.iter().map(|item| item.rule).collect()
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_a_dq1_decision_is_refused_with_every_unmet_step_and_where_to_fix_it() {
    let mut facts = year_end();
    // R9: the letter went out on Christmas Eve, before the voicemail's window ran (12-28).
    facts.attempts[1].on = d("2026-12-24");
    let mut staffing = team_staffing("2027-01-07");
    staffing.barrier_review.pop(); // R20: one area not reviewed
    staffing.good_cause.department_failed = None; // R23: one question open
    staffing.pdp_next_steps.clear(); // R30
    let mut steps = vec![("2027-01-07", Transition::RecordStaffing(staffing))];
    steps.extend(confirmed("2027-01-07"));
    let facts = run(facts, steps);

    let decide = dq1("2027-01-07");
    let refusal = check(&facts, &decide, d("2027-01-07"), &cal()).unwrap_err();
    let Refusal::NotReadyToDecide(items) = &refusal else {
        panic!("expected NotReadyToDecide, got {refusal:?}");
    };
    assert_eq!(refusal.rule(), Some(R26));
    assert_eq!(rules(items), vec![R9, R20, R23, R30]);
    assert_eq!(
        items.iter().map(|i| i.fix_at).collect::<Vec<_>>(),
        vec![
            FixAt::Attempts,
            FixAt::BarrierReview,
            FixAt::GoodCause,
            FixAt::NextSteps
        ]
    );
    assert!(
        items[0].problem.contains("Monday, December 28, 2026"),
        "{}",
        items[0].problem
    );
    // The same list the page shows while DQ1 is considered: the readiness of the facts as
    // they would stand after the decision. The steps after a DQ1 (R27) are not in it.
    assert_eq!(
        items,
        &dq1_decision_readiness(&apply(&facts, &decide, d("2027-01-07")), &cal())
    );
    assert!(refusal.to_string().contains("4 step(s)"), "{refusal}");
    // Other outcomes are not held to the DQ1 list.
    let mut good = facts.clone();
    good.staffing.as_mut().unwrap().pdp_next_steps = vec!["Childcare search".into()];
    let new_plan = Transition::Decide(Decision::by_team(
        DecisionOutcome::ReengagedNewPlan,
        d("2027-01-07"),
    ));
    assert_eq!(check(&good, &new_plan, d("2027-01-07"), &cal()), Ok(()));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_r27_the_year_end_dq1_decides_then_finalizes_with_its_re_step() {
    let staffed = run(
        year_end(),
        vec![(
            "2027-01-07",
            Transition::RecordStaffing(team_staffing("2027-01-07")),
        )],
    );
    // R18: no DQ1 until three department members confirmed their presence themselves.
    let refusal = check(&staffed, &dq1("2027-01-07"), d("2027-01-07"), &cal()).unwrap_err();
    assert_eq!(rules(refusal.unmet().unwrap()), vec![R18]);
    let facts = run(staffed, confirmed("2027-01-07"));
    let facts = run(facts, vec![("2027-01-07", dq1("2027-01-07"))]);
    assert_eq!(dq1_decision_readiness(&facts, &cal()), vec![]);
    // Before finalizing: the RE step dated the re-engagement day, and DQ1 on the page.
    let left = dq1_readiness(&facts, &cal());
    assert_eq!(rules(&left), vec![R27, R27]);
    assert_eq!(re_step_day(&facts), Some(d("2027-01-07")));
    assert!(
        left[0].problem.contains("Thursday, January 7, 2027"),
        "{}",
        left[0].problem
    );
    let steps = PostDq1Steps {
        re_step_recorded: true,
        dq1_selected_on_page: true,
        ..PostDq1Steps::default()
    };
    let done = run(
        facts,
        vec![
            ("2027-01-08", Transition::RecordPostDq1Steps(steps)),
            (
                "2027-01-08",
                Transition::FinalizeDq1 {
                    on: d("2027-01-08"),
                    staff_id: 2,
                },
            ),
        ],
    );
    assert_eq!(stage(&done, d("2027-01-08"), &cal()), Stage::Finalized);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r12_r15_the_invitation_and_the_notice_at_the_year_end() {
    let staffed = |mut facts: EpisodeFacts| {
        facts.staffing = Some(confirmed_staffing("2027-01-08"));
        facts
    };
    // Invited on Wednesday 12-30: one business day short of the three after 12-28.
    let mut early = staffed(year_end());
    early.appointment.as_mut().unwrap().scheduled_on = d("2026-12-30");
    assert_eq!(rules(&dq1_decision_readiness(&early, &cal())), vec![R12]);
    // The notice mailed Monday 2027-01-04 for Thursday 01-07: three days short.
    let mut late = staffed(year_end());
    late.appointment.as_mut().unwrap().notice_mailed_on = Some(d("2027-01-04"));
    assert_eq!(rules(&dq1_decision_readiness(&late, &cal())), vec![R15]);
    // R15, recording: mailed New Year's Day (closed) for Friday 01-08 is on or before 01-01.
    let mut holiday_mailing = staffed(year_end());
    holiday_mailing.appointment.as_mut().unwrap().on = d("2027-01-08");
    holiday_mailing
        .appointment
        .as_mut()
        .unwrap()
        .notice_mailed_on = Some(d("2027-01-01"));
    assert_eq!(dq1_decision_readiness(&holiday_mailing, &cal()), vec![]);
    // Friday 01-08: seven days before is New Year's Day, a holiday — mailing moves back to
    // Thursday 12-31, so the notice of 12-31 is in time.
    let mut friday = staffed(year_end());
    friday.appointment.as_mut().unwrap().on = d("2027-01-08");
    assert_eq!(dq1_decision_readiness(&friday, &cal()), vec![]);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_a_letter_inside_the_window_is_not_the_follow_up_and_blocks_nothing() {
    // A voicemail on Wednesday 2026-11-25 with a 1-day window: Thursday and Friday are
    // closures, so the follow-up is due Monday 11-30; a letter dated Saturday 11-28 came
    // inside the window: not the follow-up, and no block — a later attempt meets it.
    let mut facts = EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind: TriggerKind::MissedFirstActivity,
            what: "SW step".into(),
            on: d("2026-11-24"),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        },
    );
    facts.attempts = vec![
        attempt("2026-11-25", ContactMethod::Phone, Some(1)),
        attempt("2026-11-28", ContactMethod::Written, None),
    ];
    let items = dq1_decision_readiness(&facts, &cal());
    let r9: Vec<_> = items.iter().filter(|i| i.rule == R9).collect();
    assert_eq!(r9.len(), 1, "{items:?}");
    assert!(r9[0].problem.contains("Monday, November 30, 2026"));
    let mut followed = facts.clone();
    followed
        .attempts
        .push(attempt("2026-12-02", ContactMethod::Phone, Some(1)));
    assert!(!rules(&dq1_decision_readiness(&followed, &cal())).contains(&R9));
    facts.attempts[1].on = d("2026-11-30");
    assert!(!rules(&dq1_decision_readiness(&facts, &cal())).contains(&R9));
}

/// R9, R10: a letter mailed the same day as a voicemail is no premature follow-up; the
/// guardrail asks for a follow-up on or after the window's end, and no item depends on the
/// order the attempts were entered in.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_r10_same_day_letter_and_any_order_of_entry() {
    let trigger = Trigger {
        kind: TriggerKind::MissedCoachAppointment,
        what: "orientation".into(),
        on: d("2026-12-21"),
        at: None,
        reported_by: ReportedBy::Department,
        aware_on: None,
    };
    // Voicemail and letter on Tuesday 12-22 (window 2 → Wednesday 12-24... Christmas Eve is
    // open, Christmas closed: 12-23, 12-24); a follow-up call on Monday 12-28.
    let voicemail = attempt("2026-12-22", ContactMethod::Phone, Some(2));
    let letter = attempt("2026-12-22", ContactMethod::Written, None);
    let follow_up = Attempt {
        outcome: AttemptOutcome::NoAnswer,
        response_window: None,
        ..attempt("2026-12-28", ContactMethod::Phone, None)
    };
    let orders = [
        vec![voicemail.clone(), letter.clone(), follow_up.clone()],
        vec![letter.clone(), voicemail.clone(), follow_up.clone()],
        vec![follow_up.clone(), letter.clone(), voicemail.clone()],
        vec![follow_up.clone(), voicemail.clone(), letter.clone()],
    ];
    let mut readiness = Vec::new();
    for order in orders {
        let mut facts = EpisodeFacts::new("Ms. Smith", trigger.clone());
        for one in order {
            let log = Transition::LogAttempt(one);
            check(&facts, &log, d("2026-12-28"), &cal()).expect("any order (R10)");
            facts = apply(&facts, &log, d("2026-12-28"));
        }
        // R10: kept in the order of their days.
        assert!(facts.attempts.windows(2).all(|w| w[0].on <= w[1].on));
        let items = dq1_decision_readiness(&facts, &cal());
        assert!(!rules(&items).contains(&R9), "{items:?}");
        assert!(!rules(&items).contains(&R13), "{items:?}");
        readiness.push(items);
        // R12: 3 business days after the second attempt (the same-day letter): 12-28.
        assert_eq!(invite_on(&facts, &cal()), Some(d("2026-12-28")));
    }
    assert!(readiness.windows(2).all(|w| w[0] == w[1]));
    // Without the follow-up, the R9 item names the day it may be made, in any order too.
    let mut first = EpisodeFacts::new("Ms. Smith", trigger.clone());
    first.attempts = vec![voicemail.clone(), letter.clone()];
    let mut second = EpisodeFacts::new("Ms. Smith", trigger);
    second.attempts = vec![letter, voicemail];
    let items = dq1_decision_readiness(&first, &cal());
    assert_eq!(items, dq1_decision_readiness(&second, &cal()));
    let r9: Vec<_> = items.iter().filter(|i| i.rule == R9).collect();
    assert!(
        r9[0].problem.contains("Thursday, December 24, 2026"),
        "{r9:?}"
    );
}

/// R10: an earlier attempt entered late is accepted and sorted by its date.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r10_an_earlier_attempt_entered_late_takes_its_place() {
    let facts = year_end();
    assert!(!facts.is_late_entry(d("2026-12-28")));
    assert!(facts.is_late_entry(d("2026-12-24")));
    let late = Transition::LogAttempt(attempt("2026-12-24", ContactMethod::Email, Some(1)));
    assert_eq!(check(&facts, &late, d("2027-01-04"), &cal()), Ok(()));
    let after = apply(&facts, &late, d("2027-01-04"));
    let days: Vec<_> = after.attempts.iter().map(|a| a.on).collect();
    assert_eq!(
        days,
        vec![d("2026-12-23"), d("2026-12-24"), d("2026-12-28")]
    );
    // A second attempt on a day already logged goes after it.
    let same_day = Transition::LogAttempt(attempt("2026-12-24", ContactMethod::Written, None));
    let after = apply(&after, &same_day, d("2027-01-04"));
    assert_eq!(after.attempts[2].method, ContactMethod::Written);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r24_a_decision_stands_until_a_new_staffing_is_requested() {
    let decided = run(
        year_end(),
        vec![(
            "2027-01-07",
            Transition::RecordStaffing(team_staffing("2027-01-07")),
        )]
        .into_iter()
        .chain(confirmed("2027-01-07"))
        .chain([
            ("2027-01-07", dq1("2027-01-07")),
            (
                "2027-01-08",
                Transition::RecordPostDq1Steps(PostDq1Steps {
                    re_step_recorded: true,
                    ..PostDq1Steps::default()
                }),
            ),
        ])
        .collect(),
    );
    let again = Transition::RecordStaffing(team_staffing("2027-01-08"));
    let refusal = check(&decided, &again, d("2027-01-08"), &cal()).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::AlreadyDecided, Some(R24))
    );
    assert_eq!(
        check(&decided, &dq1("2027-01-08"), d("2027-01-08"), &cal()),
        Err(Refusal::AlreadyDecided)
    );
    let review = Transition::RequestNewStaffing {
        reason: "An exemption from December came to light".into(),
    };
    let reopened = run(decided, vec![("2027-01-11", review)]);
    assert_eq!(reopened.decision, None);
    assert_eq!(reopened.staffing, None);
    assert_eq!(
        reopened.post_dq1,
        PostDq1Steps::default(),
        "the steps follow the new decision"
    );
    assert_eq!(stage(&reopened, d("2027-01-11"), &cal()), Stage::Staffing);
    assert_eq!(
        check(&reopened, &again, d("2027-01-11"), &cal()),
        Ok(()),
        "the new review is recorded"
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r17_the_decision_comes_on_the_staffing_day_or_later() {
    let mut facts = year_end();
    facts.staffing = Some(confirmed_staffing("2027-01-08"));
    let refusal = check(&facts, &dq1("2027-01-07"), d("2027-01-08"), &cal()).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::DecisionBeforeStaffing(d("2027-01-08")), Some(R17))
    );
    assert_eq!(
        check(&facts, &dq1("2027-01-08"), d("2027-01-08"), &cal()),
        Ok(())
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r23_a_good_cause_decision_rests_on_a_cause() {
    let mut facts = year_end();
    facts.staffing = Some(team_staffing("2027-01-07"));
    let good_cause_decision = Transition::Decide(Decision::by_team(
        DecisionOutcome::GoodCause,
        d("2027-01-07"),
    ));
    let refusal = check(&facts, &good_cause_decision, d("2027-01-07"), &cal()).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::NoGoodCauseFound, Some(R23))
    );
    // An exemption that ended on the day of the miss is a cause, whatever the answers.
    let mut exempt = facts.clone();
    exempt.exemptions.push(Exemption {
        from: d("2026-12-01"),
        to: Some(d("2026-12-22")),
    });
    assert_eq!(
        check(&exempt, &good_cause_decision, d("2027-01-07"), &cal()),
        Ok(())
    );
    // A yes answer is a cause too.
    facts.staffing.as_mut().unwrap().good_cause.outside_control = Some(true);
    assert_eq!(
        check(&facts, &good_cause_decision, d("2027-01-07"), &cal()),
        Ok(())
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_r27_a_finalized_dq1_keeps_its_steps_and_takes_the_rest() {
    let before = PostDq1Steps {
        re_step_recorded: true,
        dq1_selected_on_page: true,
        ..PostDq1Steps::default()
    };
    let done = run(
        year_end(),
        vec![(
            "2027-01-07",
            Transition::RecordStaffing(team_staffing("2027-01-07")),
        )]
        .into_iter()
        .chain(confirmed("2027-01-07"))
        .chain([
            ("2027-01-07", dq1("2027-01-07")),
            ("2027-01-07", Transition::RecordPostDq1Steps(before.clone())),
            (
                "2027-01-07",
                Transition::FinalizeDq1 {
                    on: d("2027-01-07"),
                    staff_id: 2,
                },
            ),
        ])
        .collect(),
    );
    let undo = Transition::RecordPostDq1Steps(PostDq1Steps {
        re_step_recorded: false,
        ..before.clone()
    });
    let refusal = check(&done, &undo, d("2027-01-08"), &cal()).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::FinalizedStepsStay, Some(R26))
    );
    let more = Transition::RecordPostDq1Steps(PostDq1Steps {
        one_case_note: true,
        resources_offered: true,
        ..before
    });
    assert_eq!(check(&done, &more, d("2027-01-08"), &cal()), Ok(()));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r19_a_partner_is_cleared_by_the_release_on_file_not_by_the_request() {
    let on_file = vec![
        (
            "Community Action".to_owned(),
            Release {
                signed_on: d("2025-01-06"),
                expires_on: Some(d("2025-12-31")),
            },
        ),
        (
            "Community Action".to_owned(),
            Release {
                signed_on: d("2026-01-05"),
                expires_on: Some(d("2026-12-31")),
            },
        ),
        (
            "Housing Partner".to_owned(),
            Release {
                signed_on: d("2026-02-02"),
                expires_on: Some(d("2026-12-30")),
            },
        ),
    ];
    // The release of 2026 is in force on New Year's Eve, its last day.
    let action = Partner::with_release_on_file(" community action ", &on_file, d("2026-12-31"));
    assert_eq!(action.name, "community action");
    assert!(action.cleared_on(d("2026-12-31")));
    // Housing Partner's release ended the day before; the latest one is kept to say so.
    let housing = Partner::with_release_on_file("Housing Partner", &on_file, d("2026-12-31"));
    assert_eq!(
        housing.release.as_ref().map(|r| r.expires_on),
        Some(Some(d("2026-12-30")))
    );
    assert!(!housing.cleared_on(d("2026-12-31")));
    // None on file: none claimed into being.
    let unknown = Partner::with_release_on_file("Food bank", &on_file, d("2026-12-31"));
    assert_eq!(unknown.release, None);
    let mut staffing = team_staffing("2026-12-31");
    staffing.partners = vec![action, housing, unknown];
    assert_eq!(
        staffing
            .partners_without_release()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Housing Partner", "Food bank"]
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r18_how_many_more_department_staff_the_team_needs() {
    let mut staffing = team_staffing("2027-01-07");
    assert_eq!(department_staff_needed(&staffing), 0);
    staffing.members = vec![
        member("CD", StaffingRole::FamilyCoach),
        StaffingMember::named("CW", StaffingRole::ChildWelfare),
        StaffingMember::named("KD", StaffingRole::Contractor),
        StaffingMember::named("ZZ", StaffingRole::OtherDepartmentStaff),
    ];
    assert_eq!(
        department_staff_needed(&staffing),
        2,
        "child welfare, contractors and a designee without an account attend but do not count"
    );
    staffing.members.clear();
    assert_eq!(department_staff_needed(&staffing), MIN_DEPARTMENT_STAFF);
    let facts = {
        let mut f = year_end();
        f.staffing = Some(staffing);
        f
    };
    let r18: Vec<_> = dq1_decision_readiness(&facts, &cal())
        .into_iter()
        .filter(|i| i.rule == R18)
        .collect();
    assert_eq!(
        r18.len(),
        3,
        "three staff, three confirmations, and a manager or lead worker to finalize"
    );
    assert!(r18[0].problem.contains("(3 more)"), "{}", r18[0].problem);
    assert!(r18[1].problem.contains("(3 more)"), "{}", r18[1].problem);
    assert!(r18[2].problem.contains("operations manager or lead worker"));
}

/// R18, R26: a team of a coach, an aide and a specialist could decide a DQ1 no one may
/// finalize; the guardrail asks for an operations manager or lead worker on the team first —
/// who may still confirm after the decision, before finalizing.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r18_r26_a_dq1_team_has_someone_who_may_finalize_it() {
    let mut staffing = team_staffing("2027-01-07");
    staffing.members[1] = StaffingMember::account(4, "AD", StaffingRole::CaseAide);
    for member in &mut staffing.members {
        member.confirmed_on = Some(d("2027-01-07"));
    }
    let mut facts = year_end();
    facts.staffing = Some(staffing);
    let unmet = dq1_decision_readiness(&facts, &cal());
    assert_eq!(rules(&unmet), vec![R18], "{unmet:?}");
    // With the manager on the team, unconfirmed, and three others confirmed: decided; the
    // manager confirms before finalizing.
    let mut four = confirmed_staffing("2027-01-07");
    four.members[1].confirmed_on = None;
    four.members.push(StaffingMember {
        confirmed_on: Some(d("2027-01-07")),
        ..StaffingMember::account(4, "AD", StaffingRole::CaseAide)
    });
    facts.staffing = Some(four);
    assert_eq!(dq1_decision_readiness(&facts, &cal()), vec![]);
    let decided = apply(&facts, &dq1("2027-01-07"), d("2027-01-07"));
    let finalize = Transition::FinalizeDq1 {
        on: d("2027-01-08"),
        staff_id: 2,
    };
    let steps = Transition::RecordPostDq1Steps(PostDq1Steps {
        re_step_recorded: true,
        dq1_selected_on_page: true,
        ..PostDq1Steps::default()
    });
    let ready = apply(&decided, &steps, d("2027-01-08"));
    assert_eq!(
        check(&ready, &finalize, d("2027-01-08"), &cal()),
        Err(Refusal::NotAFinalizer)
    );
    let confirm = Transition::ConfirmPresence {
        staff_id: 2,
        on: d("2027-01-08"),
    };
    assert_eq!(check(&ready, &confirm, d("2027-01-08"), &cal()), Ok(()));
    let confirmed = apply(&ready, &confirm, d("2027-01-08"));
    assert_eq!(
        check(&confirmed, &finalize, d("2027-01-08"), &cal()),
        Ok(())
    );
}

/// R18, R26 — no one person can impose a DQ1: each department member confirms their own
/// presence; a change to the team clears the confirmations; the finalizer is one of them,
/// by account.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r18_r26_confirmations_by_each_member_and_a_team_change_clears_them() {
    let staffed = run(
        year_end(),
        vec![(
            "2027-01-07",
            Transition::RecordStaffing(team_staffing("2027-01-07")),
        )],
    );
    let confirm = |staff_id| Transition::ConfirmPresence {
        staff_id,
        on: d("2027-01-07"),
    };
    // Only a department member of the team, by account; once each.
    assert_eq!(
        check(&staffed, &confirm(7), d("2027-01-07"), &cal()),
        Err(Refusal::NotOnTheTeam)
    );
    let one = run(staffed.clone(), vec![("2027-01-07", confirm(1))]);
    assert_eq!(
        check(&one, &confirm(1), d("2027-01-08"), &cal()),
        Err(Refusal::AlreadyConfirmed(d("2027-01-07")))
    );
    assert_eq!(confirmations_needed(one.staffing.as_ref().unwrap()), 2);
    // A named child welfare row cannot confirm: it never counts.
    let mut with_named = team_staffing("2027-01-07");
    with_named
        .members
        .push(StaffingMember::named("CW", StaffingRole::ChildWelfare));
    let named = run(
        year_end(),
        vec![("2027-01-07", Transition::RecordStaffing(with_named))],
    );
    assert_eq!(named.staffing.as_ref().unwrap().department_staff(), 3);
    // A request never brings its own confirmations.
    let mut claimed = team_staffing("2027-01-07");
    for member in &mut claimed.members {
        member.confirmed_on = Some(d("2027-01-07"));
    }
    let claimed = run(
        year_end(),
        vec![("2027-01-07", Transition::RecordStaffing(claimed))],
    );
    assert_eq!(
        claimed
            .staffing
            .as_ref()
            .unwrap()
            .confirmed_department_staff(),
        0
    );
    // All three confirmed; saving the same team again (other answers) keeps them.
    let all = run(staffed, confirmed("2027-01-07"));
    let mut edited = team_staffing("2027-01-07");
    edited.members.reverse();
    edited.recommended_strategies = vec!["Home visit".into()];
    let kept = run(
        all.clone(),
        vec![("2027-01-07", Transition::RecordStaffing(edited))],
    );
    assert_eq!(
        kept.staffing.as_ref().unwrap().confirmed_department_staff(),
        3
    );
    // A change to the team clears them: one member swapped for another.
    let mut changed = team_staffing("2027-01-07");
    changed.members[2] = StaffingMember::account(4, "LW", StaffingRole::LeadWorker);
    let cleared = run(
        all.clone(),
        vec![("2027-01-07", Transition::RecordStaffing(changed))],
    );
    assert_eq!(
        cleared
            .staffing
            .as_ref()
            .unwrap()
            .confirmed_department_staff(),
        0
    );
    assert_eq!(
        rules(
            check(&cleared, &dq1("2027-01-07"), d("2027-01-07"), &cal())
                .unwrap_err()
                .unmet()
                .unwrap()
        ),
        vec![R18]
    );
    // Another day is another meeting: cleared too.
    let moved = run(
        all.clone(),
        vec![(
            "2027-01-08",
            Transition::RecordStaffing(team_staffing("2027-01-08")),
        )],
    );
    assert_eq!(
        moved
            .staffing
            .as_ref()
            .unwrap()
            .confirmed_department_staff(),
        0
    );
    // Someone twice on the team is refused.
    let mut twice = team_staffing("2027-01-07");
    twice.members.push(member("CD", StaffingRole::FamilyCoach));
    assert_eq!(
        check(
            &all,
            &Transition::RecordStaffing(twice),
            d("2027-01-07"),
            &cal()
        ),
        Err(Refusal::MemberTwice("CD".into()))
    );
}

/// R23: the case manager gives good cause alone, at any stage before a decision, with its
/// reason — no staffing needed; the episode closes with no disqualification.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r23_the_case_manager_gives_good_cause_alone_at_any_stage() {
    let give = |on: &str, reason: &str| Transition::GiveGoodCause {
        on: d(on),
        reason: reason.into(),
    };
    // Before any attempt (the day of the miss), mid-attempts, and after the appointment.
    let new = EpisodeFacts::new("Ms. Smith", year_end().trigger);
    let mid = {
        let mut f = year_end();
        f.appointment = None;
        f
    };
    for (facts, on) in [
        (new, "2026-12-22"),
        (mid, "2026-12-29"),
        (year_end(), "2027-01-07"),
    ] {
        let change = give(on, "Hospitalized 12/21 to 12/28");
        assert_eq!(check(&facts, &change, d(on), &cal()), Ok(()), "{on}");
        let after = apply(&facts, &change, d(on));
        assert!(is_closed(&after, &cal()));
        assert_eq!(stage(&after, d(on), &cal()), Stage::Decided);
        assert_eq!(
            after.decision.as_ref().unwrap().case_manager_reason(),
            Some("Hospitalized 12/21 to 12/28")
        );
        assert_eq!(
            effort_outcome(&after, d(on), &cal()),
            "Good cause given by the case manager — no disqualification"
        );
    }
    let facts = year_end();
    for (change, refusal) in [
        (give("2027-01-07", "   "), Refusal::GoodCauseReason),
        (
            give("2027-01-07", &"x".repeat(MAX_REASON_CHARS + 1)),
            Refusal::GoodCauseReason,
        ),
        (
            give("2026-12-21", "Hospitalized"),
            Refusal::GoodCauseBeforeMiss(d("2026-12-22")),
        ),
    ] {
        let got = check(&facts, &change, d("2027-01-07"), &cal()).unwrap_err();
        assert_eq!((got.clone(), got.rule()), (refusal, Some(R23)));
    }
    assert!(matches!(
        check(
            &facts,
            &give("2027-01-08", "Hospitalized"),
            d("2027-01-07"),
            &cal()
        ),
        Err(Refusal::InTheFuture(_))
    ));
    // Not over a decision already made: a new staffing first (R24), then it may.
    let decided = run(
        year_end(),
        vec![(
            "2027-01-07",
            Transition::RecordStaffing(team_staffing("2027-01-07")),
        )]
        .into_iter()
        .chain(confirmed("2027-01-07"))
        .chain([("2027-01-07", dq1("2027-01-07"))])
        .collect(),
    );
    assert_eq!(
        check(
            &decided,
            &give("2027-01-08", "An exemption came to light"),
            d("2027-01-08"),
            &cal()
        ),
        Err(Refusal::AlreadyDecided)
    );
    let reopened = run(
        decided,
        vec![(
            "2027-01-08",
            Transition::RequestNewStaffing {
                reason: "An exemption came to light".into(),
            },
        )],
    );
    assert_eq!(
        check(
            &reopened,
            &give("2027-01-08", "Exempt 01/04 on"),
            d("2027-01-08"),
            &cal()
        ),
        Ok(())
    );
    // A team decision cannot pass itself off as the case manager's.
    let mut staffed = year_end();
    staffed.staffing = Some(confirmed_staffing("2027-01-07"));
    let posing = Transition::Decide(Decision {
        outcome: DecisionOutcome::GoodCause,
        decided_on: d("2027-01-07"),
        by: DecidedBy::CaseManager { reason: "x".into() },
    });
    assert_eq!(
        check(&staffed, &posing, d("2027-01-07"), &cal()),
        Err(Refusal::NotATeamDecision)
    );
}

/// R13 at scheduling is a warning ("a DQ1 will need a written attempt"), not a refusal;
/// R14: a reached attempt does not count as unsuccessful.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r13_r14_scheduling_warns_and_a_reached_attempt_does_not_count() {
    let trigger = year_end().trigger;
    let no_answer = |on: &str| Attempt {
        outcome: AttemptOutcome::NoAnswer,
        response_window: None,
        ..attempt(on, ContactMethod::Phone, None)
    };
    // Two unanswered calls, no letter: the appointment can be scheduled three business days
    // after the second, with a warning that a DQ1 will need a written attempt.
    let mut calls = EpisodeFacts::new("Ms. Smith", trigger.clone());
    calls.attempts = vec![no_answer("2026-12-22"), no_answer("2026-12-23")];
    let schedule = Transition::ScheduleAppointment {
        on: d("2027-01-07"),
        at: None,
    };
    assert_eq!(check(&calls, &schedule, d("2026-12-29"), &cal()), Ok(()));
    let warnings = scheduling_warnings(&calls, &cal());
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].rule, R13);
    assert!(
        warnings[0]
            .text
            .starts_with("A DQ1 will need a written attempt"),
        "{warnings:?}"
    );
    // It stays a DQ1 guardrail item.
    let scheduled = apply(&calls, &schedule, d("2026-12-29"));
    assert!(rules(&dq1_decision_readiness(&scheduled, &cal())).contains(&R13));
    // A reached attempt is not unsuccessful: one call reached, one letter — not two (R14).
    let mut reached = EpisodeFacts::new("Ms. Smith", trigger);
    reached.attempts = vec![
        Attempt {
            outcome: AttemptOutcome::Reached,
            response_window: None,
            ..attempt("2026-12-22", ContactMethod::Phone, None)
        },
        attempt("2026-12-23", ContactMethod::Written, None),
    ];
    assert_eq!(second_unsuccessful_on(&reached), None);
    assert_eq!(
        check(&reached, &schedule, d("2026-12-29"), &cal()),
        Err(Refusal::NotEnoughAttempts)
    );
    assert!(
        scheduling_warnings(&reached, &cal())
            .iter()
            .any(|w| w.rule == R14)
    );
    assert!(scheduling_warnings(&year_end(), &cal()).is_empty());
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r17_missing_information_is_described_and_gathered_once() {
    let facts = year_end();
    let item = |description: &str| MissingInfo {
        kind: MissingInfoKind::ChildSafetyCheck,
        description: description.into(),
        requested_on: d("2027-01-07"),
        resolved_on: None,
    };
    let blank = Transition::AddMissingInfo(item("  "));
    let refusal = check(&facts, &blank, d("2027-01-07"), &cal()).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::WhatIsMissing, Some(R17))
    );
    let facts = run(
        facts,
        vec![
            (
                "2027-01-07",
                Transition::AddMissingInfo(item("child safety check")),
            ),
            (
                "2027-01-08",
                Transition::ResolveMissingInfo {
                    index: 0,
                    on: d("2027-01-08"),
                },
            ),
        ],
    );
    let again = Transition::ResolveMissingInfo {
        index: 0,
        on: d("2027-01-11"),
    };
    assert_eq!(
        check(&facts, &again, d("2027-01-11"), &cal()),
        Err(Refusal::AlreadyGathered(d("2027-01-08")))
    );
    let none = Transition::ResolveMissingInfo {
        index: 5,
        on: d("2027-01-11"),
    };
    assert_eq!(
        check(&facts, &none, d("2027-01-11"), &cal()),
        Err(Refusal::NoSuchItem(5))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r23_the_exemptions_that_overlap_the_episode_through_the_new_year() {
    let mut facts = year_end();
    let period = |from: &str, to: Option<&str>| Exemption {
        from: d(from),
        to: to.map(d),
    };
    facts.exemptions = vec![
        period("2026-12-01", Some("2026-12-21")), // ended the day before the miss
        period("2026-12-01", Some("2026-12-22")), // ended on the day of the miss
        period("2027-01-04", None),               // began during the process, still open
        period("2027-01-08", None),               // begins after the staffing
    ];
    let overlapping = overlapping_exemptions(&facts, d("2027-01-07"));
    assert_eq!(
        overlapping,
        vec![&facts.exemptions[1], &facts.exemptions[2]]
    );
    // The first overlapping one is the good cause named (R23).
    assert_eq!(
        good_cause(&facts, d("2027-01-07")).reasons[0],
        "exempt from Tuesday, December 1, 2026 to Tuesday, December 22, 2026"
    );
    // In a narrative, the one date style.
    assert_eq!(
        good_cause_dated(
            &facts,
            d("2027-01-07"),
            reengage_core::narrative::tracs_date
        )
        .reasons[0],
        "exempt from 12/01/2026 to 12/22/2026"
    );
}

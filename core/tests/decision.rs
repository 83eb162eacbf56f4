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
    }
}

fn member(initials: &str, role: StaffingRole) -> StaffingMember {
    StaffingMember {
        initials: initials.into(),
        role,
    }
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
        barrier_review: BarrierFinding::grid(),
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
    Transition::Decide(Decision {
        outcome: DecisionOutcome::Dq1,
        decided_on: d(on),
    })
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
    let facts = run(
        facts,
        vec![("2027-01-07", Transition::RecordStaffing(staffing))],
    );

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
    let new_plan = Transition::Decide(Decision {
        outcome: DecisionOutcome::ReengagedNewPlan,
        decided_on: d("2027-01-07"),
    });
    assert_eq!(check(&good, &new_plan, d("2027-01-07"), &cal()), Ok(()));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_r27_the_year_end_dq1_decides_then_finalizes_with_its_re_step() {
    let facts = run(
        year_end(),
        vec![
            (
                "2027-01-07",
                Transition::RecordStaffing(team_staffing("2027-01-07")),
            ),
            ("2027-01-07", dq1("2027-01-07")),
        ],
    );
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
                    role: StaffingRole::OperationsManager,
                    initials: "md".into(),
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
        facts.staffing = Some(team_staffing("2027-01-08"));
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
    // Friday 01-08: seven days before is New Year's Day, a holiday — mailing moves back to
    // Thursday 12-31, so the notice of 12-31 is in time.
    let mut friday = staffed(year_end());
    friday.appointment.as_mut().unwrap().on = d("2027-01-08");
    assert_eq!(dq1_decision_readiness(&friday, &cal()), vec![]);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r9_a_follow_up_on_the_day_after_thanksgiving_came_too_soon() {
    // A voicemail on Wednesday 2026-11-25 with a 1-day window: Thursday and Friday are
    // closures, so the follow-up is due Monday 11-30; a letter dated Saturday 11-28 is early.
    let mut facts = EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind: TriggerKind::MissedFirstActivity,
            what: "SW step".into(),
            on: d("2026-11-24"),
            at: None,
            reported_by: ReportedBy::Department,
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
    facts.attempts[1].on = d("2026-11-30");
    assert!(!rules(&dq1_decision_readiness(&facts, &cal())).contains(&R9));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r24_a_decision_stands_until_a_new_staffing_is_requested() {
    let decided = run(
        year_end(),
        vec![
            (
                "2027-01-07",
                Transition::RecordStaffing(team_staffing("2027-01-07")),
            ),
            ("2027-01-07", dq1("2027-01-07")),
            (
                "2027-01-08",
                Transition::RecordPostDq1Steps(PostDq1Steps {
                    re_step_recorded: true,
                    ..PostDq1Steps::default()
                }),
            ),
        ],
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
    facts.staffing = Some(team_staffing("2027-01-08"));
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
    let good_cause_decision = Transition::Decide(Decision {
        outcome: DecisionOutcome::GoodCause,
        decided_on: d("2027-01-07"),
    });
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
        vec![
            (
                "2027-01-07",
                Transition::RecordStaffing(team_staffing("2027-01-07")),
            ),
            ("2027-01-07", dq1("2027-01-07")),
            ("2027-01-07", Transition::RecordPostDq1Steps(before.clone())),
            (
                "2027-01-07",
                Transition::FinalizeDq1 {
                    on: d("2027-01-07"),
                    role: StaffingRole::OperationsManager,
                    initials: "MD".into(),
                },
            ),
        ],
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
        member("CW", StaffingRole::ChildWelfare),
        member("KD", StaffingRole::Contractor),
    ];
    assert_eq!(
        department_staff_needed(&staffing),
        2,
        "child welfare and contractors attend but do not count"
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
    assert_eq!(r18.len(), 1);
    assert!(r18[0].problem.contains("(3 more)"), "{}", r18[0].problem);
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
}

//! The episode machine (stage, deadlines, next action, transitions, DQ1 readiness), natively
//! and in wasm32 from the same vectors.

use chrono::{NaiveDate, NaiveTime};
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use reengage_core::rules::*;
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn oregon() -> BusinessCalendar {
    BusinessCalendar::oregon()
}

fn missed(on: &str, kind: TriggerKind, what: &str) -> EpisodeFacts {
    EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind,
            what: what.into(),
            on: d(on),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        },
    )
}

fn attempt(
    on: &str,
    method: ContactMethod,
    outcome: AttemptOutcome,
    window: Option<u8>,
) -> Attempt {
    Attempt {
        on: d(on),
        method,
        outcome,
        response_window: window.map(|w| ResponseWindow::new(i64::from(w)).unwrap()),
        by_initials: "RH".into(),
        note: None,
        by_contractor: false,
    }
}

/// Applies each transition after checking it, as the server does.
fn run(mut facts: EpisodeFacts, steps: &[(&str, Transition)]) -> EpisodeFacts {
    for (today, transition) in steps {
        check(&facts, transition, d(today), &oregon())
            .unwrap_or_else(|refusal| panic!("{today}: {transition:?} refused: {refusal}"));
        facts = apply(&facts, transition, d(today));
    }
    facts
}

fn staffing(on: &str) -> Staffing {
    Staffing {
        held_on: d(on),
        members: vec![
            StaffingMember::account(1, "RH", StaffingRole::FamilyCoach),
            StaffingMember::account(2, "XR", StaffingRole::OperationsManager),
            StaffingMember::account(3, "JB", StaffingRole::EngagementSpecialist),
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
        recommended_strategies: vec!["Home visit within two weeks".into()],
        pdp_next_steps: vec!["RE step".into()],
    }
}

/// R20: every cell of the review answered "no concerns".
fn all_clear() -> Vec<BarrierFinding> {
    BarrierArea::cells()
        .map(|(area, who)| BarrierFinding::none_found(area, who))
        .collect()
}

/// R18: each of the three department members confirms "I was present" on `on`.
fn confirmations(on: &str) -> Vec<(&str, Transition)> {
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

/// A whole DQ1 episode in November 2026: miss on Monday 11-02, two attempts, invitation on
/// Tuesday 11-10, appointment Wednesday 11-18 (notice by Tuesday 11-10: Veterans Day on
/// Wednesday 11-11 moves it back), staffing and DQ1 on 11-18.
fn dq1_episode() -> EpisodeFacts {
    let facts = missed(
        "2026-11-02",
        TriggerKind::MissedCoachAppointment,
        "orientation",
    );
    let facts = run(
        facts,
        &[
            (
                "2026-11-03",
                Transition::LogAttempt(attempt(
                    "2026-11-03",
                    ContactMethod::Phone,
                    AttemptOutcome::MessageLeft,
                    Some(2),
                )),
            ),
            (
                "2026-11-05",
                Transition::LogAttempt(attempt(
                    "2026-11-05",
                    ContactMethod::Written,
                    AttemptOutcome::MessageLeft,
                    None,
                )),
            ),
            (
                "2026-11-10",
                Transition::ScheduleAppointment {
                    on: d("2026-11-18"),
                    at: None,
                },
            ),
            (
                "2026-11-10",
                Transition::RecordNoticeMailed {
                    on: d("2026-11-10"),
                },
            ),
            (
                "2026-11-18",
                Transition::RecordStaffing(staffing("2026-11-18")),
            ),
        ],
    );
    let facts = run(facts, &confirmations("2026-11-18"));
    run(
        facts,
        &[(
            "2026-11-18",
            Transition::Decide(Decision::by_team(DecisionOutcome::Dq1, d("2026-11-18"))),
        )],
    )
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn stages_follow_the_recorded_facts_through_a_dq1() {
    let cal = oregon();
    let facts = dq1_episode();
    let at = |n: usize| {
        let mut f = facts.clone();
        f.attempts.truncate(n);
        f.appointment = None;
        f.staffing = None;
        f.decision = None;
        f
    };
    assert_eq!(stage(&at(0), d("2026-11-02"), &cal), Stage::Missed);
    assert_eq!(
        stage(&at(1), d("2026-11-04"), &cal),
        Stage::AttemptingContact
    );
    // R12: the invitation waits until 3 business days after the second attempt.
    assert_eq!(
        stage(&at(2), d("2026-11-09"), &cal),
        Stage::AttemptingContact
    );
    assert_eq!(
        stage(&at(2), d("2026-11-10"), &cal),
        Stage::InviteToReengagement
    );
    let mut scheduled = at(2);
    scheduled.appointment = facts.appointment.clone();
    assert_eq!(
        stage(&scheduled, d("2026-11-17"), &cal),
        Stage::AppointmentScheduled
    );
    assert_eq!(stage(&scheduled, d("2026-11-18"), &cal), Stage::Staffing);
    assert_eq!(stage(&facts, d("2026-11-18"), &cal), Stage::Decided);
    assert!(!is_closed(&facts, &cal), "a DQ1 stays open until finalized");
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_a_complete_dq1_is_ready_and_finalizes() {
    let cal = oregon();
    let mut facts = dq1_episode();
    let unmet: Vec<RuleId> = dq1_readiness(&facts, &cal).iter().map(|i| i.rule).collect();
    assert_eq!(
        unmet,
        vec![R27, R27],
        "only the R27 steps before finalizing are left"
    );
    let finalize = Transition::FinalizeDq1 {
        on: d("2026-11-19"),
        staff_id: 2,
    };
    match check(&facts, &finalize, d("2026-11-19"), &cal) {
        Err(Refusal::NotReady(items)) => assert_eq!(items.len(), 2),
        other => panic!("expected NotReady, got {other:?}"),
    }
    facts.post_dq1.re_step_recorded = true;
    facts.post_dq1.dq1_selected_on_page = true;
    assert_eq!(dq1_readiness(&facts, &cal), vec![]);
    // R18, R26: only an operations manager or lead worker who sat on the staffing and
    // confirmed it, matched by account.
    let coach = Transition::FinalizeDq1 {
        on: d("2026-11-19"),
        staff_id: 1,
    };
    assert_eq!(
        check(&facts, &coach, d("2026-11-19"), &cal),
        Err(Refusal::NotAFinalizer)
    );
    let absent = Transition::FinalizeDq1 {
        on: d("2026-11-19"),
        staff_id: 99,
    };
    assert_eq!(
        check(&facts, &absent, d("2026-11-19"), &cal),
        Err(Refusal::NotAFinalizer)
    );
    let mut unconfirmed = facts.clone();
    unconfirmed.staffing.as_mut().unwrap().members[1].confirmed_on = None;
    assert_eq!(
        check(&unconfirmed, &finalize, d("2026-11-19"), &cal),
        Err(Refusal::NotAFinalizer),
        "a manager who did not confirm being present"
    );
    assert_eq!(check(&facts, &finalize, d("2026-11-19"), &cal), Ok(()));
    let done = apply(&facts, &finalize, d("2026-11-19"));
    assert_eq!(stage(&done, d("2026-11-19"), &cal), Stage::Finalized);
    assert!(is_closed(&done, &cal));
    // A finalized decision is never edited; new information opens a new staffing (R24).
    let edit = Transition::RecordNoticeMailed {
        on: d("2026-11-10"),
    };
    assert_eq!(
        check(&done, &edit, d("2026-11-20"), &cal),
        Err(Refusal::Closed)
    );
    let review = Transition::RequestNewStaffing {
        reason: "Exemption came to light".into(),
    };
    assert_eq!(check(&done, &review, d("2026-11-20"), &cal), Ok(()));
    assert_eq!(
        check(
            &done,
            &Transition::RequestNewStaffing {
                reason: "  ".into()
            },
            d("2026-11-20"),
            &cal
        ),
        Err(Refusal::ReasonRequired)
    );
    let reopened = apply(&done, &review, d("2026-11-20"));
    assert_eq!(stage(&reopened, d("2026-11-20"), &cal), Stage::Staffing);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_each_missing_step_is_named_with_its_rule() {
    let cal = oregon();
    let base = {
        let mut f = dq1_episode();
        f.post_dq1.re_step_recorded = true;
        f.post_dq1.dq1_selected_on_page = true;
        f
    };
    let rules = |f: &EpisodeFacts| {
        dq1_readiness(f, &cal)
            .iter()
            .map(|i| i.rule)
            .collect::<Vec<_>>()
    };

    let mut one_attempt = base.clone();
    one_attempt.attempts.truncate(1);
    assert!(rules(&one_attempt).contains(&R14));

    // R9: the letter of 11-04 came inside the voicemail's window (to 11-05); no attempt on or
    // after the window's end is the follow-up the guardrail waits for — a step still to do,
    // never a block for good: one more attempt on or after 11-05 meets it.
    let mut hasty = base.clone();
    hasty.attempts[1].on = d("2026-11-04");
    assert_eq!(rules(&hasty), vec![R9]);
    let mut followed = hasty.clone();
    followed.attempts.push(attempt(
        "2026-11-19",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
    ));
    assert_eq!(rules(&followed), vec![]);

    let mut early_invite = base.clone();
    early_invite.appointment.as_mut().unwrap().scheduled_on = d("2026-11-09");
    assert_eq!(rules(&early_invite), vec![R12]);

    let mut late_notice = base.clone();
    late_notice.appointment.as_mut().unwrap().notice_mailed_on = Some(d("2026-11-12"));
    assert_eq!(rules(&late_notice), vec![R15]);

    let mut two_staff = base.clone();
    two_staff.staffing.as_mut().unwrap().members.pop();
    two_staff
        .staffing
        .as_mut()
        .unwrap()
        .members
        .push(StaffingMember::named("CW", StaffingRole::ChildWelfare));
    assert_eq!(
        rules(&two_staff),
        vec![R18, R18],
        "child welfare does not count toward the three (nor toward the confirmations)"
    );

    // R18: a designee typed in without an account never counts, even in a department seat.
    let mut typed = base.clone();
    typed.staffing.as_mut().unwrap().members[2] = StaffingMember {
        confirmed_on: Some(d("2026-11-18")),
        ..StaffingMember::named("JB", StaffingRole::EngagementSpecialist)
    };
    assert_eq!(rules(&typed), vec![R18, R18]);

    // R18: three accounts, two confirmed.
    let mut unconfirmed = base.clone();
    unconfirmed.staffing.as_mut().unwrap().members[0].confirmed_on = None;
    let items = dq1_readiness(&unconfirmed, &cal);
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].rule, items[0].fix_at), (R18, FixAt::Staffing));
    assert!(
        items[0].problem.contains("Not yet confirmed: RH."),
        "{items:?}"
    );

    let mut partner = base.clone();
    partner.staffing.as_mut().unwrap().partners.push(Partner {
        name: "Community Action".into(),
        release: Some(Release {
            signed_on: d("2026-01-05"),
            expires_on: Some(d("2026-11-17")),
        }),
    });
    assert_eq!(
        rules(&partner),
        vec![R19],
        "a release that expired the day before"
    );

    let mut unreviewed = base.clone();
    unreviewed.staffing.as_mut().unwrap().barrier_review.pop();
    assert_eq!(rules(&unreviewed), vec![R20]);

    // R20: a barrier present needs the accommodations offered and whether it affected
    // participation.
    let mut present = base.clone();
    let finding = &mut present.staffing.as_mut().unwrap().barrier_review[0];
    finding.present = true;
    assert_eq!(rules(&present), vec![R20, R20]);
    let finding = &mut present.staffing.as_mut().unwrap().barrier_review[0];
    finding.accommodation_offered = Some("Referral to a DV advocate".into());
    finding.affected_participation = Some(false);
    assert_eq!(rules(&present), vec![]);

    let mut missing = base.clone();
    missing.missing_info.push(MissingInfo {
        kind: MissingInfoKind::ChildSafetyCheck,
        description: "child safety check".into(),
        requested_on: d("2026-11-18"),
        resolved_on: None,
    });
    assert_eq!(rules(&missing), vec![R17]);

    let mut exempt = base.clone();
    exempt.exemptions.push(Exemption {
        from: d("2026-10-01"),
        to: Some(d("2026-11-02")),
    });
    assert_eq!(
        rules(&exempt),
        vec![R23],
        "an exemption that overlaps the day of the miss"
    );
    let mut exempt_before = base.clone();
    exempt_before.exemptions.push(Exemption {
        from: d("2026-10-01"),
        to: Some(d("2026-11-01")),
    });
    assert_eq!(rules(&exempt_before), vec![]);

    let mut unanswered = base.clone();
    unanswered
        .staffing
        .as_mut()
        .unwrap()
        .good_cause
        .outside_control = None;
    assert_eq!(rules(&unanswered), vec![R23]);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r23_good_cause_forbids_a_dq1_decision() {
    let cal = oregon();
    let mut facts = dq1_episode();
    facts.decision = None;
    facts.staffing.as_mut().unwrap().good_cause.household_issue = Some(true);
    let dq1 = Transition::Decide(Decision::by_team(DecisionOutcome::Dq1, d("2026-11-18")));
    // R26: refused with the list the page shows; its good-cause item names the reason.
    match check(&facts, &dq1, d("2026-11-18"), &cal) {
        Err(Refusal::NotReadyToDecide(items)) => {
            assert_eq!(items.len(), 1);
            assert_eq!((items[0].rule, items[0].fix_at), (R23, FixAt::GoodCause));
            assert!(items[0].problem.contains("household issue"), "{items:?}");
        }
        other => panic!("expected NotReadyToDecide, got {other:?}"),
    }
    let no_dq = Transition::Decide(Decision::by_team(
        DecisionOutcome::GoodCause,
        d("2026-11-18"),
    ));
    assert_eq!(check(&facts, &no_dq, d("2026-11-18"), &cal), Ok(()));
    let closed = apply(&facts, &no_dq, d("2026-11-18"));
    assert!(is_closed(&closed, &cal));
    assert_eq!(
        good_cause(&closed, d("2026-11-18")).reasons,
        vec!["an ongoing household issue prevented engagement"]
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r17_r18_decisions_wait_for_information_and_three_staff() {
    let cal = oregon();
    let mut facts = dq1_episode();
    facts.decision = None;
    let decide = Transition::Decide(Decision::by_team(
        DecisionOutcome::ReengagedNewPlan,
        d("2026-11-18"),
    ));
    let mut short = facts.clone();
    short.staffing.as_mut().unwrap().members.truncate(2);
    assert_eq!(
        check(&short, &decide, d("2026-11-18"), &cal),
        Err(Refusal::TooFewStaff(2))
    );
    facts.missing_info.push(MissingInfo {
        kind: MissingInfoKind::OffsiteVisitOutcome,
        description: "offsite visit outcome".into(),
        requested_on: d("2026-11-18"),
        resolved_on: None,
    });
    assert_eq!(
        check(&facts, &decide, d("2026-11-18"), &cal),
        Err(Refusal::MissingInformation("offsite visit outcome".into()))
    );
    let resolve = Transition::ResolveMissingInfo {
        index: 0,
        on: d("2026-11-19"),
    };
    let facts = apply(&facts, &resolve, d("2026-11-19"));
    assert_eq!(check(&facts, &decide, d("2026-11-19"), &cal), Ok(()));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_deadline_statuses_and_at_risk_flag() {
    let cal = oregon();
    // docs/rules.md, Business days: a miss on Wednesday 2026-11-25 → first contact due Monday 2026-11-30.
    let facts = missed(
        "2026-11-25",
        TriggerKind::MissedCoachAppointment,
        "orientation",
    );
    let first = |today: &str| {
        deadlines(&facts, d(today), &cal)
            .into_iter()
            .find(|x| x.kind == DeadlineKind::FirstContact)
            .unwrap()
    };
    let on_miss_day = first("2026-11-25");
    assert_eq!((on_miss_day.rule, on_miss_day.due), (R2, d("2026-11-30")));
    assert_eq!(on_miss_day.status, DeadlineStatus::DueIn(1));
    assert!(on_miss_day.at_risk, "due on the next business day");
    assert_eq!(
        on_miss_day.why,
        "first contact — 1 business day after the missed orientation"
    );
    assert_eq!(
        first("2026-11-27").status,
        DeadlineStatus::DueIn(1),
        "the closure is not a business day"
    );
    assert_eq!(first("2026-11-30").status, DeadlineStatus::DueToday);
    assert!(!first("2026-11-30").at_risk);
    assert_eq!(first("2026-12-01").status, DeadlineStatus::Overdue(1));
    assert_eq!(first("2026-12-04").status, DeadlineStatus::Overdue(4));
    let mut late = facts.clone();
    late.attempts.push(attempt(
        "2026-12-01",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
    ));
    let met = deadlines(&late, d("2026-12-02"), &cal);
    assert_eq!(
        met[0].status,
        DeadlineStatus::Met {
            on: d("2026-12-01"),
            late: true
        }
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_r3_r5_r6_next_action_for_a_new_miss() {
    let cal = oregon();
    let facts = missed(
        "2026-11-25",
        TriggerKind::MissedCoachAppointment,
        "orientation",
    );
    assert_eq!(
        next_action(&facts, d("2026-11-25"), &cal).text,
        "Call Ms. Smith by Monday, November 30 — first contact after the missed orientation"
    );
    let mut pe = missed(
        "2026-11-24",
        TriggerKind::MissedJobsAppointment,
        "JOBS appointment",
    );
    pe.trigger.at = NaiveTime::from_hms_opt(9, 0, 0);
    let nudge = next_action(&pe, d("2026-11-24"), &cal);
    assert_eq!(
        nudge.text,
        "Call Ms. Smith by 9:10 am — within 10 minutes of the missed JOBS appointment"
    );
    assert_eq!(nudge.rule, R3);
    // The day after, the nudge has passed; the R2 deadline remains.
    assert_eq!(next_action(&pe, d("2026-11-25"), &cal).rule, R2);

    let mut contractor = facts.clone();
    contractor.trigger.reported_by = ReportedBy::Contractor;
    let deadline = &deadlines(&contractor, d("2026-11-25"), &cal)[0];
    assert_eq!((deadline.rule, deadline.due), (R5, d("2026-11-30")));

    let pattern = missed(
        "2026-12-21",
        TriggerKind::PatternOfNoncooperation,
        "activities",
    );
    let deadline = &deadlines(&pattern, d("2026-12-21"), &cal)[0];
    // Five business days past Christmas (Fri 12-25): 22, 23, 24, 28, 29.
    assert_eq!((deadline.rule, deadline.due), (R6, d("2026-12-29")));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r7_r9_r11_r13_next_action_while_attempting() {
    let cal = oregon();
    let base = missed("2026-11-02", TriggerKind::MissedFirstActivity, "SW step");
    let mut left = base.clone();
    left.attempts.push(attempt(
        "2026-11-03",
        ContactMethod::Phone,
        AttemptOutcome::MessageLeft,
        Some(3),
    ));
    let next = next_action(&left, d("2026-11-03"), &cal);
    // Three business days from Tuesday 11-03: 11-04, 11-05, 11-06.
    assert_eq!(next.due, Some(d("2026-11-06")));
    assert_eq!(next.rule, R9);
    assert!(
        next.text
            .starts_with("Follow up with Ms. Smith by Friday, November 6 — "),
        "{}",
        next.text
    );

    let mut dead = base.clone();
    dead.attempts.push(attempt(
        "2026-11-03",
        ContactMethod::Phone,
        AttemptOutcome::PhoneNotInService,
        None,
    ));
    assert_eq!(next_action(&dead, d("2026-11-03"), &cal).rule, R7);

    let mut invalid = base.clone();
    invalid.attempts.push(attempt(
        "2026-11-04",
        ContactMethod::OffsiteVisit,
        AttemptOutcome::AddressInvalid,
        None,
    ));
    assert_eq!(next_action(&invalid, d("2026-11-04"), &cal).rule, R11);

    let mut two_calls = base.clone();
    two_calls.attempts.push(attempt(
        "2026-11-03",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
    ));
    two_calls.attempts.push(attempt(
        "2026-11-04",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
    ));
    let next = next_action(&two_calls, d("2026-11-04"), &cal);
    assert_eq!(next.rule, R13);
    assert!(next.text.contains("in writing"));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_contact_in_two_business_days_adjusts_the_plan() {
    let cal = oregon();
    // Miss Wednesday 2026-11-25: two business days are Monday 11-30 and Tuesday 12-01.
    let facts = missed("2026-11-25", TriggerKind::MissedFirstActivity, "SW step");
    let in_time = Transition::RecordContact {
        on: d("2026-12-01"),
        plan_adjusted: true,
    };
    assert_eq!(check(&facts, &in_time, d("2026-12-01"), &cal), Ok(()));
    let adjusted = apply(&facts, &in_time, d("2026-12-01"));
    assert_eq!(stage(&adjusted, d("2026-12-01"), &cal), Stage::ContactMade);
    assert!(is_closed(&adjusted, &cal));
    let target = deadlines(&adjusted, d("2026-12-01"), &cal)
        .into_iter()
        .find(|x| x.kind == DeadlineKind::AdjustPlan)
        .unwrap();
    assert_eq!(
        target.status,
        DeadlineStatus::Met {
            on: d("2026-12-01"),
            late: false
        }
    );
    // R8 is a target, not a gate: contact on 12-02 still adjusts the plan, shown as late.
    let late = Transition::RecordContact {
        on: d("2026-12-02"),
        plan_adjusted: true,
    };
    assert_eq!(check(&facts, &late, d("2026-12-02"), &cal), Ok(()));
    let late_adjusted = apply(&facts, &late, d("2026-12-02"));
    assert!(is_closed(&late_adjusted, &cal));
    assert_eq!(
        stage(&late_adjusted, d("2026-12-02"), &cal),
        Stage::ContactMade
    );
    let target = deadlines(&late_adjusted, d("2026-12-02"), &cal)
        .into_iter()
        .find(|x| x.kind == DeadlineKind::AdjustPlan)
        .unwrap();
    assert_eq!(
        target.status,
        DeadlineStatus::Met {
            on: d("2026-12-02"),
            late: true
        }
    );
    assert_eq!(
        timeliness(&late_adjusted, d("2026-12-02"), &cal).contact,
        Some(false)
    );
    assert_eq!(
        timeliness(&adjusted, d("2026-12-01"), &cal).contact,
        Some(true)
    );
    // Contact not yet adjusting the plan: the plan is the next step.
    let not_yet = apply(
        &facts,
        &Transition::RecordContact {
            on: d("2026-12-02"),
            plan_adjusted: false,
        },
        d("2026-12-02"),
    );
    assert_eq!(stage(&not_yet, d("2026-12-02"), &cal), Stage::ContactMade);
    assert!(!is_closed(&not_yet, &cal));
    assert_eq!(next_action(&not_yet, d("2026-12-02"), &cal).rule, R8);
}

/// R8, R9: miss Monday 2026-11-23, voicemail Tuesday 11-24 with a 3-business-day window (to
/// Tuesday 12-01: Thanksgiving and the day after are closed); the participant calls back on
/// Monday 11-30 — inside the window, after the 2-business-day target (Wednesday 11-25) — and
/// the coach adjusts the plan: the episode closes as re-engaged, the target shown as late.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_r9_a_call_back_inside_the_window_on_business_day_4_adjusts_the_plan() {
    let cal = oregon();
    let facts = run(
        missed(
            "2026-11-23",
            TriggerKind::MissedJobsAppointment,
            "JOBS appointment",
        ),
        &[(
            "2026-11-24",
            Transition::LogAttempt(attempt(
                "2026-11-24",
                ContactMethod::Phone,
                AttemptOutcome::MessageLeft,
                Some(3),
            )),
        )],
    );
    let follow_up = deadlines(&facts, d("2026-11-25"), &cal)
        .into_iter()
        .find(|x| x.kind == DeadlineKind::FollowUp)
        .unwrap();
    assert_eq!(follow_up.due, d("2026-12-01"));
    let advice = contact_advice(&facts, d("2026-11-30"), d("2026-11-30"), &cal).unwrap();
    assert!(!advice.in_time, "business day 4: after the 2-day target");
    assert!(
        advice.hints[0].text.contains("Adjust the plan"),
        "{advice:?}"
    );
    let done = run(
        facts,
        &[(
            "2026-11-30",
            Transition::RecordContact {
                on: d("2026-11-30"),
                plan_adjusted: true,
            },
        )],
    );
    assert!(is_closed(&done, &cal));
    assert_eq!(stage(&done, d("2026-11-30"), &cal), Stage::ContactMade);
    assert_eq!(
        effort_outcome(&done, d("2026-11-30"), &cal),
        "Re-engaged — plan adjusted; contact after the target (late)"
    );
    let met: Vec<_> = deadlines(&done, d("2026-11-30"), &cal)
        .into_iter()
        .map(|x| (x.kind, x.status))
        .collect();
    assert!(met.contains(&(
        DeadlineKind::AdjustPlan,
        DeadlineStatus::Met {
            on: d("2026-11-30"),
            late: true
        }
    )));
    assert!(met.contains(&(
        DeadlineKind::FollowUp,
        DeadlineStatus::Met {
            on: d("2026-11-30"),
            late: false
        }
    )));

    // R6: a pattern of noncooperation — contact within its 5 business days meets the target.
    let pattern = missed(
        "2026-12-21",
        TriggerKind::PatternOfNoncooperation,
        "activities",
    );
    let by = deadlines(&pattern, d("2026-12-21"), &cal)
        .into_iter()
        .find(|x| x.kind == DeadlineKind::AdjustPlan)
        .unwrap();
    assert_eq!((by.rule, by.due), (R8, d("2026-12-29")));
    assert!(
        contact_advice(&pattern, d("2026-12-29"), d("2026-12-29"), &cal)
            .unwrap()
            .in_time
    );
    let adjusted = run(
        pattern,
        &[(
            "2026-12-29",
            Transition::RecordContact {
                on: d("2026-12-29"),
                plan_adjusted: true,
            },
        )],
    );
    assert!(is_closed(&adjusted, &cal));
    assert_eq!(
        timeliness(&adjusted, d("2026-12-29"), &cal).contact,
        Some(true)
    );
}

/// R8: "at any time before the decision" — after the appointment was scheduled, after the
/// staffing; not once the team has decided (then a new staffing, R24).
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_contact_before_the_decision_still_closes_as_reengaged() {
    let cal = oregon();
    let mut scheduled = dq1_episode();
    scheduled.decision = None;
    let contact = Transition::RecordContact {
        on: d("2026-11-18"),
        plan_adjusted: true,
    };
    assert_eq!(check(&scheduled, &contact, d("2026-11-18"), &cal), Ok(()));
    let done = apply(&scheduled, &contact, d("2026-11-18"));
    assert!(is_closed(&done, &cal));
    assert_eq!(stage(&done, d("2026-11-18"), &cal), Stage::ContactMade);
    let decided = dq1_episode();
    assert_eq!(
        check(&decided, &contact, d("2026-11-19"), &cal),
        Err(Refusal::AlreadyDecided)
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn forbidden_transitions_name_their_rule() {
    let cal = oregon();
    let facts = missed(
        "2026-11-02",
        TriggerKind::MissedCoachAppointment,
        "orientation",
    );
    let with_one = apply(
        &facts,
        &Transition::LogAttempt(attempt(
            "2026-11-04",
            ContactMethod::Phone,
            AttemptOutcome::NoAnswer,
            None,
        )),
        d("2026-11-04"),
    );
    let cases: Vec<(EpisodeFacts, Transition, &str, RuleId)> = vec![
        (
            facts.clone(),
            Transition::LogAttempt(attempt(
                "2026-11-01",
                ContactMethod::Phone,
                AttemptOutcome::NoAnswer,
                None,
            )),
            "2026-11-04",
            R2,
        ),
        (
            facts.clone(),
            Transition::LogAttempt(attempt(
                "2026-11-03",
                ContactMethod::Phone,
                AttemptOutcome::MessageLeft,
                None,
            )),
            "2026-11-04",
            R9,
        ),
        (
            facts.clone(),
            Transition::LogAttempt(attempt(
                "2026-11-03",
                ContactMethod::Phone,
                AttemptOutcome::NoAnswer,
                Some(2),
            )),
            "2026-11-04",
            R9,
        ),
        (
            with_one.clone(),
            Transition::ScheduleAppointment {
                on: d("2026-12-01"),
                at: None,
            },
            "2026-11-05",
            R14,
        ),
    ];
    // R14: re-engagement begins only after two unsuccessful attempts.
    let refusal = check(
        &with_one,
        &Transition::ScheduleAppointment {
            on: d("2026-12-01"),
            at: None,
        },
        d("2026-11-05"),
        &cal,
    )
    .unwrap_err();
    assert_eq!(refusal, Refusal::NotEnoughAttempts);
    assert!(refusal.to_string().ends_with("(R14)."));
    for (facts, transition, today, rule) in cases {
        let refusal = check(&facts, &transition, d(today), &cal).expect_err("refused");
        assert_eq!(refusal.rule(), Some(rule), "{transition:?}: {refusal}");
    }

    let ready = dq1_episode();
    let mut invited = ready.clone();
    invited.appointment = None;
    invited.staffing = None;
    invited.decision = None;
    // R12: too early — the second attempt was on Thursday 11-05; wait until Tuesday 11-10.
    assert_eq!(
        check(
            &invited,
            &Transition::ScheduleAppointment {
                on: d("2026-11-24"),
                at: None,
            },
            d("2026-11-09"),
            &cal
        ),
        Err(Refusal::InviteTooEarly(d("2026-11-10")))
    );
    // R16: a weekend or holiday appointment.
    let weekend = check(
        &invited,
        &Transition::ScheduleAppointment {
            on: d("2026-11-21"),
            at: None,
        },
        d("2026-11-10"),
        &cal,
    )
    .unwrap_err();
    assert_eq!(weekend.rule(), Some(R16));
    let thanksgiving = check(
        &invited,
        &Transition::ScheduleAppointment {
            on: d("2026-11-26"),
            at: None,
        },
        d("2026-11-10"),
        &cal,
    )
    .unwrap_err();
    assert_eq!(thanksgiving.rule(), Some(R16));
    // R15: an appointment whose mailing day has already passed.
    let too_soon = check(
        &invited,
        &Transition::ScheduleAppointment {
            on: d("2026-11-16"),
            at: None,
        },
        d("2026-11-10"),
        &cal,
    )
    .unwrap_err();
    assert_eq!(
        too_soon,
        Refusal::TooSoonForNotice {
            earliest: d("2026-11-17")
        }
    );
    assert_eq!(
        too_soon.to_string(),
        "Too soon for the 7-day notice: the earliest appointment is Tuesday, November 17, 2026 (R15)."
    );
    // R15: recording a notice mailed too late.
    let mut scheduled = invited.clone();
    scheduled.appointment = ready.appointment.clone();
    scheduled.appointment.as_mut().unwrap().notice_mailed_on = None;
    assert_eq!(
        check(
            &scheduled,
            &Transition::RecordNoticeMailed {
                on: d("2026-11-12")
            },
            d("2026-11-12"),
            &cal
        ),
        Err(Refusal::NoticeTooLate {
            mailed: d("2026-11-12"),
            due: d("2026-11-11"),
            earliest: d("2026-11-19")
        })
    );
    // R17: no staffing before the appointment; R19: no partner without a 3010.
    assert_eq!(
        check(
            &scheduled,
            &Transition::RecordStaffing(staffing("2026-11-17")),
            d("2026-11-17"),
            &cal
        ),
        Err(Refusal::StaffingBeforeAppointment(d("2026-11-18")))
    );
    let mut with_partner = staffing("2026-11-18");
    with_partner.partners.push(Partner {
        name: "Housing Partner".into(),
        release: None,
    });
    assert_eq!(
        check(
            &scheduled,
            &Transition::RecordStaffing(with_partner),
            d("2026-11-18"),
            &cal
        ),
        Err(Refusal::PartnerWithoutRelease("Housing Partner".into()))
    );
    // Nothing is recorded in the future.
    assert!(matches!(
        check(
            &facts,
            &Transition::LogAttempt(attempt(
                "2026-11-05",
                ContactMethod::Phone,
                AttemptOutcome::NoAnswer,
                None
            )),
            d("2026-11-04"),
            &cal
        ),
        Err(Refusal::InTheFuture(_))
    ));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_r17_next_action_after_scheduling() {
    let cal = oregon();
    let mut facts = dq1_episode();
    facts.staffing = None;
    facts.decision = None;
    facts.appointment.as_mut().unwrap().notice_mailed_on = None;
    let next = next_action(&facts, d("2026-11-10"), &cal);
    assert_eq!(
        next.text,
        "Mail the DHS 7869 notice to Ms. Smith by Tuesday, November 10"
    );
    assert_eq!(next.rule, R15);
    let notice = deadlines(&facts, d("2026-11-10"), &cal)
        .into_iter()
        .find(|x| x.kind == DeadlineKind::NoticeMailing)
        .unwrap();
    assert_eq!(notice.status, DeadlineStatus::DueToday);
    let next = next_action(&facts, d("2026-11-12"), &cal);
    assert!(
        next.text.starts_with("The DHS 7869 notice is too late"),
        "{}",
        next.text
    );
    let overdue = deadlines(&facts, d("2026-11-12"), &cal)
        .into_iter()
        .find(|x| x.kind == DeadlineKind::NoticeMailing)
        .unwrap();
    // Wednesday 11-11 is Veterans Day: overdue by one business day on Thursday.
    assert_eq!(overdue.status, DeadlineStatus::Overdue(1));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r27_post_dq1_checklist_and_last_next_action() {
    let cal = oregon();
    let mut facts = dq1_episode();
    facts.post_dq1 = PostDq1Steps {
        re_step_recorded: true,
        pdp_copy_to_participant: true,
        dq1_selected_on_page: true,
        one_case_note: false,
        resources_offered: false,
        page_finalized: false,
    };
    facts.finalized_on = Some(d("2026-11-19"));
    let checklist = post_dq1_checklist(&facts);
    assert_eq!(checklist.len(), 6);
    assert_eq!(checklist.iter().filter(|(_, done)| *done).count(), 3);
    assert_eq!(
        next_action(&facts, d("2026-11-19"), &cal).text,
        "After the DQ1: ONE case note documenting the DQ1"
    );
    facts.post_dq1.one_case_note = true;
    facts.post_dq1.resources_offered = true;
    assert_eq!(
        next_action(&facts, d("2026-11-20"), &cal).text,
        "After the DQ1: The TRACS Re-engagement page finalized"
    );
    facts.post_dq1.page_finalized = true;
    assert_eq!(
        next_action(&facts, d("2026-11-20"), &cal).text,
        "Keep trying to engage Ms. Smith in services"
    );
    assert!(
        deadlines(&facts, d("2026-11-20"), &cal)
            .iter()
            .all(|x| !x.is_open())
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r21_preparation_checklist_answers_what_the_facts_answer() {
    let facts = dq1_episode();
    let checklist = staffing_preparation_checklist(&facts);
    let by_rule = |rule| {
        checklist
            .iter()
            .find(|item| item.rule == rule)
            .unwrap()
            .done
    };
    assert_eq!(by_rule(R13), Some(true));
    assert_eq!(by_rule(R15), Some(true));
    assert_eq!(by_rule(R17), Some(true));
    assert_eq!(by_rule(R19), Some(true));
    assert_eq!(by_rule(R20), None, "a reminder for the team");
    assert_eq!(by_rule(R18), Some(true), "three confirmed their presence");
    let mut early = facts.clone();
    early.attempts.truncate(1);
    early.appointment.as_mut().unwrap().notice_mailed_on = Some(d("2026-11-12"));
    let checklist = staffing_preparation_checklist(&early);
    assert_eq!(
        checklist
            .iter()
            .filter(|item| item.done == Some(false))
            .count(),
        2
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r28_r29_enhanced_case_management_and_the_no_dq_view() {
    let mut facts = dq1_episode();
    assert_eq!(enhanced_case_management(&facts), None);
    assert!(!without_disqualification(&facts));
    let staffing = facts.staffing.as_mut().unwrap();
    for finding in staffing.barrier_review.iter_mut().take(3) {
        finding.present = true; // DV (adult, children) and mental health (adult)
    }
    staffing.partners.push(Partner {
        name: "Family Services".into(),
        release: Some(Release {
            signed_on: d("2026-06-01"),
            expires_on: None,
        }),
    });
    assert_eq!(
        enhanced_case_management(&facts),
        Some(vec!["Family Services".to_owned()])
    );
    facts.decision.as_mut().unwrap().outcome = DecisionOutcome::GoodCause;
    assert!(without_disqualification(&facts));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r1_every_trigger_opens_an_episode_with_first_contact_due() {
    let cal = oregon();
    for kind in [
        TriggerKind::MissedFirstActivity,
        TriggerKind::StoppedParticipating,
        TriggerKind::MissedCoachAppointment,
        TriggerKind::MissedJobsAppointment,
        TriggerKind::MissedContractorAppointment,
        TriggerKind::LowAttendance,
        TriggerKind::PatternOfNoncooperation,
    ] {
        let facts = missed("2026-12-31", kind, "activity");
        assert_eq!(
            stage(&facts, d("2026-12-31"), &cal),
            Stage::Missed,
            "{kind:?}"
        );
        let first = &deadlines(&facts, d("2026-12-31"), &cal)[0];
        assert_eq!(first.kind, DeadlineKind::FirstContact);
        // Across the year end: New Year's Day is closed, so one business day is Monday.
        let expected = if kind == TriggerKind::PatternOfNoncooperation {
            "2027-01-08"
        } else {
            "2027-01-04"
        };
        assert_eq!(first.due, d(expected), "{kind:?}");
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r30_a_decision_needs_strategies_and_next_steps() {
    let cal = oregon();
    let mut facts = dq1_episode();
    facts.decision = None;
    facts.staffing.as_mut().unwrap().pdp_next_steps.clear();
    let decide = Transition::Decide(Decision::by_team(
        DecisionOutcome::ReengagedNewPlan,
        d("2026-11-18"),
    ));
    let refusal = check(&facts, &decide, d("2026-11-18"), &cal).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::NoNextSteps, Some(R30))
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r27_post_dq1_steps_are_recorded_before_and_after_finalizing() {
    let cal = oregon();
    let facts = dq1_episode();
    let before = PostDq1Steps {
        re_step_recorded: true,
        dq1_selected_on_page: true,
        ..PostDq1Steps::default()
    };
    let step = Transition::RecordPostDq1Steps(before.clone());
    assert_eq!(check(&facts, &step, d("2026-11-19"), &cal), Ok(()));
    let ready = apply(&facts, &step, d("2026-11-19"));
    assert_eq!(dq1_readiness(&ready, &cal), vec![]);
    let finalize = Transition::FinalizeDq1 {
        on: d("2026-11-19"),
        staff_id: 2,
    };
    assert_eq!(check(&ready, &finalize, d("2026-11-19"), &cal), Ok(()));
    let done = apply(&ready, &finalize, d("2026-11-19"));
    // After finalizing, the ONE case note and the resources are still recorded.
    let after = Transition::RecordPostDq1Steps(PostDq1Steps {
        one_case_note: true,
        resources_offered: true,
        ..before
    });
    assert_eq!(check(&done, &after, d("2026-11-20"), &cal), Ok(()));
    // Not for an episode that was not disqualified.
    let mut good_cause = facts.clone();
    good_cause.decision.as_mut().unwrap().outcome = DecisionOutcome::GoodCause;
    assert_eq!(
        check(&good_cause, &after, d("2026-11-20"), &cal)
            .unwrap_err()
            .rule(),
        Some(R26)
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn rule_ids_read_as_on_paper() {
    assert_eq!(R15.to_string(), "R15");
    assert_eq!(RuleId::try_from("R27".to_owned()), Ok(R27));
    assert!(RuleId::try_from("R31".to_owned()).is_err());
    assert!(RuleId::try_from("15".to_owned()).is_err());
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r20_the_review_grid_is_policy_002s() {
    // Mental health, drugs or alcohol, learning needs and physical health for the adult and
    // the children; domestic violence and childcare or transportation for the household.
    let grid = all_clear();
    assert_eq!(grid.len(), 10);
    assert!(
        grid.iter()
            .all(|f| !f.present && f.affected_participation.is_none())
    );
    let cells: std::collections::BTreeSet<_> = grid.iter().map(|f| (f.area, f.who)).collect();
    assert_eq!(cells.len(), 10);
    assert_eq!(
        BarrierArea::DomesticViolence.members(),
        &[HouseholdMember::Household]
    );
    assert_eq!(
        BarrierArea::MentalHealth.members(),
        &[HouseholdMember::Adult, HouseholdMember::Children]
    );
    // A DV finding for the adult answers nothing the policy asks: the household's is due.
    let mut facts = dq1_episode();
    let review = &mut facts.staffing.as_mut().unwrap().barrier_review;
    review.retain(|f| f.area != BarrierArea::DomesticViolence);
    review.push(BarrierFinding::none_found(
        BarrierArea::DomesticViolence,
        HouseholdMember::Adult,
    ));
    let items = dq1_decision_readiness(&facts, &oregon());
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        items[0].problem,
        "Review domestic violence (last 6 months) for the household."
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r26_a_dq1_waits_for_finalization_until_it_is_finalized() {
    let mut facts = dq1_episode();
    assert!(awaiting_finalization(&facts));
    facts.finalized_on = Some(d("2026-11-19"));
    assert!(!awaiting_finalization(&facts));
    // Good cause or a new plan never waits for a finalization.
    let mut good_cause = dq1_episode();
    if let Some(decision) = good_cause.decision.as_mut() {
        decision.outcome = DecisionOutcome::GoodCause;
    }
    assert!(!awaiting_finalization(&good_cause));
    assert!(!awaiting_finalization(&missed(
        "2026-11-02",
        TriggerKind::MissedCoachAppointment,
        "orientation"
    )));
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r29_how_each_effort_without_disqualification_stands() {
    let cal = oregon();
    let today = d("2026-11-30");
    let mut decided = dq1_episode();
    assert_eq!(
        effort_outcome(&decided, today, &cal),
        "DQ1 — disqualification"
    );
    decided.decision.as_mut().unwrap().outcome = DecisionOutcome::GoodCause;
    assert_eq!(
        effort_outcome(&decided, today, &cal),
        "Good cause — no disqualification"
    );
    decided.decision.as_mut().unwrap().outcome = DecisionOutcome::ReengagedNewPlan;
    assert_eq!(
        effort_outcome(&decided, today, &cal),
        "Re-engaged with a new plan"
    );
    // R8 across Thanksgiving: missed Tuesday 11-24, contact Monday 11-30 is in time.
    let mut contact = missed(
        "2026-11-24",
        TriggerKind::MissedCoachAppointment,
        "orientation",
    );
    assert_eq!(effort_outcome(&contact, today, &cal), "Open — Missed");
    contact.contact_made = Some(ContactMade {
        on: d("2026-11-30"),
        plan_adjusted: true,
    });
    assert_eq!(
        effort_outcome(&contact, today, &cal),
        "Re-engaged — plan adjusted; contact within the target"
    );
    // A day later it is late, and still re-engages (R8 is a target, not a gate).
    contact.contact_made = Some(ContactMade {
        on: d("2026-12-01"),
        plan_adjusted: true,
    });
    assert_eq!(
        effort_outcome(&contact, d("2026-12-01"), &cal),
        "Re-engaged — plan adjusted; contact after the target (late)"
    );
    // Contact without the plan adjusted yet: open, the plan to agree.
    contact.contact_made.as_mut().unwrap().plan_adjusted = false;
    assert_eq!(
        effort_outcome(&contact, d("2026-12-01"), &cal),
        "Open — Contact made"
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r2_r15_timeliness_counts_what_was_met_in_time_across_thanksgiving() {
    let cal = oregon();
    // Missed Wednesday 11-25: first contact due Monday 11-30 (Thanksgiving and the day after).
    let facts = missed(
        "2026-11-25",
        TriggerKind::MissedCoachAppointment,
        "orientation",
    );
    assert_eq!(
        timeliness(&facts, d("2026-11-30"), &cal).first_contact,
        None
    );
    assert_eq!(
        timeliness(&facts, d("2026-12-01"), &cal).first_contact,
        Some(false),
        "past due without an attempt is late"
    );
    let on_monday = run(
        facts.clone(),
        &[(
            "2026-11-30",
            Transition::LogAttempt(attempt(
                "2026-11-30",
                ContactMethod::Phone,
                AttemptOutcome::MessageLeft,
                Some(2),
            )),
        )],
    );
    let late = run(
        facts,
        &[(
            "2026-12-01",
            Transition::LogAttempt(attempt(
                "2026-12-01",
                ContactMethod::Phone,
                AttemptOutcome::MessageLeft,
                Some(2),
            )),
        )],
    );
    let today = d("2026-12-02");
    assert_eq!(
        timeliness(&on_monday, today, &cal).first_contact,
        Some(true)
    );
    assert_eq!(timeliness(&late, today, &cal).first_contact, Some(false));
    // The DQ1 episode mailed its notice on time (R15).
    let dq1 = dq1_episode();
    assert_eq!(timeliness(&dq1, today, &cal).notice, Some(true));
    let mut figures = TimelinessFigures::default();
    for one in [&on_monday, &late, &dq1] {
        figures.add(timeliness(one, today, &cal));
    }
    assert_eq!(figures.first_contact.words(), "2 of 3 (67%)");
    assert_eq!(figures.notice.words(), "1 of 1 (100%)");
    assert_eq!(
        TimelinessFigures::default().notice.words(),
        "none measured yet"
    );
}

/// Every refusal's suggested fix is itself accepted: an episode closed by an adjusted plan is
/// not sent to a new staffing (there is no decision to review, R24) but to a new miss (R1);
/// one closed by a decision is, and the new staffing is accepted.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_closed_episodes_refusal_names_a_fix_that_is_accepted() {
    let cal = oregon();
    let facts = missed("2026-11-25", TriggerKind::MissedFirstActivity, "SW step");
    let reengaged = run(
        facts,
        &[(
            "2026-12-01",
            Transition::RecordContact {
                on: d("2026-12-01"),
                plan_adjusted: true,
            },
        )],
    );
    let attempt = Transition::LogAttempt(attempt(
        "2026-12-02",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
    ));
    let refusal = check(&reengaged, &attempt, d("2026-12-02"), &cal).unwrap_err();
    assert_eq!(
        (refusal.clone(), refusal.rule()),
        (Refusal::ClosedReengaged, Some(R1))
    );
    assert!(
        refusal
            .to_string()
            .contains("record it as a missed activity")
    );
    let review = Transition::RequestNewStaffing {
        reason: "Missed again".into(),
    };
    assert_eq!(
        check(&reengaged, &review, d("2026-12-02"), &cal),
        Err(Refusal::NothingToReview),
        "the fix it does not name"
    );
    let mut decided = dq1_episode();
    decided.decision.as_mut().unwrap().outcome = DecisionOutcome::GoodCause;
    let refusal = check(&decided, &attempt, d("2026-12-02"), &cal).unwrap_err();
    assert_eq!(refusal, Refusal::Closed);
    assert!(refusal.to_string().contains("request a new staffing"));
    assert_eq!(check(&decided, &review, d("2026-12-02"), &cal), Ok(()));
}

/// R12 waits for a reply: once contact was made (the participant answered but agreed to no
/// plan), an appointment scheduled sooner is no unmet step of the guardrail.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r12_after_contact_made_the_invitation_waits_for_no_reply() {
    let cal = oregon();
    let mut facts = dq1_episode();
    // Scheduled the day after the second attempt (Friday 11-06), before 11-10.
    facts.appointment.as_mut().unwrap().scheduled_on = d("2026-11-06");
    let rules = |f: &EpisodeFacts| {
        dq1_decision_readiness(f, &cal)
            .iter()
            .map(|i| i.rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&facts), vec![R12]);
    facts.contact_made = Some(ContactMade {
        on: d("2026-11-06"),
        plan_adjusted: false,
    });
    assert_eq!(rules(&facts), Vec::<RuleId>::new());
}

fn snow_day(on: &str) -> BusinessCalendar {
    oregon().with_closures([reengage_core::Closure {
        date: d(on),
        name: "Snow day".into(),
    }])
}

#[test]
#[wasm_bindgen_test]
fn business_days_a_closure_on_the_due_day_moves_the_first_contact_to_the_next_business_day() {
    // Friday, December 4, 2026: first contact due Monday the 7th (R2); closed that Monday, it
    // moves to Tuesday the 8th.
    let facts = missed("2026-12-04", TriggerKind::MissedFirstActivity, "SW step");
    let moved = moved_deadlines(&facts, d("2026-12-04"), &oregon(), &snow_day("2026-12-07"));
    let first = moved
        .iter()
        .find(|m| m.kind == DeadlineKind::FirstContact)
        .expect("the first contact moves");
    assert_eq!(
        (first.rule, first.from, first.to),
        (R2, d("2026-12-07"), d("2026-12-08"))
    );
    // A closure on a Saturday, or after every deadline, moves nothing.
    assert!(
        moved_deadlines(&facts, d("2026-12-04"), &oregon(), &snow_day("2026-12-05")).is_empty()
    );
    assert!(
        moved_deadlines(&facts, d("2026-12-04"), &oregon(), &snow_day("2027-03-01")).is_empty()
    );
    // Removing the closure moves it back.
    let back = moved_deadlines(&facts, d("2026-12-04"), &snow_day("2026-12-07"), &oregon());
    assert!(
        back.iter()
            .any(|m| m.from == d("2026-12-08") && m.to == d("2026-12-07"))
    );
}

#[test]
#[wasm_bindgen_test]
fn business_days_a_closure_across_the_year_end_moves_the_deadline_past_new_years_day() {
    // Thursday, December 31, 2026: Friday January 1 is New Year's Day, so first contact is
    // due Monday January 4, 2027; a snow day that Monday moves it to Tuesday the 5th.
    let facts = missed("2026-12-31", TriggerKind::MissedFirstActivity, "SW step");
    let moved = moved_deadlines(&facts, d("2026-12-31"), &oregon(), &snow_day("2027-01-04"));
    let first = moved
        .iter()
        .find(|m| m.kind == DeadlineKind::FirstContact)
        .expect("the first contact moves");
    assert_eq!((first.from, first.to), (d("2027-01-04"), d("2027-01-05")));
}

#[test]
#[wasm_bindgen_test]
fn business_days_a_met_deadline_never_moves() {
    let facts = run(
        missed("2026-12-04", TriggerKind::MissedFirstActivity, "SW step"),
        &[(
            "2026-12-07",
            Transition::LogAttempt(attempt(
                "2026-12-07",
                ContactMethod::Phone,
                AttemptOutcome::NoAnswer,
                None,
            )),
        )],
    );
    let moved = moved_deadlines(&facts, d("2026-12-07"), &oregon(), &snow_day("2026-12-07"));
    assert!(
        moved.iter().all(|m| m.kind != DeadlineKind::FirstContact),
        "{moved:?}"
    );
}

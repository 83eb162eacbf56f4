//! Narrative drafts (R4, R10, R22, R25, R27), natively and in wasm32.

use chrono::NaiveDate;
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use reengage_core::narrative::*;
use wasm_bindgen_test::wasm_bindgen_test;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn episode() -> EpisodeFacts {
    EpisodeFacts::new(
        "Ms. Smith",
        Trigger {
            kind: TriggerKind::MissedJobsAppointment,
            what: "her JOBS appointment".into(),
            on: d("2026-11-24"),
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
    window: Option<i64>,
) -> Attempt {
    Attempt {
        on: d(on),
        method,
        outcome,
        response_window: window.map(|w| ResponseWindow::new(w).unwrap()),
        by_initials: "RH".into(),
        note: None,
        by_contractor: false,
    }
}

fn decided(outcome: DecisionOutcome) -> EpisodeFacts {
    let mut facts = episode();
    facts.staffing = Some(Staffing {
        held_on: d("2026-12-10"),
        members: vec![
            StaffingMember::account(4, "JD", StaffingRole::CaseAide),
            StaffingMember::account(1, "RH", StaffingRole::FamilyCoach),
            StaffingMember::account(2, "XR", StaffingRole::OperationsManager),
            StaffingMember::account(3, "JB", StaffingRole::EngagementSpecialist),
        ],
        participant_attended: false,
        partners: vec![],
        barrier_review: vec![
            BarrierFinding {
                area: BarrierArea::ChildcareTransportation,
                who: HouseholdMember::Household,
                present: true,
                accommodation_offered: Some("bus pass".into()),
                affected_participation: Some(false),
                notes: None,
            },
            BarrierFinding {
                area: BarrierArea::MentalHealth,
                who: HouseholdMember::Adult,
                present: false,
                accommodation_offered: None,
                affected_participation: None,
                notes: None,
            },
        ],
        good_cause: GoodCauseAnswers::default(),
        recommended_strategies: vec!["Weekly check-in calls".into()],
        pdp_next_steps: vec!["Job search, 10 hours a week".into()],
    });
    facts.decision = Some(Decision::by_team(outcome, d("2026-12-10")));
    facts
}

/// Every barrier cell of R20 answered "no concerns" but the two of `decided`.
fn all_other_cells_clear(facts: &mut EpisodeFacts) {
    let staffing = facts.staffing.as_mut().unwrap();
    for (area, who) in BarrierArea::cells() {
        if !staffing
            .barrier_review
            .iter()
            .any(|f| f.area == area && f.who == who)
        {
            staffing
                .barrier_review
                .push(BarrierFinding::none_found(area, who));
        }
    }
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r4_r10_voicemail_with_a_window_across_thanksgiving() {
    let mut facts = episode();
    facts.attempts.push(attempt(
        "2026-11-25",
        ContactMethod::Phone,
        AttemptOutcome::MessageLeft,
        Some(1),
    ));
    let draft = attempt_narrative(&facts, 0, &BusinessCalendar::oregon()).unwrap();
    assert_eq!(draft.kind, NarrativeType::Engagement);
    assert_eq!(
        draft.text,
        "Ms. Smith missed her JOBS appointment on 11/24/2026. RH attempted contact by phone on \
         11/25/2026; left a voicemail for Ms. Smith to contact the family coach. Response window: \
         1 business day; follow-up attempt due 11/30/2026."
    );
    assert_eq!(
        attempt_narrative(&facts, 1, &BusinessCalendar::oregon()),
        None
    );
    // R5: a contractor's message asks the participant to contact the contractor, not the coach.
    facts.attempts[0].by_contractor = true;
    let text = attempt_narrative(&facts, 0, &BusinessCalendar::oregon())
        .unwrap()
        .text;
    assert!(
        text.contains("left a voicemail for Ms. Smith to contact the JOBS contractor.")
            && !text.contains("family coach"),
        "{text}"
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r7_r11_phone_out_of_service_and_invalid_address() {
    let mut facts = episode();
    facts.attempts.push(attempt(
        "2026-11-24",
        ContactMethod::Phone,
        AttemptOutcome::PhoneNotInService,
        None,
    ));
    let mut visit = attempt(
        "2026-11-25",
        ContactMethod::OffsiteVisit,
        AttemptOutcome::AddressInvalid,
        None,
    );
    visit.note = Some("  Neighbor says the family moved.  ".into());
    facts.attempts.push(visit);
    let calendar = BusinessCalendar::oregon();
    assert_eq!(
        attempt_narrative(&facts, 0, &calendar).unwrap().text,
        "Ms. Smith missed her JOBS appointment on 11/24/2026. RH attempted contact by phone on \
         11/24/2026; phone number not in service, unable to make contact. An in-person offsite \
         visit is to be considered."
    );
    assert_eq!(
        attempt_narrative(&facts, 1, &calendar).unwrap().text,
        "Ms. Smith missed her JOBS appointment on 11/24/2026. RH attempted contact with an \
         in-person offsite visit on 11/25/2026; the address of record was found invalid. A \
         missing information request in ONE is needed to verify the physical address. Neighbor \
         says the family moved."
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r4_a_draft_states_no_unrecorded_fact() {
    let mut facts = episode();
    facts.attempts.push(attempt(
        "2026-11-24",
        ContactMethod::Phone,
        AttemptOutcome::NoAnswer,
        None,
    ));
    let text = attempt_narrative(&facts, 0, &BusinessCalendar::oregon())
        .unwrap()
        .text;
    assert!(
        !text.contains("voicemail") && !text.contains("Response window"),
        "{text}"
    );
    assert_eq!(staffing_narrative(&facts), None);
    assert_eq!(decision_narrative(&facts), None);
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r22_staffing_narrative_names_who_was_present() {
    let draft = staffing_narrative(&decided(DecisionOutcome::ReengagedNewPlan)).unwrap();
    assert_eq!(draft.kind, NarrativeType::Engagement);
    assert_eq!(
        draft.text,
        "Re-engagement staffing on 12/10/2026.\n\
         Present at staffing: CA: JD, FC: RH, Manager: XR, Engagement Specialist: JB.\n\
         Ms. Smith did not attend.\n\
         Team reviewed challenges present: childcare or transportation (household), offered: bus pass, did not affect the ability to participate.\n\
         Reviewed with no concerns: mental health (adult).\n\
         Not reviewed: domestic violence (last 6 months) (household), mental health (children in the household), relationship to drugs or alcohol (adult), relationship to drugs or alcohol (children in the household), learning needs or disability (adult), learning needs or disability (children in the household), physical health (adult) and physical health (children in the household).\n\
         Outcome: re-engaged with a new plan; no disqualification.\n\
         Recommended engagement strategies: Weekly check-in calls.\n\
         Next steps: Job search, 10 hours a week."
    );
    // R20: an unanswered cell is "not reviewed", never "no concerns".
    assert!(!draft.text.contains("no concerns: domestic violence"));
    let mut reviewed = decided(DecisionOutcome::ReengagedNewPlan);
    all_other_cells_clear(&mut reviewed);
    let text = staffing_narrative(&reviewed).unwrap().text;
    assert!(!text.contains("Not reviewed"), "{text}");
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r25_good_cause_goes_in_an_engagement_narrative() {
    let mut facts = decided(DecisionOutcome::GoodCause);
    facts.exemptions.push(Exemption {
        from: d("2026-11-20"),
        to: Some(d("2026-11-30")),
    });
    let draft = decision_narrative(&facts).unwrap();
    assert_eq!(draft.kind, NarrativeType::Engagement);
    assert_eq!(
        draft.text,
        "The re-engagement team staffed the case on 12/10/2026. The team determined Ms. Smith had \
         good cause for not engaging: exempt from 11/20/2026 to 11/30/2026. No disqualification \
         will be imposed."
    );
    assert_eq!(
        staffing_narrative(&facts).unwrap().kind,
        NarrativeType::Engagement
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r25_r27_dq1_goes_on_the_reengagement_page() {
    let mut facts = decided(DecisionOutcome::Dq1);
    let before = decision_narrative(&facts).unwrap();
    assert_eq!(before.kind, NarrativeType::ReengagementPage);
    assert_eq!(
        before.text,
        "Ms. Smith no-showed to the re-engagement staffing on 12/10/2026.\n\
         The team staffed the case on 12/10/2026 and determined Ms. Smith did not have good cause at this time for non-engagement in services.\n\
         A DQ1 JOBS disqualification will be applied.\n\
         The Family Coach will continue to reach out to Ms. Smith and encourage engagement with the JOBS program."
    );
    assert!(!before.text.contains("Pre-SSI") && !before.text.contains("finalized"));
    assert_eq!(
        staffing_narrative(&facts).unwrap().kind,
        NarrativeType::ReengagementPage
    );

    // The no-show names the appointment's day, not the staffing's (held later here).
    facts.appointment = Some(Appointment {
        on: d("2026-12-08"),
        at: None,
        scheduled_on: d("2026-11-30"),
        notice_mailed_on: Some(d("2026-11-30")),
    });
    let text = decision_narrative(&facts).unwrap().text;
    assert!(
        text.starts_with("Ms. Smith no-showed to the re-engagement appointment on 12/08/2026.\n"),
        "{text}"
    );

    // Finalized in Re-engage is not the TRACS page finalized: said only once recorded.
    facts.post_dq1.resources_offered = true;
    facts.finalized_on = Some(d("2026-12-11"));
    let after = decision_narrative(&facts).unwrap().text;
    assert!(!after.contains("finalized"), "{after}");
    facts.post_dq1.dq1_selected_on_page = true;
    let after = decision_narrative(&facts).unwrap().text;
    assert!(
        after
            .ends_with("The Re-engagement Page was updated: DQ1 – JOBS Disqualification selected."),
        "{after}"
    );
    facts.post_dq1.page_finalized = true;
    let after = decision_narrative(&facts).unwrap().text;
    assert!(
        after.ends_with(
            "The State Family Pre-SSI Program and Family Support and Connections were offered.\n\
         The Re-engagement Page was updated and finalized."
        ),
        "{after}"
    );
}

/// R23, R25: good cause the case manager gave alone is an Engagement narrative with its
/// reason, dated mm/dd/yyyy, and names no staffing.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r23_r25_good_cause_by_the_case_manager_alone() {
    let mut facts = episode();
    facts.decision = Some(Decision {
        outcome: DecisionOutcome::GoodCause,
        decided_on: d("2026-11-30"),
        by: DecidedBy::CaseManager {
            reason: "Hospitalized from 11/23 to 11/27.".into(),
        },
    });
    let draft = decision_narrative(&facts).unwrap();
    assert_eq!(draft.kind, NarrativeType::Engagement);
    assert_eq!(
        draft.text,
        "On 11/30/2026 the case manager gave Ms. Smith good cause for not engaging: Hospitalized from 11/23 to 11/27. No disqualification will be imposed."
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r8_contact_made_in_time_or_late_across_thanksgiving() {
    // Missed Tuesday 2026-11-24: the two business days are Wednesday 25 and Monday 30.
    let mut facts = episode();
    assert_eq!(contact_narrative(&facts), None);
    facts.contact_made = Some(ContactMade {
        on: d("2026-11-30"),
        plan_adjusted: true,
    });
    let draft = contact_narrative(&facts).unwrap();
    assert_eq!(draft.kind, NarrativeType::Engagement);
    assert_eq!(
        draft.text,
        "Ms. Smith missed her JOBS appointment on 11/24/2026. Contact made with Ms. Smith on 11/30/2026. The case plan was adjusted with the agreed updated plan; no re-engagement appointment is needed."
    );
    // R8 is a target: a later contact adjusts the plan the same way; the narrative states
    // only what was recorded.
    facts.contact_made = Some(ContactMade {
        on: d("2026-12-01"),
        plan_adjusted: true,
    });
    assert!(
        contact_narrative(&facts)
            .unwrap()
            .text
            .ends_with("Contact made with Ms. Smith on 12/01/2026. The case plan was adjusted with the agreed updated plan; no re-engagement appointment is needed.")
    );
    facts.contact_made.as_mut().unwrap().plan_adjusted = false;
    assert!(
        contact_narrative(&facts)
            .unwrap()
            .text
            .ends_with("The case plan is to be adjusted with the agreed updated plan.")
    );
}

#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r15_the_appointment_and_its_notice_mailed_or_to_mail() {
    let mut facts = episode();
    assert_eq!(appointment_narrative(&facts), None);
    facts.appointment = Some(Appointment {
        on: d("2027-01-05"),
        at: chrono::NaiveTime::from_hms_opt(13, 30, 0),
        scheduled_on: d("2026-12-22"),
        notice_mailed_on: None,
    });
    let draft = appointment_narrative(&facts).unwrap();
    assert_eq!(
        draft.text,
        "Ms. Smith missed her JOBS appointment on 11/24/2026. Ms. Smith was scheduled for a re-engagement appointment on 01/05/2027 at 1:30 pm. The re-engagement appointment notice (DHS 7869) is to be mailed at least 7 days before the appointment."
    );
    if let Some(appointment) = facts.appointment.as_mut() {
        appointment.notice_mailed_on = Some(d("2026-12-23"));
    }
    assert!(
        appointment_narrative(&facts)
            .unwrap()
            .text
            .ends_with("The re-engagement appointment notice (DHS 7869) was mailed on 12/23/2026.")
    );
}

/// R10: a narrative saved from an attempt's draft keeps its key when an earlier attempt is
/// entered late: the key is the attempt's day and its place among that day's attempts.
#[wasm_bindgen_test]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn r10_an_attempts_draft_key_does_not_move_when_an_earlier_one_is_entered() {
    let calendar = BusinessCalendar::oregon();
    let mut facts = episode();
    for (on, method) in [
        ("2026-11-25", ContactMethod::Phone),
        ("2026-11-25", ContactMethod::Written),
    ] {
        let log = Transition::LogAttempt(attempt(on, method, AttemptOutcome::NoAnswer, None));
        facts = apply(&facts, &log, d("2026-11-30"));
    }
    let keys = |f: &EpisodeFacts| -> Vec<String> {
        (0..f.attempts.len())
            .map(|i| attempt_key(f, i).unwrap())
            .collect()
    };
    assert_eq!(
        keys(&facts),
        vec!["attempt-2026-11-25-1", "attempt-2026-11-25-2"]
    );
    let late = Transition::LogAttempt(attempt(
        "2026-11-24",
        ContactMethod::Email,
        AttemptOutcome::NoAnswer,
        None,
    ));
    check(&facts, &late, d("2026-11-30"), &calendar).expect("R10: any order");
    let facts = apply(&facts, &late, d("2026-11-30"));
    assert_eq!(
        keys(&facts),
        vec![
            "attempt-2026-11-24-1",
            "attempt-2026-11-25-1",
            "attempt-2026-11-25-2"
        ]
    );
    assert_eq!(attempt_key(&facts, 3), None);
}

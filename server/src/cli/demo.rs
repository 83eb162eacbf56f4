//! `reengage demo`: a demo branch with staff of every role and about forty participants with
//! episodes in every stage, dated relative to today. Every episode is built through the same
//! services (and `core` checks) as real work. The names are obviously fictional.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::earliest_appointment_for_mailing;
use reengage_core::episode::*;

use crate::cli::StartError;
use crate::services::accounts::{self, NewStaff};
use crate::services::episodes::{change, local_today, record_missed_activity};
use crate::services::second_factor;
use crate::services::{Actor, ServiceError};
use crate::store::db::Db;
use crate::store::demo::{self as store, NewParticipant};
use reengage_core::roles::Role;

/// The demo password of every demo account (fictional accounts only).
pub const DEMO_PASSWORD: &str = "riverbend demo branch only";
/// The TOTP key the demo's supervisors and admin are enrolled with (base32; fictional
/// accounts only): add it to an authenticator app to sign in as them.
pub const DEMO_TOTP_SECRET: &str = "REENGAGEDEMOBRANCHONLYTOTPKEY234";
const BRANCH: &str = "Demo Branch (fictional)";
const ZONE: &str = "America/Los_Angeles";

const STAFF: [(&str, &str, &str, Role); 7] = [
    (
        "coach@demo.test",
        "Casey Demo-Coach",
        "CD",
        Role::FamilyCoach,
    ),
    ("aide@demo.test", "Avery Demo-Aide", "AD", Role::CaseAide),
    (
        "specialist@demo.test",
        "Emery Demo-Specialist",
        "ED",
        Role::EngagementSpecialist,
    ),
    (
        "manager@demo.test",
        "Morgan Demo-Manager",
        "MD",
        Role::OperationsManager,
    ),
    ("lead@demo.test", "Lee Demo-Lead", "LD", Role::LeadWorker),
    (
        "contractor@demo.test",
        "Cam Demo-Contractor",
        "KD",
        Role::Contractor,
    ),
    ("admin@demo.test", "Ari Demo-Admin", "RD", Role::Admin),
];

const FIRST: [&str; 8] = [
    "Alex", "Blair", "Corey", "Dana", "Eden", "Frankie", "Gray", "Harper",
];
const LAST: [&str; 5] = ["Testcase", "Sample", "Example", "Placeholder", "Fictional"];

/// Noon in the office on `day`, as an instant.
pub(crate) fn noon(day: NaiveDate) -> DateTime<Utc> {
    let zone: chrono_tz::Tz = ZONE.parse().unwrap_or(chrono_tz::America::Los_Angeles);
    zone.from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default())
        .single()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&day.and_hms_opt(20, 0, 0).unwrap_or_default()))
}

/// 24 random characters (18 bytes, URL-safe base64).
fn random_password() -> String {
    use base64::Engine;
    let mut bytes = [0_u8; 18];
    let _ = getrandom::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn input(error: impl std::fmt::Display) -> StartError {
    StartError::Input(format!("demo data: {error}"))
}

/// Loads the demo into an empty database; returns what to print.
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<String, StartError> {
    let people = store::participant_count(db).await.map_err(input)?;
    let staff = store::staff_count(db).await.map_err(input)?;
    if people > 0 || staff > 0 {
        return Err(StartError::Input(
            "This database already holds staff or participants: the demo loads only into a new, \
             empty database (`make run` uses data/demo.db). Point DATABASE_URL at a new file."
                .into(),
        ));
    }
    // The demo's admin has a password of its own, shown once: the shared demo password
    // never opens an admin account.
    let admin_password = random_password();
    let system = Actor {
        staff_id: None,
        email: "demo loader".into(),
        role: reengage_core::roles::Role::Admin,
    };
    for (email, name, initials, role) in STAFF {
        let staff = NewStaff {
            email: email.into(),
            name: name.into(),
            initials: initials.into(),
            role,
            branch: Some(BRANCH.into()),
            password: if role == Role::Admin {
                admin_password.clone()
            } else {
                DEMO_PASSWORD.into()
            },
            phone: None,
        };
        let id = accounts::create_staff(db, &system, staff, now)
            .await
            .map_err(input)?;
        if second_factor::required(role) {
            second_factor::enrol_known(db, &system, id, DEMO_TOTP_SECRET, now)
                .await
                .map_err(input)?;
        }
    }
    // Where the office is and how to reach it and the coach, for the DHS 7869 notice
    // (fictional: 555-01xx numbers).
    store::set_branch_contact(
        db,
        BRANCH,
        "500 Summer Street NE, Salem, OR 97301",
        "555-0190",
    )
    .await
    .map_err(input)?;
    store::set_coach_phone(db, "555-0191")
        .await
        .map_err(input)?;
    let coach_id = store::coach_id(db).await.map_err(input)?;
    let contractor_id = store::contractor_id(db).await.map_err(input)?;
    let coach = Actor {
        staff_id: Some(coach_id),
        email: "coach@demo.test".into(),
        role: reengage_core::roles::Role::FamilyCoach,
    };
    let id_of =
        |email: &'static str| async move { store::staff_id(db, email).await.map_err(input) };
    let manager = Actor {
        staff_id: Some(id_of("manager@demo.test").await?),
        email: "manager@demo.test".into(),
        role: reengage_core::roles::Role::OperationsManager,
    };
    let specialist = Actor {
        staff_id: Some(id_of("specialist@demo.test").await?),
        email: "specialist@demo.test".into(),
        role: reengage_core::roles::Role::EngagementSpecialist,
    };
    let crew = Crew {
        team: Team {
            coach: (coach_id, "CD".into()),
            manager: (manager.staff_id.unwrap_or_default(), "MD".into()),
            specialist: (specialist.staff_id.unwrap_or_default(), "ED".into()),
        },
        coach,
        manager,
        specialist,
    };
    let calendar = BusinessCalendar::oregon();
    let today = local_today(ZONE, now);
    for i in 0..40_usize {
        let name = format!("{} {}", FIRST[i % FIRST.len()], LAST[i % LAST.len()]);
        let participant = store::insert_participant_of_branch_named(
            db,
            BRANCH,
            NewParticipant {
                case_number: &format!("DEMO-{:04}", i + 1),
                first_name: FIRST[i % FIRST.len()],
                last_name: LAST[i % LAST.len()],
                display_name: &name,
                phone: &format!("555-01{:02}", i % 100),
                phone_in_service: i % 7 != 3,
                email: &format!("participant{}@demo.test", i + 1),
                address: &format!("{} Example Street, Demo City", 100 + i),
                coach_id,
                // Every fourth participant is referred to the JOBS contractor.
                contractor_id: (i % 4 == 0).then_some(contractor_id),
                created_at: &now.to_rfc3339(),
                // Every third participant reads Spanish: their notice prints in Spanish.
                language: if i % 3 == 1 { "es" } else { "en" },
            },
        )
        .await
        .map_err(input)?;
        build_episode(db, &crew, participant, i, &calendar, today)
            .await
            .map_err(|e| input(format!("{name}: {e}")))?;
    }
    let token = accounts::create_token(db, &system, "coach@demo.test", now)
        .await
        .map_err(input)?;
    let mut out = format!(
        "Loaded the demo branch “{BRANCH}”: {} staff, 40 participants with episodes in every stage.\n",
        STAFF.len()
    );
    out.push_str(&format!(
        "Sign in as any of these with the password “{DEMO_PASSWORD}”:\n"
    ));
    for (email, _, _, role) in STAFF.iter().filter(|(.., role)| *role != Role::Admin) {
        out.push_str(&format!("  {email:<22} {role}\n"));
    }
    out.push_str(&format!(
        "Supervisors and the admin also give a sign-in code: add the key {DEMO_TOTP_SECRET} \
         to an authenticator app (time-based, 6 digits).\n"
    ));
    for (email, _, _, role) in STAFF.iter().filter(|(.., role)| *role == Role::Admin) {
        out.push_str(&format!(
            "The {role} {email} has its own password, shown only now: {admin_password}\n"
        ));
    }
    out.push_str(&format!("API token for coach@demo.test: {token}\n"));
    Ok(out)
}

/// The staff accounts `(id, initials)` a planned episode names: its coach, who attempts and
/// narrates, and the manager and specialist who sit on its staffing with the coach (R18),
/// each confirming their own presence.
#[derive(Debug, Clone)]
pub(crate) struct Team {
    pub coach: (i64, String),
    pub manager: (i64, String),
    pub specialist: (i64, String),
}

/// The demo branch's staff who work its episodes, with their accounts.
struct Crew {
    team: Team,
    coach: Actor,
    manager: Actor,
    specialist: Actor,
}

/// Who makes a planned change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum By {
    Coach,
    /// The operations manager who sat on the staffing: the DQ1's finalizer (R26).
    Manager,
    /// The engagement specialist who sat on the staffing.
    Specialist,
}

/// One change of a planned episode: the day it is made, by whom, and what.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub day: NaiveDate,
    pub by: By,
    pub change: Transition,
}

fn attempt(
    on: NaiveDate,
    method: ContactMethod,
    outcome: AttemptOutcome,
    window: Option<i64>,
    team: &Team,
) -> Transition {
    Transition::LogAttempt(Attempt {
        on,
        method,
        outcome,
        response_window: window.and_then(|w| ResponseWindow::new(w).ok()),
        by_initials: team.coach.1.clone(),
        note: None,
        by_contractor: false,
    })
}

fn staffing(held_on: NaiveDate, i: usize, team: &Team) -> Staffing {
    Staffing {
        held_on,
        members: vec![
            StaffingMember::account(
                team.coach.0,
                team.coach.1.clone(),
                StaffingRole::FamilyCoach,
            ),
            StaffingMember::account(
                team.manager.0,
                team.manager.1.clone(),
                StaffingRole::OperationsManager,
            ),
            StaffingMember::account(
                team.specialist.0,
                team.specialist.1.clone(),
                StaffingRole::EngagementSpecialist,
            ),
        ],
        participant_attended: i.is_multiple_of(3),
        partners: vec![],
        // R20: every cell answered.
        barrier_review: BarrierArea::cells()
            .map(|(area, who)| BarrierFinding::none_found(area, who))
            .map(|finding| {
                // The household's childcare or transportation: present, a bus pass offered.
                if finding.area == BarrierArea::ChildcareTransportation {
                    BarrierFinding {
                        present: true,
                        accommodation_offered: Some("Bus pass offered".into()),
                        affected_participation: Some(false),
                        ..finding
                    }
                } else {
                    finding
                }
            })
            .collect(),
        good_cause: GoodCauseAnswers {
            exempt: Some(false),
            outside_control: Some(i % 16 == 6),
            household_issue: Some(false),
            department_failed: Some(false),
        },
        recommended_strategies: vec!["Weekly check-in call".into()],
        pdp_next_steps: vec!["Job search, 10 hours a week".into()],
    }
}

/// How many business days before today participant `i`'s miss is, for an episode that is
/// to reach `target` by today.
pub(crate) fn depth(target: Stage, i: usize) -> u32 {
    match target {
        Stage::Missed => (i % 3) as u32,
        Stage::AttemptingContact => 2,
        Stage::ContactMade => 3,
        Stage::InviteToReengagement => 8,
        Stage::AppointmentScheduled => 9,
        _ => 25,
    }
}

/// The miss that opens participant `i`'s episode on `missed`, and the changes that take it
/// to `target` (good cause for every sixteenth from the seventh, else a DQ1), each on its own
/// day; `core` checks every one as it is made.
pub(crate) fn plan(
    i: usize,
    target: Stage,
    missed: NaiveDate,
    team: &Team,
    calendar: &BusinessCalendar,
    today: NaiveDate,
) -> (Trigger, Vec<Step>) {
    let ahead = |from: NaiveDate, n: u32| calendar.add_business_days(from, n).unwrap_or(from);
    let kind = [
        TriggerKind::MissedCoachAppointment,
        TriggerKind::MissedFirstActivity,
        TriggerKind::MissedJobsAppointment,
    ][i % 3];
    let trigger = Trigger {
        kind,
        what: ["orientation", "SW step", "JOBS appointment"][i % 3].into(),
        on: missed,
        at: None,
        reported_by: ReportedBy::Department,
        aware_on: None,
    };
    let mut steps = Vec::new();
    let mut step = |day: NaiveDate, change: Transition| {
        let by = match change {
            Transition::FinalizeDq1 { .. } => By::Manager,
            // R18: each member confirms their own presence.
            Transition::ConfirmPresence { staff_id, .. } if staff_id == team.manager.0 => {
                By::Manager
            }
            Transition::ConfirmPresence { staff_id, .. } if staff_id == team.specialist.0 => {
                By::Specialist
            }
            _ => By::Coach,
        };
        steps.push(Step { day, by, change });
    };
    if target == Stage::Missed {
        return (trigger, steps);
    }
    let first = ahead(missed, 1);
    let message = AttemptOutcome::MessageLeft;
    step(
        first,
        attempt(first, ContactMethod::Phone, message, Some(2), team),
    );
    match target {
        Stage::AttemptingContact => return (trigger, steps),
        Stage::ContactMade => {
            let on = ahead(missed, 2);
            let plan_adjusted = (i / 8).is_multiple_of(2);
            step(on, Transition::RecordContact { on, plan_adjusted });
            return (trigger, steps);
        }
        _ => {}
    }
    let second = ahead(missed, 3);
    step(
        second,
        attempt(second, ContactMethod::Written, message, None, team),
    );
    if target == Stage::InviteToReengagement {
        return (trigger, steps);
    }
    let scheduled = ahead(second, 3);
    let appointment = if target == Stage::AppointmentScheduled {
        calendar.on_or_after(today + Days::new(10)).unwrap_or(today)
    } else {
        earliest_appointment_for_mailing(scheduled, calendar).unwrap_or(scheduled)
    };
    let at = Some(NaiveTime::from_hms_opt(10, 0, 0).expect("a time"));
    step(
        scheduled,
        Transition::ScheduleAppointment {
            on: appointment,
            at,
        },
    );
    if target == Stage::AppointmentScheduled && i.is_multiple_of(2) {
        return (trigger, steps);
    }
    step(scheduled, Transition::RecordNoticeMailed { on: scheduled });
    if target == Stage::AppointmentScheduled {
        return (trigger, steps);
    }
    if target == Stage::Staffing {
        if i % 2 == 1 {
            let item = MissingInfo {
                kind: MissingInfoKind::ChildSafetyCheck,
                description: "child safety check".into(),
                requested_on: appointment,
                resolved_on: None,
            };
            step(appointment, Transition::AddMissingInfo(item));
        }
        return (trigger, steps);
    }
    step(
        appointment,
        Transition::RecordStaffing(staffing(appointment, i, team)),
    );
    for staff_id in [team.coach.0, team.manager.0, team.specialist.0] {
        step(
            appointment,
            Transition::ConfirmPresence {
                staff_id,
                on: appointment,
            },
        );
    }
    let outcome = if i % 16 == 6 {
        DecisionOutcome::GoodCause
    } else {
        DecisionOutcome::Dq1
    };
    step(
        appointment,
        Transition::Decide(Decision::by_team(outcome, appointment)),
    );
    if target == Stage::Decided || outcome != DecisionOutcome::Dq1 {
        return (trigger, steps);
    }
    let next = ahead(appointment, 1);
    let done = PostDq1Steps {
        re_step_recorded: true,
        pdp_copy_to_participant: true,
        dq1_selected_on_page: true,
        ..Default::default()
    };
    step(next, Transition::RecordPostDq1Steps(done));
    step(
        next,
        Transition::FinalizeDq1 {
            on: next,
            staff_id: team.manager.0,
        },
    );
    (trigger, steps)
}

/// Builds participant `i`'s episode up to stage `i % 8` through the services, each change on
/// its own day.
async fn build_episode(
    db: &Db,
    crew: &Crew,
    participant: i64,
    i: usize,
    calendar: &BusinessCalendar,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    let target = Stage::ALL[i % Stage::ALL.len()];
    let mut missed = calendar.on_or_before(today).unwrap_or(today);
    for _ in 0..depth(target, i) {
        missed = calendar.previous_business_day(missed).unwrap_or(missed);
    }
    let (trigger, steps) = plan(i, target, missed, &crew.team, calendar, today);
    let opened =
        record_missed_activity(db, &crew.coach, participant, trigger, noon(missed)).await?;
    let mut version = opened.version;
    for step in steps {
        let by = match step.by {
            By::Coach => &crew.coach,
            By::Manager => &crew.manager,
            By::Specialist => &crew.specialist,
        };
        version = change(
            db,
            by,
            opened.episode_id,
            version,
            step.change,
            noon(step.day),
        )
        .await?
        .version;
    }
    Ok(())
}

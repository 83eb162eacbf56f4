//! `reengage demo --episodes N`: the demo branch, then N more episodes over as many fictional
//! branches as it takes ([`PER_BRANCH`] each, with ten coaches, an aide, an engagement
//! specialist, an operations manager, a lead worker and a contractor), spread over every stage
//! and over two years of history: attempts, appointments and notices, missing information,
//! staffings with their barrier reviews, decisions, finalized DQ1s and the audit trail of it
//! all. Every change is the demo's plan checked by `core` and written by the same service code
//! as real work (`open_in`, `record_change`), many episodes to a transaction.

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use reengage_core::BusinessCalendar;
use reengage_core::episode::{EpisodeFacts, Stage, Trigger, apply, is_closed};

use crate::cli::StartError;
use crate::cli::demo::{self, By, DEMO_PASSWORD, Team, noon};
use crate::services::episodes::{local_today, open_in, record_change};
use crate::services::{Actor, ServiceError};
use crate::store::audit::{self, Entry};
use crate::store::codes::instant;
use crate::store::db::{self, Db};
use crate::store::{self, demo::NewParticipant};

/// Episodes per branch.
pub const PER_BRANCH: u32 = 2_000;
/// Coaches per branch.
const COACHES: u32 = 10;
/// Episodes per transaction.
const BATCH: u32 = 250;
const ZONE: &str = "America/Los_Angeles";

/// One fictional branch's staff: `(id, email, initials)` of each.
struct BranchStaff {
    id: i64,
    /// The JOBS contractor every fourth participant is referred to.
    contractor: i64,
    /// When the load began, as stored (`created_at`).
    created: String,
    coaches: Vec<(i64, String, String)>,
    manager: (i64, String, String),
    specialist: (i64, String, String),
}

fn input(error: impl std::fmt::Display) -> StartError {
    StartError::Input(format!("demo data: {error}"))
}

/// A stage for the `k`-th episode, so that the whole holds every stage in a plausible mix:
/// most episodes are history (re-engaged, good cause, finalized DQ1s), about half are open.
fn target(k: u32) -> Stage {
    match k.wrapping_mul(2_654_435_761) % 100 {
        0..5 => Stage::Missed,
        5..12 => Stage::AttemptingContact,
        12..40 => Stage::ContactMade,
        40..45 => Stage::InviteToReengagement,
        45..50 => Stage::AppointmentScheduled,
        50..55 => Stage::Staffing,
        55..62 => Stage::Decided,
        _ => Stage::Finalized,
    }
}

/// The business day `n` business days before `today`.
fn back(calendar: &BusinessCalendar, today: NaiveDate, n: u32) -> NaiveDate {
    let mut day = calendar.on_or_before(today).unwrap_or(today);
    for _ in 0..n {
        day = calendar.previous_business_day(day).unwrap_or(day);
    }
    day
}

/// The `k`-th episode's plan to `stage`: open work recent, as the demo's; an episode its
/// plan closes (re-engaged, good cause, a finalized DQ1) moved up to two years back.
fn planned(
    k: u32,
    stage: Stage,
    team: &Team,
    calendar: &BusinessCalendar,
    today: NaiveDate,
) -> (Trigger, Vec<demo::Step>) {
    let depth = demo::depth(stage, k as usize);
    let recent = demo::plan(
        k as usize,
        stage,
        back(calendar, today, depth),
        team,
        calendar,
        today,
    );
    let mut facts = EpisodeFacts::new("", recent.0.clone());
    for step in &recent.1 {
        facts = apply(&facts, &step.change, step.day);
    }
    if !is_closed(&facts, calendar) {
        return recent;
    }
    let missed = back(calendar, today, depth + k % 480);
    demo::plan(k as usize, stage, missed, team, calendar, today)
}

/// Loads the demo branch and `episodes` more into an empty database; returns what to print.
pub async fn load(db: &Db, now: DateTime<Utc>, episodes: u32) -> Result<String, StartError> {
    let started = Instant::now();
    let mut out = demo::load(db, now).await?;
    let hash =
        crate::services::accounts::new_password_hash(DEMO_PASSWORD.into(), "scale@demo.test")
            .await
            .map_err(input)?;
    let calendar = BusinessCalendar::oregon();
    let today = local_today(ZONE, now);
    let branches = episodes.div_ceil(PER_BRANCH);
    let mut done = 0;
    for b in 0..branches {
        let staff = branch(db, b, &hash, now).await.map_err(input)?;
        let count = PER_BRANCH.min(episodes - done);
        let mut j = 0;
        while j < count {
            let batch = BATCH.min(count - j);
            let mut tx = db::begin_write(db).await.map_err(input)?;
            for n in j..j + batch {
                episode(&mut tx, db, &staff, b, n, done + n, &calendar, today)
                    .await
                    .map_err(|e| input(format!("branch {b}, episode {n}: {e}")))?;
            }
            tx.commit().await.map_err(input)?;
            j += batch;
        }
        done += count;
    }
    let seconds = started.elapsed().as_secs_f64();
    out.push_str(&format!(
        "Loaded {episodes} more episodes in {branches} fictional branches in {seconds:.1} s \
         ({:.0} episodes a second). Their staff sign in as coach0@b000.scale.test … \
         coach9@b{:03}.scale.test, manager@b000.scale.test …, with the same password (and the supervisors with the same \
         sign-in code key).\n",
        f64::from(episodes) / seconds.max(0.001),
        branches.saturating_sub(1),
    ));
    Ok(out)
}

/// Creates fictional branch `b` and its staff, each with the demo password (`hash`).
async fn branch(
    db: &Db,
    b: u32,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<BranchStaff, sqlx::Error> {
    let mut tx = db::begin_write(db).await?;
    let id = store::demo::insert_branch(
        &mut tx,
        &format!("Scale Branch {b:03} (fictional)"),
        ZONE,
        &format!("{} Example Avenue, Demo City", 100 + b),
        "555-0100",
    )
    .await?;
    let mut people = Vec::new();
    for k in 0..COACHES {
        people.push((format!("coach{k}"), format!("C{k}"), "family_coach"));
    }
    for (who, initials, role) in [
        ("aide", "CA", "case_aide"),
        ("specialist", "ES", "engagement_specialist"),
        ("manager", "OM", "operations_manager"),
        ("lead", "LW", "lead_worker"),
        ("contractor", "KC", "contractor"),
    ] {
        people.push((who.to_owned(), initials.to_owned(), role));
    }
    let mut created = Vec::new();
    for (who, initials, role) in people {
        let email = format!("{who}@b{b:03}.scale.test");
        let staff = store::staff::insert(
            &mut tx,
            store::staff::NewRow {
                email: &email,
                name: &format!("{who} {b:03} (fictional)"),
                initials: &initials,
                role,
                branch_id: Some(id),
                password_hash: hash,
                created_at: &instant(now),
                phone: None,
            },
        )
        .await?;
        let entry = Entry::at(
            now,
            "demo loader",
            "admin",
            "staff.created",
            "staff",
            &staff.to_string(),
        )
        .with_values(
            None,
            Some(serde_json::json!({ "email": email, "role": role, "branch_id": id }).to_string()),
        );
        audit::append(&mut tx, db.backend, &entry).await?;
        // Its supervisors enrolled with the demo's TOTP key, as the demo branch's are.
        if matches!(role, "operations_manager" | "lead_worker") {
            store::second_factor::enrol(
                &mut tx,
                staff,
                demo::DEMO_TOTP_SECRET,
                0,
                &[],
                &instant(now),
            )
            .await?;
            let entry = Entry::at(
                now,
                "demo loader",
                "admin",
                "second_factor.enrolled",
                "staff",
                &staff.to_string(),
            );
            audit::append(&mut tx, db.backend, &entry).await?;
        }
        created.push((staff, email, initials));
    }
    tx.commit().await?;
    let find = |initials: &str| {
        created
            .iter()
            .find(|(_, _, i)| i == initials)
            .cloned()
            .unwrap_or_default()
    };
    Ok(BranchStaff {
        id,
        contractor: find("KC").0,
        created: instant(now),
        coaches: created[..COACHES as usize].to_vec(),
        manager: find("OM"),
        specialist: find("ES"),
    })
}

/// The `n`-th participant of branch `b` (the `k`-th of the load) and their episode, planned
/// as the demo plans its own and made change by change.
#[allow(clippy::too_many_arguments)]
async fn episode(
    conn: &mut sqlx::AnyConnection,
    db: &Db,
    staff: &BranchStaff,
    b: u32,
    n: u32,
    k: u32,
    calendar: &BusinessCalendar,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    let (coach_id, coach_email, coach_initials) = &staff.coaches[(n % COACHES) as usize];
    const FIRST: [&str; 8] = [
        "Alex", "Blair", "Corey", "Dana", "Eden", "Frankie", "Gray", "Harper",
    ];
    const LAST: [&str; 6] = [
        "Testcase",
        "Sample",
        "Example",
        "Placeholder",
        "Fictional",
        "Mockup",
    ];
    let (first, last) = (FIRST[(k % 8) as usize], LAST[(k / 8 % 6) as usize]);
    let participant = store::demo::insert_participant(
        conn,
        staff.id,
        NewParticipant {
            case_number: &format!("S{b:03}-{n:05}"),
            first_name: first,
            last_name: last,
            display_name: &format!("{first} {last} {k}"),
            phone: &format!("555-01{:02}", k % 100),
            phone_in_service: k % 7 != 3,
            email: &format!("participant{k}@scale.test"),
            address: &format!("{} Example Street, Demo City", 100 + k % 900),
            coach_id: *coach_id,
            contractor_id: k.is_multiple_of(4).then_some(staff.contractor),
            created_at: &staff.created,
            language: if k % 3 == 1 { "es" } else { "en" },
        },
    )
    .await?;
    let team = Team {
        coach: (*coach_id, coach_initials.clone()),
        manager: (staff.manager.0, staff.manager.2.clone()),
        specialist: (staff.specialist.0, staff.specialist.2.clone()),
    };
    let (trigger, steps) = planned(k, target(k), &team, calendar, today);
    let missed = trigger.on;
    let coach = Actor {
        staff_id: Some(*coach_id),
        email: coach_email.clone(),
        role: reengage_core::roles::Role::FamilyCoach,
    };
    let manager = Actor {
        staff_id: Some(staff.manager.0),
        email: staff.manager.1.clone(),
        role: reengage_core::roles::Role::OperationsManager,
    };
    let specialist = Actor {
        staff_id: Some(staff.specialist.0),
        email: staff.specialist.1.clone(),
        role: reengage_core::roles::Role::EngagementSpecialist,
    };
    let mut record = open_in(conn, db, &coach, participant, trigger, noon(missed))
        .await?
        .record;
    for step in steps {
        let by = match step.by {
            By::Coach => &coach,
            By::Manager => &manager,
            By::Specialist => &specialist,
        };
        record_change(
            conn,
            db.backend,
            by,
            &mut record,
            step.change,
            noon(step.day),
            step.day,
            calendar,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_holds_every_stage_about_half_of_it_open() {
        let stages: Vec<Stage> = (0..10_000).map(target).collect();
        for stage in Stage::ALL {
            assert!(stages.contains(&stage), "{stage:?}");
        }
        let history = stages
            .iter()
            .filter(|s| matches!(s, Stage::ContactMade | Stage::Finalized))
            .count();
        assert!((5_000..8_000).contains(&history), "{history}");
    }
}

//! Whole episodes driven through the services on both backends: every step checked by
//! `core`, refused steps write nothing, stale versions conflict, every change is audited.

use crate::support::{backends, fresh_db};
use chrono::{DateTime, NaiveDate, Utc};
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use reengage_core::rules::{R12, R14, R15, R26};
use reengage_server::services::episodes::{change, read, record_missed_activity};
use reengage_server::services::{Actor, ServiceError};
use reengage_server::store::audit;
use reengage_server::store::db::Db;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Noon in Oregon on `date` (20:00 UTC in November).
fn noon(date: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{date}T20:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

fn coach() -> Actor {
    Actor {
        staff_id: None,
        email: "coach@example.test".into(),
        role: reengage_core::roles::Role::FamilyCoach,
    }
}

async fn seed(db: &Db) -> i64 {
    sqlx::query("INSERT INTO branches (name, time_zone) VALUES ($1, $2)")
        .bind("Riverbend")
        .bind("America/Los_Angeles")
        .execute(&db.pool)
        .await
        .unwrap();
    // R18: the staffing's department members, staff accounts 1 (RH), 2 (XR) and 3 (JB).
    for (email, initials, role) in [
        ("rh@example.test", "RH", "family_coach"),
        ("xr@example.test", "XR", "operations_manager"),
        ("jb@example.test", "JB", "engagement_specialist"),
    ] {
        sqlx::query(
            "INSERT INTO staff (email, name, initials, role, branch_id, created_at) \
             VALUES ($1, $1, $2, $3, 1, '2026-10-01T00:00:00Z')",
        )
        .bind(email)
        .bind(initials)
        .bind(role)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let participant: i64 = sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, created_at) \
         VALUES (1, $1, $2, $3, $4, $5) RETURNING id",
    )
    .bind("TEST-0001")
    .bind("Tess")
    .bind("Example")
    .bind("Ms. Example")
    .bind("2026-10-01T00:00:00Z")
    .fetch_one(&db.pool)
    .await
    .unwrap();
    // R19: the MCS 3010 on file for the partner the staffing invites.
    sqlx::query(
        "INSERT INTO releases (participant_id, partner, signed_on) VALUES ($1, 'Family Services', '2026-06-01')",
    )
    .bind(participant)
    .execute(&db.pool)
    .await
    .unwrap();
    participant
}

fn trigger(on: &str) -> Trigger {
    Trigger {
        kind: TriggerKind::MissedCoachAppointment,
        what: "orientation".into(),
        on: d(on),
        at: None,
        reported_by: ReportedBy::Department,
        aware_on: None,
    }
}

fn attempt(on: &str, method: ContactMethod, window: Option<i64>) -> Transition {
    Transition::LogAttempt(Attempt {
        on: d(on),
        method,
        outcome: AttemptOutcome::MessageLeft,
        response_window: window.map(|w| ResponseWindow::new(w).unwrap()),
        by_initials: "RH".into(),
        note: None,
        by_contractor: false,
    })
}

fn staffing() -> Staffing {
    Staffing {
        held_on: d("2026-11-18"),
        members: vec![
            StaffingMember::account(1, "RH", StaffingRole::FamilyCoach),
            StaffingMember::account(2, "XR", StaffingRole::OperationsManager),
            StaffingMember::account(3, "JB", StaffingRole::EngagementSpecialist),
        ],
        participant_attended: false,
        partners: vec![Partner {
            name: "Family Services".into(),
            release: Some(Release {
                signed_on: d("2026-06-01"),
                expires_on: None,
            }),
        }],
        barrier_review: BarrierArea::cells()
            .map(|(area, who)| BarrierFinding::none_found(area, who))
            .collect(),
        good_cause: GoodCauseAnswers {
            exempt: Some(false),
            outside_control: Some(false),
            household_issue: Some(false),
            department_failed: Some(false),
        },
        recommended_strategies: vec!["Home visit".into()],
        pdp_next_steps: vec!["RE step".into()],
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Drives the November 2026 episode to a decision; returns (episode id, version).
async fn to_decision(db: &Db, outcome: DecisionOutcome) -> (i64, i64) {
    let participant = seed(db).await;
    let opened = record_missed_activity(
        db,
        &coach(),
        participant,
        trigger("2026-11-02"),
        noon("2026-11-02"),
    )
    .await
    .unwrap();
    assert_eq!(opened.stage, Stage::Missed);
    let id = opened.episode_id;
    let mut version = opened.version;
    for (today, transition) in [
        (
            "2026-11-03",
            attempt("2026-11-03", ContactMethod::Phone, Some(2)),
        ),
        (
            "2026-11-05",
            attempt("2026-11-05", ContactMethod::Written, None),
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
            Transition::RecordStaffing(Staffing {
                // R23: a good-cause decision rests on a cause.
                good_cause: GoodCauseAnswers {
                    outside_control: Some(outcome == DecisionOutcome::GoodCause),
                    ..staffing().good_cause
                },
                ..staffing()
            }),
        ),
        // R18: each department member confirms their own presence.
        (
            "2026-11-18",
            Transition::ConfirmPresence {
                staff_id: 1,
                on: d("2026-11-18"),
            },
        ),
        (
            "2026-11-18",
            Transition::ConfirmPresence {
                staff_id: 2,
                on: d("2026-11-18"),
            },
        ),
        (
            "2026-11-18",
            Transition::ConfirmPresence {
                staff_id: 3,
                on: d("2026-11-18"),
            },
        ),
        (
            "2026-11-18",
            Transition::Decide(Decision::by_team(outcome, d("2026-11-18"))),
        ),
    ] {
        let changed = change(db, &coach(), id, version, transition.clone(), noon(today))
            .await
            .unwrap_or_else(|e| panic!("{today} {transition:?}: {e}"));
        assert_eq!(changed.version, version + 1);
        version = changed.version;
    }
    (id, version)
}

#[tokio::test]
async fn a_dq1_episode_from_the_miss_to_finalization() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let (id, version) = to_decision(db, DecisionOutcome::Dq1).await;
        let manager = Actor {
            staff_id: Some(2),
            email: "xr@example.test".into(),
            role: reengage_core::roles::Role::OperationsManager,
        };
        let finalize = Transition::FinalizeDq1 {
            on: d("2026-11-19"),
            staff_id: 2,
        };
        // R26: not before the R27 steps that precede finalizing.
        match change(
            db,
            &manager,
            id,
            version,
            finalize.clone(),
            noon("2026-11-19"),
        )
        .await
        {
            Err(ServiceError::Refused(Refusal::NotReady(items))) => assert_eq!(items.len(), 2),
            other => panic!("{backend:?}: expected NotReady, got {other:?}"),
        }
        let steps = PostDq1Steps {
            re_step_recorded: true,
            dq1_selected_on_page: true,
            ..Default::default()
        };
        let changed = change(
            db,
            &coach(),
            id,
            version,
            Transition::RecordPostDq1Steps(steps),
            noon("2026-11-19"),
        )
        .await
        .unwrap();
        let finalized = change(
            db,
            &manager,
            id,
            changed.version,
            finalize,
            noon("2026-11-19"),
        )
        .await
        .unwrap();
        assert_eq!(finalized.stage, Stage::Finalized, "{backend:?}");

        // Read back: the stored facts are what core derived from.
        let (record, today, calendar) = read(db, id, noon("2026-11-19")).await.unwrap();
        assert_eq!(record.facts.attempts.len(), 2);
        assert_eq!(
            record.facts.staffing.as_ref().unwrap().barrier_review.len(),
            10
        );
        assert_eq!(
            record.facts.staffing.as_ref().unwrap().partners[0].name,
            "Family Services"
        );
        assert_eq!(stage(&record.facts, today, &calendar), Stage::Finalized);
        assert_eq!(record.version, finalized.version);
        let stored: (String, i64) =
            sqlx::query_as("SELECT stage, closed FROM episodes WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(stored, ("Finalized".to_owned(), 1));

        // Every change left one audit entry, in order, and the chain holds.
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE entity = 'episode' AND entity_id = $1 ORDER BY id",
        )
        .bind(id.to_string())
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            actions,
            vec![
                "episode.opened",
                "attempt.logged",
                "attempt.logged",
                "appointment.scheduled",
                "notice.mailed",
                "staffing.recorded",
                "staffing.presence_confirmed",
                "staffing.presence_confirmed",
                "staffing.presence_confirmed",
                "decision.made",
                "post_dq1.recorded",
                "dq1.finalized",
            ]
        );
        assert_eq!(audit::verify(db).await, Ok(12));

        // R24: new information re-opens the staffing; the decision stays, superseded.
        let reopened = change(
            db,
            &coach(),
            id,
            finalized.version,
            Transition::RequestNewStaffing {
                reason: "An exemption came to light".into(),
            },
            noon("2026-11-20"),
        )
        .await
        .unwrap();
        assert_eq!(reopened.stage, Stage::Staffing);
        let superseded: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT outcome, superseded_reason FROM decisions WHERE episode_id = $1",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            superseded,
            vec![(
                "Dq1".to_owned(),
                Some("An exemption came to light".to_owned())
            )]
        );
    }
}

#[tokio::test]
async fn a_good_cause_episode_closes_without_disqualification() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let (id, _) = to_decision(&test.db, DecisionOutcome::GoodCause).await;
        let (record, _, calendar) = read(&test.db, id, noon("2026-11-18")).await.unwrap();
        assert!(is_closed(&record.facts, &calendar), "{backend:?}");
        let closed: i64 = sqlx::query_scalar("SELECT closed FROM episodes WHERE id = $1")
            .bind(id)
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(closed, 1);
    }
}

#[tokio::test]
async fn refused_steps_write_nothing() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        let opened = record_missed_activity(
            db,
            &coach(),
            participant,
            trigger("2026-11-02"),
            noon("2026-11-02"),
        )
        .await
        .unwrap();
        let id = opened.episode_id;
        let one = change(
            db,
            &coach(),
            id,
            1,
            attempt("2026-11-03", ContactMethod::Phone, Some(2)),
            noon("2026-11-03"),
        )
        .await
        .unwrap();
        let before = (count(db, "attempts").await, count(db, "audit_log").await);
        let refusals = [
            // R14: one unsuccessful attempt is not enough to schedule.
            (
                Transition::ScheduleAppointment {
                    on: d("2026-11-24"),
                    at: None,
                },
                "2026-11-04",
                R14,
            ),
        ];
        for (transition, today, rule) in refusals {
            match change(db, &coach(), id, one.version, transition, noon(today)).await {
                Err(ServiceError::Refused(refusal)) => assert_eq!(refusal.rule(), Some(rule)),
                other => panic!("{backend:?}: expected a refusal, got {other:?}"),
            }
        }
        let two = change(
            db,
            &coach(),
            id,
            one.version,
            attempt("2026-11-05", ContactMethod::Written, None),
            noon("2026-11-05"),
        )
        .await
        .unwrap();
        for (transition, today, rule) in [
            // R12: the invitation waits 3 business days after the second attempt.
            (
                Transition::ScheduleAppointment {
                    on: d("2026-11-24"),
                    at: None,
                },
                "2026-11-09",
                R12,
            ),
            // R15: too soon for a notice mailed today.
            (
                Transition::ScheduleAppointment {
                    on: d("2026-11-16"),
                    at: None,
                },
                "2026-11-10",
                R15,
            ),
            // R26: nothing to finalize.
            (
                Transition::FinalizeDq1 {
                    on: d("2026-11-10"),
                    staff_id: 2,
                },
                "2026-11-10",
                R26,
            ),
        ] {
            match change(db, &coach(), id, two.version, transition, noon(today)).await {
                Err(ServiceError::Refused(refusal)) => {
                    assert_eq!(refusal.rule(), Some(rule), "{backend:?}")
                }
                other => panic!("{backend:?}: expected a refusal, got {other:?}"),
            }
        }
        assert_eq!(
            (count(db, "attempts").await, count(db, "audit_log").await),
            (before.0 + 1, before.1 + 1)
        );
        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(
            version, two.version,
            "{backend:?}: refusals do not bump the version"
        );
    }
}

#[tokio::test]
async fn a_stale_version_conflicts_and_says_what_changed() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        let opened = record_missed_activity(
            db,
            &coach(),
            participant,
            trigger("2026-11-02"),
            noon("2026-11-02"),
        )
        .await
        .unwrap();
        let id = opened.episode_id;
        change(
            db,
            &coach(),
            id,
            1,
            attempt("2026-11-03", ContactMethod::Phone, Some(2)),
            noon("2026-11-03"),
        )
        .await
        .unwrap();
        // A second coach still has version 1 on screen.
        let other = Actor {
            staff_id: None,
            email: "aide@example.test".into(),
            role: reengage_core::roles::Role::CaseAide,
        };
        match change(
            db,
            &other,
            id,
            1,
            attempt("2026-11-03", ContactMethod::Written, None),
            noon("2026-11-03"),
        )
        .await
        {
            Err(
                error @ ServiceError::Conflict {
                    current_version: 2, ..
                },
            ) => {
                let message = error.to_string();
                assert!(
                    message.contains("attempt logged by coach@example.test"),
                    "{message}"
                );
            }
            other => panic!("{backend:?}: expected a conflict, got {other:?}"),
        }
        assert_eq!(
            count(db, "attempts").await,
            1,
            "{backend:?}: no lost update, no silent overwrite"
        );
    }
}

#[tokio::test]
async fn dates_are_the_offices_local_dates() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        // 01:30 UTC on 11-25 is 5:30 pm on 11-24 in Oregon: a miss dated 11-25 is in the future.
        let evening = DateTime::parse_from_rfc3339("2026-11-25T01:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        match record_missed_activity(db, &coach(), participant, trigger("2026-11-25"), evening)
            .await
        {
            Err(ServiceError::Refused(Refusal::InTheFuture(_))) => {}
            other => panic!("{backend:?}: expected InTheFuture, got {other:?}"),
        }
        let opened =
            record_missed_activity(db, &coach(), participant, trigger("2026-11-24"), evening)
                .await
                .unwrap();
        // R2: due the next business day, Wednesday 11-25.
        let due: Option<String> =
            sqlx::query_scalar("SELECT next_due_on FROM episodes WHERE id = $1")
                .bind(opened.episode_id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(due.as_deref(), Some("2026-11-25"));
        // One open episode per participant.
        match record_missed_activity(db, &coach(), participant, trigger("2026-11-24"), evening)
            .await
        {
            Err(ServiceError::Invalid(message)) => assert!(message.contains("already has an open")),
            other => panic!("{backend:?}: expected Invalid, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_partners_release_is_read_from_the_file_not_from_the_request_r19() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        let opened = record_missed_activity(
            db,
            &coach(),
            participant,
            trigger("2026-11-02"),
            noon("2026-11-02"),
        )
        .await
        .unwrap();
        // A release claimed in the request for a partner with none on file: refused.
        let mut claimed = staffing();
        claimed.partners = vec![Partner {
            name: "Housing Partner".into(),
            release: Some(Release {
                signed_on: d("2026-01-05"),
                expires_on: None,
            }),
        }];
        let refused = change(
            db,
            &coach(),
            opened.episode_id,
            opened.version,
            Transition::RecordStaffing(claimed),
            noon("2026-11-18"),
        )
        .await;
        assert!(
            matches!(
                refused,
                Err(ServiceError::Refused(Refusal::PartnerWithoutRelease(ref name))) if name == "Housing Partner"
            ),
            "{backend:?}: {refused:?}"
        );
        // The partner on file is stored with the release on file, whatever the request says.
        let mut on_file = staffing();
        on_file.partners = vec![Partner {
            name: "family services".into(),
            release: None,
        }];
        change(
            db,
            &coach(),
            opened.episode_id,
            opened.version,
            Transition::RecordStaffing(on_file),
            noon("2026-11-18"),
        )
        .await
        .unwrap();
        let (record, _, _) = read(db, opened.episode_id, noon("2026-11-18"))
            .await
            .unwrap();
        let partner = &record.facts.staffing.unwrap().partners[0];
        assert_eq!(
            partner.release,
            Some(Release {
                signed_on: d("2026-06-01"),
                expires_on: None
            })
        );
    }
}

/// Today, the branch page and the R29 view read episodes through the record cache: a record
/// kept there is given only while its version is the stored one, so a change made through this
/// server or through another one on the same database (a second `Db`) is read at once, and so
/// is an exemption added to the participant (not the episode's own, read fresh each time).
#[tokio::test]
async fn many_episodes_read_together_are_never_older_than_the_stored_ones() {
    use reengage_server::services::episodes::{Listed, read_listed, read_many};
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        let opened = record_missed_activity(
            db,
            &coach(),
            participant,
            trigger("2026-11-02"),
            noon("2026-11-02"),
        )
        .await
        .unwrap();
        let id = opened.episode_id;
        let first = read_many(db, &[id], noon("2026-11-03")).await.unwrap();
        assert!(first[0].0.facts.attempts.is_empty());
        assert_eq!(
            db.records.len(),
            1,
            "{backend:?}: kept after the first read"
        );
        let again = read_many(db, &[id], noon("2026-11-03")).await.unwrap();
        assert_eq!(format!("{again:?}"), format!("{first:?}"), "{backend:?}");

        // Another server instance on the same database logs an attempt.
        let other = reengage_server::store::db::open(&test.url).await.unwrap();
        change(
            &other,
            &coach(),
            id,
            1,
            attempt("2026-11-03", ContactMethod::Phone, Some(2)),
            noon("2026-11-03"),
        )
        .await
        .unwrap();
        let after = read_many(db, &[id], noon("2026-11-03")).await.unwrap();
        assert_eq!(after[0].0.version, 2, "{backend:?}");
        assert_eq!(after[0].0.facts.attempts.len(), 1, "{backend:?}");
        // Today passes the versions its list gave: an older one is read again, not kept.
        let stale = Listed {
            id,
            version: 1,
            has_exemptions: false,
        };
        let listed = read_listed(db, &[stale], noon("2026-11-03")).await.unwrap();
        assert_eq!(listed[0].0.version, 2, "{backend:?}");
        assert_eq!(format!("{listed:?}"), format!("{after:?}"), "{backend:?}");
        other.close().await;

        // The branch's worklist (Today, the branch page) says whether a participant has an
        // exemption on file: none yet.
        let work = branch_work(db).await;
        assert!(!work[0].has_exemptions, "{backend:?}");

        // An exemption of the participant (R23) changes no episode's version.
        sqlx::query(
            "INSERT INTO exemptions (participant_id, from_on, to_on, reason) VALUES ($1, '2026-11-01', NULL, 'test')",
        )
        .bind(participant)
        .execute(&db.pool)
        .await
        .unwrap();
        let exempt = read_many(db, &[id], noon("2026-11-03")).await.unwrap();
        assert_eq!(exempt[0].0.facts.exemptions.len(), 1, "{backend:?}");
        let alone = read(db, id, noon("2026-11-03")).await.unwrap();
        assert_eq!(
            format!("{:?}", exempt[0]),
            format!("{alone:?}"),
            "{backend:?}"
        );
        // Now the worklist says so, and the cached record takes the exemption from a fresh
        // read.
        let work = branch_work(db).await;
        assert_eq!(work.len(), 1, "{backend:?}");
        assert!(work[0].has_exemptions, "{backend:?}");
        assert_eq!(work[0].version, 2, "{backend:?}");
        let listed = Listed {
            id,
            version: work[0].version,
            has_exemptions: work[0].has_exemptions,
        };
        let from_list = read_listed(db, &[listed], noon("2026-11-03"))
            .await
            .unwrap();
        assert_eq!(
            format!("{:?}", from_list[0]),
            format!("{alone:?}"),
            "{backend:?}"
        );
    }
}

/// The open work of the test branch (branch 1), as Today and the branch page list it.
async fn branch_work(db: &Db) -> Vec<reengage_server::store::lists::WorkRow> {
    use reengage_server::store::lists::{Scope, open_work};
    let mut conn = db.pool.acquire().await.unwrap();
    let (work, next) = open_work(&mut conn, Scope::Branch(1), None, 10)
        .await
        .unwrap();
    assert!(next.is_none());
    work
}

/// Each server keeps a branch's calendar under its calendar version, which a trigger raises on
/// every change of the branch's closure days: a closure added by plain SQL, or removed by
/// another server instance, is in the very next read of every path (one episode, a list, a
/// change's check).
#[tokio::test]
async fn a_closure_day_is_in_the_next_read_whoever_changes_it() {
    use reengage_server::services::episodes::read_many;
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        let opened = record_missed_activity(
            db,
            &coach(),
            participant,
            trigger("2026-11-02"),
            noon("2026-11-02"),
        )
        .await
        .unwrap();
        let id = opened.episode_id;
        // Monday 2026-11-02's first contact is due the next business day (R2).
        let due = |calendar: &reengage_core::BusinessCalendar| {
            calendar.add_business_days(d("2026-11-02"), 1).unwrap()
        };
        let (_, _, before) = read(db, id, noon("2026-11-02")).await.unwrap();
        assert_eq!(due(&before), d("2026-11-03"), "{backend:?}");

        sqlx::query(
            "INSERT INTO office_closures (branch_id, on_date, name) VALUES (1, '2026-11-03', 'Ice storm')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let (_, _, closed) = read(db, id, noon("2026-11-02")).await.unwrap();
        assert_eq!(due(&closed), d("2026-11-04"), "{backend:?}: read again");
        let listed = read_many(db, &[id], noon("2026-11-02")).await.unwrap();
        assert_eq!(due(&listed[0].2), d("2026-11-04"), "{backend:?}: a list");

        let other = reengage_server::store::db::open(&test.url).await.unwrap();
        sqlx::query("DELETE FROM office_closures WHERE branch_id = 1")
            .execute(&other.pool)
            .await
            .unwrap();
        other.close().await;
        let (_, _, reopened) = read(db, id, noon("2026-11-02")).await.unwrap();
        assert_eq!(due(&reopened), d("2026-11-03"), "{backend:?}: removed");

        // Moved to another day: the day before it counts again, the new one does not.
        sqlx::query(
            "INSERT INTO office_closures (branch_id, on_date, name) VALUES (1, '2026-11-03', 'Ice storm')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            due(&read(db, id, noon("2026-11-02")).await.unwrap().2),
            d("2026-11-04")
        );
        sqlx::query("UPDATE office_closures SET on_date = '2026-11-04' WHERE branch_id = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        let (_, _, moved) = read(db, id, noon("2026-11-02")).await.unwrap();
        assert_eq!(due(&moved), d("2026-11-03"), "{backend:?}: moved");
        assert!(!moved.is_business_day(d("2026-11-04")), "{backend:?}");
    }
}

/// A PDP step without hours and then one with hours, on one connection (as the pool hands the
/// same one out): both stored on both backends. PostgreSQL once refused the second (sqlx's
/// `Any` had prepared the statement for a 4-byte float from the first's NULL), so the RE step
/// of R27 (1 hour attendance) failed now and then after a step without hours.
#[tokio::test]
async fn pdp_steps_with_and_without_hours_on_one_connection() {
    use reengage_server::services::participants::{Addition, PdpStep, add_in};
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        let participant = seed(db).await;
        let mut conn = db.pool.acquire().await.unwrap();
        for (code, hours) in [
            ("SW", None),
            ("RE", Some(1.0)),
            ("WE", None),
            ("RE", Some(2.5)),
        ] {
            add_in(
                &mut conn,
                db.backend,
                &coach(),
                participant,
                Addition::PdpStep(PdpStep {
                    code: code.into(),
                    starts_on: d("2026-11-18"),
                    ends_on: None,
                    scheduled_time: None,
                    attendance_hours: hours,
                }),
                noon("2026-11-18"),
            )
            .await
            .unwrap_or_else(|e| panic!("{backend:?} {code} {hours:?}: {e}"));
        }
        drop(conn);
        let stored: Vec<(String, Option<f64>)> =
            sqlx::query_as("SELECT code, attendance_hours FROM pdp_steps ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            stored,
            vec![
                ("SW".into(), None),
                ("RE".into(), Some(1.0)),
                ("WE".into(), None),
                ("RE".into(), Some(2.5))
            ],
            "{backend:?}"
        );
    }
}

/// A new participant of branch 1 with an episode opened by its miss on `on`; its id.
async fn participant_missing_on(db: &Db, n: usize, on: &str) -> i64 {
    let participant: i64 = sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, coach_id, created_at) \
         VALUES (1, $1, 'Paged', $2, $2, 1, '2026-10-01T00:00:00Z') RETURNING id",
    )
    .bind(format!("PAGE-{n:05}"))
    .bind(format!("Paged {n}"))
    .fetch_one(&db.pool)
    .await
    .unwrap();
    record_missed_activity(db, &coach(), participant, trigger(on), noon("2026-11-20"))
        .await
        .unwrap()
        .episode_id
}

/// Lists page by keyset (`next_due_on`, id): paging through a branch's open work while new
/// episodes keep arriving — due before, among and after the pages already read — lists every
/// episode that was open when the paging began exactly once, and no episode twice.
#[tokio::test]
async fn paging_never_loses_or_repeats_a_row_under_concurrent_inserts() {
    use reengage_server::store::lists::{Scope, open_work};
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let days = [
            "2026-11-12",
            "2026-11-16",
            "2026-11-17",
            "2026-11-18",
            "2026-11-19",
        ];
        let mut before = std::collections::HashSet::new();
        for n in 0..60 {
            before.insert(participant_missing_on(db, n, days[n % days.len()]).await);
        }
        let writer = db.clone();
        let inserting = tokio::spawn(async move {
            for n in 1_000..1_040 {
                participant_missing_on(&writer, n, days[(n * 7) % days.len()]).await;
                tokio::task::yield_now().await;
            }
        });
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let mut conn = db.pool.acquire().await.unwrap();
            let (page, next) = open_work(&mut conn, Scope::Branch(1), after.as_ref(), 7)
                .await
                .unwrap();
            drop(conn);
            seen.extend(page.iter().map(|row| row.id));
            tokio::task::yield_now().await;
            match next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        inserting.await.unwrap();
        let unique: std::collections::HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{backend:?}: an episode listed twice"
        );
        let lost: Vec<&i64> = before.difference(&unique).collect();
        assert!(lost.is_empty(), "{backend:?}: lost {lost:?}");
    }
}

/// The calendar feed holds every coming appointment, however many: read page after page by
/// `(appointment_on, id)`, several on one day included, none twice, none before the first
/// day, and the same rows whatever the page size.
#[tokio::test]
async fn the_calendar_reads_every_coming_appointment_page_after_page() {
    use reengage_server::store::lists::{Scope, appointments, appointments_by};
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let days = ["2026-11-30", "2026-12-01", "2026-12-01", "2026-12-02"];
        let mut coming = Vec::new();
        for n in 0..14 {
            let episode = participant_missing_on(db, 2_000 + n, "2026-11-19").await;
            // Earlier appointments are not coming; the rest fall on a few days, several a day.
            let on = if n < 2 {
                "2026-11-25"
            } else {
                days[n % days.len()]
            };
            sqlx::query("UPDATE episodes SET appointment_on = $1 WHERE id = $2")
                .bind(on)
                .bind(episode)
                .execute(&db.pool)
                .await
                .unwrap();
            if n >= 2 {
                coming.push((on.to_owned(), episode));
            }
        }
        coming.sort();
        let from = d("2026-11-30");
        let listed = |rows: Vec<reengage_server::store::lists::AppointmentRow>| {
            rows.into_iter()
                .map(|row| (row.2, row.0))
                .collect::<Vec<_>>()
        };
        for page in [1, 2, 5, 1_000] {
            let rows = appointments_by(db, Scope::Branch(1), from, page)
                .await
                .unwrap();
            assert_eq!(listed(rows), coming, "{backend:?}: pages of {page}");
        }
        let all = appointments(db, Scope::Coach(1), from).await.unwrap();
        assert_eq!(listed(all), coming, "{backend:?}: the coach's feed");
    }
}

/// R18: Today lists every staffing waiting for a person's confirmation of presence, oldest
/// first, never a cut of them: here more than the 50 the list once stopped at, without saying.
#[tokio::test]
async fn every_staffing_waiting_for_a_persons_confirmation_is_listed_oldest_first() {
    use reengage_server::store::lists::to_confirm;
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let mut expected = Vec::new();
        for n in 0..60 {
            let episode = participant_missing_on(db, 3_000 + n, "2026-11-19").await;
            let held_on = format!("2026-11-{:02}", 30 - (n % 20));
            let staffing: i64 = sqlx::query_scalar(
                "INSERT INTO staffings (episode_id, held_on, participant_attended, strategies, next_steps, created_at) \
                 VALUES ($1, $2, 0, '', '', '2026-11-20T00:00:00Z') RETURNING id",
            )
            .bind(episode)
            .bind(&held_on)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            // Staff member 1 sat on it; on every tenth, they already confirmed.
            let confirmed = (n % 10 == 0).then_some("2026-11-20");
            sqlx::query(
                "INSERT INTO staffing_members (staffing_id, position, initials, role, staff_id, confirmed_on) \
                 VALUES ($1, 0, 'RH', 'FamilyCoach', 1, $2)",
            )
            .bind(staffing)
            .bind(confirmed)
            .execute(&db.pool)
            .await
            .unwrap();
            if confirmed.is_none() {
                expected.push((held_on, episode));
            }
        }
        expected.sort();
        let mut conn = db.pool.acquire().await.unwrap();
        let listed: Vec<(String, i64)> = to_confirm(&mut conn, 1)
            .await
            .unwrap()
            .into_iter()
            .map(|(episode, _, held_on)| (held_on, episode))
            .collect();
        assert_eq!(listed.len(), 54, "{backend:?}: R18 every one waiting");
        assert_eq!(listed, expected, "{backend:?}: R18 oldest staffing first");
    }
}

/// The stage and next due day the lists sort and page by are stored beside the facts; they
/// follow the office's calendar at once (a snow day on the due day moves it, R2) and are
/// derived again by `core` for every open episode once an office day, without a new version
/// (no one's open form is overtaken by a new day) and with one audit entry per branch.
#[tokio::test]
async fn stored_stages_and_due_days_follow_the_calendar_and_each_office_day() {
    use reengage_server::services::branches::{ClosureDay, add_closure};
    use reengage_server::services::derived::refresh_all;
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let id = participant_missing_on(db, 4_000, "2026-11-19").await;
        let stored = || async move {
            sqlx::query_as::<_, (String, String, i64)>(
                "SELECT stage, next_due_on, version FROM episodes WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap()
        };
        let (stage, due, version) = stored().await;
        assert_eq!(
            due, "2026-11-20",
            "R2: first contact the business day after"
        );

        // A snow day on the due day: the stored due day moves with it at once (R2).
        let admin = Actor {
            staff_id: None,
            email: "admin@example.test".into(),
            role: reengage_core::roles::Role::Admin,
        };
        let snow = ClosureDay {
            on: d("2026-11-20"),
            name: "Ice storm".into(),
        };
        add_closure(db, &admin, 1, snow, noon("2026-11-19"))
            .await
            .unwrap();
        assert_eq!(
            stored().await,
            (stage.clone(), "2026-11-23".to_owned(), version),
            "{backend:?}: R2 moved past the closure, the version kept"
        );

        // Columns left behind (a day passed, a release that derived otherwise): the office
        // day's refresh derives them again, and a second refresh finds nothing to move.
        sqlx::query(
            "UPDATE episodes SET stage = 'Missed', next_due_on = '2026-11-01' WHERE id = $1",
        )
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
        let first = refresh_all(db, noon("2026-11-20")).await.unwrap();
        assert_eq!((first.read, first.moved), (1, 1), "{backend:?}");
        assert_eq!(
            stored().await,
            (stage, "2026-11-23".to_owned(), version),
            "{backend:?}"
        );
        let again = refresh_all(db, noon("2026-11-20")).await.unwrap();
        assert_eq!((again.read, again.moved), (1, 0), "{backend:?}");
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'episodes.derived_refreshed'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            audited, 2,
            "{backend:?}: the snow day's and the day's refresh"
        );
    }
}

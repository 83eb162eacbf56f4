//! Running a branch without a developer, on both backends: an office's details and closure
//! days (with the deadlines a closure moves, computed by `core`), staff phones, and the
//! participants — found by case number or name with an index, edited, moved from one coach
//! to another with their open episodes, their contractor referral ended after its last day.
//! Every change audited. And the same from the command line.

use std::process::Command;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use reengage_core::episode::{ReportedBy, Trigger, TriggerKind};
use reengage_server::services::access::{self, Action, Record};
use reengage_server::services::accounts::Staff;
use reengage_server::services::branches::{self, ClosureDay, OfficeChange};
use reengage_server::services::participants::{
    self, CaseloadMove, NewParticipant, ParticipantChange,
};
use reengage_server::services::{Actor, ServiceError, accounts};
use reengage_server::store::db::Db;

use crate::support::{backends, fresh_db};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Noon in Oregon on `date` (20:00 UTC in winter).
fn noon(date: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{date}T20:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

fn admin() -> Actor {
    Actor {
        staff_id: None,
        email: "admin@example.test".into(),
        role: reengage_core::roles::Role::Admin,
    }
}

/// Two branches; at Riverbend (1) coaches 1 and 2, a supervisor 3 and a contractor 4; at
/// Hillside (2) coach 5.
async fn seed(db: &Db) {
    for name in ["Riverbend", "Hillside"] {
        sqlx::query("INSERT INTO branches (name, time_zone) VALUES ($1, 'America/Los_Angeles')")
            .bind(name)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    for (email, name, role, branch) in [
        ("c1@example.test", "Cora One", "family_coach", 1),
        ("c2@example.test", "Cal Two", "family_coach", 1),
        ("om@example.test", "Oma Manager", "operations_manager", 1),
        ("co@example.test", "Contract Co", "contractor", 1),
        ("c5@example.test", "Hill Coach", "family_coach", 2),
    ] {
        sqlx::query(
            "INSERT INTO staff (email, name, initials, role, branch_id, created_at) \
             VALUES ($1, $2, 'XX', $3, $4, '2026-10-01T00:00:00Z')",
        )
        .bind(email)
        .bind(name)
        .bind(role)
        .bind(branch)
        .execute(&db.pool)
        .await
        .unwrap();
    }
}

async fn participant(db: &Db, case: &str, first: &str, last: &str, coach: i64) -> i64 {
    participants::create(
        db,
        &admin(),
        NewParticipant {
            branch_id: 1,
            case_number: case.into(),
            first_name: first.into(),
            last_name: last.into(),
            display_name: None,
            phone: None,
            email: None,
            address: None,
            coach_id: Some(coach),
            contractor_id: None,
            language: None,
        },
        noon("2026-11-30"),
    )
    .await
    .unwrap()
}

async fn miss(db: &Db, participant: i64, on: &str) -> i64 {
    let trigger = Trigger {
        kind: TriggerKind::MissedCoachAppointment,
        what: "orientation".into(),
        on: d(on),
        at: None,
        reported_by: ReportedBy::Department,
        aware_on: None,
    };
    reengage_server::services::episodes::record_missed_activity(
        db,
        &admin(),
        participant,
        trigger,
        noon(on),
    )
    .await
    .unwrap()
    .episode_id
}

async fn audited(db: &Db, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

fn change_of(p: &participants::Participant) -> ParticipantChange {
    ParticipantChange {
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        display_name: Some(p.display_name.clone()),
        phone: p.phone.clone(),
        phone_in_service: Some(p.phone_in_service),
        email: p.email.clone(),
        address: p.address.clone(),
        address_verified: Some(p.address_verified),
        coach_id: p.coach_id,
        contractor_id: p.contractor_id,
        contractor_until: p.contractor_until,
        language: Some(p.language.clone()),
    }
}

#[tokio::test]
async fn a_participant_is_found_by_case_number_or_name_within_the_branch() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let garcia = participant(db, "OR-1001", "María", "García", 1).await;
        participant(db, "OR-1002", "Marco", "Garcia", 1).await;
        participant(db, "OR-1003", "Ana", "Gardner", 2).await;
        // Another branch's participant is never found from Riverbend.
        sqlx::query(
            "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, created_at, name_key) \
             VALUES (2, 'OR-2001', 'Gus', 'Garcia', 'Gus Garcia', '2026-10-01T00:00:00Z', 'garcia gus')",
        )
        .execute(&db.pool)
        .await
        .unwrap();

        let found = participants::search(db, 1, "or-1001").await.unwrap();
        assert_eq!(
            found.found.len(),
            1,
            "{backend:?}: the case number, any case"
        );
        assert_eq!(
            (found.found[0].id, found.found[0].coach.as_deref()),
            (garcia, Some("Cora One"))
        );
        let names = |found: participants::SearchResult| {
            found
                .found
                .into_iter()
                .map(|f| f.case_number)
                .collect::<Vec<_>>()
        };
        // By name key ("last first"), accented names where their letters sort.
        assert_eq!(
            names(participants::search(db, 1, "gar").await.unwrap()),
            ["OR-1002", "OR-1001", "OR-1003"],
            "{backend:?}"
        );
        assert_eq!(
            names(participants::search(db, 1, "garcía").await.unwrap()),
            ["OR-1001"]
        );
        // "Last first" and "first last" both find Marco Garcia; nobody of Hillside.
        assert_eq!(
            names(participants::search(db, 1, "garcia mar").await.unwrap()),
            ["OR-1002"]
        );
        assert_eq!(
            names(participants::search(db, 1, "Marco Garcia").await.unwrap()),
            ["OR-1002"]
        );
        assert!(
            participants::search(db, 1, "OR-2001")
                .await
                .unwrap()
                .found
                .is_empty()
        );
        assert!(
            participants::search(db, 1, "Gus")
                .await
                .unwrap()
                .found
                .is_empty()
        );
        // An empty search says what to type.
        assert!(matches!(
            participants::search(db, 1, "   ").await,
            Err(ServiceError::Invalid(_))
        ));
        // A list never stops without saying so.
        for i in 0..(participants::SEARCH_LIMIT + 2) {
            participant(
                db,
                &format!("OR-3{i:03}"),
                "Zed",
                &format!("Zimmer{i:03}"),
                1,
            )
            .await;
        }
        let many = participants::search(db, 1, "zimmer").await.unwrap();
        assert_eq!(many.found.len(), participants::SEARCH_LIMIT);
        assert!(many.more, "{backend:?}");
    }
}

#[tokio::test]
async fn a_record_is_edited_and_a_caseload_moves_with_its_open_episodes() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let now = noon("2026-12-04");
        let a = participant(db, "OR-1", "Ada", "Able", 1).await;
        let b = participant(db, "OR-2", "Ben", "Baker", 1).await;
        let c = participant(db, "OR-3", "Cy", "Cole", 2).await;
        let episode = miss(db, a, "2026-12-04").await;
        let version_before: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
            .bind(episode)
            .fetch_one(&db.pool)
            .await
            .unwrap();

        // Contact details, language and referral, audited by field name.
        let mut change = change_of(&participants::get(db, a).await.unwrap());
        change.phone = Some(" 503-555-0142 ".into());
        change.language = Some("es".into());
        change.contractor_id = Some(4);
        change.contractor_until = Some(d("2026-12-10"));
        participants::update(db, &admin(), a, change.clone(), now)
            .await
            .unwrap();
        let stored = participants::get(db, a).await.unwrap();
        assert_eq!(stored.phone.as_deref(), Some("503-555-0142"));
        assert_eq!(stored.language, "es");
        assert_eq!(
            (stored.contractor_id, stored.contractor_until),
            (Some(4), Some(d("2026-12-10")))
        );
        assert_eq!(audited(db, "participant.updated").await, 1, "{backend:?}");

        // A coach of another branch, a referral's end already past, a last day with no
        // contractor: refused, nothing written.
        let refused = |mut change: ParticipantChange, edit: fn(&mut ParticipantChange)| {
            edit(&mut change);
            change
        };
        for bad in [
            refused(change.clone(), |c| c.coach_id = Some(5)),
            refused(change.clone(), |c| {
                c.contractor_until = Some(d("2026-12-01"))
            }),
            refused(change.clone(), |c| c.contractor_id = None),
            refused(change.clone(), |c| c.email = Some("no at sign".into())),
            refused(change.clone(), |c| c.last_name = " ".into()),
        ] {
            let answer = participants::update(db, &admin(), a, bad, now).await;
            assert!(
                matches!(answer, Err(ServiceError::Invalid(_))),
                "{backend:?}: {answer:?}"
            );
        }
        assert_eq!(audited(db, "participant.updated").await, 1);

        // A new coach: the open episode follows, its version raised.
        let mut to_two = change.clone();
        to_two.coach_id = Some(2);
        participants::update(db, &admin(), a, to_two, now)
            .await
            .unwrap();
        let (coach, version): (Option<i64>, i64) =
            sqlx::query_as("SELECT coach_id, version FROM episodes WHERE id = $1")
                .bind(episode)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(coach, Some(2), "{backend:?}");
        assert!(version > version_before);

        // Coach 2 now has a and c: one of them moves back to coach 1, then the whole caseload.
        let one = participants::move_caseload(
            db,
            &admin(),
            1,
            &CaseloadMove {
                from_coach_id: 2,
                to_coach_id: 1,
                participant_id: Some(c),
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!((one.participants, one.open_episodes), (1, 0));
        let all = participants::move_caseload(
            db,
            &admin(),
            1,
            &CaseloadMove {
                from_coach_id: 1,
                to_coach_id: 2,
                participant_id: None,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!((all.participants, all.open_episodes), (2, 0), "b and c");
        let all_back = participants::move_caseload(
            db,
            &admin(),
            1,
            &CaseloadMove {
                from_coach_id: 2,
                to_coach_id: 1,
                participant_id: None,
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!((all_back.participants, all_back.open_episodes), (3, 1));
        let coach: Option<i64> = sqlx::query_scalar("SELECT coach_id FROM episodes WHERE id = $1")
            .bind(episode)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(coach, Some(1), "{backend:?}: the open episode followed");
        assert_eq!(audited(db, "participant.coach_moved").await, 6);
        for p in [a, b, c] {
            assert_eq!(participants::get(db, p).await.unwrap().coach_id, Some(1));
        }
        // To another branch's coach, or to the same coach: refused.
        for (from, to) in [(1, 5), (1, 1)] {
            let answer = participants::move_caseload(
                db,
                &admin(),
                1,
                &CaseloadMove {
                    from_coach_id: from,
                    to_coach_id: to,
                    participant_id: None,
                },
                now,
            )
            .await;
            assert!(
                matches!(answer, Err(ServiceError::Invalid(_))),
                "{answer:?}"
            );
        }

        // The referral ends the day after its last day: then the contractor no longer
        // reaches the participant.
        let contractor = Staff {
            id: 4,
            email: "co@example.test".into(),
            initials: "XX".into(),
            role: reengage_core::roles::Role::Contractor,
            branch_id: Some(1),
        };
        let reach = || {
            access::authorize(
                db,
                &contractor,
                Action::ReadParticipant,
                Record::Participant(a),
                now,
            )
        };
        assert!(reach().await.is_ok(), "{backend:?}");
        assert_eq!(
            participants::end_referrals(db, d("2026-12-10"), now)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            participants::end_referrals(db, d("2026-12-11"), now)
                .await
                .unwrap(),
            1
        );
        assert!(matches!(reach().await, Err(ServiceError::NotFound(_))));
        let ended = participants::get(db, a).await.unwrap();
        assert_eq!((ended.contractor_id, ended.contractor_until), (None, None));
        assert_eq!(audited(db, "participant.referral_ended").await, 1);
    }
}

#[tokio::test]
async fn an_office_is_set_up_and_a_snow_day_says_which_deadlines_it_moves() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let now = noon("2026-12-04");
        let office = branches::set_office(
            db,
            &admin(),
            1,
            OfficeChange {
                name: " Riverbend ".into(),
                address: Some("100 Main St, Salem OR 97301".into()),
                phone: Some("503-555-0100".into()),
                time_zone: "America/Los_Angeles".into(),
                mail_pickup: NaiveTime::from_hms_opt(15, 0, 0),
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(office, branches::office_of(db, 1).await.unwrap());
        assert_eq!(
            office.address.as_deref(),
            Some("100 Main St, Salem OR 97301")
        );
        assert_eq!(office.mail_pickup, NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!(audited(db, "branch.details_set").await, 1, "{backend:?}");
        for bad in [
            OfficeChange {
                name: "Riverbend".into(),
                time_zone: "Mars/Olympus".into(),
                ..OfficeChange::default()
            },
            OfficeChange {
                name: "".into(),
                time_zone: "America/Los_Angeles".into(),
                ..OfficeChange::default()
            },
        ] {
            let answer = branches::set_office(db, &admin(), 1, bad, now).await;
            assert!(
                matches!(answer, Err(ServiceError::Invalid(_))),
                "{answer:?}"
            );
        }
        let taken = OfficeChange {
            name: "Hillside".into(),
            time_zone: "America/Los_Angeles".into(),
            ..OfficeChange::default()
        };
        assert!(matches!(
            branches::set_office(db, &admin(), 1, taken, now).await,
            Err(ServiceError::Duplicate(_))
        ));

        // A miss on Friday, December 4, 2026: first contact due Monday the 7th (R2). A snow
        // day that Monday moves it; a Saturday closure moves nothing.
        let p = participant(db, "OR-9", "Ida", "Ice", 1).await;
        let episode = miss(db, p, "2026-12-04").await;
        let saturday = branches::add_closure_with_effect(
            db,
            &admin(),
            1,
            ClosureDay {
                on: d("2026-12-05"),
                name: "Saturday closure".into(),
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!((saturday.deadlines_moved, saturday.episodes), (0, 0));
        let snow = branches::add_closure_with_effect(
            db,
            &admin(),
            1,
            ClosureDay {
                on: d("2026-12-07"),
                name: "Snow day".into(),
            },
            now,
        )
        .await
        .unwrap();
        assert_eq!(snow.episodes, 1, "{backend:?}");
        assert!(snow.deadlines_moved >= 1);
        let (record, today, calendar) = reengage_server::services::episodes::read(db, episode, now)
            .await
            .unwrap();
        let first = reengage_core::episode::deadlines(&record.facts, today, &calendar)
            .into_iter()
            .find(|d| d.kind == reengage_core::episode::DeadlineKind::FirstContact)
            .unwrap();
        assert_eq!(
            first.due,
            d("2026-12-08"),
            "{backend:?}: moved by the snow day"
        );
        // Hillside's calendar is its own: nothing of Riverbend's moves with it.
        assert_eq!(branches::closures(db, 2).await.unwrap(), vec![]);
        // Removed by mistake: the same deadlines move back.
        let back = branches::remove_closure_with_effect(db, &admin(), 1, d("2026-12-07"), now)
            .await
            .unwrap();
        assert_eq!(back.deadlines_moved, snow.deadlines_moved);
        assert!(matches!(
            branches::remove_closure_with_effect(db, &admin(), 1, d("2026-12-07"), now).await,
            Err(ServiceError::NotFound(_))
        ));
        assert_eq!(audited(db, "closure.added").await, 2);
        assert_eq!(audited(db, "closure.removed").await, 1);

        // A coach's work phone, printed on the notices they send.
        accounts::set_phone(db, &admin(), 1, Some(" 503-555-0101 x12 "), now)
            .await
            .unwrap();
        let listed = accounts::list_staff(db).await.unwrap();
        let cora = listed.iter().find(|s| s.id == 1).unwrap();
        assert_eq!(cora.phone.as_deref(), Some("503-555-0101 x12"));
        assert!(
            accounts::set_phone(db, &admin(), 1, Some("call me"), now)
                .await
                .is_err()
        );
        accounts::set_phone(db, &admin(), 1, None, now)
            .await
            .unwrap();
        assert_eq!(audited(db, "staff.phone_set").await, 2);
    }
}

fn cli(url: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reengage"))
        .arg("admin")
        .args(args)
        .envs(crate::support::audit_env(url))
        .env("REENGAGE_LOG", "off")
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn a_branch_is_run_from_the_command_line() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        seed(db).await;
        let p = participant(db, "OR-77", "Una", "Upton", 1).await;
        miss(db, p, "2026-12-04").await;
        let url = &test.url;

        let (ok, said) = cli(
            url,
            &[
                "branch",
                "set",
                "Riverbend",
                "--address",
                "1 River Rd",
                "--phone",
                "503-555-0199",
            ],
        );
        assert!(ok, "{backend:?}: {said}");
        assert!(said.contains("1 River Rd"), "{said}");
        let (ok, said) = cli(url, &["branch", "list"]);
        assert!(ok && said.contains("503-555-0199"), "{said}");
        // A new office, audited; a second one of that name is refused and says why.
        let (ok, said) = cli(
            url,
            &[
                "branch",
                "create",
                "Lakeside",
                "--address",
                "2 Lake Rd",
                "--time-zone",
                "America/Boise",
            ],
        );
        assert!(
            ok && said.contains("Lakeside") && said.contains("America/Boise"),
            "{said}"
        );
        let (ok, said) = cli(url, &["branch", "create", "Lakeside"]);
        assert!(!ok && said.contains("already named"), "{said}");
        let (ok, said) = cli(url, &["branch", "list"]);
        assert!(ok && said.contains("2 Lake Rd"), "{said}");
        let created: i64 =
            sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'branch.created'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(created, 1, "{backend:?}");
        let (ok, said) = cli(
            url,
            &["branch", "close", "Riverbend", "2026-12-07", "Snow day"],
        );
        assert!(
            ok && said.contains("moves") && said.contains("open deadline"),
            "{said}"
        );
        let (ok, said) = cli(url, &["branch", "close", "Riverbend", "7 December", "Snow"]);
        assert!(!ok && said.contains("YYYY-MM-DD"), "{said}");
        let (ok, said) = cli(url, &["branch", "reopen", "Riverbend", "2026-12-07"]);
        assert!(ok, "{said}");
        let (ok, said) = cli(
            url,
            &["user", "set-phone", "c1@example.test", "503-555-0123"],
        );
        assert!(ok, "{said}");
        let (ok, said) = cli(url, &["participant", "search", "Riverbend", "upton"]);
        assert!(
            ok && said.contains("OR-77") && said.contains("Cora One"),
            "{said}"
        );
        let (ok, said) = cli(
            url,
            &[
                "participant",
                "move",
                "--from",
                "c1@example.test",
                "--to",
                "c2@example.test",
            ],
        );
        assert!(
            ok && said.contains("moved 1 participant(s) and 1 open episode(s)"),
            "{said}"
        );
        let (ok, said) = cli(
            url,
            &[
                "participant",
                "move",
                "--from",
                "c2@example.test",
                "--to",
                "c5@example.test",
            ],
        );
        assert!(!ok && said.contains("branch"), "{backend:?}: {said}");
        assert_eq!(participants::get(db, p).await.unwrap().coach_id, Some(2));
    }
}

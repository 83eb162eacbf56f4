//! `reengage demo`: staff of every role and episodes in every stage, built through the
//! services, on any day of the year — including holidays — and on both backends.

use std::collections::BTreeSet;

use crate::support::{backends, fresh_db};
use chrono::{DateTime, Utc};
use reengage_server::services::accounts;
use reengage_server::services::episodes::read;
use reengage_server::store::db::Backend;
use reengage_server::{cli::demo, store::audit};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn the_demo_has_every_stage_on_any_day() {
    let days = [
        "2026-11-24T18:00:00Z",
        "2026-11-27T18:00:00Z",
        "2027-01-01T18:00:00Z",
        "2027-07-05T03:00:00Z",
    ];
    for backend in backends().await {
        for day in days.iter().take(if backend == Backend::Postgres {
            1
        } else {
            days.len()
        }) {
            let now = at(day);
            let test = fresh_db(backend).await;
            let printed = demo::load(&test.db, now)
                .await
                .unwrap_or_else(|e| panic!("{backend:?} {day}: {e}"));
            assert!(printed.contains("coach@demo.test"));
            assert!(printed.contains("API token for coach@demo.test: re_"));

            let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM episodes ORDER BY id")
                .fetch_all(&test.db.pool)
                .await
                .unwrap();
            assert_eq!(ids.len(), 40);
            // A contractor signing into the demo has referrals to work (every fourth).
            let referred: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM participants p JOIN staff s ON s.id = p.contractor_id \
                 WHERE s.email = 'contractor@demo.test'",
            )
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
            assert_eq!(referred, 10);
            let mut stages = BTreeSet::new();
            for id in ids {
                let (record, today, calendar) = read(&test.db, id, now).await.unwrap();
                stages.insert(reengage_core::episode::stage(
                    &record.facts,
                    today,
                    &calendar,
                ));
            }
            assert_eq!(stages.len(), 8, "{backend:?} {day}: {stages:?}");
            let roles: i64 = sqlx::query_scalar("SELECT count(DISTINCT role) FROM staff")
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
            assert_eq!(roles, 7);
            assert!(audit::verify(&test.db).await.unwrap() > 100);

            // Only into an empty database.
            assert!(demo::load(&test.db, now).await.is_err());
            assert!(
                reengage_server::store::demo::is_demo(&test.db)
                    .await
                    .unwrap()
            );
            // The admin's password is its own, printed once; the shared one does not open it.
            let shown = printed
                .lines()
                .find_map(|line| {
                    line.strip_prefix(
                        "The admin admin@demo.test has its own password, shown only now: ",
                    )
                })
                .unwrap_or_else(|| panic!("{printed}"));
            let hash: String = sqlx::query_scalar(
                "SELECT password_hash FROM staff WHERE email = 'admin@demo.test'",
            )
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
            assert!(accounts::verify_password(shown.to_owned(), hash.clone()).await);
            assert!(!accounts::verify_password(demo::DEMO_PASSWORD.to_owned(), hash).await);
        }
    }
}

/// The demo never goes into a database that holds real staff, even with no participants yet.
#[tokio::test]
async fn the_demo_refuses_a_database_with_staff_accounts() {
    let test = fresh_db(Backend::Sqlite).await;
    let setup = reengage_server::services::Actor {
        staff_id: None,
        email: "setup".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let staff = accounts::NewStaff {
        email: "real.admin@example.test".into(),
        name: "Real Admin".into(),
        initials: "RA".into(),
        role: reengage_core::roles::Role::Admin,
        branch: None,
        password: "a real admin's long password".into(),
        phone: None,
    };
    accounts::create_staff(&test.db, &setup, staff, Utc::now())
        .await
        .unwrap();
    let refused = demo::load(&test.db, Utc::now())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("only into a new, empty database"),
        "{refused}"
    );
    let demo_staff: i64 =
        sqlx::query_scalar("SELECT count(*) FROM staff WHERE email LIKE '%@demo.test'")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
    assert_eq!(demo_staff, 0);
    assert!(
        !reengage_server::store::demo::is_demo(&test.db)
            .await
            .unwrap()
    );
}

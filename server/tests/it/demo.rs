//! `reengage demo`: staff of every role and episodes in every stage, built through the
//! services, on any day of the year — including holidays — and on both backends.

use std::collections::BTreeSet;

use crate::support::{backends, fresh_db};
use chrono::{DateTime, Utc};
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
        }
    }
}

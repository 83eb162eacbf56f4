//! The audit trail on both backends: append-only in the database itself, hash-chained, and
//! `reengage audit verify` finds the first broken link.

use std::process::Command;

use crate::support::{backends, fresh_db};
use reengage_server::store::audit::{self, Broken, Entry, GENESIS};
use reengage_server::store::db::{self, Backend, Db};

fn entry(n: u32) -> Entry {
    let at = chrono::DateTime::from_timestamp(1_795_000_000 + i64::from(n), 0).unwrap();
    Entry::at(
        at,
        "rh@example.test",
        "family_coach",
        "attempt.logged",
        "episode",
        &n.to_string(),
    )
    .with_values(None, Some(format!(r#"{{"attempt":{n}}}"#)))
}

async fn append_committed(db: &Db, entry: &Entry) -> i64 {
    let mut tx = db::begin_write(db).await.unwrap();
    let id = audit::append(&mut tx, db.backend, entry).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn verify_command(url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reengage"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", url)
        .env("REENGAGE_LOG", "off")
        .output()
        .unwrap()
}

#[tokio::test]
async fn entries_chain_and_verify() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        assert_eq!(
            audit::verify(&test.db).await,
            Ok(0),
            "{backend:?}: empty log"
        );
        for n in 1..=3 {
            append_committed(&test.db, &entry(n)).await;
        }
        assert_eq!(audit::verify(&test.db).await, Ok(3), "{backend:?}");
        let first: String =
            sqlx::query_scalar("SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1")
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(first, GENESIS);
        let output = verify_command(&test.url);
        assert!(output.status.success(), "{backend:?}: {output:?}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            "audit log verified: 3 entries, chain intact\n"
        );
    }
}

#[tokio::test]
async fn the_database_refuses_update_and_delete() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        append_committed(&test.db, &entry(1)).await;
        let update = sqlx::query("UPDATE audit_log SET actor = $1")
            .bind("someone else")
            .execute(&test.db.pool)
            .await;
        assert!(
            update
                .unwrap_err()
                .to_string()
                .contains("the audit log is append-only"),
            "{backend:?}"
        );
        let delete = sqlx::query("DELETE FROM audit_log")
            .execute(&test.db.pool)
            .await;
        assert!(
            delete.unwrap_err().to_string().contains("append-only"),
            "{backend:?}"
        );
        if backend == Backend::Postgres {
            let truncate = sqlx::query("TRUNCATE audit_log")
                .execute(&test.db.pool)
                .await;
            assert!(truncate.unwrap_err().to_string().contains("append-only"));
        }
        assert_eq!(audit::verify(&test.db).await, Ok(1));
    }
}

#[tokio::test]
async fn an_entry_commits_with_its_change_or_not_at_all() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let mut tx = db::begin_write(&test.db).await.unwrap();
        sqlx::query("INSERT INTO branches (name) VALUES ($1)")
            .bind("Northside")
            .execute(&mut *tx)
            .await
            .unwrap();
        audit::append(&mut tx, backend, &entry(1)).await.unwrap();
        tx.rollback().await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(rows, 0, "{backend:?}");
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let tasks: Vec<_> = (0..8)
            .map(|worker| {
                let db = test.db.clone();
                tokio::spawn(async move {
                    for n in 0..10 {
                        append_committed(&db, &entry(worker * 100 + n)).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(audit::verify(&test.db).await, Ok(80), "{backend:?}");
    }
}

/// Someone with database access turns the guard off and edits a row by hand.
async fn tamper(db: &Db, sql: &str) {
    let (off, on) = match db.backend {
        Backend::Sqlite => (
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
            None,
        ),
        Backend::Postgres => (
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
            Some("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete"),
        ),
    };
    sqlx::raw_sql(off).execute(&db.pool).await.unwrap();
    sqlx::query(sql).execute(&db.pool).await.unwrap();
    if let Some(on) = on {
        sqlx::raw_sql(on).execute(&db.pool).await.unwrap();
    }
}

#[tokio::test]
async fn verify_reports_the_first_altered_or_missing_entry() {
    for backend in backends().await {
        let altered = fresh_db(backend).await;
        for n in 1..=4 {
            append_committed(&altered.db, &entry(n)).await;
        }
        tamper(
            &altered.db,
            r#"UPDATE audit_log SET after = '{"attempt":99}' WHERE id = 2"#,
        )
        .await;
        assert_eq!(
            audit::verify(&altered.db).await,
            Err(Broken::Altered { id: 2 }),
            "{backend:?}"
        );
        let output = verify_command(&altered.url);
        assert_eq!(output.status.code(), Some(1), "{backend:?}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(
            stderr,
            "reengage: audit entry 2 was altered: its hash does not match its contents\n"
        );

        let removed = fresh_db(backend).await;
        for n in 1..=4 {
            append_committed(&removed.db, &entry(n)).await;
        }
        tamper(&removed.db, "DELETE FROM audit_log WHERE id = 2").await;
        assert_eq!(
            audit::verify(&removed.db).await,
            Err(Broken::Unlinked { id: 3 }),
            "{backend:?}"
        );
    }
}

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
        .envs(crate::support::audit_env(url))
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
        let said = String::from_utf8(output.stdout).unwrap();
        assert!(
            said.starts_with(
                "audit log verified: 3 entries, chain intact, append-only triggers in place"
            ),
            "{said}"
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

/// Someone with database access turns the guard off, edits by hand, and puts the guard back.
async fn tamper(db: &Db, sql: &str) {
    let (off, on): (&[&str], &[&str]) = match db.backend {
        Backend::Sqlite => (
            &[
                "DROP TRIGGER audit_log_no_update",
                "DROP TRIGGER audit_log_no_delete",
            ],
            &[
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            ],
        ),
        Backend::Postgres => (
            &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete"],
            &["ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete"],
        ),
    };
    for statement in off {
        sqlx::query(statement).execute(&db.pool).await.unwrap();
    }
    sqlx::query(sql).execute(&db.pool).await.unwrap();
    for statement in on {
        sqlx::query(statement).execute(&db.pool).await.unwrap();
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

/// Under the key, with the server's signed head: cutting off the newest entries, rewriting the
/// chain (even with every hash recomputed), appending an entry without the key, and dropping
/// or disabling a trigger are each reported — by `verify` and by `reengage audit verify`.
#[tokio::test]
async fn a_keyed_chain_reports_a_cut_tail_a_rewritten_chain_and_a_missing_trigger() {
    use reengage_server::services::audit as anchors;
    audit::use_key(audit::AuditKey::new(crate::support::TEST_AUDIT_KEY).unwrap()).unwrap();
    for backend in backends().await {
        let keyed = |test: &crate::support::TestDb| {
            let anchor = crate::support::audit_env(&test.url)
                .into_iter()
                .find(|(name, _)| name == "REENGAGE_AUDIT_ANCHOR")
                .map(|(_, path)| std::path::PathBuf::from(path))
                .unwrap();
            let _ = std::fs::remove_file(&anchor);
            anchor
        };
        let seeded = |n: u32| async move {
            let test = fresh_db(backend).await;
            for i in 1..=n {
                append_committed(&test.db, &entry(i)).await;
            }
            test
        };

        // Intact: the chain is keyed and the head signed; both verify.
        let test = seeded(4).await;
        let anchor = keyed(&test);
        let hash: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = 4")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert!(hash.starts_with("k1:"), "{backend:?}: {hash}");
        let head = anchors::write_anchor(&test.db, &anchor)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(head.id, 4);
        assert_eq!(
            anchors::verify(&test.db, &anchor).await.map(|(n, _)| n),
            Ok(4)
        );
        let output = verify_command(&test.url);
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            said.contains("signed head (entry 4)"),
            "{backend:?}: {output:?}"
        );

        // The newest entry cut off.
        tamper(&test.db, "DELETE FROM audit_log WHERE id = 4").await;
        assert_eq!(
            anchors::verify(&test.db, &anchor).await.map(|(n, _)| n),
            Err(Broken::Truncated { head: 4, last: 3 }),
            "{backend:?}"
        );
        let output = verify_command(&test.url);
        assert_eq!(output.status.code(), Some(1), "{backend:?}: {output:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("the newest entries were removed"),
            "{output:?}"
        );

        // The whole chain rewritten without the key: entry 2 changed, every hash recomputed.
        let test = seeded(3).await;
        let anchor = keyed(&test);
        anchors::write_anchor(&test.db, &anchor).await.unwrap();
        let mut prev = GENESIS.to_owned();
        for n in 1..=3_u32 {
            let mut forged = entry(n);
            if n == 2 {
                forged.after = Some(r#"{"attempt":99}"#.into());
            }
            let hash = forged.hash(&prev);
            let after = forged.after.clone().unwrap();
            tamper(
                &test.db,
                &format!(
                    "UPDATE audit_log SET after = '{after}', prev_hash = '{prev}', hash = '{hash}' WHERE id = {n}"
                ),
            )
            .await;
            prev = hash;
        }
        assert_eq!(
            anchors::verify(&test.db, &anchor).await.map(|(n, _)| n),
            Err(Broken::Rewritten { id: 3 }),
            "{backend:?}"
        );
        // Without the anchor the forged chain would pass as a chain of plain hashes: the
        // signed head is what catches it.
        assert_eq!(audit::verify(&test.db).await, Ok(3), "{backend:?}");

        // An entry appended by someone without the key, after keyed ones.
        let test = seeded(2).await;
        let last: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = 2")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let forged = entry(3);
        let hash = forged.hash(&last);
        sqlx::query(
            "INSERT INTO audit_log (at, actor, role, action, entity, entity_id, before, after, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9)",
        )
        .bind(&forged.at)
        .bind(&forged.actor)
        .bind(&forged.role)
        .bind(&forged.action)
        .bind(&forged.entity)
        .bind(&forged.entity_id)
        .bind(forged.after.as_deref())
        .bind(&last)
        .bind(&hash)
        .execute(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(
            audit::verify(&test.db).await,
            Err(Broken::Unkeyed { id: 3 }),
            "{backend:?}"
        );

        // A trigger dropped (SQLite) or disabled (PostgreSQL): the log is no longer guarded.
        let test = seeded(1).await;
        let off = match backend {
            Backend::Sqlite => "DROP TRIGGER audit_log_no_delete",
            Backend::Postgres => {
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete"
            }
        };
        sqlx::raw_sql(off).execute(&test.db.pool).await.unwrap();
        assert_eq!(
            audit::verify(&test.db).await,
            Err(Broken::Unguarded {
                found: 1,
                expected: 2
            }),
            "{backend:?}"
        );
        let output = verify_command(&test.url);
        assert_eq!(output.status.code(), Some(1), "{backend:?}: {output:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("append-only triggers are missing"),
            "{output:?}"
        );
    }
}

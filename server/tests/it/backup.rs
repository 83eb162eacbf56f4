//! `reengage backup FILE`: a consistent, checked copy of a live SQLite database.

use std::process::{Command, Output};

use crate::support::{backends, fresh_db};
use reengage_server::store::audit::{self, Entry};
use reengage_server::store::db::{self, Backend};

fn backup(url: &str, file: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reengage"))
        .arg("backup")
        .arg(file)
        .envs(crate::support::audit_env(url))
        .env("REENGAGE_LOG", "off")
        .output()
        .unwrap()
}

#[tokio::test]
async fn a_backup_of_a_live_database_is_whole_and_verifies() {
    let test = fresh_db(Backend::Sqlite).await;
    let writer = test.db.clone();
    // Writes keep coming while the copy is taken.
    let writing = tokio::spawn(async move { append_entries(&writer, 0, 200).await });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    let output = tokio::task::spawn_blocking({
        let (url, file) = (test.url.clone(), file.clone());
        move || backup(&url, &file)
    })
    .await
    .unwrap();
    writing.await.unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("integrity ok")
    );

    let copy = db::open(&format!("sqlite:{}", file.display()))
        .await
        .unwrap();
    let copied = audit::verify(&copy)
        .await
        .expect("the copy's audit chain is whole");
    assert!(copied <= 200);

    let again = backup(&test.url, &file);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8(again.stderr)
            .unwrap()
            .contains("already exists")
    );
}

#[tokio::test]
async fn postgres_is_backed_up_with_its_own_tools() {
    for backend in backends().await {
        if backend != Backend::Postgres {
            continue;
        }
        let test = fresh_db(backend).await;
        let dir = tempfile::tempdir().unwrap();
        let output = backup(&test.url, &dir.path().join("copy.db"));
        assert_eq!(output.status.code(), Some(2));
        assert!(
            String::from_utf8(output.stderr)
                .unwrap()
                .contains("pg_dump")
        );
    }
}

fn reengage(url: &str, args: &[&str], extra: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reengage"))
        .args(args)
        .envs(crate::support::audit_env(url))
        .envs(extra.iter().copied())
        .env("REENGAGE_LOG", "off")
        .output()
        .unwrap()
}

/// Appends audit entries `from..to`, one transaction each (as the server's writes come).
async fn append_entries(db: &db::Db, from: i64, to: i64) {
    for n in from..to {
        let mut tx = db::begin_write(db).await.unwrap();
        let entry = Entry::now(
            "rh@example.test",
            "family_coach",
            "attempt.logged",
            "episode",
            &n.to_string(),
        );
        audit::append(&mut tx, db.backend, &entry).await.unwrap();
        tx.commit().await.unwrap();
    }
}

async fn entries(url: &str) -> i64 {
    let db = db::open(url).await.unwrap();
    let n = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    db.close().await;
    n
}

/// The round trip: a backup, later writes, the server stopped, `reengage restore`: the
/// database is the backup's again, its audit log verifies against a newly signed head, and
/// the database it replaced (later writes and all) is kept beside it.
#[tokio::test]
async fn a_backup_is_restored_after_its_checks_and_the_replaced_database_is_kept() {
    let test = fresh_db(Backend::Sqlite).await;
    append_entries(&test.db, 0, 30).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("monday.db");
    assert!(backup(&test.url, &file).status.success());
    let at_backup = entries(&test.url).await;
    append_entries(&test.db, 30, 45).await;
    // The server signs its head each minute: the anchor names the later entries, which a
    // restore takes away.
    let anchor = crate::support::audit_env(&test.url)[2].1.clone();
    audit::use_key(audit::AuditKey::new(crate::support::TEST_AUDIT_KEY).unwrap()).unwrap();
    reengage_server::services::audit::write_anchor(&test.db, std::path::Path::new(&anchor))
        .await
        .unwrap();
    test.db.close().await;

    let restored = reengage(&test.url, &["restore", file.to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&restored.stdout).into_owned();
    assert!(restored.status.success(), "{restored:?}");
    assert!(said.contains("integrity ok"), "{said}");
    assert!(said.contains("audit entries verified"), "{said}");
    assert_eq!(entries(&test.url).await, at_backup);
    let verified = reengage(&test.url, &["audit", "verify"], &[]);
    assert!(verified.status.success(), "{verified:?}");

    // The replaced database, its later entries with it, is beside the restored one.
    let path = reengage_server::store::db::sqlite_path(&test.url).to_owned();
    let folder = std::path::Path::new(&path).parent().unwrap();
    let kept: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.to_string_lossy();
            name.contains(".before-restore-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        entries(&format!("sqlite:{}", kept[0].display())).await,
        at_backup + 15
    );
    assert!(!std::path::Path::new(&format!("{path}.restoring")).exists());
}

/// A backup that fails a check changes nothing: a damaged file, a database of another
/// program, a backup whose audit log another key signed, and PostgreSQL.
#[tokio::test]
async fn a_backup_that_fails_its_checks_is_not_restored() {
    let test = fresh_db(Backend::Sqlite).await;
    append_entries(&test.db, 0, 10).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.db");
    assert!(backup(&test.url, &good).status.success());
    append_entries(&test.db, 10, 12).await;
    test.db.close().await;
    let before = entries(&test.url).await;

    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    bytes.truncate(bytes.len() / 2);
    bytes[100..200].fill(0xA5);
    std::fs::write(&damaged, bytes).unwrap();
    let other = dir.path().join("other.db");
    {
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!(
            "sqlite:{}?mode=rwc",
            other.display()
        ))
        .await
        .unwrap();
        sqlx::query("CREATE TABLE notes (body TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    type Case<'a> = (&'a std::path::Path, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 4] = [
        (&damaged, &[], "nothing was restored"),
        (&other, &[], "not a Re-engage database"),
        (&dir.path().join("absent.db"), &[], "is not a file"),
        (
            &good,
            &[(
                "REENGAGE_AUDIT_KEY",
                "another deployment's key, 0123456789abcdef",
            )],
            "does not verify",
        ),
    ];
    for (file, env, says) in cases {
        let output = reengage(&test.url, &["restore", file.to_str().unwrap()], env);
        assert_eq!(output.status.code(), Some(2), "{file:?}: {output:?}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(error.contains(says), "{file:?}: {error}");
        assert_eq!(
            entries(&test.url).await,
            before,
            "{file:?} changed the database"
        );
    }

    for backend in backends().await {
        if backend == Backend::Postgres {
            let pg = fresh_db(backend).await;
            let output = reengage(&pg.url, &["restore", good.to_str().unwrap()], &[]);
            assert_eq!(output.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&output.stderr).contains("pg_restore"));
        }
    }
}

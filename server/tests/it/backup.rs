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
    let writing = tokio::spawn(async move {
        for n in 0..200_i64 {
            let mut tx = db::begin_write(&writer).await.unwrap();
            let entry = Entry::now(
                "rh@example.test",
                "family_coach",
                "attempt.logged",
                "episode",
                &n.to_string(),
            );
            audit::append(&mut tx, writer.backend, &entry)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    });
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

//! Upgrading (docs/operating.md): a database the previous release made, with its data, is
//! opened by this release — the new migrations apply forward, nothing on file is lost or
//! changed, and the audit chain still verifies. On both backends.
//!
//! The previous release's schema is its migrations: every migration up to
//! [`PREVIOUS_RELEASE`], applied by sqlx from a copy of those files alone.

use reengage_server::store::audit::{self, Entry};
use reengage_server::store::db::{self, Backend};
use sqlx::{AnyConnection, Connection};

use crate::support::{backends, fresh_url};

/// The newest migration of the previous release (raise it at each release).
const PREVIOUS_RELEASE: i64 = 18;

/// The migrations of the previous release of `backend`, copied to a folder of their own.
fn previous_migrations(backend: Backend) -> tempfile::TempDir {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(name);
    let copy = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let version: i64 = file.split('_').next().unwrap().parse().unwrap();
        if version <= PREVIOUS_RELEASE {
            std::fs::copy(&path, copy.path().join(&file)).unwrap();
            copied += 1;
        }
    }
    assert_eq!(copied, PREVIOUS_RELEASE, "{name}: one file per migration");
    copy
}

#[tokio::test]
async fn a_database_of_the_previous_release_upgrades_with_its_data() {
    audit::use_key(audit::AuditKey::new(crate::support::TEST_AUDIT_KEY).unwrap()).unwrap();
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let (url, postgres_name) = fresh_url(backend, &dir).await;
        let connect_url = match backend {
            Backend::Sqlite => {
                let path = db::sqlite_path(&url).to_owned();
                std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
                format!("{url}?mode=rwc")
            }
            Backend::Postgres => url.clone(),
        };

        // The previous release: its schema, and what it wrote.
        {
            let folder = previous_migrations(backend);
            let migrator = sqlx::migrate::Migrator::new(folder.path()).await.unwrap();
            let mut conn = AnyConnection::connect(&connect_url).await.unwrap();
            migrator.run(&mut conn).await.unwrap();
            for statement in [
                "INSERT INTO branches (name, address, phone, mail_pickup) \
                 VALUES ('Riverbend', '500 Summer Street NE', '503-555-0100', '15:00')",
                "INSERT INTO staff (email, name, initials, role, branch_id, active, created_at) \
                 VALUES ('rh@example.test', 'Robin Hale', 'RH', 'FamilyCoach', 1, 1, '2026-11-02T16:00:00Z')",
                "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, \
                 phone, email, address, coach_id, created_at) VALUES (1, 'UPG-0001', 'Marisol', 'Núñez', \
                 'Marisol Núñez', '555-0101', NULL, '12 Oak Street', 1, '2026-11-02T16:00:00Z')",
            ] {
                sqlx::query(statement).execute(&mut conn).await.unwrap();
            }
            let mut tx = conn.begin().await.unwrap();
            for n in 0..5 {
                let entry = Entry::now(
                    "rh@example.test",
                    "family_coach",
                    "participant.created",
                    "participant",
                    &n.to_string(),
                );
                audit::append(&mut tx, backend, &entry).await.unwrap();
            }
            tx.commit().await.unwrap();
            conn.close().await.unwrap();
        }

        // This release opens it: forward to its newest migration, the data as it was.
        let upgraded = db::open(&url).await.unwrap();
        let newest: i64 =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&upgraded.pool)
                .await
                .unwrap();
        assert!(
            newest > PREVIOUS_RELEASE,
            "{backend:?}: no new migration applied"
        );
        if backend == Backend::Sqlite {
            assert_eq!(newest, db::latest_sqlite_migration());
        }
        let person = reengage_server::services::participants::get(&upgraded, 1)
            .await
            .unwrap();
        assert_eq!(person.display_name, "Marisol Núñez");
        assert_eq!(person.case_number, "UPG-0001");
        assert_eq!(person.address.as_deref(), Some("12 Oak Street"));
        assert_eq!(person.coach_id, Some(1));
        // Everyone on file before reads English until their record says otherwise.
        assert_eq!(person.language, "en");
        let pickup: Option<String> =
            sqlx::query_scalar("SELECT mail_pickup FROM branches WHERE id = 1")
                .fetch_one(&upgraded.pool)
                .await
                .unwrap();
        assert_eq!(pickup.as_deref(), Some("15:00"));
        assert_eq!(audit::verify(&upgraded).await.unwrap(), 5, "{backend:?}");
        // Opening it again applies nothing twice.
        upgraded.close().await;
        let again = db::open(&url).await.unwrap();
        assert_eq!(
            reengage_server::services::participants::get(&again, 1)
                .await
                .unwrap(),
            person
        );
        again.close().await;
        if let Some(name) = postgres_name {
            crate::support::drop_postgres_database(name);
        }
    }
}

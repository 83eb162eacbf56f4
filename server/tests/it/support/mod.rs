//! Fresh databases for integration tests: SQLite always, PostgreSQL when one answers on
//! `REENGAGE_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`). With
//! `REQUIRE_POSTGRES=1` a missing PostgreSQL fails the run instead of skipping it.
#![allow(dead_code)] // each test binary uses its own part of the support module

pub mod browser;
pub mod process;

use std::sync::atomic::{AtomicU32, Ordering};

use reengage_server::store::db::{self, Backend, Db};
use sqlx::{AnyConnection, Connection, Executor};
use tempfile::TempDir;

pub fn postgres_admin() -> String {
    std::env::var("REENGAGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// R20: every cell of the barrier review as core lists it (policy 002), each as the names
/// the forms and the API use: `("MentalHealth", "Adult")`, `("DomesticViolence", "Household")`.
pub fn review_cells() -> Vec<(String, String)> {
    let name = |value: serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    reengage_core::episode::BarrierArea::cells()
        .map(|(area, who)| {
            (
                name(serde_json::to_value(area).unwrap()),
                name(serde_json::to_value(who).unwrap()),
            )
        })
        .collect()
}

/// The backends to run against.
pub async fn backends() -> Vec<Backend> {
    sqlx::any::install_default_drivers();
    let admin = format!("{}/postgres", postgres_admin());
    match AnyConnection::connect(&admin).await {
        Ok(connection) => {
            let _ = connection.close().await;
            vec![Backend::Sqlite, Backend::Postgres]
        }
        Err(error) if std::env::var("REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("REQUIRE_POSTGRES=1 but PostgreSQL does not answer at {admin}: {error}")
        }
        Err(_) => vec![Backend::Sqlite],
    }
}

/// A database of its own for one test; a PostgreSQL one is dropped when this is.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: TempDir,
    postgres_name: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A URL for a new, empty database (not yet created for SQLite; created for PostgreSQL).
pub async fn fresh_url(backend: Backend, dir: &TempDir) -> (String, Option<String>) {
    match backend {
        Backend::Sqlite => (
            format!("sqlite:{}/nested/reengage.db", dir.path().display()),
            None,
        ),
        Backend::Postgres => {
            let name = format!(
                "reengage_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            let mut admin = AnyConnection::connect(&format!("{}/postgres", postgres_admin()))
                .await
                .expect("PostgreSQL admin connection");
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            let _ = admin.close().await;
            (format!("{}/{name}", postgres_admin()), Some(name))
        }
    }
}

pub async fn fresh_db(backend: Backend) -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, postgres_name) = fresh_url(backend, &dir).await;
    let db = db::open(&url).await.expect("open database");
    TestDb {
        db,
        url,
        _dir: dir,
        postgres_name,
    }
}

/// Drops a PostgreSQL test database, from any context (a Drop impl cannot await).
pub fn drop_postgres_database(name: String) {
    let admin = format!("{}/postgres", postgres_admin());
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            if let Ok(mut connection) = AnyConnection::connect(&admin).await {
                let _ = connection
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        });
    })
    .join();
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.postgres_name.take() {
            drop_postgres_database(name);
        }
    }
}

/// Serves `state`'s router on a random loopback port, with the peer address available (as
/// `reengage serve` runs it); returns the base URL.
pub async fn serve(state: reengage_server::web::state::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = reengage_server::router::router(state)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// The counts of `action`'s aggregated audit entries (`store::tally`), oldest first, once
/// what is counted in memory is written.
pub async fn tallied(db: &reengage_server::store::db::Db, action: &str) -> Vec<i64> {
    reengage_server::store::audit::flush_tally(db)
        .await
        .unwrap();
    let afters: Vec<String> =
        sqlx::query_scalar("SELECT after FROM audit_log WHERE action = $1 ORDER BY id")
            .bind(action)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    afters
        .iter()
        .map(|after| {
            serde_json::from_str::<serde_json::Value>(after).unwrap()["count"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

/// The password the tests give the demo's admin (the demo gives it one of its own, shown
/// once at load).
pub const TEST_ADMIN_PASSWORD: &str = "lantern harbor quietly seventeen";

/// Loads the demo into `db` as on `now`, and gives its admin [`TEST_ADMIN_PASSWORD`].
pub async fn load_demo(db: &reengage_server::store::db::Db, now: chrono::DateTime<chrono::Utc>) {
    reengage_server::cli::demo::load(db, now).await.unwrap();
    load_demo_admin_password(db, now).await;
}

/// Gives the demo's admin the tests' password (the demo loaded by other means).
pub async fn load_demo_admin_password(
    db: &reengage_server::store::db::Db,
    now: chrono::DateTime<chrono::Utc>,
) {
    // Set as the admin itself, so it is not a password to change at the next sign-in.
    let setup = reengage_server::services::Actor {
        staff_id: None,
        email: "admin@demo.test".into(),
        role: reengage_core::roles::Role::Admin,
    };
    reengage_server::services::accounts::set_password(
        db,
        &setup,
        "admin@demo.test",
        TEST_ADMIN_PASSWORD.into(),
        now,
    )
    .await
    .unwrap();
}

/// The audit key every `reengage` process a test starts uses (and a test that checks keyed
/// entries in process takes up): entries written in the test process and by its servers
/// verify alike.
pub const TEST_AUDIT_KEY: &str = "test audit key: 0123456789abcdef0123456789abcdef";

/// The environment of a `reengage` process on the database `url`: the URL, the tests' audit
/// key, and an anchor file of that database's own (never `data/` under the working folder).
pub fn audit_env(url: &str) -> Vec<(String, String)> {
    use sha2::Digest;
    let name = format!("{:x}", sha2::Sha256::digest(url.as_bytes()));
    let anchor = std::env::temp_dir()
        .join("reengage-test-anchors")
        .join(&name[..16]);
    vec![
        ("DATABASE_URL".into(), url.to_owned()),
        ("REENGAGE_AUDIT_KEY".into(), TEST_AUDIT_KEY.into()),
        (
            "REENGAGE_AUDIT_ANCHOR".into(),
            anchor.to_string_lossy().into_owned(),
        ),
    ]
}

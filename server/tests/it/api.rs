//! The real router on a random port, each test with a fresh, migrated database — on
//! SQLite, and on PostgreSQL when one answers (see `support`).

use std::{net::SocketAddr, process::Command};

use crate::support::{TestDb, backends, fresh_db};
use reengage_server::{cli::config, router, store::db::Backend, web::state};

struct TestApp {
    address: SocketAddr,
    database: TestDb,
}

impl TestApp {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = reqwest::get(self.url(path)).await.expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

async fn spawn_app(backend: Backend) -> TestApp {
    let database = fresh_db(backend).await;
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = router::router(state::AppState::new(options, database.db.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    TestApp { address, database }
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    for backend in backends().await {
        let app = spawn_app(backend).await;
        assert_eq!(
            app.get("/healthz").await,
            (200, "ok\n".to_owned()),
            "{backend:?}"
        );

        app.database.db.close().await;
        let (status, body) = app.get("/healthz").await;
        assert_eq!(status, 503, "{backend:?}");
        assert_eq!(body, "database unavailable\n");
    }
}

#[tokio::test]
async fn migrations_apply_on_every_backend() {
    for backend in backends().await {
        let database = fresh_db(backend).await;
        for table in [
            "branches",
            "staff",
            "participants",
            "episodes",
            "attempts",
            "tasks",
            "staffings",
            "decisions",
            "narratives",
            "audit_log",
        ] {
            let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&database.db.pool)
                .await
                .unwrap_or_else(|e| panic!("{backend:?} {table}: {e}"));
            assert_eq!(rows, 0, "{backend:?} {table}");
        }
        assert_eq!(database.db.backend, backend);
    }
}

#[tokio::test]
async fn sqlite_is_created_in_wal_mode_with_foreign_keys() {
    let database = fresh_db(Backend::Sqlite).await;
    let pool = &database.db.pool;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'branches'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(tables, 1);
}

#[tokio::test]
async fn r15_notice_page_renders_the_mailing_day_for_the_date_in_the_url() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, html) = app.get("/notice?appointment=2026-12-08").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("The DHS 7869 notice must be mailed by Tuesday, December 1, 2026"),
        "{html}"
    );
    // The form keeps what was entered.
    assert!(html.contains(r#"value="2026-12-08""#), "{html}");
}

#[tokio::test]
async fn r15_notice_page_uses_the_oregon_calendar() {
    let app = spawn_app(Backend::Sqlite).await;
    // Minus 7 is Friday 2026-11-27, the day after Thanksgiving; Thursday is Thanksgiving.
    let (_, html) = app.get("/notice?appointment=2026-12-04").await;
    assert!(
        html.contains("The DHS 7869 notice must be mailed by Wednesday, November 25, 2026"),
        "{html}"
    );
    let (_, html) = app.get("/notice?appointment=2026-12-25").await;
    assert!(
        html.contains("Friday, December 25, 2026 is not a business day."),
        "{html}"
    );
}

#[tokio::test]
async fn r16_notice_page_explains_a_weekend_appointment() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, html) = app.get("/notice?appointment=2026-12-05").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Saturday, December 5, 2026 is not a business day."),
        "{html}"
    );
    assert!(!html.contains("must be mailed by"));
}

#[tokio::test]
async fn notice_page_explains_input_that_is_not_a_date() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, html) = app.get("/notice?appointment=next%20tuesday").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("is not a date. Enter it as year-month-day, for example 2026-12-08."),
        "{html}"
    );
    let (status, html) = app.get("/notice").await;
    assert_eq!(status, 200);
    assert!(html.contains("Pick a date to see the mailing deadline."));
}

#[tokio::test]
async fn unknown_address_is_a_404_page() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, html) = app.get("/no-such-page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn migrate_command_prepares_a_new_database() {
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let (url, postgres_name) = crate::support::fresh_url(backend, &dir).await;
        let output = Command::new(env!("CARGO_BIN_EXE_reengage"))
            .arg("migrate")
            .envs(crate::support::audit_env(&url))
            .env("REENGAGE_LOG", "warn")
            .output()
            .unwrap();
        assert!(output.status.success(), "{backend:?}: {output:?}");
        // Opening it again applies nothing new and finds the schema.
        let db = reengage_server::store::db::open(&url).await.unwrap();
        let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(migrations >= 1, "{backend:?}");
        db.close().await;
        if let Some(name) = postgres_name {
            crate::support::drop_postgres_database(name);
        }
    }
}

#[test]
fn unusable_database_stops_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    // A plain file where the database's folder should be.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "").unwrap();
    for url in [
        format!("sqlite:{}/reengage.db", blocker.display()),
        "mysql://localhost/reengage".to_owned(),
        // Nothing listens on port 1.
        "postgres://postgres@127.0.0.1:1/reengage?connect_timeout=2".to_owned(),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_reengage"))
            .arg("serve")
            .envs(crate::support::audit_env(&url))
            .env("REENGAGE_LOG", "off")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{url}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{url}: {stderr}");
        assert!(stderr.starts_with("reengage: "), "{stderr}");
        assert!(
            stderr.contains("database") || stderr.contains("DATABASE_URL"),
            "{stderr}"
        );
    }
}

//! Sign-in sessions on both backends: a cookie for the pages, renewed at sign-in, ended by
//! sign-out and by a password change.

use crate::support::{backends, fresh_db};
use reengage_server::services::Actor;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::{cli::config, router, web::state};

/// Serves the app on a random port; returns its base URL.
async fn serve(db: &reengage_server::store::db::Db, secure_cookies: bool) -> String {
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut state = state::AppState::new(options, db.clone());
    state.secure_cookies = secure_cookies;
    tokio::spawn(async move { axum::serve(listener, router::router(state)).await.unwrap() });
    base
}

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn sign_in_use_the_cookie_sign_out() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let admin = Actor {
            staff_id: None,
            email: "test".into(),
            role: reengage_core::roles::Role::Admin,
        };
        let staff = NewStaff {
            email: "coach@example.test".into(),
            name: "Casey Coach".into(),
            initials: "CC".into(),
            role: reengage_core::roles::Role::FamilyCoach,
            branch: Some("Riverbend".into()),
            password: "correct horse battery staple".into(),
            phone: None,
        };
        accounts::create_staff(&test.db, &admin, staff, chrono::Utc::now())
            .await
            .unwrap();
        let base = serve(&test.db, false).await;
        let client = client();

        let wrong = client
            .post(format!("{base}/signin"))
            .form(&[
                ("email", "coach@example.test"),
                ("password", "not the password at all"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status().as_u16(), 303, "{backend:?}");
        assert_eq!(wrong.headers()["location"], "/signin?failed=1");

        let right = client
            .post(format!("{base}/signin"))
            .form(&[
                ("email", " Coach@Example.test "),
                ("password", "correct horse battery staple"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            (
                right.status().as_u16(),
                right.headers()["location"].to_str().unwrap()
            ),
            (303, "/today")
        );
        let set_cookie = right.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
            "{set_cookie}"
        );
        let cookie = set_cookie.split(';').next().unwrap().to_owned();

        let list = |cookie: String| {
            let client = client.clone();
            let base = base.clone();
            async move {
                client
                    .get(format!("{base}/api/v1/episodes"))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(
            list(cookie.clone()).await,
            200,
            "{backend:?}: the session cookie signs API calls"
        );

        // A password change ends the account's sessions.
        let new_hash = accounts::hash_password("another long enough password".into())
            .await
            .unwrap();
        sqlx::query("UPDATE staff SET password_hash = $1 WHERE email = 'coach@example.test'")
            .bind(new_hash)
            .execute(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(list(cookie.clone()).await, 401, "{backend:?}");

        // Sign in again, then sign out: the cookie no longer works.
        let again = client
            .post(format!("{base}/signin"))
            .form(&[
                ("email", "coach@example.test"),
                ("password", "another long enough password"),
            ])
            .send()
            .await
            .unwrap();
        let cookie = again.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(list(cookie.clone()).await, 200);
        let out = client
            .post(format!("{base}/signout"))
            .header("cookie", cookie.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(out.status().as_u16(), 303);
        assert_eq!(
            list(cookie).await,
            401,
            "{backend:?}: sign-out ends the session on the server"
        );
    }
}

#[tokio::test]
async fn the_signin_page_is_a_plain_form() {
    let test = fresh_db(reengage_server::store::db::Backend::Sqlite).await;
    let base = serve(&test.db, false).await;
    let html = reqwest::get(format!("{base}/signin?failed=1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<form method="post" action="/signin""#),
        "{html}"
    );
    assert!(html.contains("do not match an active account"), "{html}");
}

#[tokio::test]
async fn secure_cookies_carry_the_host_prefix() {
    let test = fresh_db(reengage_server::store::db::Backend::Sqlite).await;
    let admin = Actor {
        staff_id: None,
        email: "test".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let staff = NewStaff {
        email: "lead@example.test".into(),
        name: "Lee Lead".into(),
        initials: "LL".into(),
        role: reengage_core::roles::Role::LeadWorker,
        branch: None,
        password: "correct horse battery staple".into(),
        phone: None,
    };
    accounts::create_staff(&test.db, &admin, staff, chrono::Utc::now())
        .await
        .unwrap();
    let base = serve(&test.db, true).await;
    let client = client();
    let response = client
        .post(format!("{base}/signin"))
        .form(&[
            ("email", "lead@example.test"),
            ("password", "correct horse battery staple"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-reengage=") && cookie.contains("Secure"),
        "{cookie}"
    );
}

/// A page view pushes the session's idle expiry on; the store writes that only once it has
/// moved on by more than a minute — after the response, so that reads do not queue for the
/// database's writer — or at once when the session's data changes.
#[tokio::test]
async fn a_session_is_written_again_only_when_it_changes_or_a_minute_has_passed() {
    use reengage_server::web::sessions::{DbSessionStore, EXPIRY_SLACK_SECONDS};
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::SessionStore;

    for backend in backends().await {
        let test = fresh_db(backend).await;
        let store = DbSessionStore::new(test.db.clone());
        let start = time::OffsetDateTime::now_utc() + time::Duration::minutes(30);
        let mut record = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: start,
        };
        store.create(&mut record).await.unwrap();
        let stored = |id: String| {
            let db = test.db.clone();
            async move {
                let expires: i64 =
                    sqlx::query_scalar("SELECT expires_at FROM sessions WHERE id = $1")
                        .bind(reengage_server::store::sessions::key(&id))
                        .fetch_one(&db.pool)
                        .await
                        .unwrap();
                expires
            }
        };
        let id = record.id.to_string();

        record.expiry_date = start + time::Duration::seconds(10);
        store.save(&record).await.unwrap();
        assert_eq!(
            stored(id.clone()).await,
            start.unix_timestamp(),
            "{backend:?}: 10 s on"
        );

        record.data.insert("k".into(), serde_json::json!(1));
        store.save(&record).await.unwrap();
        assert_eq!(
            stored(id.clone()).await,
            record.expiry_date.unix_timestamp(),
            "{backend:?}: the data changed"
        );

        // A second server instance reads the session as it stands now.
        let written = record.expiry_date;
        let second = DbSessionStore::new(test.db.clone());
        let seen_there = second.load(&record.id).await.unwrap().unwrap();
        assert_eq!(
            seen_there.expiry_date.unix_timestamp(),
            written.unix_timestamp()
        );

        record.expiry_date = written + time::Duration::seconds(EXPIRY_SLACK_SECONDS + 1);
        store.save(&record).await.unwrap();
        store.settled().await;
        assert_eq!(
            stored(id.clone()).await,
            record.expiry_date.unix_timestamp(),
            "{backend:?}: more than a minute on"
        );

        // The second instance pushes it on less far: the stored expiry is never moved back.
        let mut there = seen_there;
        there.expiry_date = written + time::Duration::seconds(EXPIRY_SLACK_SECONDS);
        second.save(&there).await.unwrap();
        second.settled().await;
        assert_eq!(
            stored(id.clone()).await,
            record.expiry_date.unix_timestamp(),
            "{backend:?}: not moved back"
        );

        // Another server instance starts from what is stored, and sees the data.
        let other = DbSessionStore::new(test.db.clone());
        let loaded = other.load(&record.id).await.unwrap().unwrap();
        assert_eq!(loaded.data, record.data);
        other.delete(&record.id).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none());
    }
}

/// The table holds no session id a browser could present (only its SHA-256), and expired
/// sessions are swept.
#[tokio::test]
async fn session_ids_are_stored_hashed_and_expired_sessions_are_swept() {
    use reengage_server::store::sessions;
    use reengage_server::web::sessions::DbSessionStore;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::SessionStore;

    for backend in backends().await {
        let test = fresh_db(backend).await;
        let store = DbSessionStore::new(test.db.clone());
        let now = time::OffsetDateTime::now_utc();
        let mut live = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: now + time::Duration::minutes(30),
        };
        let mut gone = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: now - time::Duration::minutes(1),
        };
        store.create(&mut live).await.unwrap();
        store.create(&mut gone).await.unwrap();
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions ORDER BY id")
            .fetch_all(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(ids.len(), 2, "{backend:?}");
        for record in [&live, &gone] {
            let id = record.id.to_string();
            assert!(!ids.contains(&id), "{backend:?}: stored as it is");
            assert!(ids.contains(&sessions::key(&id)), "{backend:?}");
        }
        assert!(store.load(&live.id).await.unwrap().is_some());
        let swept = sessions::delete_expired(&test.db, now.unix_timestamp())
            .await
            .unwrap();
        assert_eq!(swept, 1, "{backend:?}");
        assert!(store.load(&live.id).await.unwrap().is_some(), "{backend:?}");
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 1, "{backend:?}");
    }
}

/// More sign-ins at once than the server takes are answered 429 with `Retry-After` — after
/// the same second as a refused sign-in, so a client looping on 429s is held to about one try
/// a second instead of spinning (the flood test measures what that spares the people at work).
#[tokio::test]
async fn too_many_sign_ins_at_once_wait_a_second_for_their_429() {
    use reengage_server::web::signing::REFUSED_SIGNIN_DELAY;
    use reengage_server::web::throttle::SignInSlots;
    let test = fresh_db(reengage_server::store::db::Backend::Sqlite).await;
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let mut state = state::AppState::new(options, test.db.clone());
    // No slot free: every sign-in is one too many.
    state.signin_slots = SignInSlots(std::sync::Arc::new(tokio::sync::Semaphore::new(0)));
    let base = crate::support::serve(state).await;
    let started = std::time::Instant::now();
    let response = client()
        .post(format!("{base}/signin"))
        .form(&[
            ("email", "someone@example.test"),
            ("password", "whatever it is"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(
        started.elapsed() >= REFUSED_SIGNIN_DELAY,
        "a 429 answered after {:?}",
        started.elapsed()
    );
}

//! Sessions (fixation, idle and absolute limits, sign-out, disable, password change), sign-in
//! throttling and its audit, cross-site request refusal, security headers and input limits,
//! on the real router.

use std::sync::{Arc, Mutex};

use crate::support::{TestDb, backends, fresh_db, serve, tallied};
use chrono::{DateTime, Duration, Utc};
use reengage_server::cli::config;
use reengage_server::services::Actor;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::store::db::{Backend, Db};
use reengage_server::web::state::{AppState, Clock};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

const PASSWORD: &str = "lantern otter gravel tundra";

struct App {
    base: String,
    clock: Arc<Mutex<DateTime<Utc>>>,
    db: Db,
    admin_token: String,
    coach_token: String,
    coach_id: i64,
    _test: TestDb,
}

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn app_with(backend: Backend, configure: impl FnOnce(&mut AppState)) -> App {
    let test = fresh_db(backend).await;
    let db = test.db.clone();
    let setup = Actor {
        staff_id: None,
        email: "setup".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let now = Utc::now();
    let mut ids = Vec::new();
    for (email, role, branch) in [
        ("coach@example.test", "family_coach", Some("Riverbend")),
        ("admin@example.test", "admin", None),
    ] {
        let staff = NewStaff {
            email: email.into(),
            name: email.into(),
            initials: "XX".into(),
            role: role.parse().expect("a role"),
            branch: branch.map(Into::into),
            password: PASSWORD.into(),
            phone: None,
        };
        ids.push(
            accounts::create_staff(&db, &setup, staff, now)
                .await
                .unwrap(),
        );
    }
    let coach_token = accounts::create_token(&db, &setup, "coach@example.test", now)
        .await
        .unwrap();
    let admin_token = accounts::create_token(&db, &setup, "admin@example.test", now)
        .await
        .unwrap();
    let clock = Arc::new(Mutex::new(now));
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let mut state = AppState::new(options, db.clone()).with_clock(Clock::fixed(clock.clone()));
    configure(&mut state);
    App {
        base: serve(state).await,
        clock,
        db,
        admin_token,
        coach_token,
        coach_id: ids[0],
        _test: test,
    }
}

impl App {
    /// Signs in; returns the session cookie (`name=value`).
    async fn sign_in(&self, cookie: Option<&str>) -> String {
        let mut request = client()
            .post(format!("{}/signin", self.base))
            .form(&[("email", "coach@example.test"), ("password", PASSWORD)]);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/today");
        session_cookie(&response).expect("a session cookie")
    }

    /// The status of a signed-in read with `cookie`.
    async fn read_with(&self, cookie: &str) -> StatusCode {
        client()
            .get(format!("{}/api/v1/episodes", self.base))
            .header(header::COOKIE, cookie)
            .send()
            .await
            .unwrap()
            .status()
    }

    async fn audited(&self, action: &str) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }

    fn advance(&self, by: Duration) {
        let mut now = self.clock.lock().unwrap();
        *now += by;
    }
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("reengage=") || value.starts_with("__Host-reengage="))
        .map(|value| value.split(';').next().unwrap().to_owned())
}

#[tokio::test]
async fn signing_in_replaces_any_session_id_the_browser_already_had() {
    let app = app_with(Backend::Sqlite, |_| {}).await;
    let first = app.sign_in(None).await;
    assert_eq!(app.read_with(&first).await, StatusCode::OK);
    // Signing in again while holding that id (as a planted id would be) gives a new one, and
    // the old one no longer works.
    let second = app.sign_in(Some(&first)).await;
    assert_ne!(first, second);
    assert_eq!(app.read_with(&first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.read_with(&second).await, StatusCode::OK);
}

#[tokio::test]
async fn a_session_ends_after_the_absolute_limit_however_busy() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let cookie = app.sign_in(None).await;
        app.advance(Duration::hours(11) + Duration::minutes(59));
        assert_eq!(app.read_with(&cookie).await, StatusCode::OK);
        app.advance(Duration::minutes(1));
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
        // And it stays ended: the server dropped it.
        app.advance(-Duration::hours(6));
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_absolute_limit_is_configurable() {
    let app = app_with(Backend::Sqlite, |state| state.sessions.absolute_hours = 1).await;
    let cookie = app.sign_in(None).await;
    app.advance(Duration::minutes(59));
    assert_eq!(app.read_with(&cookie).await, StatusCode::OK);
    app.advance(Duration::minutes(1));
    assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_idle_session_expires_on_the_server_and_the_idle_limit_is_configurable() {
    for (backend, minutes) in [(Backend::Sqlite, 30), (Backend::Sqlite, 5)] {
        let app = app_with(backend, |state| state.sessions.idle_minutes = minutes).await;
        let cookie = app.sign_in(None).await;
        let expires: i64 = sqlx::query_scalar("SELECT max(expires_at) FROM sessions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let left = expires - Utc::now().timestamp();
        assert!(
            (minutes * 60 - 60..=minutes * 60).contains(&left),
            "{left} s left"
        );
        // Past its expiry the stored session is not honoured.
        sqlx::query("UPDATE sessions SET expires_at = $1")
            .bind(Utc::now().timestamp() - 1)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_tokens_for_good() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let cookie = app.sign_in(None).await;
        let admin = |path: String| {
            client()
                .post(format!("{}{path}", app.base))
                .bearer_auth(&app.admin_token)
                .send()
        };
        let token_status = || async {
            client()
                .get(format!("{}/api/v1/episodes", app.base))
                .bearer_auth(&app.coach_token)
                .send()
                .await
                .unwrap()
                .status()
        };
        assert_eq!(token_status().await, StatusCode::OK);
        let disabled = admin(format!("/api/v1/staff/{}/disable", app.coach_id))
            .await
            .unwrap();
        assert_eq!(disabled.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
        assert_eq!(token_status().await, StatusCode::UNAUTHORIZED);
        // Enabling the account again does not revive the old session; a new sign-in works.
        let enabled = admin(format!("/api/v1/staff/{}/enable", app.coach_id))
            .await
            .unwrap();
        assert_eq!(enabled.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
        let fresh = app.sign_in(None).await;
        assert_eq!(app.read_with(&fresh).await, StatusCode::OK);
        assert_eq!(app.audited("staff.disabled").await, 1);
    }
}

#[tokio::test]
async fn a_role_or_branch_change_ends_the_sessions_and_revokes_the_tokens() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let change = |what: &'static str, body: Value| {
            client()
                .post(format!("{}/api/v1/staff/{}/{what}", app.base, app.coach_id))
                .bearer_auth(&app.admin_token)
                .json(&body)
                .send()
        };
        let base = app.base.clone();
        let token_status = |token: String| {
            let url = format!("{base}/api/v1/episodes");
            async move {
                client()
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        let cookie = app.sign_in(None).await;

        // A missing branch is refused, never read as "no branch"; the same branch again
        // changes nothing, so nothing ends.
        let missing = change("branch", json!({})).await.unwrap();
        assert_eq!(missing.status(), StatusCode::BAD_REQUEST, "{backend:?}");
        let same = change("branch", json!({ "branch": "Riverbend" }))
            .await
            .unwrap();
        assert_eq!(same.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.read_with(&cookie).await, StatusCode::OK);
        assert_eq!(token_status(app.coach_token.clone()).await, StatusCode::OK);

        // Another branch: the session and the token made for the old one stop working.
        let moved = change("branch", json!({ "branch": "Lakeside" }))
            .await
            .unwrap();
        assert_eq!(moved.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
        assert_eq!(
            token_status(app.coach_token.clone()).await,
            StatusCode::UNAUTHORIZED
        );
        let branch: String = sqlx::query_scalar(
            "SELECT b.name FROM staff s JOIN branches b ON b.id = s.branch_id WHERE s.id = $1",
        )
        .bind(app.coach_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(branch, "Lakeside");

        // Another role: the same.
        let cookie = app.sign_in(None).await;
        let setup = Actor {
            staff_id: None,
            email: "setup".into(),
            role: reengage_core::roles::Role::Admin,
        };
        let token = accounts::create_token(&app.db, &setup, "coach@example.test", Utc::now())
            .await
            .unwrap();
        assert_eq!(token_status(token.clone()).await, StatusCode::OK);
        let aide = change("role", json!({ "role": "case_aide" }))
            .await
            .unwrap();
        assert_eq!(aide.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
        assert_eq!(token_status(token).await, StatusCode::UNAUTHORIZED);
        let unknown = change("role", json!({ "role": "boss" })).await.unwrap();
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

        // Made a supervisor, they sign in again with the second factor a supervisor needs.
        let promoted = change("role", json!({ "role": "operations_manager" }))
            .await
            .unwrap();
        assert_eq!(promoted.status(), StatusCode::NO_CONTENT);
        let signed = client()
            .post(format!("{}/signin", app.base))
            .form(&[("email", "coach@example.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status(), StatusCode::SEE_OTHER);
        assert_eq!(signed.headers()[header::LOCATION], "/signin/code");

        // An admin cannot change their own post (nor lock themselves out by it).
        let admin_id: i64 =
            sqlx::query_scalar("SELECT id FROM staff WHERE email = 'admin@example.test'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let own = client()
            .post(format!("{}/api/v1/staff/{admin_id}/role", app.base))
            .bearer_auth(&app.admin_token)
            .json(&json!({ "role": "family_coach" }))
            .send()
            .await
            .unwrap();
        assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);

        assert_eq!(app.audited("staff.branch_changed").await, 1, "{backend:?}");
        assert_eq!(app.audited("staff.role_changed").await, 2, "{backend:?}");
    }
}

#[tokio::test]
async fn a_password_change_ends_the_sessions_and_new_passwords_meet_the_rules() {
    let app = app_with(Backend::Sqlite, |_| {}).await;
    let cookie = app.sign_in(None).await;
    let set = |password: &'static str| {
        client()
            .post(format!(
                "{}/api/v1/staff/{}/password",
                app.base, app.coach_id
            ))
            .bearer_auth(&app.admin_token)
            .json(&json!({ "password": password }))
            .send()
    };
    for (weak, says) in [
        ("short one", "at least 15 characters"),
        ("1qaz2wsx3edc4rfv", "attackers try first"),
        ("Password2026!!!!", "attackers try first"),
        ("aaaaaaaaaaaaaaaaaaaa", "repeats or runs in sequence"),
    ] {
        let refused = set(weak).await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        let body: Value = refused.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{weak}: {body}"
        );
    }
    // Refused changes leave the session alone.
    assert_eq!(app.read_with(&cookie).await, StatusCode::OK);
    let changed = set("a brand new lantern for winter").await.unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_ins_are_audited_and_repeated_failures_are_throttled() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let attempt = |password: &'static str| {
            client()
                .post(format!("{}/signin", app.base))
                .form(&[("email", "Coach@Example.test "), ("password", password)])
                .send()
        };
        for _ in 0..reengage_server::web::throttle::PER_ACCOUNT_AND_ADDRESS {
            let refused = attempt("not the password at all").await.unwrap();
            assert_eq!(refused.headers()[header::LOCATION], "/signin?failed=1");
        }
        // Now even the right password waits, and no session is made.
        let throttled = attempt(PASSWORD).await.unwrap();
        assert_eq!(throttled.headers()[header::LOCATION], "/signin?throttled=1");
        assert!(session_cookie(&throttled).is_none());
        let page = client()
            .get(format!("{}/signin?throttled=1", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Too many sign-in attempts"), "{page}");
        // The window passes and the right password works.
        app.advance(Duration::minutes(
            reengage_server::web::throttle::WINDOW_MINUTES + 1,
        ));
        let cookie = app.sign_in(None).await;
        let signed_out = client()
            .post(format!("{}/signout", app.base))
            .header(header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(signed_out.headers()[header::LOCATION], "/signin");
        assert_eq!(app.read_with(&cookie).await, StatusCode::UNAUTHORIZED);
        // The failures and the throttled try: counted, one entry each for the window.
        assert_eq!(tallied(&app.db, "signin.failed").await, vec![5]);
        assert_eq!(tallied(&app.db, "signin.throttled").await, vec![1]);
        assert_eq!(app.audited("signin.succeeded").await, 1);
        assert_eq!(app.audited("signout").await, 1);
    }
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused() {
    let app = app_with(Backend::Sqlite, |_| {}).await;
    let host = app.base.trim_start_matches("http://").to_owned();
    let post = |headers: &[(&'static str, String)]| {
        let mut request = client()
            .post(format!("{}/api/v1/participants", app.base))
            .bearer_auth(&app.coach_token)
            .json(&json!({ "branch_id": 1 }));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request.send()
    };
    for forged in [
        vec![("origin", "http://evil.example".to_owned())],
        vec![("sec-fetch-site", "cross-site".to_owned())],
        vec![
            ("sec-fetch-site", "same-site".to_owned()),
            ("origin", format!("http://{host}")),
        ],
    ] {
        let refused = post(&forged).await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{forged:?}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"], "cross_origin");
    }
    // The app's own pages pass (the body is then checked: 400, not 403).
    for own in [
        vec![("origin", format!("http://{host}"))],
        vec![("sec-fetch-site", "same-origin".to_owned())],
        vec![],
    ] {
        let passed = post(&own).await.unwrap();
        assert_eq!(passed.status(), StatusCode::BAD_REQUEST, "{own:?}");
    }
    // The sign-in and sign-out forms too.
    for path in ["/signin", "/signout"] {
        let refused = client()
            .post(format!("{}{path}", app.base))
            .header("origin", "http://evil.example")
            .form(&[("email", "coach@example.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // A cross-site GET changes nothing and is served.
    let read = client()
        .get(format!("{}/api/v1/calendar/closures?year=2026", app.base))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app_with(Backend::Sqlite, |_| {}).await;
    for path in [
        "/",
        "/signin",
        "/api/v1/calendar/closures?year=2026",
        "/no-such-page",
    ] {
        let response = client()
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let headers = response.headers().clone();
        let csp = headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{path}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{path}");
        assert!(
            headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "{path}"
        );
        if path != "/api/v1/calendar/closures?year=2026" {
            // Every inline script of the page carries this response's nonce.
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .unwrap()
                .split('\'')
                .next()
                .unwrap()
                .to_owned();
            let html = response.text().await.unwrap();
            let scripts = html.matches("<script").count();
            assert!(scripts > 0, "{path}");
            assert_eq!(
                html.matches(&format!("nonce=\"{nonce}\"")).count(),
                scripts,
                "{path}: {html}"
            );
        }
    }
    // Over HTTPS: HSTS and the __Host- cookie.
    let secure = app_with(Backend::Sqlite, |state| state.secure_cookies = true).await;
    let response = client()
        .get(format!("{}/signin", secure.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn malformed_input_is_a_400_with_a_sentence_never_a_500() {
    let app = app_with(Backend::Sqlite, |_| {}).await;
    let send = |method: &str, path: &str, body: Option<Value>| {
        let url = format!("{}/api/v1{path}", app.base);
        let mut request = if method == "GET" {
            client().get(url)
        } else {
            client().post(url)
        };
        request = request.bearer_auth(&app.coach_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    let cases: Vec<(&str, &str, Option<Value>, &str)> = vec![
        (
            "GET",
            "/episodes/not-a-number",
            None,
            "address does not fit",
        ),
        (
            "GET",
            "/episodes?limit=lots",
            None,
            "query string does not fit",
        ),
        ("GET", "/episodes?limit=100000", None, "from 1 to 200"),
        ("GET", "/episodes?after=garbage", None, "`after`"),
        ("POST", "/participants", Some(json!([1, 2])), "JSON object"),
        (
            "POST",
            "/participants",
            Some(json!({ "branch_id": 1, "case_number": "x".repeat(20_001) })),
            "at most 20000 characters",
        ),
        (
            "POST",
            "/participants",
            Some(
                json!({ "branch_id": 1, "case_number": "A-1", "first_name": "A", "last_name": "B",
                "pdp": (0..101).collect::<Vec<_>>() }),
            ),
            "at most 100 items",
        ),
        (
            "POST",
            "/participants",
            Some(
                json!({ "branch_id": 1, "case_number": "A-1", "first_name": "A", "last_name": "B",
                "born": "9999-01-01" }),
            ),
            "outside the years",
        ),
    ];
    for (method, path, body, says) in cases {
        let response = send(method, path, body).await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{method} {path}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{method} {path}: {body}"
        );
    }
    // A body past the limit is refused before it is read.
    let huge = "x".repeat(reengage_server::api::MAX_BODY_BYTES + 1);
    let response = client()
        .post(format!("{}/api/v1/participants", app.base))
        .bearer_auth(&app.coach_token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// Behind a trusted proxy each client is counted by the address the proxy names, so one
/// guesser does not lock out the office; from a peer not trusted, `X-Forwarded-For` is a
/// header anyone can send and changes nothing. The audit entry names the same address.
#[tokio::test]
async fn the_client_behind_a_trusted_proxy_is_throttled_alone_and_a_forged_header_is_ignored() {
    use reengage_server::web::client::TrustedProxies;
    use reengage_server::web::throttle::PER_ACCOUNT_AND_ADDRESS;
    for trusted in [true, false] {
        let app = app_with(Backend::Sqlite, |state| {
            if trusted {
                state.trusted_proxies = TrustedProxies::parse("127.0.0.1/32").unwrap();
            }
        })
        .await;
        let attempt = |client_address: &'static str, password: &'static str| {
            client()
                .post(format!("{}/signin", app.base))
                .header("x-forwarded-for", client_address)
                .form(&[("email", "coach@example.test"), ("password", password)])
                .send()
        };
        let guesses: Vec<_> = (0..PER_ACCOUNT_AND_ADDRESS)
            .map(|_| tokio::spawn(attempt("203.0.113.66", "not the password at all")))
            .collect();
        for guess in guesses {
            let refused = guess.await.unwrap().unwrap();
            assert_eq!(refused.headers()[header::LOCATION], "/signin?failed=1");
        }
        // The coach at another desk behind the same proxy.
        let coach = attempt("203.0.113.7", PASSWORD).await.unwrap();
        let expected = if trusted {
            "/today"
        } else {
            "/signin?throttled=1"
        };
        assert_eq!(
            coach.headers()[header::LOCATION],
            expected,
            "trusted proxy: {trusted}"
        );
        // The failures are audited under the address they came from.
        reengage_server::store::audit::flush_tally(&app.db)
            .await
            .unwrap();
        let after: String = sqlx::query_scalar(
            "SELECT after FROM audit_log WHERE action = 'signin.failed' ORDER BY id LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let recorded: Value = serde_json::from_str(&after).unwrap();
        let address = if trusted { "203.0.113.66" } else { "127.0.0.1" };
        assert_eq!(recorded["address"], address, "{recorded}");
        assert_eq!(recorded["count"], PER_ACCOUNT_AND_ADDRESS as i64);
    }
}

/// A control character in typed text (a NUL above all, which PostgreSQL cannot store) is a 400
/// that says what is wrong, on both backends, from the API's JSON, a query string and a page's
/// form alike; a tab or a line break is text like any other.
#[tokio::test]
async fn a_control_character_in_text_is_a_400_on_both_backends() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let participant = |first_name: &str| {
            json!({ "branch_id": 1, "case_number": format!("NUL-{}", first_name.len()),
                    "first_name": first_name, "last_name": "Example" })
        };
        let post = |body: Value| {
            client()
                .post(format!("{}/api/v1/participants", app.base))
                .bearer_auth(&app.coach_token)
                .json(&body)
                .send()
        };
        for text in ["Dana\u{0}", "Dana\u{1b}[31m", "\u{7f}Dana"] {
            let refused = post(participant(text)).await.unwrap();
            assert_eq!(
                refused.status(),
                StatusCode::BAD_REQUEST,
                "{backend:?} {text:?}"
            );
            let body: Value = refused.json().await.unwrap();
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .contains("control character"),
                "{backend:?}: {body}"
            );
        }
        // The same with a line break and a tab is not refused for its text.
        let kept = post(participant("Dana\tMarie\nJr")).await.unwrap();
        assert!(
            kept.status() != StatusCode::BAD_REQUEST && kept.status().as_u16() < 500,
            "{backend:?}: {}",
            kept.text().await.unwrap()
        );
        // A query string and a page's form.
        let query = client()
            .get(format!("{}/api/v1/episodes?after=%00", app.base))
            .bearer_auth(&app.coach_token)
            .send()
            .await
            .unwrap();
        assert_eq!(query.status(), StatusCode::BAD_REQUEST, "{backend:?}");
        let form = client()
            .post(format!("{}/signin", app.base))
            .form(&[("email", "coach@example.test\u{0}"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::BAD_REQUEST, "{backend:?}");
        assert!(form.text().await.unwrap().contains("U+0000"), "{backend:?}");
    }
}

/// A slowloris — headers sent a byte at a time — is cut off after the header-read time-out,
/// and connections beyond the cap wait until one closes, before any handler runs.
#[tokio::test]
async fn slow_headers_are_cut_off_and_connections_are_capped() {
    use crate::support::process::Server;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    let test = fresh_db(Backend::Sqlite).await;
    let partial = |address: String| async move {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .await
            .unwrap();
        stream
    };
    let address = |server: &Server| server.base.trim_start_matches("http://").to_owned();

    // Headers never finished: the server hangs up after the time-out (1 s here).
    let server =
        Server::start_with(&test.url, &[("REENGAGE_HEADER_READ_TIMEOUT_SECONDS", "1")]).await;
    let mut slow = partial(address(&server)).await;
    let mut answer = Vec::new();
    let ended = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        slow.read_to_end(&mut answer),
    )
    .await;
    assert!(ended.is_ok(), "the slow connection was never closed");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    drop(server);

    // Two connections at most: a third request waits until one of the two closes.
    let server = Server::start_with(
        &test.url,
        &[
            ("REENGAGE_MAX_CONNECTIONS", "2"),
            ("REENGAGE_HEADER_READ_TIMEOUT_SECONDS", "60"),
        ],
    )
    .await;
    let first = partial(address(&server)).await;
    let _second = partial(address(&server)).await;
    let healthz = || {
        reqwest::Client::new()
            .get(format!("{}/healthz", server.base))
            .timeout(std::time::Duration::from_millis(700))
            .send()
    };
    assert!(healthz().await.is_err(), "a third connection was served");
    drop(first);
    let mut served = false;
    for _ in 0..50 {
        if healthz().await.is_ok_and(|r| r.status().is_success()) {
            served = true;
            break;
        }
    }
    assert!(
        served,
        "the waiting connection was not served once a slot was free"
    );
}

/// Staff change their own password with their current one (ASVS 6.2.2); a refusal is answered
/// in place and never echoes a password; the session goes on under the new one while the old
/// password and the account's tokens stop working. A password an admin set must be changed
/// at the next sign-in before anything else.
#[tokio::test]
async fn staff_change_their_own_password_and_an_admin_set_one_is_changed_first() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let cookie = app.sign_in(None).await;
        let change =
            |cookie: String, current: &'static str, new: &'static str, again: &'static str| {
                client()
                    .post(format!("{}/account/password", app.base))
                    .header(header::COOKIE, cookie)
                    .form(&[("current", current), ("new", new), ("again", again)])
                    .send()
            };
        let (status, page) = {
            let response = client()
                .get(format!("{}/account/password", app.base))
                .header(header::COOKIE, &cookie)
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        };
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        assert!(page.contains("autocomplete=\"current-password\""), "{page}");

        let refusals = [
            (
                "not my password at all",
                "a brand new lantern",
                "a brand new lantern",
                "current password is not right",
            ),
            (
                PASSWORD,
                "a brand new lantern",
                "a brand new lanturn",
                "two new passwords differ",
            ),
            (PASSWORD, "short one", "short one", "at least 15 characters"),
            (PASSWORD, PASSWORD, PASSWORD, "not the one you have now"),
        ];
        for (current, new, again, says) in refusals {
            let refused = change(cookie.clone(), current, new, again).await.unwrap();
            assert_eq!(
                refused.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{backend:?} {says}"
            );
            assert!(refused.headers().get(header::LOCATION).is_none());
            let page = refused.text().await.unwrap();
            assert!(page.contains(says), "{says}: {page}");
            assert!(
                !page.contains(new) && !page.contains(current),
                "a password was echoed: {page}"
            );
        }

        let done = change(
            cookie.clone(),
            PASSWORD,
            "a brand new lantern",
            "a brand new lantern",
        )
        .await
        .unwrap();
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{backend:?}");
        assert_eq!(done.headers()[header::LOCATION], "/today?saved=password");
        let cookie = session_cookie(&done).unwrap_or(cookie);
        assert_eq!(
            app.read_with(&cookie).await,
            StatusCode::OK,
            "the session goes on"
        );
        let old = client()
            .post(format!("{}/signin", app.base))
            .form(&[("email", "coach@example.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(old.headers()[header::LOCATION], "/signin?failed=1");
        let token = client()
            .get(format!("{}/api/v1/episodes", app.base))
            .bearer_auth(&app.coach_token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            token.status(),
            StatusCode::UNAUTHORIZED,
            "tokens are revoked"
        );

        // An admin sets it: the next sign-in leads to the password page, and so does every
        // page until the owner has chosen their own; the API says so.
        let set = client()
            .post(format!(
                "{}/api/v1/staff/{}/password",
                app.base, app.coach_id
            ))
            .bearer_auth(&app.admin_token)
            .json(&json!({ "password": "an admin chose this one" }))
            .send()
            .await
            .unwrap();
        assert_eq!(set.status(), StatusCode::NO_CONTENT, "{backend:?}");
        let signed_in = client()
            .post(format!("{}/signin", app.base))
            .form(&[
                ("email", "coach@example.test"),
                ("password", "an admin chose this one"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            signed_in.headers()[header::LOCATION],
            "/account/password?required=1"
        );
        let cookie = session_cookie(&signed_in).unwrap();
        let today = client()
            .get(format!("{}/today", app.base))
            .header(header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(
            today.headers()[header::LOCATION],
            "/account/password?required=1"
        );
        assert_eq!(app.read_with(&cookie).await, StatusCode::FORBIDDEN);
        let page = client()
            .get(format!("{}/account/password?required=1", app.base))
            .header(header::COOKIE, &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("An admin set your password"), "{page}");
        let done = change(
            cookie.clone(),
            "an admin chose this one",
            "my own lantern again",
            "my own lantern again",
        )
        .await
        .unwrap();
        assert_eq!(done.headers()[header::LOCATION], "/today?saved=password");
        let cookie = session_cookie(&done).unwrap_or(cookie);
        assert_eq!(app.read_with(&cookie).await, StatusCode::OK, "{backend:?}");
    }
}

/// An admin makes an API token for a staff member through the REST API: in the answer once
/// (201), working at once, audited, listed by its dates only; no one but an admin can.
#[tokio::test]
async fn an_admin_makes_a_token_for_an_account_through_the_api() {
    for backend in backends().await {
        let app = app_with(backend, |_| {}).await;
        let url = format!("{}/api/v1/staff/{}/tokens", app.base, app.coach_id);
        let refused = client()
            .post(&url)
            .bearer_auth(&app.coach_token)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend:?}");
        let made = client()
            .post(&url)
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::CREATED, "{backend:?}");
        let token = made.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(token.starts_with("re_"), "{token}");
        let works = client()
            .get(format!("{}/api/v1/episodes", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(works.status(), StatusCode::OK, "{backend:?}");
        let listed: Value = client()
            .get(&url)
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
        assert!(!listed.to_string().contains(&token), "never listed");
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'token.created' AND actor = 'admin@example.test'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audited, 1, "{backend:?}");
        let nobody = client()
            .post(format!("{}/api/v1/staff/999999/tokens", app.base))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .unwrap();
        assert_eq!(nobody.status(), StatusCode::NOT_FOUND, "{backend:?}");
    }
}

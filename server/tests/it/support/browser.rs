//! Talking to the served app as a browser does: sign in through the form, ask for pages, send
//! the plain forms (redirects are not followed, so a test reads where each form sends it).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use reengage_server::cli::{config, demo};
use reengage_server::store::db::Backend;
use reengage_server::web::state::{AppState, Clock};
use reqwest::{Client, StatusCode, header};

use super::{TestDb, fresh_db, serve};

pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Noon in Oregon on Monday 2026-11-30 (after the Thanksgiving closures).
pub fn monday() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T20:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The demo branch loaded on `monday()` in a fresh database of `backend`, served with a
/// clock fixed there; the database and the base URL.
pub async fn demo_app(backend: Backend) -> (TestDb, String) {
    let test = fresh_db(backend).await;
    super::load_demo(&test.db, monday()).await;
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
    let mut state = AppState::new(options, test.db.clone()).with_clock(clock);
    state.demo = reengage_server::store::demo::is_demo(&test.db)
        .await
        .unwrap();
    let base = serve(state).await;
    (test, base)
}

/// Signs `email` in with the demo password (the admin with the tests' own); the session
/// cookie.
pub async fn sign_in(base: &str, email: &str) -> String {
    let password = if email == "admin@demo.test" {
        super::TEST_ADMIN_PASSWORD
    } else {
        demo::DEMO_PASSWORD
    };
    sign_in_with(base, email, password).await
}

/// The session cookie a response sets.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("reengage="))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// A code of the demo's TOTP key for `email` at `base` that this process has not used
/// before: the current step's, or a later one within the server's one-step allowance, or,
/// when those are used, the next step's once it comes (a code is accepted once only).
pub async fn fresh_code(base: &str, email: &str) -> String {
    use std::collections::HashMap;
    static USED: Mutex<Option<HashMap<(String, String), u64>>> = Mutex::new(None);
    let step_seconds = reengage_server::services::second_factor::STEP_SECONDS;
    loop {
        let now_step = u64::try_from(Utc::now().timestamp()).unwrap() / step_seconds;
        let chosen = {
            let mut used = USED.lock().unwrap();
            let used = used.get_or_insert_with(HashMap::new);
            let key = (base.to_owned(), email.to_owned());
            let step = used
                .get(&key)
                .map_or(now_step, |last| (last + 1).max(now_step));
            (step <= now_step + 1).then(|| {
                used.insert(key, step);
                step
            })
        };
        if let Some(step) = chosen {
            return reengage_server::services::second_factor::code_at(
                demo::DEMO_TOTP_SECRET,
                step * step_seconds,
            )
            .unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// Signs `email` in with `password` through the form, and with a fresh code of the demo's
/// key when the account asks for one; the session cookie.
pub async fn sign_in_with(base: &str, email: &str, password: &str) -> String {
    sign_in_giving(base, email, password, None).await
}

/// Signs `email` in with `password` and, when asked for one, `code` (a recovery code, say);
/// the session cookie.
pub async fn sign_in_with_code(base: &str, email: &str, password: &str, code: &str) -> String {
    sign_in_giving(base, email, password, Some(code)).await
}

async fn sign_in_giving(base: &str, email: &str, password: &str, code: Option<&str>) -> String {
    let response = client()
        .post(format!("{base}/signin"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let cookie = session_cookie(&response).unwrap();
    if response.headers()[header::LOCATION] == "/signin/code" {
        let code = match code {
            Some(code) => code.to_owned(),
            None => fresh_code(base, email).await,
        };
        let response = client()
            .post(format!("{base}/signin/code"))
            .header(header::COOKIE, &cookie)
            .form(&[("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()[header::LOCATION], "/today", "{email}");
        return session_cookie(&response).unwrap();
    }
    assert_eq!(response.headers()[header::LOCATION], "/today");
    cookie
}

/// A page as a browser asks for it: the status and the HTML.
pub async fn get(base: &str, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = client()
        .get(format!("{base}{path}"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Where a response redirects to; empty when it does not.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// A form's answer: its status, where it redirects to (empty when it does not), and its page.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub location: String,
    pub html: String,
}

/// Sends a plain form, as `post_form` does, keeping the page it answers with.
pub async fn submit(base: &str, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
    let response = client()
        .post(format!("{base}{path}"))
        .header(header::COOKIE, cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = location(&response);
    let html = response.text().await.unwrap();
    Answer {
        status,
        location,
        html,
    }
}

/// A refused form's answer: its page re-rendered in place (422) with what was typed and why,
/// never a redirect carrying the fields. The page.
pub fn refused_in_place(answer: Answer) -> String {
    assert_eq!(answer.status, 422, "refused in place: {answer:?}");
    assert!(answer.location.is_empty(), "no redirect: {answer:?}");
    assert!(
        answer.html.contains("role=\"alert\""),
        "the reason is shown: {}",
        answer.html
    );
    answer.html
}

/// The page a refused form was answered with (see [`refused_in_place`]).
pub async fn page_in_place(response: reqwest::Response) -> String {
    let status = response.status().as_u16();
    let location = location(&response);
    let html = response.text().await.unwrap();
    refused_in_place(Answer {
        status,
        location,
        html,
    })
}

/// Sends a plain form: the status and where it redirects to.
pub async fn post_form(
    base: &str,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = client()
        .post(format!("{base}{path}"))
        .header(header::COOKIE, cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    let location = location(&response);
    (response.status().as_u16(), location)
}

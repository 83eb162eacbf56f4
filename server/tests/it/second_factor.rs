//! The second factor of local accounts, through the server as a browser meets it, on both
//! backends: a supervisor cannot sign in with a password alone; the first sign-in sets up the
//! authenticator app and shows ten recovery codes once; a code and a recovery code are each
//! good once; wrong codes are throttled; an admin's reset makes the owner enrol again.

use chrono::Utc;
use reengage_server::services::Actor;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::services::second_factor::{self, STEP_SECONDS};
use reengage_server::web::throttle::PER_ACCOUNT_AND_ADDRESS;
use reqwest::header;

use crate::support::browser::{client, get, location, session_cookie};
use crate::support::{backends, fresh_db, serve};

const PASSWORD: &str = "correct horse battery staple";
const EMAIL: &str = "lead@example.test";

/// Posts the password; the pending session's cookie and where it leads.
async fn password(base: &str) -> (String, String) {
    let response = client()
        .post(format!("{base}/signin"))
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    (session_cookie(&response).unwrap(), location(&response))
}

/// Posts `code` on the session `cookie`; the new cookie (if any) and where it leads.
async fn code(base: &str, cookie: &str, code: &str) -> (Option<String>, String) {
    let response = client()
        .post(format!("{base}/signin/code"))
        .header(header::COOKIE, cookie)
        .form(&[("code", code)])
        .send()
        .await
        .unwrap();
    (session_cookie(&response), location(&response))
}

fn step_now() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap() / STEP_SECONDS
}

/// The text of the first `<code class="secret">` of a page.
fn secret_in(html: &str) -> String {
    let start = html
        .find(r#"<code class="secret">"#)
        .expect("the key on the page")
        + 21;
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

/// The recovery codes listed on a page.
fn codes_in(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn a_supervisor_signs_in_with_a_password_and_a_code_from_an_authenticator_app() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let admin = Actor {
            staff_id: None,
            email: "test".into(),
            role: reengage_core::roles::Role::Admin,
        };
        let staff = NewStaff {
            email: EMAIL.into(),
            name: "Lee Lead".into(),
            initials: "LL".into(),
            role: reengage_core::roles::Role::LeadWorker,
            branch: Some("Riverbend".into()),
            password: PASSWORD.into(),
            phone: None,
        };
        accounts::create_staff(&test.db, &admin, staff, Utc::now())
            .await
            .unwrap();
        let options =
            reengage_server::cli::config::leptos_options(Some("127.0.0.1:0".parse().unwrap()))
                .unwrap();
        let base = serve(reengage_server::web::state::AppState::new(
            options,
            test.db.clone(),
        ))
        .await;

        // The right password alone: a pending sign-in that opens nothing.
        let (pending, to) = password(&base).await;
        assert_eq!(to, "/signin/code", "{backend:?}");
        let (status, _) = get(&base, "/today", Some(&pending)).await;
        assert_ne!(status, 200, "{backend:?}: Today with a password alone");
        let api = client()
            .post(format!("{base}/app/today"))
            .header(header::COOKIE, &pending)
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(
            api.status(),
            401,
            "{backend:?}: a page's data with a password alone"
        );

        // First sign-in: the page sets up the app (a QR code and the key as text).
        let (status, html) = get(&base, "/signin/code", Some(&pending)).await;
        assert_eq!(status, 200, "{backend:?}");
        assert!(html.contains("Set up your sign-in code"), "{backend:?}");
        assert!(html.contains("<svg"), "{backend:?}: the QR code");
        let secret = secret_in(&html);
        let (_, again) = get(&base, "/signin/code", Some(&pending)).await;
        assert_eq!(
            secret_in(&again),
            secret,
            "{backend:?}: one key per sign-in"
        );
        assert!(
            !second_factor::enrolled(&test.db, 1).await.unwrap(),
            "{backend:?}: not enrolled before a code proves the app has the key"
        );

        // A wrong code: refused, nothing enrolled.
        let right = second_factor::code_at(&secret, step_now() * STEP_SECONDS).unwrap();
        let wrong = format!(
            "{:06}",
            (right.parse::<u32>().unwrap() + 500_000) % 1_000_000
        );
        let (_, to) = code(&base, &pending, &wrong).await;
        assert_eq!(to, "/signin/code?failed=1", "{backend:?}");
        assert!(!second_factor::enrolled(&test.db, 1).await.unwrap());

        // The app's code: enrolled, signed in, and ten recovery codes shown once.
        let (signed_in, to) = code(&base, &pending, &right).await;
        assert_eq!(to, "/account/recovery-codes", "{backend:?}");
        let signed_in = signed_in.expect("a new session id at sign-in");
        assert_ne!(signed_in, pending, "{backend:?}");
        let (status, html) = get(&base, "/account/recovery-codes", Some(&signed_in)).await;
        assert_eq!(status, 200, "{backend:?}");
        let recovery = codes_in(&html);
        assert_eq!(recovery.len(), 10, "{backend:?}: {html}");
        let (_, html) = get(&base, "/account/recovery-codes", Some(&signed_in)).await;
        assert!(codes_in(&html).is_empty(), "{backend:?}: shown once only");
        assert!(html.contains("shown once"), "{backend:?}");
        let (status, _) = get(&base, "/today", Some(&signed_in)).await;
        assert_eq!(status, 200, "{backend:?}");

        // The same code again: refused (RFC 6238 §5.2), however fast.
        let (pending, _) = password(&base).await;
        let (_, to) = code(&base, &pending, &right).await;
        assert_eq!(
            to, "/signin/code?failed=1",
            "{backend:?}: a code used twice"
        );

        // A recovery code (typed in capitals with a space): once.
        let typed = recovery[0].to_uppercase().replace('-', " ");
        let (cookie, to) = code(&base, &pending, &typed).await;
        assert_eq!(to, "/today", "{backend:?}: a recovery code");
        assert!(cookie.is_some());
        let (pending, _) = password(&base).await;
        let (_, to) = code(&base, &pending, &recovery[0]).await;
        assert_eq!(
            to, "/signin/code?failed=1",
            "{backend:?}: a recovery code twice"
        );

        // Wrong codes are throttled like wrong passwords.
        for _ in 1..PER_ACCOUNT_AND_ADDRESS {
            let (_, to) = code(&base, &pending, "000000x").await;
            assert_eq!(to, "/signin/code?failed=1", "{backend:?}");
        }
        let (_, to) = code(&base, &pending, &recovery[1]).await;
        assert_eq!(
            to, "/signin/code?throttled=1",
            "{backend:?}: even a right code once throttled"
        );

        // An admin's reset (a lost phone): the next sign-in enrols again.
        assert!(
            second_factor::remove(&test.db, &admin, EMAIL, Utc::now())
                .await
                .unwrap()
        );
        let (pending, _) = password(&base).await;
        let (_, html) = get(&base, "/signin/code", Some(&pending)).await;
        assert!(html.contains("Set up your sign-in code"), "{backend:?}");
        assert_ne!(secret_in(&html), secret, "{backend:?}: a new key");

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action LIKE 'second_factor.%' ORDER BY id",
        )
        .fetch_all(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(
            actions,
            [
                "second_factor.enrolled",
                "second_factor.recovery_code_used",
                "second_factor.removed"
            ],
            "{backend:?}: each change of the second factor is audited"
        );
    }
}

#[tokio::test]
async fn a_coach_signs_in_with_a_password_alone() {
    for backend in backends().await {
        let (_test, base) = crate::support::browser::demo_app(backend).await;
        let response = client()
            .post(format!("{base}/signin"))
            .form(&[
                ("email", "coach@demo.test"),
                ("password", reengage_server::cli::demo::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), "/today", "{backend:?}");
    }
}

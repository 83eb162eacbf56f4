//! What the phone's offline app (public/sw.js, public/pwa.js) relies on from the server,
//! on both backends: a signed-out page comes back after sign-in (only a page of the app, only
//! its path); every page names its person for the phone's cache; "Stay signed in" keeps a
//! session; a refused form says why in a header, and a saved one names the version it left.

use crate::support::backends;
use crate::support::browser::{client, demo_app, get, location, post_form, sign_in};
use reengage_server::web::offline::person_key;
use reqwest::header;

async fn staff_id(db: &reengage_server::store::db::Db, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn version(db: &reengage_server::store::db::Db, id: i64) -> i64 {
    sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Signs in through the form with `next`; where it leads.
async fn sign_in_to(base: &str, password: &str, next: &str) -> String {
    let response = client()
        .post(format!("{base}/signin"))
        .form(&[
            ("email", "coach@demo.test"),
            ("password", password),
            ("next", next),
        ])
        .send()
        .await
        .unwrap();
    location(&response)
}

#[tokio::test]
async fn a_page_whose_session_ended_is_returned_to_after_sign_in_and_only_such_a_page() {
    for backend in backends().await {
        let (_test, base) = demo_app(backend).await;
        // Signed out, a page and a form lead to sign in with the page (its path alone).
        for (path, next) in [("/episodes/9", "/episodes/9"), ("/today?coach=3", "/today")] {
            let response = client()
                .get(format!("{base}{path}"))
                .header(header::ACCEPT, "text/html")
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_redirection(),
                "{backend:?} {path}: {}",
                response.status()
            );
            assert_eq!(
                location(&response),
                format!("/signin?next={next}"),
                "{backend:?}"
            );
        }
        let (status, to) = post_form(
            &base,
            "/episodes/9/attempt",
            "reengage_session=gone",
            &[("version", "1"), ("note", "typed at the door")],
        )
        .await;
        assert_eq!(
            (status, to.as_str()),
            (303, "/signin?next=/episodes/9/attempt"),
            "{backend:?}"
        );
        // The sign-in page says why and carries the page on.
        let (_, html) = get(&base, "/signin?next=/episodes/9/attempt", None).await;
        assert!(html.contains("Your session ended."), "{backend:?}");
        assert!(
            html.contains(r#"name="next" value="/episodes/9/attempt""#),
            "{backend:?}"
        );
        // Signing in returns there; a wrong password keeps it; anything but a page of the
        // app leads to Today.
        let password = reengage_server::cli::demo::DEMO_PASSWORD;
        assert_eq!(
            sign_in_to(&base, "wrong password here", "/episodes/9").await,
            "/signin?failed=1&next=/episodes/9"
        );
        assert_eq!(
            sign_in_to(&base, password, "/episodes/9/attempt").await,
            "/episodes/9/attempt"
        );
        for elsewhere in [
            "//evil.example/today",
            "https://evil.example/",
            "/api/v1/episodes",
            "/today?x=1",
        ] {
            assert_eq!(
                sign_in_to(&base, password, elsewhere).await,
                "/today",
                "{backend:?} {elsewhere}"
            );
        }
    }
}

#[tokio::test]
async fn pages_name_their_person_and_stay_signed_in_keeps_the_session() {
    for backend in backends().await {
        let (test, base) = demo_app(backend).await;
        let coach = sign_in(&base, "coach@demo.test").await;
        let response = client()
            .get(format!("{base}/today"))
            .header(header::COOKIE, &coach)
            .send()
            .await
            .unwrap();
        let key = person_key(staff_id(&test.db, "coach@demo.test").await);
        assert_eq!(response.headers()["x-reengage-person"], key.as_str());
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!(r#"<meta name="reengage-person" content="{key}""#)));
        assert!(html.contains(r#"<meta name="reengage-idle-minutes" content=""#));
        assert!(html.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
        // Another person's pages are filed apart; a signed-out page names no one.
        let aide = sign_in(&base, "aide@demo.test").await;
        let response = client()
            .get(format!("{base}/today"))
            .header(header::COOKIE, &aide)
            .send()
            .await
            .unwrap();
        assert_ne!(response.headers()["x-reengage-person"], key.as_str());
        let response = client().get(format!("{base}/signin")).send().await.unwrap();
        assert!(response.headers().get("x-reengage-person").is_none());
        assert!(!response.text().await.unwrap().contains("reengage-person"));

        // "Stay signed in".
        let alive = |cookie: Option<String>| {
            let base = base.clone();
            async move {
                let mut request = client().post(format!("{base}/session/alive"));
                if let Some(cookie) = cookie {
                    request = request.header(header::COOKIE, cookie);
                }
                request.send().await.unwrap().status().as_u16()
            }
        };
        assert_eq!(alive(Some(coach.clone())).await, 204, "{backend:?}");
        assert_eq!(alive(None).await, 401, "{backend:?}");
    }
}

#[tokio::test]
async fn a_saved_form_names_the_version_it_left_and_a_refused_one_says_why_in_a_header() {
    for backend in backends().await {
        let (test, base) = demo_app(backend).await;
        let coach = sign_in(&base, "coach@demo.test").await;
        let id = 9;
        let before = version(&test.db, id).await;
        let attempt = |version: i64| {
            let base = base.clone();
            let coach = coach.clone();
            async move {
                client()
                    .post(format!("{base}/episodes/{id}/attempt"))
                    .header(header::COOKIE, coach)
                    .form(&[
                        ("version", version.to_string().as_str()),
                        ("on", "2026-11-30"),
                        ("method", "Phone"),
                        ("outcome", "MessageLeft"),
                        ("window", "2"),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let saved = attempt(before).await;
        let after = version(&test.db, id).await;
        assert!(after > before, "{backend:?}");
        assert_eq!(
            location(&saved),
            format!("/episodes/{id}?saved=attempt&version={after}"),
            "{backend:?}"
        );
        // The same step again, on the version it was based on: refused, with the reason the
        // phone's queue shows (percent-encoded), and nothing written.
        let stale = attempt(before).await;
        assert_eq!(stale.status().as_u16(), 422, "{backend:?}");
        let reason = stale.headers()["x-reengage-refusal"]
            .to_str()
            .unwrap()
            .to_owned();
        let reason: String = form_urlencoded::parse(format!("r={reason}").as_bytes())
            .map(|(_, value)| value.into_owned())
            .collect();
        assert!(
            reason.starts_with("This episode changed since you opened it (attempt logged by "),
            "{backend:?}: {reason}"
        );
        assert!(stale.text().await.unwrap().contains("role=\"alert\""));
        assert_eq!(version(&test.db, id).await, after, "{backend:?}");
    }
}

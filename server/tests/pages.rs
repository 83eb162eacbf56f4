//! The pages' server side on the real router with the demo branch: the Today list of the
//! signed-in person (core's worklist), whole HTML without JavaScript, and the same access
//! answers as the REST API for its server function.

mod support;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use reengage_server::db::Backend;
use reengage_server::http::{AppState, Clock};
use reengage_server::{config, demo};
use reqwest::{Client, StatusCode, header};
use support::{backends, fresh_db, serve};

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Noon in Oregon on Monday 2026-11-30 (after the Thanksgiving closures).
fn monday() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T20:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn sign_in(base: &str, email: &str) -> String {
    let response = client()
        .post(format!("{base}/signin"))
        .form(&[("email", email), ("password", demo::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/today");
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("reengage="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .unwrap()
}

async fn get(base: &str, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    // As a browser asks for a page.
    let mut request = client()
        .get(format!("{base}{path}"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn today_lists_the_coachs_work_most_urgent_first_as_whole_html() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        demo::load(&test.db, monday()).await.unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, test.db.clone()).with_clock(clock)).await;

        // Signed out: sent to sign in.
        let response = client()
            .get(format!("{base}/today"))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        assert_eq!(response.headers()[header::LOCATION], "/signin");

        let coach = sign_in(&base, "coach@demo.test").await;
        let (status, html) = get(&base, "/today", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        assert!(html.contains("<h1>Today</h1>"), "{html}");
        assert!(html.contains("Monday, November 30, 2026"), "{html}");
        // The counts, and the groups in order: overdue before due today before upcoming.
        assert!(html.contains(" overdue · "), "{html}");
        let at = |text: &str| html.find(text);
        let overdue = at(">Overdue<").expect("an overdue group");
        if let Some(due_today) = at(">Due today<") {
            assert!(overdue < due_today);
        }
        if let (Some(risk), Some(upcoming)) =
            (at(">At risk — due next business day<"), at(">Upcoming<"))
        {
            assert!(risk < upcoming);
        }
        // Rows say what, by when and why, with the rule; a phone in service is a call link,
        // one out of service suggests an offsite visit (R7).
        assert!(
            html.contains("business day") && html.contains("(R"),
            "{html}"
        );
        assert!(html.contains("href=\"tel:555-01"), "{html}");
        assert!(html.contains("consider an offsite visit (R7)"), "{html}");

        // A contractor's Today holds only its referrals; an admin has no case list.
        let contractor = sign_in(&base, "contractor@demo.test").await;
        let (status, mine) = get(&base, "/today", Some(&contractor)).await;
        assert_eq!(status, StatusCode::OK);
        let rows = |page: &str| page.matches("class=\"work-row").count();
        assert!(rows(&mine) > 0 && rows(&mine) < rows(&html), "{mine}");
        let admin = sign_in(&base, "admin@demo.test").await;
        let (status, page) = get(&base, "/today", Some(&admin)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(page.contains("Your role does not allow this"), "{page}");
    }
}

#[tokio::test]
async fn the_today_server_function_answers_like_the_api() {
    let test = fresh_db(Backend::Sqlite).await;
    demo::load(&test.db, monday()).await.unwrap();
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
    let base = serve(AppState::new(options, test.db.clone()).with_clock(clock)).await;
    let call = |cookie: Option<String>| {
        let mut request = client()
            .post(format!("{base}/app/today"))
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.send()
    };
    assert_eq!(call(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let coach = sign_in(&base, "coach@demo.test").await;
    let answer = call(Some(coach)).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let view: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(view["today"], "2026-11-30");
    assert!(!view["rows"].as_array().unwrap().is_empty());
    let admin = sign_in(&base, "admin@demo.test").await;
    assert_eq!(
        call(Some(admin)).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_episode_page_shows_who_where_it_stands_and_every_deadline() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        demo::load(&test.db, monday()).await.unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, test.db.clone()).with_clock(clock)).await;
        // An episode referred to the contractor (every fourth demo participant), with attempts.
        let id: i64 = sqlx::query_scalar(
            "SELECT e.id FROM episodes e JOIN participants p ON p.id = e.participant_id \
             WHERE p.contractor_id IS NOT NULL AND EXISTS (SELECT 1 FROM attempts a WHERE a.episode_id = e.id) \
             ORDER BY e.id LIMIT 1",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let coach = sign_in(&base, "coach@demo.test").await;
        let (status, html) = get(&base, &format!("/episodes/{id}"), Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for part in [
            "Case number",
            "DEMO-",
            "Example Street",
            "aria-current=\"step\"",
            "Deadlines on Monday, November 30, 2026",
            "<td>R2</td>",
            "Contact attempts",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        assert!(
            html.contains("Met on ") || html.contains("Overdue by "),
            "{html}"
        );
        // The history names each attempt's method and outcome in words (R7, R10).
        assert!(html.contains("Phone, message left, by CD"), "{html}");
        // Today's rows open this page.
        let (_, today) = get(&base, "/today", Some(&coach)).await;
        assert!(today.contains("href=\"/episodes/"), "{today}");

        // The contractor it is referred to sees it without the address or the next action.
        let contractor = sign_in(&base, "contractor@demo.test").await;
        let (status, html) = get(&base, &format!("/episodes/{id}"), Some(&contractor)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !html.contains("Example Street") && !html.contains("Next action"),
            "{html}"
        );
        // Another episode is out of its reach; and no such episode is a 404 for anyone.
        let other: i64 = sqlx::query_scalar(
            "SELECT e.id FROM episodes e JOIN participants p ON p.id = e.participant_id \
             WHERE p.contractor_id IS NULL ORDER BY e.id LIMIT 1",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let (status, _) = get(&base, &format!("/episodes/{other}"), Some(&contractor)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, html) = get(&base, "/episodes/999999", Some(&coach)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("There is no episode 999999."), "{html}");
        let (status, _) = get(&base, "/episodes/not-a-number", Some(&coach)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_attempt_form_saves_in_two_taps_and_a_refusal_keeps_what_was_typed() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        demo::load(&test.db, monday()).await.unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, test.db.clone()).with_clock(clock)).await;
        let coach = sign_in(&base, "coach@demo.test").await;
        // An open episode with no attempt yet.
        let (id, version, missed): (i64, i64, String) = sqlx::query_as(
            "SELECT e.id, e.version, e.missed_on FROM episodes e WHERE e.closed = 0 \
             AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.episode_id = e.id) ORDER BY e.id LIMIT 1",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();

        // The form, with the feedback for its defaults (phone, message left, 2 days): R9.
        let (status, html) = get(&base, &format!("/episodes/{id}/attempt"), Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            html.contains(
                "Follow-up due by Wednesday, December 2, 2026 if there is no reply. (R9)"
            ),
            "{html}"
        );

        let post = |fields: Vec<(&'static str, String)>| {
            client()
                .post(format!("{base}/episodes/{id}/attempt"))
                .header(header::COOKIE, &coach)
                .form(&fields)
                .send()
        };
        // Refused by core (R2 order: before the miss): back to the form, nothing lost.
        let before = (chrono::NaiveDate::parse_from_str(&missed, "%Y-%m-%d").unwrap()
            - chrono::Days::new(1))
        .to_string();
        let refused = post(vec![
            ("version", version.to_string()),
            ("on", before.clone()),
            ("method", "Email".into()),
            ("outcome", "MessageLeft".into()),
            ("window", "3".into()),
            ("note", "Sent the class schedule".into()),
        ])
        .await
        .unwrap();
        assert_eq!(refused.status(), StatusCode::SEE_OTHER);
        let back = refused.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            back.starts_with(&format!("/episodes/{id}/attempt?")),
            "{back}"
        );
        let (_, html) = get(&base, &back, Some(&coach)).await;
        assert!(html.contains("role=\"alert\""), "{html}");
        assert!(
            html.contains("before the miss") || html.contains("before"),
            "{html}"
        );
        assert!(html.contains(&format!("value=\"{before}\"")), "{html}");
        assert!(html.contains("Sent the class schedule"), "{html}");
        assert!(
            html.contains("id=\"method-Email\"") && html.contains("checked"),
            "{html}"
        );
        let attempts = || async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM attempts WHERE episode_id = $1")
                .bind(id)
                .fetch_one(&test.db.pool)
                .await
                .unwrap()
        };
        assert_eq!(attempts().await, 0);

        // Two taps: the defaults, saved.
        let saved = post(vec![
            ("version", version.to_string()),
            ("on", "2026-11-30".into()),
            ("method", "Phone".into()),
            ("outcome", "MessageLeft".into()),
            ("window", "2".into()),
        ])
        .await
        .unwrap();
        assert_eq!(
            saved.headers()[header::LOCATION],
            format!("/episodes/{id}?saved=attempt")
        );
        assert_eq!(attempts().await, 1);
        // The same version again is stale: back to the form with what changed.
        let stale = post(vec![
            ("version", version.to_string()),
            ("on", "2026-11-30".into()),
            ("method", "Phone".into()),
            ("outcome", "NoAnswer".into()),
        ])
        .await
        .unwrap();
        let back = stale.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(back.contains("error=This+episode+changed"), "{back}");
        assert_eq!(attempts().await, 1);

        // R11: an offsite visit that finds the address invalid adds the ONE request.
        let (record, _, _) = reengage_server::services::episodes::read(&test.db, id, monday())
            .await
            .unwrap();
        let visit = post(vec![
            ("version", record.version.to_string()),
            ("on", "2026-11-30".into()),
            ("method", "OffsiteVisit".into()),
            ("outcome", "AddressInvalid".into()),
            ("window", "2".into()),
        ])
        .await
        .unwrap();
        assert_eq!(
            visit.headers()[header::LOCATION],
            format!("/episodes/{id}?saved=attempt")
        );
        let (record, _, _) = reengage_server::services::episodes::read(&test.db, id, monday())
            .await
            .unwrap();
        assert_eq!(record.facts.attempts.len(), 2);
        assert_eq!(
            record.facts.attempts[1].response_window, None,
            "no window without a message"
        );
        assert!(
            record
                .facts
                .missing_info
                .iter()
                .any(|m| m.kind == reengage_core::episode::MissingInfoKind::AddressVerification),
            "{:?}",
            record.facts.missing_info
        );
    }
}

#[tokio::test]
async fn the_appointment_form_says_the_mailing_day_and_refuses_a_day_too_soon_in_place() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        demo::load(&test.db, monday()).await.unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, test.db.clone()).with_clock(clock)).await;
        let coach = sign_in(&base, "coach@demo.test").await;
        // The demo's fourth episode waits for its invitation (R12).
        let (status, episode) = get(&base, "/episodes/4", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            episode.contains("href=\"/episodes/4/appointment\""),
            "{episode}"
        );

        // Business days only; the earliest day the notice can still reach is picked, and
        // the page says when to mail (R15, R16).
        let (status, html) = get(&base, "/episodes/4/appointment", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            html.contains("<option value=\"2026-12-07\" selected"),
            "{html}"
        );
        assert!(
            !html.contains("value=\"2026-12-05\""),
            "a Saturday is offered: {html}"
        );
        assert!(
            html.contains("Notice DHS 7869 must be mailed by Monday, November 30, 2026 (R15)."),
            "{html}"
        );

        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = 4")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let post = |on: &'static str| {
            client()
                .post(format!("{base}/episodes/4/appointment"))
                .header(header::COOKIE, &coach)
                .form(&[("version", version.to_string()), ("on", on.to_owned())])
                .send()
        };
        // Friday 12-04: the notice would have to have gone by 11-25 — too soon, in place.
        let refused = post("2026-12-04").await.unwrap();
        let back = refused.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(back.starts_with("/episodes/4/appointment?"), "{back}");
        let (_, html) = get(&base, &back, Some(&coach)).await;
        assert!(
            html.contains("earliest appointment is Monday, December 7, 2026 (R15)."),
            "{html}"
        );
        assert!(
            html.contains("<option value=\"2026-12-04\" selected"),
            "{html}"
        );
        let scheduled: Option<String> =
            sqlx::query_scalar("SELECT appointment_on FROM episodes WHERE id = 4")
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(scheduled, None);

        let saved = post("2026-12-08").await.unwrap();
        assert_eq!(
            saved.headers()[header::LOCATION],
            "/episodes/4?saved=appointment"
        );
        let (_, episode) = get(&base, "/episodes/4?saved=appointment", Some(&coach)).await;
        assert!(episode.contains("The appointment is saved."), "{episode}");
        assert!(episode.contains("Mail the DHS 7869 notice"), "{episode}");
    }
}

#[tokio::test]
async fn the_notice_form_says_in_time_or_late_with_the_fix_and_the_server_agrees() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        demo::load(&test.db, monday()).await.unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let now = Arc::new(Mutex::new(monday()));
        let base =
            serve(AppState::new(options, test.db.clone()).with_clock(Clock::fixed(now.clone())))
                .await;
        let coach = sign_in(&base, "coach@demo.test").await;
        // The demo's fifth episode: appointment Thursday 12-10, notice not yet mailed.
        let (_, episode) = get(&base, "/episodes/5", Some(&coach)).await;
        assert!(episode.contains("href=\"/episodes/5/notice\""), "{episode}");
        let (status, html) = get(&base, "/episodes/5/notice", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("In time: at least 7 days before the appointment on Thursday, December 10, 2026 (mail by Thursday, December 3, 2026, R15)."), "{html}");

        // Friday 12-04: too late for Thursday's appointment — refused with the fix, in place.
        *now.lock().unwrap() = DateTime::parse_from_rfc3339("2026-12-04T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        // Four days on, past the session's 12-hour limit: sign in again.
        let coach = sign_in(&base, "coach@demo.test").await;
        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = 5")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let post = |on: &'static str| {
            client()
                .post(format!("{base}/episodes/5/notice"))
                .header(header::COOKIE, &coach)
                .form(&[("version", version.to_string()), ("on", on.to_owned())])
                .send()
        };
        let late = post("2026-12-04").await.unwrap();
        let back = late.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(back.starts_with("/episodes/5/notice?"), "{back}");
        let (_, html) = get(&base, &back, Some(&coach)).await;
        assert!(
            html.contains(
                "Reschedule the appointment to Friday, December 11, 2026 or later (R15)."
            ),
            "{html}"
        );
        assert!(html.contains("value=\"2026-12-04\""), "{html}");
        let mailed: Option<String> =
            sqlx::query_scalar("SELECT notice_mailed_on FROM episodes WHERE id = 5")
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(mailed, None);
        // Mailed in time on Tuesday 12-01: saved.
        let saved = post("2026-12-01").await.unwrap();
        assert_eq!(
            saved.headers()[header::LOCATION],
            "/episodes/5?saved=notice"
        );
        let (_, episode) = get(&base, "/episodes/5?saved=notice", Some(&coach)).await;
        assert!(episode.contains("The notice is saved."), "{episode}");
        assert!(
            !episode.contains("href=\"/episodes/5/notice\""),
            "{episode}"
        );
    }
}

//! The pages' server side on the real router with the demo branch: the Today list of the
//! signed-in person (core's worklist), whole HTML without JavaScript, and the same access
//! answers as the REST API for its server function.

use std::sync::{Arc, Mutex};

use crate::support::browser::{
    client, get, monday, page_in_place, post_form, refused_in_place, sign_in, submit,
};
use crate::support::{backends, fresh_db, serve};
use chrono::{DateTime, Utc};
use reengage_server::cli::config;
use reengage_server::services::Actor;
use reengage_server::services::participants::{self, NewParticipant};
use reengage_server::store::db::Backend;
use reengage_server::web::state::{AppState, Clock};
use reqwest::{StatusCode, header};

#[tokio::test]
async fn today_lists_the_coachs_work_most_urgent_first_as_whole_html() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        crate::support::load_demo(&test.db, monday()).await;
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
        // …and back to Today once signed in.
        assert_eq!(response.headers()[header::LOCATION], "/signin?next=/today");

        let coach = sign_in(&base, "coach@demo.test").await;
        let (status, html) = get(&base, "/today", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        // A server not told its database is the demo's labels nothing.
        assert!(!html.contains("demo-banner"), "{html}");
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
        // Server HTML only: Today has no island, so none of its data travels again as JSON
        // for the wasm; the stylesheet comes before the wasm's preload, which must not take
        // the bandwidth first; and the islands' loader is there for the mark every page has.
        assert!(!html.contains("data-props"), "{html}");
        let css = at("rel=\"stylesheet\"").expect("the stylesheet");
        let wasm = at(".wasm\"").expect("the wasm preload");
        assert!(css < wasm, "{html}");
        assert!(html.contains("<leptos-island"), "{html}");

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
    crate::support::load_demo(&test.db, monday()).await;
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

/// Routers built while pages render (as tests each build their own, or a second listener would):
/// no render waits for ever. Listing the pages' routes holds resources back for the whole
/// process; each page is answered within the time-out, none hangs.
#[tokio::test]
async fn pages_render_while_other_routers_are_built() {
    let test = fresh_db(Backend::Sqlite).await;
    crate::support::load_demo(&test.db, monday()).await;
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
    let state = AppState::new(options, test.db.clone()).with_clock(clock);
    let base = serve(state.clone()).await;
    let coach = sign_in(&base, "coach@demo.test").await;

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = std::thread::spawn({
        let stop = stop.clone();
        move || {
            let mut built = 0_u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                drop(reengage_server::router::router(state.clone()));
                built += 1;
            }
            built
        }
    });
    for n in 0..20 {
        let page = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            get(&base, "/today", Some(&coach)),
        )
        .await;
        if page.is_err() {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let (status, html) = page.unwrap_or_else(|_| {
            panic!("page {n} was not answered within 20 s while other routers were built")
        });
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<h1>Today</h1>"), "{html}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let built = builder.join().expect("the router builder");
    assert!(built > 0, "no router was built meanwhile");
}

#[tokio::test]
async fn the_episode_page_shows_who_where_it_stands_and_every_deadline() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        crate::support::load_demo(&test.db, monday()).await;
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
        crate::support::load_demo(&test.db, monday()).await;
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
        let html = page_in_place(refused).await;
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
        assert!(
            saved_at(
                saved.headers()[header::LOCATION].to_str().unwrap(),
                id,
                "attempt"
            ),
            "{:?}",
            saved.headers()[header::LOCATION]
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
        let html = page_in_place(stale).await;
        assert!(html.contains("This episode changed"), "{html}");
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
        assert!(
            saved_at(
                visit.headers()[header::LOCATION].to_str().unwrap(),
                id,
                "attempt"
            ),
            "{:?}",
            visit.headers()[header::LOCATION]
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
        crate::support::load_demo(&test.db, monday()).await;
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
        let html = page_in_place(refused).await;
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

/// The quick forms answer on the office's calendar, the one the server checks with: a closure
/// day of the branch is no business day in an attempt's follow-up (R9) nor among the
/// appointment days offered (R16), in the page as the server renders it and in the state its
/// island starts from.
#[tokio::test]
async fn the_quick_forms_count_the_offices_closure_days() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        crate::support::load_demo(&test.db, monday()).await;
        sqlx::query(
            "INSERT INTO office_closures (branch_id, on_date, name) \
             SELECT branch_id, '2026-12-01', 'Ice storm' FROM staff WHERE email = 'coach@demo.test'",
        )
        .execute(&test.db.pool)
        .await
        .unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, test.db.clone()).with_clock(clock)).await;
        let coach = sign_in(&base, "coach@demo.test").await;
        let id: i64 = sqlx::query_scalar(
            "SELECT e.id FROM episodes e WHERE e.closed = 0 \
             AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.episode_id = e.id) ORDER BY e.id LIMIT 1",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();

        // Monday's voicemail, two business days: Wednesday without the closure, Thursday with.
        let (status, html) = get(&base, &format!("/episodes/{id}/attempt"), Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            html.contains("Follow-up due by Thursday, December 3, 2026 if there is no reply. (R9)"),
            "{backend:?}: {html}"
        );

        let (status, html) = get(&base, "/episodes/4/appointment", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            !html.contains("value=\"2026-12-01\""),
            "{backend:?}: the closure is offered: {html}"
        );
        assert!(html.contains("value=\"2026-12-02\""), "{html}");
    }
}

#[tokio::test]
async fn the_notice_form_says_in_time_or_late_with_the_fix_and_the_server_agrees() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        crate::support::load_demo(&test.db, monday()).await;
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
        let html = page_in_place(late).await;
        assert!(
            html.contains(
                "Reschedule the appointment to Friday, December 11, 2026 or later and mail a new notice for it (R15)."
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

/// The demo on Monday 2026-11-30, served; the coach's session.
async fn demo_app(backend: Backend) -> (crate::support::TestDb, String, String) {
    let test = fresh_db(backend).await;
    crate::support::load_demo(&test.db, monday()).await;
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
    let mut state = AppState::new(options, test.db.clone()).with_clock(clock);
    state.demo = reengage_server::store::demo::is_demo(&test.db)
        .await
        .unwrap();
    let base = serve(state).await;
    let coach = sign_in(&base, "coach@demo.test").await;
    (test, base, coach)
}

/// A participant of the demo coach's with no open episode.
async fn free_participant(test: &crate::support::TestDb, skip: i64) -> (i64, String) {
    sqlx::query_as(
        "SELECT p.id, p.display_name FROM participants p \
         JOIN staff s ON s.id = p.coach_id AND s.email = 'coach@demo.test' \
         WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.participant_id = p.id AND e.closed = 0) \
         ORDER BY p.id LIMIT 1 OFFSET $1",
    )
    .bind(skip)
    .fetch_one(&test.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_missed_activity_form_says_when_contact_is_due_and_opens_the_episode() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let (participant, name) = free_participant(&test, 0).await;
        // R2: today's miss is due tomorrow, said on the page before anything is sent.
        let (status, html) = get(&base, "/missed", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains(&format!("value=\"{participant}\"")), "{html}");
        assert!(
            html.contains("First contact due by Tuesday, December 1 — 1 business day after the missed activity. (R2)"),
            "{html}"
        );
        // A miss dated tomorrow is refused back to the form with everything typed (R1).
        let participant_text = participant.to_string();
        let typed = [
            ("participant", participant_text.as_str()),
            ("kind", "MissedJobsAppointment"),
            ("what", "JOBS appointment (PE)"),
            ("on", "2026-12-01"),
            ("at", "09:00"),
        ];
        let html = refused_in_place(submit(&base, "/missed", &coach, &typed).await);
        assert!(html.contains("is in the future"), "{html}");
        assert!(html.contains("value=\"JOBS appointment (PE)\""), "{html}");
        assert!(html.contains("value=\"2026-12-01\""), "{html}");
        assert!(html.contains("value=\"09:00\""), "{html}");
        assert!(
            html.contains(&format!("value=\"{participant}\" selected")),
            "{html}"
        );
        // Dated today at 9:00: the episode opens, and the R3 call is the next action.
        let mut today = typed;
        today[3] = ("on", "2026-11-30");
        let (status, to) = post_form(&base, "/missed", &coach, &today).await;
        assert_eq!(status, 303);
        let id: i64 =
            sqlx::query_scalar("SELECT id FROM episodes WHERE participant_id = $1 AND closed = 0")
                .bind(participant)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(to, format!("/episodes/{id}?saved=miss"));
        let (_, html) = get(&base, &to, Some(&coach)).await;
        assert!(html.contains("The missed activity is recorded"), "{html}");
        assert!(html.contains(&format!("Call {name} by 9:10 am")), "{html}");
        // The participant is no longer offered; a second miss for them is refused in place.
        let (_, html) = get(&base, "/missed", Some(&coach)).await;
        assert!(
            !html.contains(&format!("value=\"{participant}\"")),
            "{html}"
        );
        let html = refused_in_place(submit(&base, "/missed", &coach, &today).await);
        assert!(
            html.contains("already has an open re-engagement episode"),
            "{html}"
        );

        // A contractor's report is the contractor's (R5), whatever the form says.
        let contractor = sign_in(&base, "contractor@demo.test").await;
        // A new referral (every demo referral already has an open episode).
        let (branch, contractor_id): (i64, i64) =
            sqlx::query_as("SELECT branch_id, id FROM staff WHERE email = 'contractor@demo.test'")
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        let referred = participants::create(
            &test.db,
            &Actor {
                staff_id: None,
                email: "test".into(),
                role: reengage_core::roles::Role::Admin,
            },
            NewParticipant {
                branch_id: branch,
                case_number: "REFERRAL-1".into(),
                first_name: "Rowan".into(),
                last_name: "Referral".into(),
                display_name: None,
                phone: None,
                email: None,
                address: None,
                coach_id: None,
                contractor_id: Some(contractor_id),
                language: None,
            },
            monday(),
        )
        .await
        .unwrap();
        let referred_text = referred.to_string();
        let (status, _) = post_form(
            &base,
            "/missed",
            &contractor,
            &[
                ("participant", referred_text.as_str()),
                ("kind", "MissedContractorAppointment"),
                ("what", "job search workshop"),
                ("on", "2026-11-30"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let reported: String = sqlx::query_scalar(
            "SELECT reported_by FROM episodes WHERE participant_id = $1 AND closed = 0",
        )
        .bind(referred)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(reported, "Contractor");
    }
}

#[tokio::test]
async fn contact_made_in_time_adjusts_the_plan_and_later_says_what_policy_requires() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let open = |participant: i64, on: &'static str| {
            let base = base.clone();
            let coach = coach.clone();
            async move {
                let participant = participant.to_string();
                post_form(
                    &base,
                    "/missed",
                    &coach,
                    &[
                        ("participant", participant.as_str()),
                        ("kind", "MissedCoachAppointment"),
                        ("what", "orientation"),
                        ("on", on),
                    ],
                )
                .await
            }
        };
        let episode_of = |participant: i64| {
            let pool = test.db.pool.clone();
            async move {
                let (id, version): (i64, i64) = sqlx::query_as(
                    "SELECT id, version FROM episodes WHERE participant_id = $1 ORDER BY id DESC LIMIT 1",
                )
                .bind(participant)
                .fetch_one(&pool)
                .await
                .unwrap();
                (id, version)
            }
        };
        // Missed Wednesday 11-25: Monday 11-30 is within two business days (R8).
        let (on_time, _) = free_participant(&test, 0).await;
        open(on_time, "2026-11-25").await;
        let (id, version) = episode_of(on_time).await;
        let (_, html) = get(&base, &format!("/episodes/{id}/contact"), Some(&coach)).await;
        assert!(
            html.contains("Contact met the target (by Tuesday, December 1)."),
            "{html}"
        );
        let version = version.to_string();
        let (status, to) = post_form(
            &base,
            &format!("/episodes/{id}/contact"),
            &coach,
            &[
                ("version", version.as_str()),
                ("on", "2026-11-30"),
                ("plan_adjusted", "yes"),
                ("step_code", "SW"),
                ("step_on", "2026-12-02"),
            ],
        )
        .await;
        assert!(
            status == 303 && saved_at(&to, id, "contact"),
            "{status} {to}"
        );
        let (closed, stage): (i64, String) =
            sqlx::query_as("SELECT closed, stage FROM episodes WHERE id = $1")
                .bind(id)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!((closed, stage.as_str()), (1, "ContactMade"));
        let steps: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pdp_steps WHERE participant_id = $1 AND code = 'SW' AND starts_on = '2026-12-02'",
        )
        .bind(on_time)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(steps, 1);
        // The contact's narrative is drafted for TRACS (R4, R8).
        let (_, html) = get(&base, &format!("/episodes/{id}"), Some(&coach)).await;
        assert!(
            html.contains("Engagement narrative — draft from contact"),
            "{html}"
        );
        assert!(
            html.contains("The case plan was adjusted with the agreed updated plan"),
            "{html}"
        );

        // Missed Friday 11-20: the two business days ended Tuesday 11-24. R8 is a target, not a
        // gate: the page says the contact is late, and the plan is adjusted all the same.
        let (late, _) = free_participant(&test, 1).await;
        open(late, "2026-11-20").await;
        let (id, version) = episode_of(late).await;
        let (_, html) = get(&base, &format!("/episodes/{id}/contact"), Some(&coach)).await;
        assert!(
            html.contains(
                "Contact came after the target (by Tuesday, November 24): it counts as late"
            ),
            "{html}"
        );
        assert!(
            html.contains("schedule a re-engagement appointment. (R12)"),
            "{html}"
        );
        // The plan's fields are not turned off for a late contact.
        assert!(
            !html.contains("<fieldset class=\"choices\" disabled"),
            "{html}"
        );
        // A day before the miss is refused, with everything kept.
        let version_text = version.to_string();
        let html = refused_in_place(
            submit(
                &base,
                &format!("/episodes/{id}/contact"),
                &coach,
                &[
                    ("version", version_text.as_str()),
                    ("on", "2026-11-19"),
                    ("plan_adjusted", "yes"),
                ],
            )
            .await,
        );
        assert!(html.contains("is dated before the miss"), "{html}");
        assert!(html.contains("value=\"2026-11-19\""), "{html}");
        let contact: Option<String> =
            sqlx::query_scalar("SELECT contact_on FROM episodes WHERE id = $1")
                .bind(id)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(contact, None, "nothing is stored on a refusal");
        // Late, adjusted: closed as re-engaged; the target is shown as late.
        let (status, to) = post_form(
            &base,
            &format!("/episodes/{id}/contact"),
            &coach,
            &[
                ("version", version_text.as_str()),
                ("on", "2026-11-30"),
                ("plan_adjusted", "yes"),
            ],
        )
        .await;
        assert!(
            status == 303 && saved_at(&to, id, "contact"),
            "{status} {to}"
        );
        let (closed, stage): (i64, String) =
            sqlx::query_as("SELECT closed, stage FROM episodes WHERE id = $1")
                .bind(id)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!((closed, stage.as_str()), (1, "ContactMade"));
        let (_, html) = get(&base, &format!("/episodes/{id}"), Some(&coach)).await;
        assert!(
            html.contains("Met late, on Monday, November 30, 2026"),
            "{html}"
        );

        // Recorded without adjusting: the plan is still to agree, or on to an appointment.
        let (other, _) = free_participant(&test, 2).await;
        open(other, "2026-11-20").await;
        let (id, version) = episode_of(other).await;
        let (status, _) = post_form(
            &base,
            &format!("/episodes/{id}/contact"),
            &coach,
            &[
                ("version", version.to_string().as_str()),
                ("on", "2026-11-30"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = get(&base, &format!("/episodes/{id}"), Some(&coach)).await;
        assert!(
            html.contains(&format!("href=\"/episodes/{id}/appointment\"")),
            "{html}"
        );
        assert!(
            html.contains(&format!("href=\"/episodes/{id}/contact\"")),
            "{html}"
        );
    }
}

#[tokio::test]
async fn narratives_offer_cores_drafts_save_them_once_and_keep_a_refused_text() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        // An episode with attempts and no saved narrative.
        let id: i64 = sqlx::query_scalar(
            "SELECT e.id FROM episodes e WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.episode_id = e.id) \
             AND NOT EXISTS (SELECT 1 FROM narratives n WHERE n.episode_id = e.id) AND e.closed = 0 \
             ORDER BY e.id LIMIT 1",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let first_on: String = sqlx::query_scalar(
            "SELECT on_date FROM attempts WHERE episode_id = $1 ORDER BY on_date, id LIMIT 1",
        )
        .bind(id)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let (_, html) = get(&base, &format!("/episodes/{id}"), Some(&coach)).await;
        assert!(
            html.contains("Engagement narrative — draft from attempt of "),
            "{html}"
        );
        assert!(
            html.contains("attempted contact"),
            "R4/R10 draft text: {html}"
        );
        // An empty text is refused back to the same box with the reason.
        let path = format!("/episodes/{id}/narratives");
        let key = format!("attempt-{first_on}-1");
        let html = refused_in_place(
            submit(
                &base,
                &path,
                &coach,
                &[
                    ("kind", "Engagement"),
                    ("draft_of", key.as_str()),
                    ("body", "  "),
                ],
            )
            .await,
        );
        assert!(
            html.contains("Write the narrative before saving it."),
            "{html}"
        );
        // Saved as edited: no longer offered as a draft, shown as saved.
        let text = "CD called and left a voicemail; will follow up Wednesday.";
        let (status, to) = post_form(
            &base,
            &path,
            &coach,
            &[
                ("kind", "Engagement"),
                ("draft_of", key.as_str()),
                ("body", text),
            ],
        )
        .await;
        assert_eq!(
            (status, to),
            (303, format!("/episodes/{id}?saved=narrative#narratives"))
        );
        let (_, html) = get(&base, &format!("/episodes/{id}"), Some(&coach)).await;
        assert!(!html.contains("draft from attempt of"), "{html}");
        assert!(html.contains("Engagement narrative — saved"), "{html}");
        assert!(html.contains(text), "{html}");
        // Its text edited in place, audited before and after.
        let narrative: i64 =
            sqlx::query_scalar("SELECT id FROM narratives WHERE episode_id = $1 AND draft_of = $2")
                .bind(id)
                .bind(&key)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        let (status, _) = post_form(
            &base,
            &format!("{path}/{narrative}"),
            &coach,
            &[("body", "Edited for TRACS.")],
        )
        .await;
        assert_eq!(status, 303);
        let edits: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'narrative.edited' AND entity_id = $1",
        )
        .bind(narrative.to_string())
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(edits, 1);
        // A narrative of another episode cannot be edited through this one's address.
        let other: i64 = sqlx::query_scalar("SELECT id FROM episodes WHERE id <> $1 LIMIT 1")
            .bind(id)
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let (status, _) = post_form(
            &base,
            &format!("/episodes/{other}/narratives/{narrative}"),
            &coach,
            &[("body", "Wrong episode.")],
        )
        .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn the_printable_notice_names_the_day_time_place_and_coach() {
    for backend in backends().await {
        let (_test, base, coach) = demo_app(backend).await;
        // The demo's fifth episode: appointment Thursday 12-10 at 10:00 am. Printed in the
        // participant's language unless another is asked for.
        let language: String = sqlx::query_scalar(
            "SELECT p.language FROM episodes e JOIN participants p ON p.id = e.participant_id WHERE e.id = 5",
        )
        .fetch_one(&_test.db.pool)
        .await
        .unwrap();
        let (status, html) = get(&base, "/episodes/5/notice/print", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let named = reengage_app::notice_text::language_or_english(&language);
        assert!(
            html.contains(&format!("lang=\"{}\"", named.code)),
            "{language}: {html}"
        );
        assert!(html.contains(&format!("Printed in {} (", named.name_in_english())));
        let (status, html) = get(&base, "/episodes/5/notice/print?lang=es", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for part in [
            "Aviso de cita de reincorporación",
            "jueves 10 de diciembre de 2026",
            "10:00 a. m.",
            "500 Summer Street NE, Salem, OR 97301",
            "Casey Demo-Coach",
            "Número de caso",
            // The office's line stays in English.
            "mail this notice by Thursday, December 3, 2026",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        // A language the notice is not printed in is the participant's own instead.
        let (status, html) = get(&base, "/episodes/5/notice/print?lang=xx", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("lang=\"{}\"", named.code)));
        let (status, html) = get(&base, "/episodes/5/notice/print?lang=en", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for part in [
            "Re-engagement appointment notice",
            "DHS 7869",
            "Thursday, December 10, 2026",
            "10:00 am",
            "500 Summer Street NE, Salem, OR 97301",
            "Casey Demo-Coach",
            "555-0191",
            "mail this notice by Thursday, December 3, 2026",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        let (_, episode) = get(&base, "/episodes/5", Some(&coach)).await;
        assert!(
            episode.contains("href=\"/episodes/5/notice/print\""),
            "{episode}"
        );
        // The appointment's narrative is drafted for TRACS (R4, R15).
        assert!(
            episode.contains("Engagement narrative — draft from appointment"),
            "{episode}"
        );
        assert!(
            episode.contains(
                "at 10:00 am. The re-engagement appointment notice (DHS 7869) is to be mailed"
            ),
            "{episode}"
        );
        // The contractor never prints the department's notice.
        let contractor = sign_in(&base, "contractor@demo.test").await;
        let (status, _) = get(&base, "/episodes/5/notice/print", Some(&contractor)).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
            "{status}"
        );
    }
}

#[tokio::test]
async fn the_staffing_checklist_ticks_what_the_record_shows_r21() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        // The demo's fifth episode: two attempts (R13), an appointment, no notice yet (R15).
        let (status, html) = get(&base, "/episodes/5/checklist", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for part in [
            "<h1>Staffing preparation checklist</h1>",
            "After DHS 7825V (voluntary), R21",
            "Two or more unsuccessful contact attempts, one in writing, each narrated (R13)",
            "DHS 7869 notice mailed at least 7 days before the appointment (R15)",
            "1 item the record shows is not done yet.",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        assert!(
            html.contains(
                "class=\"check missing\"><span class=\"check-state\">Not yet</span> DHS 7869"
            ),
            "{html}"
        );
        assert!(html.contains(">To check</span>"), "{html}");
        let (_, episode) = get(&base, "/episodes/5", Some(&coach)).await;
        assert!(
            episode.contains("href=\"/episodes/5/checklist\""),
            "{episode}"
        );
        // Once the notice is mailed, the record shows it done.
        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = 5")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let version = version.to_string();
        let (status, _) = post_form(
            &base,
            "/episodes/5/notice",
            &coach,
            &[("version", version.as_str()), ("on", "2026-11-30")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = get(&base, "/episodes/5/checklist", Some(&coach)).await;
        assert!(
            html.contains("Everything the record can show is done"),
            "{html}"
        );
        // A contractor prepares no staffing.
        let contractor = sign_in(&base, "contractor@demo.test").await;
        let (status, _) = get(&base, "/episodes/5/checklist", Some(&contractor)).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_contact_and_its_plan_step_stand_or_fall_together() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let (participant, _) = free_participant(&test, 2).await;
        let participant_text = participant.to_string();
        let (status, _) = post_form(
            &base,
            "/missed",
            &coach,
            &[
                ("participant", participant_text.as_str()),
                ("kind", "MissedCoachAppointment"),
                ("what", "orientation"),
                ("on", "2026-11-30"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (id, version): (i64, i64) = sqlx::query_as(
            "SELECT id, version FROM episodes WHERE participant_id = $1 AND closed = 0",
        )
        .bind(participant)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        // The database refuses the plan's new step after the contact was written.
        let refuse: &[&str] = match backend {
            Backend::Sqlite => &[
                "CREATE TRIGGER refuse_steps BEFORE INSERT ON pdp_steps BEGIN SELECT RAISE(ABORT, 'refused'); END",
            ],
            Backend::Postgres => &[
                "CREATE FUNCTION refuse_steps() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_steps BEFORE INSERT ON pdp_steps FOR EACH ROW EXECUTE FUNCTION refuse_steps()",
            ],
        };
        for sql in refuse {
            sqlx::query(sql).execute(&test.db.pool).await.unwrap();
        }
        let audit_before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let version_text = version.to_string();
        let html = refused_in_place(
            submit(
                &base,
                &format!("/episodes/{id}/contact"),
                &coach,
                &[
                    ("version", version_text.as_str()),
                    ("on", "2026-11-30"),
                    ("plan_adjusted", "yes"),
                    ("step_code", "SW"),
                    ("step_on", "2026-12-02"),
                ],
            )
            .await,
        );
        assert!(html.contains("Nothing was changed; try again."), "{html}");
        // Neither the contact nor its audit entry stayed: the same version, nothing closed.
        let (contact, closed, now_version): (Option<String>, i64, i64) =
            sqlx::query_as("SELECT contact_on, closed, version FROM episodes WHERE id = $1")
                .bind(id)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!((contact, closed, now_version), (None, 0, version));
        let audit_after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(audit_after, audit_before);
    }
}

#[tokio::test]
async fn the_branch_at_a_glance_counts_by_stage_and_coach_with_filters() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        // A coach has Today, not the branch.
        let (status, _) = get(&base, "/branch", Some(&coach)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let manager = sign_in(&base, "manager@demo.test").await;
        let (status, html) = get(&base, "/branch", Some(&manager)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let open: i64 = sqlx::query_scalar("SELECT count(*) FROM episodes WHERE closed = 0")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        for part in [
            "<h1>Branch at a glance</h1>",
            "Demo Branch (fictional) — Monday, November 30, 2026",
            "<caption>Open episodes by stage</caption>",
            "<th scope=\"row\">Casey Demo-Coach</th>",
            "DQ1 decisions waiting for finalization (R26)",
            "<option value=\"Staffing\">Staffing</option>",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        assert!(
            html.contains(&format!("<caption>Open episodes ({open})</caption>")),
            "{html}"
        );
        // The demo's DQ1 decisions not yet finalized are listed for finalization.
        let waiting = html
            .split("DQ1 decisions waiting for finalization (R26)")
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .unwrap_or_default();
        assert!(waiting.contains("href=\"/episodes/"), "{waiting}");
        // Filtered by stage: only that stage's episodes are listed.
        let (_, filtered) = get(&base, "/branch?coach=&stage=Missed", Some(&manager)).await;
        let missed: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM episodes WHERE closed = 0 AND stage = 'Missed'",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert!(missed > 0);
        assert!(
            filtered.contains(&format!("<caption>Open episodes ({missed})</caption>")),
            "{filtered}"
        );
        assert!(
            filtered.contains("<option value=\"Missed\" selected"),
            "{filtered}"
        );
    }
}

/// A CSV export's text after its UTF-8 byte order mark (which Excel needs to read accented
/// names), failing the test when the mark is missing.
async fn csv_text(response: reqwest::Response) -> String {
    let bytes = response.bytes().await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    text.strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("no byte order mark: {text:?}"))
        .to_owned()
}

#[tokio::test]
async fn the_r29_view_and_its_csv_hold_every_effort_without_a_dq_and_the_export_is_audited() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let (status, _) = get(&base, "/branch/efforts", Some(&coach)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let manager = sign_in(&base, "manager@demo.test").await;
        let (status, html) = get(&base, "/branch/efforts", Some(&manager)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            html.contains("Efforts without disqualification (R29)"),
            "{html}"
        );
        // Every demo episode missed in the last 90 days, less those decided DQ1.
        let dq1: i64 = sqlx::query_scalar(
            "SELECT count(DISTINCT episode_id) FROM decisions WHERE outcome = 'Dq1' AND superseded_at IS NULL",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let all: i64 = sqlx::query_scalar("SELECT count(*) FROM episodes")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert!(dq1 > 0);
        let expected = all - dq1;
        assert!(
            html.contains(&format!("Efforts without disqualification ({expected})")),
            "{expected}: {html}"
        );
        assert!(html.contains("Good cause — no disqualification"), "{html}");
        assert!(!html.contains("DQ1 — disqualification"), "{html}");
        // A filter that cannot be used says so and shows the default instead.
        let (_, html) = get(
            &base,
            "/branch/efforts?from=2026-13-01&coach=999",
            Some(&manager),
        )
        .await;
        assert!(html.contains("is not a date"), "{html}");
        assert!(html.contains("Choose a coach from the list."), "{html}");
        // The CSV holds the same rows, and the export is in the audit log.
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        // Streamed: sent as it is read, so no length is known before the first byte.
        assert!(
            response.headers().get(header::CONTENT_LENGTH).is_none(),
            "{backend:?}: {:?}",
            response.headers()
        );
        assert_eq!(response.headers()[header::TRANSFER_ENCODING], "chunked");
        let body = csv_text(response).await;
        let mut lines = body.lines();
        assert_eq!(
            lines.next(),
            Some("episode,participant,case_number,coach,missed_on,missed,attempts,outcome")
        );
        assert_eq!(lines.count() as i64, expected, "{body}");
        // Compressed on the way (as a browser asks), the stream ends once and whole.
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let gzipped = response.bytes().await.expect("the gzip body ends whole");
        assert_eq!(&gzipped[..2], &[0x1f, 0x8b], "{backend:?}: a gzip stream");
        // Audited with its filter before its first byte, with its row count before its last.
        let entries: Vec<(String, String)> =
            sqlx::query_as("SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 2")
                .fetch_all(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(entries[1].0, "export.efforts_without_dq");
        assert!(entries[1].1.contains("\"from\":\"2026-"), "{entries:?}");
        assert_eq!(entries[0].0, "export.efforts_without_dq.sent");
        assert_eq!(entries[0].1, format!("{{\"rows\":{expected}}}"));
        // A coach gets no export.
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &coach)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
}

/// An export that cannot be audited is not sent, nor one of a single page whose row count
/// cannot be (a longer one ends its body in an error: see
/// `the_branch_csv_holds_every_open_episode_with_accented_names`).
#[tokio::test]
async fn an_export_that_cannot_be_counted_in_the_audit_log_never_looks_complete() {
    for backend in backends().await {
        let (test, base, _coach) = demo_app(backend).await;
        let manager = sign_in(&base, "manager@demo.test").await;
        // The database refuses an audit entry of `action` (trigger and function `name`).
        let refuse = |name: &str, action: &str| -> Vec<String> {
            match backend {
                Backend::Sqlite => vec![format!(
                    "CREATE TRIGGER {name} BEFORE INSERT ON audit_log \
                     WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )],
                Backend::Postgres => vec![
                    format!(
                        "CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN \
                         IF NEW.action = '{action}' THEN RAISE EXCEPTION 'refused'; END IF; \
                         RETURN NEW; END $$ LANGUAGE plpgsql"
                    ),
                    format!(
                        "CREATE TRIGGER {name} BEFORE INSERT ON audit_log \
                         FOR EACH ROW EXECUTE FUNCTION {name}()"
                    ),
                ],
            }
        };
        let drop_refusal = |name: &str| -> Vec<String> {
            match backend {
                Backend::Sqlite => vec![format!("DROP TRIGGER {name}")],
                Backend::Postgres => vec![
                    format!("DROP TRIGGER {name} ON audit_log"),
                    format!("DROP FUNCTION {name}()"),
                ],
            }
        };
        // A period of one page whose count cannot be recorded is refused whole.
        for sql in refuse("refuse_count", "export.efforts_without_dq.sent") {
            sqlx::query(&sql).execute(&test.db.pool).await.unwrap();
        }
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{backend:?}"
        );
        for sql in drop_refusal("refuse_count") {
            sqlx::query(&sql).execute(&test.db.pool).await.unwrap();
        }
        // The export cannot be audited at all: nothing is sent.
        for sql in refuse("refuse_export", "export.efforts_without_dq") {
            sqlx::query(&sql).execute(&test.db.pool).await.unwrap();
        }
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{backend:?}"
        );
        let text = response.text().await.unwrap();
        assert_eq!(text, "Re-engage could not record the export; try again.");
        for sql in drop_refusal("refuse_export") {
            sqlx::query(&sql).execute(&test.db.pool).await.unwrap();
        }
        // With the audit log writable again, the same export is whole.
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        let body = csv_text(response).await;
        assert!(body.lines().count() > 1, "{backend:?}: {body}");
    }
}

#[tokio::test]
async fn the_branch_list_sorts_by_column_narrows_by_due_day_and_exports_what_it_lists() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let manager = sign_in(&base, "manager@demo.test").await;
        // Most urgent first by default; a header link sorts by its column, then reverses it.
        let (_, html) = get(&base, "/branch", Some(&manager)).await;
        assert!(html.contains(r#"<th scope="col" aria-sort="ascending"><a href="/branch?coach=&amp;stage=&amp;due_by=&amp;sort=due&amp;dir=desc&amp;csort=&amp;cdir=">Most urgent"#), "{html}");
        let names = |html: &str| -> Vec<String> {
            html.split("<caption>Open episodes (")
                .nth(1)
                .unwrap_or_default()
                .split("<th scope=\"row\"><a href=\"/episodes/")
                .skip(1)
                .filter_map(|cell| cell.split('>').nth(1)?.split('<').next().map(str::to_owned))
                .collect()
        };
        let (_, sorted) = get(&base, "/branch?sort=participant&dir=asc", Some(&manager)).await;
        let ascending = names(&sorted);
        assert!(ascending.len() > 5, "{sorted}");
        let mut expected = ascending.clone();
        expected.sort_by_key(|name| name.to_lowercase());
        assert_eq!(ascending, expected);
        assert!(sorted.contains(r#"aria-sort="ascending"><a href="/branch?coach=&amp;stage=&amp;due_by=&amp;sort=participant&amp;dir=desc&amp;csort=&amp;cdir=">Participant"#), "{sorted}");
        let (_, reversed) = get(&base, "/branch?sort=participant&dir=desc", Some(&manager)).await;
        let mut descending = names(&reversed);
        descending.reverse();
        assert_eq!(descending, ascending);
        // Due by today: only what is due by then; a day that cannot be read says so.
        let (_, due) = get(&base, "/branch?due_by=2026-11-30", Some(&manager)).await;
        assert!(names(&due).len() < ascending.len(), "{due}");
        let (_, typo) = get(&base, "/branch?due_by=Friday", Some(&manager)).await;
        assert!(typo.contains("Due by: “Friday” is not a date"), "{typo}");
        // The CSV holds the rows the page lists for the same filter, in its order; audited.
        let response = client()
            .get(format!(
                "{base}/branch.csv?due_by=2026-11-30&sort=participant&dir=desc"
            ))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = csv_text(response).await;
        let mut lines = body.lines();
        assert_eq!(
            lines.next(),
            Some(
                "episode,participant,coach,stage,most_urgent,due_by,rule,why,appointment_on,missing_information,dq1_awaiting_finalization"
            )
        );
        let (_, page) = get(
            &base,
            "/branch?due_by=2026-11-30&sort=participant&dir=desc",
            Some(&manager),
        )
        .await;
        let listed = names(&page);
        let exported: Vec<String> = lines
            .map(|line| line.split(',').nth(1).unwrap().trim_matches('"').to_owned())
            .collect();
        assert_eq!(exported, listed);
        let (action, after): (String, String) =
            sqlx::query_as("SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(action, "export.branch_episodes");
        assert!(
            after.contains(&format!("\"rows\":{}", listed.len())),
            "{after}"
        );
        assert!(after.contains("\"due_by\":\"2026-11-30\""), "{after}");
        // A coach gets no export.
        let response = client()
            .get(format!("{base}/branch.csv"))
            .header(header::COOKIE, &coach)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_branch_measures_first_contacts_and_notices_in_time_r2_r15() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        // Two misses on Monday 2026-06-01 (first contact due Tuesday): one reached Tuesday,
        // one only Wednesday.
        for (skip, attempt_on) in [(0, "2026-06-02"), (1, "2026-06-03")] {
            let (participant, _) = free_participant(&test, skip).await;
            let participant = participant.to_string();
            let (status, to) = post_form(
                &base,
                "/missed",
                &coach,
                &[
                    ("participant", participant.as_str()),
                    ("kind", "MissedCoachAppointment"),
                    ("what", "orientation"),
                    ("on", "2026-06-01"),
                ],
            )
            .await;
            assert_eq!(status, 303, "{to}");
            let id: i64 = to
                .trim_start_matches("/episodes/")
                .split('?')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let (status, to) = post_form(
                &base,
                &format!("/episodes/{id}/attempt"),
                &coach,
                &[
                    ("version", "1"),
                    ("on", attempt_on),
                    ("method", "Phone"),
                    ("outcome", "NoAnswer"),
                ],
            )
            .await;
            assert!(
                status == 303 && saved_at(&to, id, "attempt"),
                "{status} {to}"
            );
        }
        let manager = sign_in(&base, "manager@demo.test").await;
        let (_, html) = get(
            &base,
            "/branch?coach=&stage=&from=2026-06-01&to=2026-06-01",
            Some(&manager),
        )
        .await;
        for part in [
            "Timeliness of the misses from Monday, June 1, 2026 to Monday, June 1, 2026",
            "First contacts within 1 business day (R2): 1 of 2 (50%)",
            "DHS 7869 notices mailed at least 7 days before (R15): none measured yet",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        // The default period is the last 90 days, with the demo's figures.
        let (_, html) = get(&base, "/branch", Some(&manager)).await;
        assert!(
            html.contains("Timeliness of the misses from Tuesday, September 1, 2026 to Monday, November 30, 2026"),
            "{html}"
        );
        // A period that cannot be used says so.
        let (_, html) = get(
            &base,
            "/branch?from=2026-12-01&to=2026-11-01",
            Some(&manager),
        )
        .await;
        assert!(html.contains("The period starts after it ends."), "{html}");
    }
}

#[tokio::test]
async fn the_calendar_feed_holds_the_coming_appointments() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let feed = |cookie: Option<String>| {
            let mut request = client().get(format!("{base}/calendar.ics"));
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            request.send()
        };
        let response = feed(Some(coach.clone())).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let body = response.text().await.unwrap().replace("\r\n ", "");
        assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
        // The demo's fifth episode: Thursday 2026-12-10 at 10:00, notice not yet mailed.
        assert!(
            body.contains("UID:episode-5-reengagement-appointment@reengage\r\n"),
            "{body}"
        );
        // 10:00 Pacific standard time, written in UTC (no TZID without a VTIMEZONE).
        assert!(body.contains("DTSTART:20261210T180000Z\r\n"), "{body}");
        assert!(!body.contains("TZID"), "{body}");
        assert!(
            body.contains("DHS 7869 notice not yet recorded as mailed (R15)."),
            "{body}"
        );
        // Read as an export: audited, with how many appointments it held.
        let audited: Vec<String> = sqlx::query_scalar(
            "SELECT after FROM audit_log WHERE action = 'calendar.exported' ORDER BY id",
        )
        .fetch_all(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(audited.len(), 1, "{audited:?}");
        assert!(audited[0].contains("\"events\""), "{audited:?}");
        let (_, today) = get(&base, "/today", Some(&coach)).await;
        assert!(today.contains("href=\"/calendar.ics\""), "{today}");
        // The demo's database: every page says so.
        assert!(
            today.contains("<strong>Demo</strong> — fictional people and records only."),
            "{today}"
        );
        // Signed out: to sign in; an admin has no case list.
        let response = feed(None).await.unwrap();
        assert!(response.status().is_redirection());
        let admin = sign_in(&base, "admin@demo.test").await;
        assert_eq!(
            feed(Some(admin)).await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
    }
}

/// Issue 18 on the pages, whole without JavaScript: a miss called ahead opens no episode and
/// the form says why (R1); the scheduling page warns what a DQ1 will need instead of refusing
/// (R13); Today lists the staffings waiting for the signed-in person's confirmation (R18) until
/// they confirm; the case manager's good cause closes the episode (R23).
#[tokio::test]
async fn the_pages_say_what_the_policy_allows_and_what_a_dq1_will_need() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        // R1: called ahead — back to the form with the reason and everything typed.
        let (participant, _) = free_participant(&test, 0).await;
        let participant = participant.to_string();
        let fields = [
            ("participant", participant.as_str()),
            ("kind", "MissedCoachAppointment"),
            ("what", "orientation"),
            ("on", "2026-11-30"),
            ("called_ahead", "yes"),
        ];
        let html = refused_in_place(submit(&base, "/missed", &coach, &fields).await);
        assert!(
            html.contains("no episode is opened. Talk with them about the plan and reschedule the activity (R1)."),
            "{html}"
        );
        assert!(
            html.contains("name=\"called_ahead\" value=\"yes\" checked"),
            "{html}"
        );
        let opened: i64 =
            sqlx::query_scalar("SELECT count(*) FROM episodes WHERE participant_id = $1")
                .bind(participant.parse::<i64>().unwrap())
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        let (status, to) = post_form(&base, "/missed", &coach, &fields[..4]).await;
        assert_eq!(status, 303);
        assert!(to.ends_with("?saved=miss"), "{to}");
        let episode: i64 =
            sqlx::query_scalar("SELECT id FROM episodes WHERE participant_id = $1 AND closed = 0")
                .bind(participant.parse::<i64>().unwrap())
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        let now: i64 =
            sqlx::query_scalar("SELECT count(*) FROM episodes WHERE participant_id = $1")
                .bind(participant.parse::<i64>().unwrap())
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(now, opened + 1, "only the miss not called ahead opened one");

        // R13: two calls, no letter — the scheduling page warns, it does not refuse.
        for on in ["2026-11-30", "2026-11-30"] {
            let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
                .bind(episode)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
            let (status, to) = post_form(
                &base,
                &format!("/episodes/{episode}/attempt"),
                &coach,
                &[
                    ("version", &version.to_string()),
                    ("on", on),
                    ("method", "Phone"),
                    ("outcome", "NoAnswer"),
                ],
            )
            .await;
            assert!(
                status == 303 && saved_at(&to, episode, "attempt"),
                "{status} {to}"
            );
        }
        let (_, html) = get(
            &base,
            &format!("/episodes/{episode}/appointment"),
            Some(&coach),
        )
        .await;
        assert!(
            html.contains("You can schedule the appointment. Before a DQ1 could be imposed:"),
            "{html}"
        );
        assert!(html.contains("A DQ1 will need a written attempt"), "{html}");

        // R23: the case manager gives good cause alone; a blank reason is refused, kept.
        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
            .bind(episode)
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let (_, page) = get(&base, &format!("/episodes/{episode}"), Some(&coach)).await;
        assert!(
            page.contains(&format!("href=\"/episodes/{episode}/good-cause\"")),
            "{page}"
        );
        let html = refused_in_place(
            submit(
                &base,
                &format!("/episodes/{episode}/good-cause"),
                &coach,
                &[
                    ("version", &version.to_string()),
                    ("on", "2026-11-30"),
                    ("reason", " "),
                ],
            )
            .await,
        );
        assert!(html.contains("Say why there is good cause"), "{html}");
        let reason = "Her child was hospitalized on 11/27.";
        let (status, to) = post_form(
            &base,
            &format!("/episodes/{episode}/good-cause"),
            &coach,
            &[
                ("version", &version.to_string()),
                ("on", "2026-11-30"),
                ("reason", reason),
            ],
        )
        .await;
        assert_eq!(
            (status, to),
            (303, format!("/episodes/{episode}?saved=good-cause"))
        );
        let (_, html) = get(
            &base,
            &format!("/episodes/{episode}?saved=good-cause"),
            Some(&coach),
        )
        .await;
        assert!(html.contains("This episode is closed."), "{html}");
        assert!(
            html.contains("On 11/30/2026 the case manager gave "),
            "the Engagement narrative (R25): {html}"
        );
        assert!(
            html.contains(
                "Her child was hospitalized on 11/27. No disqualification will be imposed."
            ),
            "{html}"
        );
        // A case aide is no case manager (R23).
        let aide = sign_in(&base, "aide@demo.test").await;
        let (status, _) = get(
            &base,
            &format!("/episodes/{episode}/good-cause"),
            Some(&aide),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // R18: a staffing recorded with the coach on the team waits for her confirmation on
        // Today, until she confirms.
        let staffing: i64 = sqlx::query_scalar(
            "SELECT id FROM episodes WHERE stage = 'Staffing' ORDER BY id LIMIT 1",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let manager = sign_in(&base, "manager@demo.test").await;
        let team: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM staff WHERE email IN ('coach@demo.test', 'manager@demo.test', \
             'specialist@demo.test') ORDER BY id",
        )
        .fetch_all(&test.db.pool)
        .await
        .unwrap();
        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
            .bind(staffing)
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        let version = version.to_string();
        let mut form: Vec<(&str, String)> = vec![
            ("version", version.clone()),
            ("held_on", "2026-11-30".into()),
            ("intent", "save".into()),
        ];
        for id in &team {
            form.push(("member", id.to_string()));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let (status, to) = post_form(
            &base,
            &format!("/episodes/{staffing}/staffing"),
            &manager,
            &pairs,
        )
        .await;
        assert_eq!(status, 303);
        assert!(to.contains("saved=staffing"), "{to}");
        let (_, today) = get(&base, "/today", Some(&coach)).await;
        assert!(
            today.contains("Staffings waiting for your confirmation"),
            "{today}"
        );
        assert!(
            today.contains(&format!("href=\"/episodes/{staffing}/staffing#presence\"")),
            "{today}"
        );
        let (status, _) = post_form(
            &base,
            &format!("/episodes/{staffing}/staffing/presence"),
            &coach,
            &[],
        )
        .await;
        assert_eq!(status, 303);
        let (_, today) = get(&base, "/today", Some(&coach)).await;
        assert!(
            !today.contains("Staffings waiting for your confirmation"),
            "{today}"
        );
        // A contractor confirms nothing (R18: the department's staffing).
        let contractor = sign_in(&base, "contractor@demo.test").await;
        let (status, _) = post_form(
            &base,
            &format!("/episodes/{staffing}/staffing/presence"),
            &contractor,
            &[],
        )
        .await;
        assert!([403, 404].contains(&status), "{status}");
    }
}

/// Whether `to` is the episode `id` after `form` saved it, naming the version it left the
/// episode at (the offline queue bases the next step on it).
fn saved_at(to: &str, id: i64, form: &str) -> bool {
    to.strip_prefix(&format!("/episodes/{id}?saved={form}&version="))
        .is_some_and(|version| !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()))
}

/// Complete lists: the branch page lists every open episode however many (5,000 more here
/// than the demo's), 500 at a time with Show more, and its CSV holds them all as UTF-8 with
/// its byte order mark so Excel keeps "Núñez", with a formula-looking name defused.
#[tokio::test]
async fn the_branch_csv_holds_every_open_episode_with_accented_names() {
    let row = regex::Regex::new(r#"<th scope="row"><a href="/episodes/(\d+)""#).unwrap();
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        reengage_server::cli::scale::load(db, monday(), 5_000)
            .await
            .unwrap();
        // The fictional branches' episodes become the demo branch's, with accented names.
        let demo: i64 =
            sqlx::query_scalar("SELECT id FROM branches WHERE name = 'Demo Branch (fictional)'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        for statement in [
            "UPDATE participants SET branch_id = $1, \
             display_name = 'Núñez Peña ' || CAST(id AS TEXT) WHERE branch_id <> $1",
            // Open, every one (a closed episode is not on the list), so the list is long.
            "UPDATE episodes SET branch_id = $1, closed = 0 WHERE branch_id <> $1",
        ] {
            sqlx::query(statement)
                .bind(demo)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        sqlx::query(
            "UPDATE participants SET display_name = '=HYPERLINK(\"http://x.example\")' \
             WHERE id = (SELECT max(id) FROM participants)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let open: i64 =
            sqlx::query_scalar("SELECT count(*) FROM episodes WHERE branch_id = $1 AND closed = 0")
                .bind(demo)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert!(open > 5_000, "{backend:?}: {open}");
        crate::support::load_demo_admin_password(db, monday()).await;
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, db.clone()).with_clock(clock)).await;
        let manager = sign_in(&base, "manager@demo.test").await;

        // The page lists 500 at a time, Show more after Show more, each episode once.
        let mut listed = Vec::new();
        let mut path = "/branch".to_owned();
        let mut pages = 0;
        loop {
            let (status, page) = get(&base, &path, Some(&manager)).await;
            assert_eq!(status, StatusCode::OK, "{backend:?} {path}");
            if pages == 0 {
                assert!(
                    page.contains("The branch has more open episodes than the most urgent"),
                    "{backend:?}: the first page says there are more"
                );
            } else {
                assert!(page.contains("These open episodes come after the most urgent"));
            }
            pages += 1;
            listed.extend(
                row.captures_iter(&page)
                    .map(|c| c[1].parse::<i64>().unwrap()),
            );
            let next = page
                .split("&amp;after=")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned);
            match next {
                Some(after) => path = format!("/branch?after={after}"),
                None => {
                    assert!(page.contains("These are the last open episodes."));
                    break;
                }
            }
            assert!(pages <= 20, "{backend:?}: the pages never end");
        }
        assert_eq!(pages, (open + 499) / 500, "{backend:?}");
        assert_eq!(
            listed.len() as i64,
            open,
            "{backend:?}: every open episode listed"
        );
        let unique: std::collections::HashSet<i64> = listed.iter().copied().collect();
        assert_eq!(
            unique.len(),
            listed.len(),
            "{backend:?}: an episode on two pages"
        );
        let response = client()
            .get(format!("{base}/branch.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers().get(header::CONTENT_LENGTH).is_none(),
            "{backend:?}: streamed, not built whole"
        );
        let body = csv_text(response).await;
        let rows: Vec<&str> = body.lines().skip(1).collect();
        assert_eq!(rows.len() as i64, open, "{backend:?}: every open episode");
        assert!(body.contains("\"Núñez Peña "), "{backend:?}");
        assert!(
            body.contains("\"'=HYPERLINK(\"\"http://x.example\"\")\""),
            "{backend:?}: a formula is defused"
        );
        let ids: std::collections::HashSet<&str> = rows
            .iter()
            .filter_map(|row| row.split(',').next())
            .collect();
        assert_eq!(ids.len(), rows.len(), "{backend:?}: no episode twice");
        // The R29 view measures the newest 1,000 misses of the period and says so; its CSV
        // holds every effort of the period.
        let (_, efforts) = get(&base, "/branch/efforts", Some(&manager)).await;
        assert!(
            efforts.contains("The period has more misses than this page measures"),
            "{backend:?}"
        );
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        let efforts_csv = csv_text(response).await;
        let in_csv = efforts_csv.lines().count() - 1;
        let on_first = row.captures_iter(&efforts).count();
        assert!(on_first > 0, "{backend:?}");
        assert!(
            in_csv > on_first,
            "{backend:?}: {in_csv} in the CSV, {on_first} on the page"
        );
        // Show more, page after page, measures every miss of the period once.
        let mut efforts_listed: Vec<i64> = Vec::new();
        let mut page = efforts;
        let mut pages = 1;
        loop {
            efforts_listed.extend(
                row.captures_iter(&page)
                    .map(|c| c[1].parse::<i64>().unwrap()),
            );
            let next = page
                .split("&amp;after=")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned);
            let Some(after) = next else {
                assert!(page.contains("oldest misses."), "{backend:?}");
                break;
            };
            let (status, later) = get(
                &base,
                &format!("/branch/efforts?after={after}"),
                Some(&manager),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                later.contains("These efforts are of older misses"),
                "{backend:?}"
            );
            page = later;
            pages += 1;
            assert!(pages <= 20, "{backend:?}: the pages never end");
        }
        assert!(pages > 1, "{backend:?}");
        let unique: std::collections::HashSet<i64> = efforts_listed.iter().copied().collect();
        assert_eq!(
            unique.len(),
            efforts_listed.len(),
            "{backend:?}: an effort twice"
        );
        assert_eq!(
            efforts_listed.len(),
            in_csv,
            "{backend:?}: the pages hold what the CSV does"
        );
        // Sent a page at a time, and counted whole in the audit log.
        let (action, after): (String, String) =
            sqlx::query_as("SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(action, "export.efforts_without_dq.sent");
        assert_eq!(after, format!("{{\"rows\":{in_csv}}}"), "{backend:?}");
        // When that count cannot be recorded, the rows have gone but the body ends in an
        // error, so the download fails instead of looking complete.
        let refuse: &[&str] = match backend {
            Backend::Sqlite => &["CREATE TRIGGER refuse_count BEFORE INSERT ON audit_log \
                 WHEN NEW.action = 'export.efforts_without_dq.sent' \
                 BEGIN SELECT RAISE(ABORT, 'refused'); END"],
            Backend::Postgres => &[
                "CREATE FUNCTION refuse_count() RETURNS trigger AS $$ BEGIN \
                 IF NEW.action = 'export.efforts_without_dq.sent' THEN \
                 RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_count BEFORE INSERT ON audit_log \
                 FOR EACH ROW EXECUTE FUNCTION refuse_count()",
            ],
        };
        for sql in refuse {
            sqlx::query(sql).execute(&db.pool).await.unwrap();
        }
        let response = client()
            .get(format!("{base}/branch/efforts.csv"))
            .header(header::COOKIE, &manager)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{backend:?}: the rows went"
        );
        assert!(
            response.bytes().await.is_err(),
            "{backend:?}: a download whose count was not recorded looked complete"
        );
    }
}

/// Complete lists: a caseload longer than Today's page shows its most urgent first and a
/// "Show more" link to the rest, page after page, each episode once; the last page says it
/// is the last and links back.
#[tokio::test]
async fn today_pages_a_long_caseload_with_show_more() {
    let who = regex::Regex::new(r#"<a [^>]*class="work-who"[^>]*>"#).unwrap();
    let href = regex::Regex::new(r#"href="/episodes/(\d+)""#).unwrap();
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let db = &test.db;
        reengage_server::cli::scale::load(db, monday(), 1_000)
            .await
            .unwrap();
        // Every open episode of the fictional branch with one coach: a long caseload.
        sqlx::query(
            "UPDATE episodes SET coach_id = \
             (SELECT id FROM staff WHERE email = 'coach0@b000.scale.test') \
             WHERE closed = 0 AND branch_id = (SELECT branch_id FROM staff WHERE email = 'coach0@b000.scale.test')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
        let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
        let base = serve(AppState::new(options, db.clone()).with_clock(clock)).await;
        let coach = sign_in(&base, "coach0@b000.scale.test").await;

        let episode_ids = |html: &str| -> Vec<i64> {
            who.find_iter(html)
                .filter_map(|link| href.captures(link.as_str())?[1].parse().ok())
                .collect()
        };
        let mut seen = Vec::new();
        let mut path = "/today".to_owned();
        let mut pages = 0;
        loop {
            let (status, html) = get(&base, &path, Some(&coach)).await;
            assert_eq!(status, StatusCode::OK, "{backend:?} {path}");
            pages += 1;
            seen.extend(episode_ids(&html));
            let next = html
                .split("href=\"/today?after=")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned);
            match next {
                Some(after) => {
                    assert!(html.contains(">Show more<"), "{backend:?}");
                    assert!(html.contains("there is more after them"), "{backend:?}");
                    path = format!("/today?after={after}");
                }
                None => {
                    assert!(html.contains("The last "), "{backend:?}: {html}");
                    assert!(html.contains("Back to the most urgent"), "{backend:?}");
                    break;
                }
            }
            assert!(pages < 10, "{backend:?}: the pages never end");
        }
        let unique: std::collections::HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{backend:?}: an episode on two pages"
        );
        // Every open episode of the caseload is listed (each has something due).
        let open: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM episodes WHERE closed = 0 AND coach_id = \
             (SELECT id FROM staff WHERE email = 'coach0@b000.scale.test')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(seen.len() as i64 <= open, "{backend:?}");
        assert!(seen.len() > 200, "{backend:?}: {} of {open}", seen.len());
        assert_eq!(
            pages,
            (open + 199) / 200,
            "{backend:?}: 200 a page, then the rest"
        );
        // An address whose page mark cannot be read starts from the most urgent.
        let (status, html) = get(&base, "/today?after=Friday", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("These are your 200 most urgent"),
            "{backend:?}"
        );
    }
}

/// Complete lists: the missed-activity picker offers every participant without an open
/// episode, however many (it stopped at 500).
#[tokio::test]
async fn the_missed_activity_picker_offers_every_participant() {
    for backend in backends().await {
        let (test, base, coach) = demo_app(backend).await;
        let db = &test.db;
        for n in 0..600 {
            sqlx::query(
                "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, coach_id, created_at) \
                 SELECT branch_id, $1, 'Many', $2, $2, id, '2026-10-01T00:00:00Z' FROM staff WHERE email = 'coach@demo.test'",
            )
            .bind(format!("MANY-{n:04}"))
            .bind(format!("Many Ñandú {n:04}"))
            .execute(&db.pool)
            .await
            .unwrap();
        }
        let (status, html) = get(&base, "/missed", Some(&coach)).await;
        assert_eq!(status, StatusCode::OK);
        let offered = html.matches("MANY-").count();
        assert_eq!(offered, 600, "{backend:?}: every one of the 600 is offered");
        assert!(html.contains("Many Ñandú 0599"), "{backend:?}");
    }
}

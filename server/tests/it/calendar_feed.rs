//! A person's secret calendar feed (`/feeds/calendar/{secret}.ics`, made on
//! `/account/calendar`), on both backends: shown once, read without a session and audited on
//! every read, valid RFC 5545 with UTC times from each office's zone (read back with the
//! `icalendar` crate's parser), only the person's own caseload or branch, stopped by a new
//! feed, by turning it off, by a new password, role or branch or a disabled account (not by
//! signing out), and an address that names no feed answered 404 without an audit entry each
//! and never written to the log.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::{Arc, Mutex};

use icalendar::{CalendarDateTime, Component, DatePerhapsTime};
use reengage_core::roles::Role;
use reengage_server::cli::config;
use reengage_server::services::accounts::{self, NewStaff, PostChange, Staff};
use reengage_server::services::{Actor, calendar_feeds};
use reengage_server::store::db::{Backend, Db};
use reengage_server::web::state::{AppState, Clock};
use reqwest::header;
use sha2::Digest;

use crate::support::browser::{client, get, monday, post_form, sign_in, sign_in_with};
use crate::support::{TestDb, backends, fresh_db, load_demo, serve};

/// Where the test server says it is reached: the feed's address and the events' links.
const PUBLIC: &str = "https://reengage.example.gov";
/// The password of the accounts made here.
const PASSWORD: &str = "lantern otter gravel tundra";
const DEMO_BRANCH: &str = "Demo Branch (fictional)";
/// A branch on Mountain time (Ontario, Oregon, keeps Boise's clock).
const EAST_BRANCH: &str = "Ontario Branch (fictional)";

/// The demo branch served on `monday()` (12:00 in Oregon, 30 November 2026), with a second
/// coach there and a coach at a Mountain-time branch, and these appointments only:
/// `(episode, participant, coach's e-mail, what DTSTART must say)`.
struct World {
    test: TestDb,
    base: String,
    appointments: Vec<(i64, String, &'static str, &'static str)>,
}

impl World {
    fn db(&self) -> &Db {
        &self.test.db
    }

    async fn staff(&self, email: &str) -> Staff {
        let (id, email, initials, role, branch): (i64, String, String, String, Option<i64>) =
            sqlx::query_as(
                "SELECT id, email, initials, role, branch_id FROM staff WHERE email = $1",
            )
            .bind(email)
            .fetch_one(&self.db().pool)
            .await
            .unwrap();
        Staff::from_stored(id, email, initials, &role, branch).unwrap()
    }

    /// A new feed of `email`, made through the service; its path.
    async fn feed_of(&self, email: &str) -> String {
        let staff = self.staff(email).await;
        let secret = calendar_feeds::create(self.db(), &staff, monday())
            .await
            .unwrap();
        calendar_feeds::path(&secret)
    }

    /// The feed at `path`, asked for as a calendar app does (no cookie): status and body.
    async fn read(&self, path: &str) -> (u16, String) {
        let response = client()
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 200 {
            let kind = response.headers()[header::CONTENT_TYPE].to_str().unwrap();
            assert_eq!(kind, "text/calendar; charset=utf-8");
        }
        (status, response.text().await.unwrap())
    }

    async fn count(&self, action: &str) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&self.db().pool)
            .await
            .unwrap()
    }

    /// The `after` values of the audit entries of `action`, oldest first.
    async fn afters(&self, action: &str) -> Vec<serde_json::Value> {
        let afters: Vec<String> =
            sqlx::query_scalar("SELECT after FROM audit_log WHERE action = $1 ORDER BY id")
                .bind(action)
                .fetch_all(&self.db().pool)
                .await
                .unwrap();
        afters
            .iter()
            .map(|after| serde_json::from_str(after).unwrap())
            .collect()
    }

    /// The episodes (with their expected start) the feed of `coaches` must hold.
    fn of(&self, coaches: &[&str]) -> BTreeMap<i64, &'static str> {
        self.appointments
            .iter()
            .filter(|(_, _, coach, _)| coaches.contains(coach))
            .map(|(episode, _, _, start)| (*episode, *start))
            .collect()
    }
}

fn setup_actor() -> Actor {
    Actor {
        staff_id: None,
        email: "admin@demo.test".into(),
        role: Role::Admin,
    }
}

async fn execute(db: &Db, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.execute(&db.pool).await.unwrap();
}

async fn world(backend: Backend) -> World {
    let test = fresh_db(backend).await;
    let db = test.db.clone();
    load_demo(&db, monday()).await;
    for (email, branch) in [
        ("coach2@demo.test", DEMO_BRANCH),
        ("east@demo.test", EAST_BRANCH),
    ] {
        accounts::create_staff(
            &db,
            &setup_actor(),
            NewStaff {
                email: email.into(),
                name: format!("Coach {email}"),
                initials: "CC".into(),
                role: Role::FamilyCoach,
                branch: Some(branch.into()),
                password: PASSWORD.into(),
                phone: None,
            },
            monday(),
        )
        .await
        .unwrap();
    }
    execute(
        &db,
        "UPDATE branches SET time_zone = 'America/Boise' WHERE name = $1",
        &[EAST_BRANCH],
    )
    .await;
    // No appointment but the ones set here.
    execute(
        &db,
        "UPDATE episodes SET appointment_on = NULL, appointment_at = NULL",
        &[],
    )
    .await;
    let open: Vec<(i64, String)> = sqlx::query_as(
        "SELECT e.id, p.display_name FROM episodes e JOIN participants p ON p.id = e.participant_id \
         JOIN staff s ON s.id = e.coach_id WHERE e.closed = 0 AND s.email = 'coach@demo.test' \
         ORDER BY e.id LIMIT 6",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(open.len(), 6, "the demo has open episodes");
    // (coach, day, time or all day, DTSTART in UTC): 10:00 Pacific is 18:00 UTC in
    // standard time and 17:00 in daylight time (from Sunday 14 March 2027); 10:00 Mountain
    // standard time is 17:00 UTC.
    let plan: [(&'static str, &str, Option<&str>, &'static str); 6] = [
        (
            "coach@demo.test",
            "2026-12-10",
            Some("10:00"),
            "20261210T180000Z",
        ),
        (
            "coach@demo.test",
            "2027-03-12",
            Some("10:00"),
            "20270312T180000Z",
        ),
        (
            "coach@demo.test",
            "2027-03-15",
            Some("10:00"),
            "20270315T170000Z",
        ),
        ("coach@demo.test", "2026-12-14", None, "20261214"),
        (
            "coach2@demo.test",
            "2026-12-11",
            Some("09:30"),
            "20261211T173000Z",
        ),
        (
            "east@demo.test",
            "2026-12-10",
            Some("10:00"),
            "20261210T170000Z",
        ),
    ];
    let mut appointments = Vec::new();
    for ((episode, participant), (coach, on, at, start)) in open.into_iter().zip(plan) {
        let id = episode.to_string();
        let at = at.unwrap_or_default();
        execute(
            &db,
            "UPDATE episodes SET appointment_on = $1, appointment_at = NULLIF($2, '') \
             WHERE id = CAST($3 AS BIGINT)",
            &[on, at, &id],
        )
        .await;
        // The episode moves to its coach (and the Mountain-time one to that branch).
        execute(
            &db,
            "UPDATE episodes SET coach_id = (SELECT id FROM staff WHERE email = $1), \
             branch_id = (SELECT branch_id FROM staff WHERE email = $1) WHERE id = CAST($2 AS BIGINT)",
            &[coach, &id],
        )
        .await;
        appointments.push((episode, participant, coach, start));
    }
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let clock = Clock::fixed(Arc::new(Mutex::new(monday())));
    let mut state = AppState::new(options, db).with_clock(clock);
    state.public_url = PUBLIC.into();
    let base = serve(state).await;
    World {
        test,
        base,
        appointments,
    }
}

/// A start or an end as the parser read it: a UTC instant (`…Z`) or a day. A floating time
/// or one with a TZID fails.
fn written(value: Option<DatePerhapsTime>, what: &str) -> String {
    match value {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(at))) => {
            at.format("%Y%m%dT%H%M%SZ").to_string()
        }
        Some(DatePerhapsTime::Date(day)) => day.format("%Y%m%d").to_string(),
        other => panic!("{what} is neither UTC nor a day: {other:?}"),
    }
}

/// Reads `body` with the `icalendar` parser and checks what every feed must be; the events,
/// each `(episode, (DTSTART, DTEND, SUMMARY))`.
fn parse(body: &str, zone: &str) -> BTreeMap<i64, (String, String, String)> {
    assert!(body.ends_with("END:VCALENDAR\r\n"));
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line}");
    }
    let unfolded = icalendar::parser::unfold(body);
    // No time names a zone, so no VTIMEZONE is needed (RFC 5545 §3.2.19).
    assert!(!unfolded.contains("TZID"), "{unfolded}");
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("RFC 5545");
    let calendar: icalendar::Calendar = parsed.into();
    for (name, value) in [
        ("VERSION", "2.0"),
        ("METHOD", "PUBLISH"),
        ("CALSCALE", "GREGORIAN"),
        ("X-WR-CALNAME", "Re-engagement appointments"),
        ("X-WR-TIMEZONE", zone),
        ("REFRESH-INTERVAL", "PT1H"),
        ("X-PUBLISHED-TTL", "PT1H"),
    ] {
        assert_eq!(calendar.property_value(name), Some(value), "{name}");
    }
    assert!(calendar.property_value("PRODID").is_some());
    let mut events = BTreeMap::new();
    for event in calendar.events() {
        let uid = event.get_uid().expect("UID");
        let episode: i64 = uid
            .strip_prefix("episode-")
            .and_then(|rest| rest.strip_suffix("-reengagement-appointment@reengage"))
            .expect("a stable UID per episode")
            .parse()
            .unwrap();
        assert!(event.get_timestamp().is_some(), "DTSTAMP");
        assert!(event.get_sequence().is_some(), "SEQUENCE");
        let start = written(event.get_start(), "DTSTART");
        let end = written(event.get_end(), "DTEND");
        let link = format!("{PUBLIC}/episodes/{episode}");
        assert_eq!(event.property_value("URL"), Some(link.as_str()));
        assert!(event.get_description().unwrap().contains(&link));
        let summary = event.get_summary().unwrap().to_owned();
        let previous = events.insert(episode, (start, end, summary));
        assert!(previous.is_none(), "one event per episode: {uid}");
    }
    events
}

/// `(episode, DTSTART)` of `events`.
fn starts(events: &BTreeMap<i64, (String, String, String)>) -> BTreeMap<i64, &str> {
    events
        .iter()
        .map(|(episode, (start, _, _))| (*episode, start.as_str()))
        .collect()
}

/// The feed's path in a page that shows its address, if it does.
fn shown_path(html: &str) -> Option<String> {
    let pattern = regex::Regex::new(
        r"https://reengage\.example\.gov(/feeds/calendar/[A-Za-z0-9_-]{43}\.ics)",
    )
    .unwrap();
    pattern.captures(html).map(|found| found[1].to_owned())
}

#[tokio::test]
async fn a_feed_is_made_on_its_page_shown_once_and_read_without_a_session_each_read_audited() {
    for backend in backends().await {
        let w = world(backend).await;
        let coach = sign_in(&w.base, "coach@demo.test").await;
        let (status, html) = get(&w.base, "/account/calendar", Some(&coach)).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("You have no calendar feed."), "{html}");
        assert!(shown_path(&html).is_none());

        let (status, location) = post_form(&w.base, "/account/calendar", &coach, &[]).await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/account/calendar?saved=new")
        );
        let (_, html) = get(&w.base, &location, Some(&coach)).await;
        let path = shown_path(&html).expect("the new address, shown");
        assert!(html.contains("shown only this once"), "{html}");
        assert!(html.contains(r#"<label for="feed-address">"#), "{html}");
        // Shown once: not on the next visit, nor after a reload of the same page.
        for again in ["/account/calendar", location.as_str()] {
            let (_, html) = get(&w.base, again, Some(&coach)).await;
            assert!(!html.contains("/feeds/calendar/"), "{again}: {html}");
            assert!(html.contains("Your calendar feed is on."), "{html}");
            assert!(
                html.contains("Last read by a calendar app: not yet"),
                "{html}"
            );
        }
        // Only the secret's hash is stored, and the session no longer holds it.
        let secret = path
            .trim_start_matches("/feeds/calendar/")
            .trim_end_matches(".ics");
        let hashes: Vec<String> = sqlx::query_scalar("SELECT secret_hash FROM calendar_feeds")
            .fetch_all(&w.db().pool)
            .await
            .unwrap();
        assert_eq!(
            hashes,
            vec![format!("{:x}", sha2::Sha256::digest(secret.as_bytes()))]
        );
        let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE data LIKE $1")
            .bind(format!("%{secret}%"))
            .fetch_one(&w.db().pool)
            .await
            .unwrap();
        assert_eq!(
            kept, 0,
            "{backend:?}: the address left the session once shown"
        );

        // Read as a calendar app reads it: no cookie.
        let (status, body) = w.read(&path).await;
        assert_eq!(status, 200, "{body}");
        let events = parse(&body, "America/Los_Angeles");
        assert_eq!(events.len(), 4, "{body}");
        assert_eq!(w.count("calendar_feed.created").await, 1);
        let reads = w.afters(calendar_feeds::READ).await;
        assert_eq!(reads, vec![serde_json::json!({ "events": 4 })]);
        let (status, _) = w.read(&path).await;
        assert_eq!(status, 200);
        assert_eq!(w.count(calendar_feeds::READ).await, 2, "each read audited");
        let actors: Vec<String> =
            sqlx::query_scalar("SELECT actor FROM audit_log WHERE action = $1")
                .bind(calendar_feeds::READ)
                .fetch_all(&w.db().pool)
                .await
                .unwrap();
        assert!(actors.iter().all(|actor| actor == "coach@demo.test"));
        let (_, html) = get(&w.base, "/account/calendar", Some(&coach)).await;
        assert!(
            html.contains("Last read by a calendar app: 2026-11-30 12:00 PST"),
            "{html}"
        );
        // The link to the page, from Today.
        let (_, today) = get(&w.base, "/today", Some(&coach)).await;
        assert!(today.contains(r#"href="/account/calendar""#));
    }
}

#[tokio::test]
async fn the_feed_is_rfc_5545_in_utc_from_each_office_zone_and_only_the_persons_own() {
    for backend in backends().await {
        let w = world(backend).await;
        for (email, zone, coaches) in [
            (
                "coach@demo.test",
                "America/Los_Angeles",
                vec!["coach@demo.test"],
            ),
            (
                "coach2@demo.test",
                "America/Los_Angeles",
                vec!["coach2@demo.test"],
            ),
            ("east@demo.test", "America/Boise", vec!["east@demo.test"]),
            // A supervisor's: the branch's, not the other branch's.
            (
                "manager@demo.test",
                "America/Los_Angeles",
                vec!["coach@demo.test", "coach2@demo.test"],
            ),
        ] {
            let path = w.feed_of(email).await;
            let (status, body) = w.read(&path).await;
            assert_eq!(status, 200, "{email}: {body}");
            let events = parse(&body, zone);
            assert_eq!(starts(&events), w.of(&coaches), "{backend:?} {email}");
            for (episode, participant, _, _) in &w.appointments {
                if let Some((start, end, summary)) = events.get(episode) {
                    assert!(summary.contains(participant.as_str()), "{summary}");
                    // An hour long; a day without a time ends the next day (Outlook's way).
                    let expected_end = match start.as_str() {
                        "20261210T180000Z" => "20261210T190000Z",
                        "20270312T180000Z" => "20270312T190000Z",
                        "20270315T170000Z" => "20270315T180000Z",
                        "20261214" => "20261215",
                        "20261211T173000Z" => "20261211T183000Z",
                        "20261210T170000Z" => "20261210T180000Z",
                        other => panic!("unexpected start {other}"),
                    };
                    assert_eq!(end, expected_end, "{episode}");
                }
            }
        }
        // The signed-in person's `/calendar.ics` is the same calendar, rendered alike.
        let coach = sign_in(&w.base, "coach@demo.test").await;
        let response = client()
            .get(format!("{}/calendar.ics", w.base))
            .header(header::COOKIE, &coach)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let session_body = response.text().await.unwrap();
        let (_, feed_body) = w.read(&w.feed_of("coach@demo.test").await).await;
        assert_eq!(session_body, feed_body);
        assert_eq!(w.count("calendar.exported").await, 1);
    }
}

#[tokio::test]
async fn a_feed_stops_when_replaced_turned_off_or_the_account_changes_not_at_sign_out() {
    for backend in backends().await {
        let w = world(backend).await;
        let admin = setup_actor();
        // Made twice on the page: the first address stops working.
        let coach = sign_in(&w.base, "coach@demo.test").await;
        let mut paths = Vec::new();
        for _ in 0..2 {
            let (status, location) = post_form(&w.base, "/account/calendar", &coach, &[]).await;
            assert_eq!(status, 303);
            let (_, html) = get(&w.base, &location, Some(&coach)).await;
            paths.push(shown_path(&html).expect("shown"));
        }
        assert_eq!(w.read(&paths[0]).await.0, 404, "{backend:?}: replaced");
        assert_eq!(w.read(&paths[1]).await.0, 200);
        let made = w.afters("calendar_feed.created").await;
        assert_eq!(made.len(), 2);
        assert!(made[0]["replaced"].is_null());
        assert!(made[1]["replaced"].is_i64(), "{made:?}");
        // Turned off on the page.
        let (status, location) = post_form(&w.base, "/account/calendar/off", &coach, &[]).await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/account/calendar?saved=off")
        );
        assert_eq!(w.read(&paths[1]).await.0, 404, "turned off");
        let (_, html) = get(&w.base, &location, Some(&coach)).await;
        assert!(html.contains("Your calendar feed is off"), "{html}");
        assert!(html.contains("You have no calendar feed."), "{html}");
        assert_eq!(w.count("calendar_feed.revoked").await, 1);

        // Signing out leaves it working (the calendar app keeps it); a new role stops it.
        let coach2 = sign_in_with(&w.base, "coach2@demo.test", PASSWORD).await;
        let (status, location) = post_form(&w.base, "/account/calendar", &coach2, &[]).await;
        assert_eq!(status, 303);
        let (_, html) = get(&w.base, &location, Some(&coach2)).await;
        let path = shown_path(&html).expect("shown");
        let (status, _) = post_form(&w.base, "/signout", &coach2, &[]).await;
        assert_eq!(status, 303);
        assert_eq!(w.read(&path).await.0, 200, "still working after sign-out");
        accounts::change_post(
            w.db(),
            &admin,
            "coach2@demo.test",
            PostChange::Role(Role::CaseAide),
            monday(),
        )
        .await
        .unwrap();
        assert_eq!(w.read(&path).await.0, 404, "{backend:?}: new role");
        let changed = w.afters("staff.role_changed").await;
        assert!(changed[0]["calendar_feed_revoked"].is_i64(), "{changed:?}");

        // A new branch.
        let path = w.feed_of("east@demo.test").await;
        accounts::change_post(
            w.db(),
            &admin,
            "east@demo.test",
            PostChange::Branch(Some(DEMO_BRANCH.into())),
            monday(),
        )
        .await
        .unwrap();
        assert_eq!(w.read(&path).await.0, 404, "new branch");

        // A new password, changed by its owner on the password page.
        let path = w.feed_of("coach@demo.test").await;
        let new = "a quiet harbor lantern in winter";
        let (status, location) = post_form(
            &w.base,
            "/account/password",
            &coach,
            &[
                ("current", reengage_server::cli::demo::DEMO_PASSWORD),
                ("new", new),
                ("again", new),
            ],
        )
        .await;
        assert_eq!((status, location.as_str()), (303, "/today?saved=password"));
        assert_eq!(w.read(&path).await.0, 404, "{backend:?}: new password");
        let changed = w.afters("staff.password_changed").await;
        assert!(
            changed.last().unwrap()["calendar_feed_revoked"].is_i64(),
            "{changed:?}"
        );

        // A disabled account.
        let path = w.feed_of("aide@demo.test").await;
        accounts::set_active(w.db(), &admin, "aide@demo.test", false, monday())
            .await
            .unwrap();
        assert_eq!(w.read(&path).await.0, 404, "disabled");
        accounts::set_active(w.db(), &admin, "aide@demo.test", true, monday())
            .await
            .unwrap();
        assert_eq!(w.read(&path).await.0, 404, "enabled again: still revoked");

        // An admin, from the command line.
        let path = w.feed_of("lead@demo.test").await;
        let cli = |email: &str| {
            Command::new(env!("CARGO_BIN_EXE_reengage"))
                .args(["admin", "calendar-feed", "revoke", email])
                .envs(crate::support::audit_env(&w.test.url))
                .env("REENGAGE_LOG", "off")
                .output()
                .unwrap()
        };
        let done = cli("Lead@demo.test");
        assert!(done.status.success(), "{done:?}");
        assert!(String::from_utf8_lossy(&done.stdout).contains("turned off"));
        assert_eq!(
            w.read(&path).await.0,
            404,
            "{backend:?}: revoked by an admin"
        );
        let none = cli("lead@demo.test");
        assert!(String::from_utf8_lossy(&none.stdout).contains("has no calendar feed"));
        let unknown = cli("nobody@demo.test");
        assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
        let by: Vec<String> = sqlx::query_scalar(
            "SELECT actor FROM audit_log WHERE action = 'calendar_feed.revoked' ORDER BY id",
        )
        .fetch_all(&w.db().pool)
        .await
        .unwrap();
        assert_eq!(by, vec!["coach@demo.test", "command line"]);
        // An admin has no appointments, so no feed.
        let admin_staff = w.staff("admin@demo.test").await;
        assert!(
            calendar_feeds::create(w.db(), &admin_staff, monday())
                .await
                .is_err()
        );
    }
}

/// What the log receives while it is held.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_address_naming_no_feed_is_404_alike_never_audited_each_and_no_secret_is_logged() {
    for backend in backends().await {
        let w = world(backend).await;
        let revoked = w.feed_of("coach@demo.test").await;
        let staff = w.staff("coach@demo.test").await;
        calendar_feeds::revoke_own(w.db(), &staff, monday())
            .await
            .unwrap();
        let live = w.feed_of("coach2@demo.test").await;
        let secret = live
            .trim_start_matches("/feeds/calendar/")
            .trim_end_matches(".ics")
            .to_owned();
        let entries = || async {
            let count: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
                .fetch_one(&w.db().pool)
                .await
                .unwrap();
            count
        };
        let before = entries().await;
        let unknown = format!("/feeds/calendar/{}.ics", "A".repeat(43));
        let misses = [
            unknown.as_str(),
            revoked.as_str(),
            "/feeds/calendar/short.ics",
            revoked.trim_end_matches(".ics"),
            "/feeds/calendar/..%2F..%2Fcalendar.ics",
        ];
        for path in misses {
            let (status, body) = w.read(path).await;
            assert_eq!(
                (status, body.as_str()),
                (404, "There is no calendar feed at this address.\n"),
                "{backend:?} {path}"
            );
        }
        assert_eq!(entries().await, before, "no audit entry per request");
        // Counted, and written as one entry per network and window.
        assert_eq!(
            crate::support::tallied(w.db(), calendar_feeds::UNKNOWN).await,
            vec![misses.len() as i64]
        );

        // The log never holds a secret: the request's span names the feed's path without it.
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("tower_http=debug,reengage_server=debug")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        {
            let _held = tracing::subscriber::set_default(subscriber);
            assert_eq!(w.read(&live).await.0, 200);
            assert_eq!(w.read(&unknown).await.0, 404);
        }
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        // The request's span is made by `router::redacted` (the server's tasks may run on
        // other threads than this subscriber's, so its lines are checked through the
        // function, and whatever was captured here must not hold a secret either).
        for path in [live.as_str(), unknown.as_str()] {
            assert_eq!(
                reengage_server::router::redacted(&path.parse().unwrap()),
                "/feeds/calendar/…"
            );
        }
        assert!(!text.contains(&secret), "{text}");
        assert!(!text.contains(&"A".repeat(43)), "{text}");
    }
}

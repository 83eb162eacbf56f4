//! The morning digest e-mail, through a real SMTP server (aiosmtpd) started on loopback by
//! each test, on both backends: what a coach, an aide and a supervisor get (checked against
//! their Today and branch pages), 7:00 office time, the opt-out page and its form, once per
//! person and office day across runs, restarts and two instances at once, a failed send
//! retried, the tick stopping at shutdown, and `reengage digest preview` sending nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reengage_server::cli::config;
use reengage_server::digest::{self, Report};
use reengage_server::services::mail::{Mailer, SmtpSettings};
use reengage_server::store::db::{self, Backend};
use reengage_server::web::state::{AppState, Clock};
use regex::Regex;
use tempfile::TempDir;

use crate::support::browser::{get, sign_in, submit};
use crate::support::{TestDb, backends, fresh_db, load_demo, serve};

/// Where the digest's links point.
const PUBLIC: &str = "https://reengage.example.gov";
/// The From address the tests configure.
const FROM: &str = "Re-engage <digest@reengage.test>";

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// 7:00 in Oregon on Monday 2026-11-30, the demo's day.
fn seven_am() -> DateTime<Utc> {
    instant("2026-11-30T15:00:00Z")
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap()
}

/// A message as the SMTP server received it.
#[derive(Debug, Clone)]
struct Received {
    /// The envelope's recipient, as the server recorded it.
    rcpt: String,
    from: String,
    to: String,
    subject: String,
    body: String,
}

/// A real SMTP server (aiosmtpd, from `make setup`) on a loopback port of its own, keeping
/// every message it accepts in a Maildir; killed when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl SmtpSink {
    async fn start() -> Self {
        let venv = std::env::var_os("SMTP_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                    .join(".cache/reengage/smtp")
            });
        let python = venv.join("bin/python");
        assert!(
            python.exists(),
            "aiosmtpd's Python is not at {}: run `make setup` (scripts/setup.sh installs aiosmtpd \
             there), or set SMTP_VENV to a virtual environment that has aiosmtpd",
            python.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start aiosmtpd with {}: {e}", python.display()));
        let started = Instant::now();
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "aiosmtpd stopped at start ({status}): is it installed in {}? Run `make setup`",
                    venv.display()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "aiosmtpd did not listen on 127.0.0.1:{port} within 30 seconds"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, port, dir }
    }

    /// A mailer sending to this server, without TLS (loopback only).
    fn mailer(&self) -> Mailer {
        mailer_at(self.port)
    }

    /// Every message received so far, in no particular order.
    fn received(&self) -> Vec<Received> {
        let mut found = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.path().join("mail").join(folder)) else {
                continue;
            };
            for entry in entries {
                let raw = std::fs::read(entry.unwrap().path()).unwrap();
                let message = mail_parser::MessageParser::default()
                    .parse(&raw)
                    .expect("a message the SMTP server received parses");
                let address = |a: Option<&mail_parser::Address>| {
                    let first = a.and_then(|a| a.first()).expect("an address");
                    match first.name() {
                        Some(name) => format!("{name} <{}>", first.address().unwrap()),
                        None => first.address().unwrap().to_owned(),
                    }
                };
                found.push(Received {
                    rcpt: message
                        .header_raw("X-RcptTo")
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                    from: address(message.from()),
                    to: address(message.to()),
                    subject: message.subject().unwrap_or_default().to_owned(),
                    body: message.body_text(0).unwrap_or_default().into_owned(),
                });
            }
        }
        found
    }

    /// How many messages each recipient got.
    fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for message in self.received() {
            *counts.entry(message.to).or_default() += 1;
        }
        counts
    }

    /// The one message to `to`.
    fn only_to(&self, to: &str) -> Received {
        let mut found: Vec<Received> = self.received().into_iter().filter(|m| m.to == to).collect();
        assert_eq!(found.len(), 1, "one message to {to}: {found:?}");
        found.remove(0)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mailer_at(port: u16) -> Mailer {
    let settings =
        SmtpSettings::from_settings(Some("127.0.0.1"), port, false, None, None, Some(FROM))
            .unwrap()
            .unwrap();
    Mailer::new(settings).unwrap()
}

/// The demo branch, loaded on its Monday, served with a clock the test moves (7:00 that day
/// to begin with) and the digest's public address.
struct Demo {
    test: TestDb,
    state: AppState,
    clock: Arc<Mutex<DateTime<Utc>>>,
    base: String,
}

impl Demo {
    async fn load(backend: Backend) -> Self {
        let test = fresh_db(backend).await;
        load_demo(&test.db, crate::support::browser::monday()).await;
        let clock = Arc::new(Mutex::new(seven_am()));
        let state = state_on(&test.db, &clock);
        let base = serve(state.clone()).await;
        Self {
            test,
            state,
            clock,
            base,
        }
    }

    fn set_clock(&self, at: DateTime<Utc>) {
        *self.clock.lock().unwrap() = at;
    }

    /// The sent-log's rows: `(office_day, email, status)`, in order.
    async fn log(&self) -> Vec<(String, String, String)> {
        sqlx::query_as(
            "SELECT d.office_day, s.email, d.status FROM digest_log d JOIN staff s ON s.id = d.staff_id \
             ORDER BY d.office_day, s.email",
        )
        .fetch_all(&self.test.db.pool)
        .await
        .unwrap()
    }
}

/// An application state over `db` as `reengage serve` makes it, with the test's clock.
fn state_on(db: &db::Db, clock: &Arc<Mutex<DateTime<Utc>>>) -> AppState {
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let mut state = AppState::new(options, db.clone()).with_clock(Clock::fixed(clock.clone()));
    state.public_url = PUBLIC.to_owned();
    state.digest_mail = true;
    state
}

async fn send(state: &AppState, mailer: &Mailer) -> Report {
    digest::send_due(state, mailer).await.unwrap()
}

/// What a Today page lists: per group (0 overdue, 1 due today, 2 at risk, 3 upcoming) each
/// row's episode and rule, the staffings to confirm, and the participants' names shown.
#[derive(Debug, Default)]
struct TodayPage {
    groups: BTreeMap<u8, Vec<(i64, String)>>,
    to_confirm: Vec<i64>,
    names: Vec<String>,
}

impl TodayPage {
    fn group(&self, group: u8) -> Vec<(i64, String)> {
        self.groups.get(&group).cloned().unwrap_or_default()
    }
}

/// The part of `html` from `start` to the next `</section>`.
fn section<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    let from = html.find(start)?;
    let rest = &html[from..];
    Some(&rest[..rest.find("</section>").unwrap_or(rest.len())])
}

async fn today_page(base: &str, email: &str) -> TodayPage {
    let cookie = sign_in(base, email).await;
    let (status, html) = get(base, "/today", Some(&cookie)).await;
    assert_eq!(status, 200, "{email}: {html}");
    let who = Regex::new(r#"<a ([^>]*class="work-who"[^>]*)>([^<]+)<"#).unwrap();
    let href = Regex::new(r#"href="/episodes/(\d+)""#).unwrap();
    let rule = Regex::new(r#"class="work-why">[^<]*\((R\d+)\)</span>"#).unwrap();
    let mut page = TodayPage::default();
    for group in 0..4_u8 {
        let Some(part) = section(&html, &format!("id=\"group-{group}\"")) else {
            continue;
        };
        let rows = part
            .split("<li")
            .skip(1)
            .map(|row| {
                let who = who.captures(row).unwrap_or_else(|| panic!("a row: {row}"));
                page.names.push(who[2].trim().to_owned());
                let id = href
                    .captures(&who[1])
                    .unwrap_or_else(|| panic!("a link: {row}"));
                let rule = rule
                    .captures(row)
                    .unwrap_or_else(|| panic!("a rule: {row}"));
                (id[1].parse().unwrap(), rule[1].to_owned())
            })
            .collect();
        page.groups.insert(group, rows);
    }
    if let Some(part) = section(&html, "id=\"to-confirm\"") {
        let link = Regex::new(r#"href="/episodes/(\d+)/staffing#presence""#).unwrap();
        page.to_confirm = link
            .captures_iter(part)
            .map(|c| c[1].parse().unwrap())
            .collect();
    }
    page
}

/// A digest's sections by heading: each line's episode and its rule, if it names one.
fn sections(body: &str) -> BTreeMap<String, Vec<(i64, Option<String>)>> {
    let item = Regex::new(r"^- Episode (\d+)(?::.*\((R\d+)\),)?").unwrap();
    let mut found: BTreeMap<String, Vec<(i64, Option<String>)>> = BTreeMap::new();
    let mut heading = None;
    for line in body.lines() {
        if let Some(title) = line.strip_suffix("):") {
            let title = title.rsplit_once(" (").map_or(title, |(t, _)| t);
            heading = Some(title.to_owned());
            found.entry(title.to_owned()).or_default();
        } else if let (Some(heading), Some(c)) = (&heading, item.captures(line)) {
            found.get_mut(heading).unwrap().push((
                c[1].parse().unwrap(),
                c.get(2).map(|r| r.as_str().to_owned()),
            ));
        } else if line.is_empty() {
            heading = None;
        }
    }
    found
}

/// Every address in a digest is absolute, under the public URL, and names ids only.
fn links_are_absolute_and_name_ids_only(body: &str) {
    let url = Regex::new(r"https?://\S+").unwrap();
    let allowed = Regex::new(&format!(
        r"^{}/(today|branch|account/email|episodes/\d+(/staffing#(presence|finalization))?)$",
        regex::escape(PUBLIC)
    ))
    .unwrap();
    let links: Vec<&str> = url.find_iter(body).map(|m| m.as_str()).collect();
    assert!(!links.is_empty(), "{body}");
    for link in links {
        assert!(allowed.is_match(link), "{link} in\n{body}");
    }
}

/// The subject's parts for counts, as the digest words them.
fn subject(parts: &[(usize, &str)]) -> String {
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, words)| format!("{n} {words}"))
        .collect();
    format!("Re-engage: {}", words.join(", "))
}

/// The digest of a coach or aide says what their Today says, group by group.
fn matches_today(message: &Received, page: &TodayPage, email: &str) {
    assert_eq!(message.from, FROM);
    assert_eq!(message.rcpt, email);
    let staffings = match page.to_confirm.len() {
        1 => "staffing to confirm",
        _ => "staffings to confirm",
    };
    assert_eq!(
        message.subject,
        subject(&[
            (page.group(0).len(), "overdue"),
            (page.group(1).len(), "due today"),
            (page.group(2).len(), "at risk"),
            (page.to_confirm.len(), staffings),
        ]),
        "{email}"
    );
    let found = sections(&message.body);
    let with_rules = |rows: Vec<(i64, String)>| -> Vec<(i64, Option<String>)> {
        rows.into_iter()
            .map(|(id, rule)| (id, Some(rule)))
            .collect()
    };
    for (group, heading) in [
        (0, "Overdue"),
        (1, "Due today"),
        (2, "At risk — due next business day"),
    ] {
        assert_eq!(
            found.get(heading).cloned().unwrap_or_default(),
            with_rules(page.group(group)),
            "{email}, {heading}:\n{}",
            message.body
        );
        for (id, _) in page.group(group) {
            assert!(
                message
                    .body
                    .contains(&format!("  {PUBLIC}/episodes/{id}\n")),
                "{id}: {}",
                message.body
            );
        }
    }
    // Upcoming work waits for Today.
    for (id, _) in page.group(3) {
        assert!(
            !message.body.contains(&format!("Episode {id}:")),
            "{id}: {}",
            message.body
        );
    }
    let confirm: Vec<i64> = found
        .get("Staffings waiting for your confirmation that you were present")
        .map(|rows| rows.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default();
    assert_eq!(confirm, page.to_confirm, "{email}: {}", message.body);
    for name in &page.names {
        assert!(
            !message.body.contains(name.as_str()),
            "{name} in {}",
            message.body
        );
    }
    links_are_absolute_and_name_ids_only(&message.body);
}

#[tokio::test]
async fn a_coach_and_an_aide_get_what_today_shows_overdue_due_today_and_at_risk() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        // 6:59 office time: nothing yet.
        demo.set_clock(instant("2026-11-30T14:59:00Z"));
        assert_eq!(send(&demo.state, &smtp.mailer()).await, Report::default());
        assert!(smtp.received().is_empty(), "{backend:?}");
        assert!(demo.log().await.is_empty(), "{backend:?}");

        demo.set_clock(seven_am());
        let report = send(&demo.state, &smtp.mailer()).await;
        assert_eq!(report.failed, 0, "{backend:?}: {report:?}");
        assert!(report.sent >= 2, "{backend:?}: {report:?}");

        let coach = today_page(&demo.base, "coach@demo.test").await;
        for group in 0..3 {
            assert!(
                !coach.group(group).is_empty(),
                "{backend:?}: the demo coach has work in group {group} at 7:00: {coach:?}"
            );
        }
        let message = smtp.only_to("coach@demo.test");
        matches_today(&message, &coach, "coach@demo.test");
        assert!(
            message.body.starts_with(
                "Good morning, Casey Demo-Coach.\n\nYour Re-engage digest for Monday, November 30, 2026 (Demo Branch (fictional)).\n"
            ),
            "{}",
            message.body
        );
        assert!(message.body.contains(&format!("{PUBLIC}/account/email")));

        // The aide's digest is their own Today's, or none when it lists nothing due.
        let aide = today_page(&demo.base, "aide@demo.test").await;
        let aide_has_news =
            (0..3).any(|g| !aide.group(g).is_empty()) || !aide.to_confirm.is_empty();
        let counts = smtp.counts();
        if aide_has_news {
            matches_today(&smtp.only_to("aide@demo.test"), &aide, "aide@demo.test");
        } else {
            assert!(!counts.contains_key("aide@demo.test"), "{counts:?}");
        }
        // Contractors and admins get no digest; nobody gets two.
        for nobody in ["contractor@demo.test", "admin@demo.test"] {
            assert!(!counts.contains_key(nobody), "{backend:?}: {counts:?}");
        }
        assert!(counts.values().all(|n| *n == 1), "{counts:?}");
        let sent: Vec<String> = demo
            .log()
            .await
            .into_iter()
            .filter(|(_, _, status)| status == "sent")
            .map(|(day, email, _)| format!("{day} {email}"))
            .collect();
        assert_eq!(sent.len(), smtp.received().len(), "{sent:?}");
        assert!(
            sent.contains(&"2026-11-30 coach@demo.test".to_owned()),
            "{sent:?}"
        );
    }
}

#[tokio::test]
async fn a_supervisor_gets_the_staffings_to_confirm_the_dq1s_to_finalize_and_the_overdue_count() {
    let finalize = Regex::new(r#"href="/episodes/(\d+)/staffing#finalization""#).unwrap();
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        send(&demo.state, &smtp.mailer()).await;
        let mut dq1_seen = false;
        for email in [
            "manager@demo.test",
            "lead@demo.test",
            "specialist@demo.test",
        ] {
            let today = today_page(&demo.base, email).await;
            let cookie = sign_in(&demo.base, email).await;
            let (status, branch) = get(&demo.base, "/branch", Some(&cookie)).await;
            assert_eq!(status, 200, "{branch}");
            let waiting: Vec<i64> = finalize
                .captures_iter(&branch)
                .map(|c| c[1].parse().unwrap())
                .collect();
            let overdue = branch.matches("<td>Overdue by").count();
            assert!(overdue > 0, "{backend:?}: the demo branch has overdue work");
            dq1_seen |= !waiting.is_empty();

            let message = smtp.only_to(email);
            assert_eq!(message.from, FROM);
            let staffings = if today.to_confirm.len() == 1 {
                "staffing to confirm"
            } else {
                "staffings to confirm"
            };
            let decisions = if waiting.len() == 1 {
                "DQ1 decision to finalize"
            } else {
                "DQ1 decisions to finalize"
            };
            assert_eq!(
                message.subject,
                subject(&[
                    (today.to_confirm.len(), staffings),
                    (waiting.len(), decisions),
                    (overdue, "overdue in the branch"),
                ]),
                "{backend:?} {email}"
            );
            let found = sections(&message.body);
            let ids = |heading: &str| -> Vec<i64> {
                found
                    .iter()
                    .find(|(h, _)| h.starts_with(heading))
                    .map(|(_, rows)| rows.iter().map(|(id, _)| *id).collect())
                    .unwrap_or_default()
            };
            assert_eq!(
                ids("Staffings waiting for your confirmation"),
                today.to_confirm,
                "{}",
                message.body
            );
            assert_eq!(
                ids("DQ1 decisions waiting for finalization"),
                waiting,
                "{}",
                message.body
            );
            for id in &waiting {
                assert!(
                    message
                        .body
                        .contains(&format!("{PUBLIC}/episodes/{id}/staffing#finalization")),
                    "{}",
                    message.body
                );
            }
            assert!(
                message.body.contains(&format!(
                    "The branch: {overdue} episodes overdue.\n  {PUBLIC}/branch\n"
                )),
                "{}",
                message.body
            );
            assert!(message.body.contains("(R26)") && !message.body.contains("Overdue ("));
            for name in &today.names {
                assert!(!message.body.contains(name.as_str()), "{name}");
            }
            links_are_absolute_and_name_ids_only(&message.body);
        }
        assert!(
            dq1_seen,
            "{backend:?}: the demo has a DQ1 waiting for finalization"
        );
    }
}

#[tokio::test]
async fn once_per_person_and_office_day_across_runs_and_restarts() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        let first = send(&demo.state, &smtp.mailer()).await;
        assert!(first.sent > 0, "{backend:?}");
        let monday = smtp.counts();

        // The next tick, and later that day: nothing more.
        assert_eq!(send(&demo.state, &smtp.mailer()).await, Report::default());
        demo.set_clock(instant("2026-11-30T23:30:00Z"));
        assert_eq!(send(&demo.state, &smtp.mailer()).await, Report::default());
        // A restart: a new state on the same database, a new mailer.
        let restarted = db::open(&demo.test.url).await.unwrap();
        let again = state_on(&restarted, &demo.clock);
        assert_eq!(send(&again, &smtp.mailer()).await, Report::default());
        assert_eq!(smtp.counts(), monday, "{backend:?}");

        // Tuesday at 7:00: Tuesday's digest, once.
        demo.set_clock(instant("2026-12-01T15:00:00Z"));
        let tuesday = send(&again, &smtp.mailer()).await;
        assert_eq!(send(&demo.state, &smtp.mailer()).await, Report::default());
        assert!(tuesday.sent > 0, "{backend:?}");
        assert_eq!(
            smtp.received().len(),
            first.sent + tuesday.sent,
            "{backend:?}"
        );
        let days: Vec<String> = demo.log().await.into_iter().map(|(day, ..)| day).collect();
        assert!(
            days.iter().all(|d| d == "2026-11-30" || d == "2026-12-01"),
            "{days:?}"
        );

        // Saturday is no business day of the office: no digest.
        demo.set_clock(instant("2026-12-05T15:00:00Z"));
        assert_eq!(send(&demo.state, &smtp.mailer()).await, Report::default());
        assert_eq!(smtp.received().len(), first.sent + tuesday.sent);
        restarted.close().await;
    }
}

#[tokio::test]
async fn two_instances_at_once_send_each_digest_once() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        let other_db = db::open(&demo.test.url).await.unwrap();
        let other = state_on(&other_db, &demo.clock);
        let mut expected = 0;
        // Four business days, the two instances racing each morning.
        for morning in [
            "2026-11-30T15:00:00Z",
            "2026-12-01T15:00:00Z",
            "2026-12-02T15:00:00Z",
            "2026-12-03T15:00:00Z",
        ] {
            demo.set_clock(instant(morning));
            let (one, two) = (smtp.mailer(), smtp.mailer());
            let (a, b) = tokio::join!(
                digest::send_due(&demo.state, &one),
                digest::send_due(&other, &two)
            );
            let (a, b) = (a.unwrap(), b.unwrap());
            assert_eq!(a.failed + b.failed, 0, "{backend:?}");
            expected += a.sent + b.sent;
            let counts = smtp.counts();
            assert!(
                counts.values().all(|n| *n <= 4),
                "{backend:?} {morning}: {counts:?}"
            );
        }
        let received = smtp.received();
        assert_eq!(received.len(), expected, "{backend:?}");
        // Exactly one message per person per office day: each (day, person) once in the
        // log, and as many messages as rows marked sent.
        let log = demo.log().await;
        let sent = log.iter().filter(|(_, _, s)| s == "sent").count();
        assert_eq!(sent, received.len(), "{backend:?}: {log:?}");
        let coach = received
            .iter()
            .filter(|m| m.to == "coach@demo.test")
            .count();
        assert_eq!(coach, 4, "{backend:?}: the coach, once each morning");
        other_db.close().await;
    }
}

/// On PostgreSQL one instance sends at a time: while another holds the sender's advisory
/// lock, a pass sends nothing and says it was busy; once the lock is given back, the same
/// pass sends. (SQLite has one server per file: its turn is always free.)
#[tokio::test]
async fn while_another_instance_holds_the_senders_lock_a_pass_sends_nothing() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        let other_db = db::open(&demo.test.url).await.unwrap();
        let held = reengage_server::store::digest::take_turn(&other_db)
            .await
            .unwrap()
            .expect("the first turn is free");
        let waiting = send(&demo.state, &smtp.mailer()).await;
        if backend == Backend::Postgres {
            assert_eq!(
                waiting,
                Report {
                    busy: true,
                    ..Report::default()
                },
                "another instance is sending"
            );
            assert!(smtp.received().is_empty(), "nothing sent while busy");
            assert!(
                reengage_server::store::digest::take_turn(&demo.test.db)
                    .await
                    .unwrap()
                    .is_none(),
                "the lock is held"
            );
        } else {
            assert!(
                !waiting.busy && waiting.sent > 0,
                "{backend:?}: {waiting:?}"
            );
        }
        held.end().await;
        let after = send(&demo.state, &smtp.mailer()).await;
        if backend == Backend::Postgres {
            assert!(!after.busy && after.sent > 0, "{after:?}");
        } else {
            assert_eq!(after, Report::default(), "{backend:?}: sent once already");
        }
        other_db.close().await;
    }
}

#[tokio::test]
async fn the_digest_can_be_turned_off_and_on_again_on_its_page() {
    let checked = Regex::new(r#"<input[^>]*id="digest-(on|off)"[^>]*>"#).unwrap();
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        let cookie = sign_in(&demo.base, "coach@demo.test").await;

        // Today links to it; the page says it is on, in a labelled form.
        let (_, today) = get(&demo.base, "/today", Some(&cookie)).await;
        assert!(today.contains(r#"href="/account/email""#), "{today}");
        let (status, page) = get(&demo.base, "/account/email", Some(&cookie)).await;
        assert_eq!(status, 200, "{page}");
        for part in [
            "<h1>Morning digest e-mail</h1>",
            r#"<form method="post" action="/account/email""#,
            "<legend>The morning digest</legend>",
            r#"<label for="digest-on">Send me the morning digest</label>"#,
            r#"<label for="digest-off">Do not send it</label>"#,
            "coach@demo.test",
        ] {
            assert!(page.contains(part), "{part} in {page}");
        }
        let on_checked = |html: &str| -> Vec<String> {
            checked
                .captures_iter(html)
                .filter(|c| c[0].contains("checked"))
                .map(|c| c[1].to_owned())
                .collect()
        };
        assert_eq!(on_checked(&page), ["on"]);
        assert!(!page.contains("sends no e-mail at the moment"));
        assert!(!page.contains("Your role gets no morning digest"));
        // A contractor's page says their role gets none.
        let contractor = sign_in(&demo.base, "contractor@demo.test").await;
        let (status, page) = get(&demo.base, "/account/email", Some(&contractor)).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Your role gets no morning digest"), "{page}");

        // Signed out: to sign in, nothing changed. A value that is not on or off: refused.
        let signed_out = submit(
            &demo.base,
            "/account/email",
            "reengage=none",
            &[("digest", "off")],
        )
        .await;
        assert!(signed_out.location.starts_with("/signin"), "{signed_out:?}");
        let refused = submit(
            &demo.base,
            "/account/email",
            &cookie,
            &[("digest", "maybe")],
        )
        .await;
        let refused = crate::support::browser::refused_in_place(refused);
        assert!(
            refused.contains("Choose whether to get the morning digest"),
            "{refused}"
        );

        let off = submit(&demo.base, "/account/email", &cookie, &[("digest", "off")]).await;
        assert_eq!(
            (off.status, off.location.as_str()),
            (303, "/account/email?saved=1")
        );
        let (_, page) = get(&demo.base, "/account/email?saved=1", Some(&cookie)).await;
        assert!(
            page.contains("You have turned the morning digest off."),
            "{page}"
        );
        assert_eq!(on_checked(&page), ["off"]);
        let audited: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT actor, action, before, after FROM audit_log WHERE action = 'staff.digest_email' ORDER BY id",
        )
        .fetch_all(&demo.test.db.pool)
        .await
        .unwrap();
        assert_eq!(
            audited,
            [(
                "coach@demo.test".to_owned(),
                "staff.digest_email".to_owned(),
                Some(r#"{"digest_email":true}"#.to_owned()),
                Some(r#"{"digest_email":false}"#.to_owned())
            )],
            "{backend:?}"
        );

        // Monday: everyone else's digest, not the coach's.
        let monday = send(&demo.state, &smtp.mailer()).await;
        assert!(monday.sent > 0);
        assert!(
            !smtp.counts().contains_key("coach@demo.test"),
            "{:?}",
            smtp.counts()
        );

        // Turned on again (the same again changes nothing more): Tuesday's comes.
        demo.set_clock(instant("2026-12-01T15:00:00Z"));
        let cookie = sign_in(&demo.base, "coach@demo.test").await;
        for _ in 0..2 {
            let on = submit(&demo.base, "/account/email", &cookie, &[("digest", "on")]).await;
            assert_eq!(on.status, 303, "{on:?}");
        }
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'staff.digest_email'",
        )
        .fetch_one(&demo.test.db.pool)
        .await
        .unwrap();
        assert_eq!(audited, 2, "{backend:?}: off, then on once");
        send(&demo.state, &smtp.mailer()).await;
        assert_eq!(
            smtp.counts().get("coach@demo.test"),
            Some(&1),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn a_failed_send_keeps_no_claim_and_a_later_tick_sends_it() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        // An SMTP server that is not there: every send fails.
        let down = send(&demo.state, &mailer_at(free_port())).await;
        assert_eq!(down.sent, 0, "{backend:?}");
        assert!(down.failed >= 2, "{backend:?}: {down:?}");
        let claimed: Vec<_> = demo
            .log()
            .await
            .into_iter()
            .filter(|(_, _, status)| status != "nothing")
            .collect();
        assert!(claimed.is_empty(), "{backend:?}: {claimed:?}");

        // An SMTP server that does not offer STARTTLS, when it is required: nothing is sent
        // in the clear, and nothing is claimed for good either.
        let smtp = SmtpSink::start().await;
        let settings =
            SmtpSettings::from_settings(Some("127.0.0.1"), smtp.port, true, None, None, Some(FROM))
                .unwrap()
                .unwrap();
        let plain = send(&demo.state, &Mailer::new(settings).unwrap()).await;
        assert_eq!((plain.sent, plain.failed), (0, down.failed), "{backend:?}");
        assert!(smtp.received().is_empty(), "{backend:?}");

        // The next tick, with the server back: each sent, once.
        let up = send(&demo.state, &smtp.mailer()).await;
        assert_eq!(up.sent, down.failed, "{backend:?}");
        assert_eq!(smtp.received().len(), down.failed);
        assert_eq!(smtp.counts().get("coach@demo.test"), Some(&1));
        assert_eq!(send(&demo.state, &smtp.mailer()).await, Report::default());
    }
}

#[tokio::test]
async fn the_sender_ticks_until_the_server_stops() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(digest::run(
            demo.state.clone(),
            smtp.mailer(),
            Duration::from_millis(100),
            stopped,
        ));
        let started = Instant::now();
        while !smtp.counts().contains_key("coach@demo.test") {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{backend:?}: no digest sent by the tick"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("the sender stops when told")
            .unwrap();
        // Many ticks, one digest each.
        assert!(
            smtp.counts().values().all(|n| *n == 1),
            "{:?}",
            smtp.counts()
        );
    }
}

#[tokio::test]
async fn preview_prints_the_digest_and_sends_nothing() {
    for backend in backends().await {
        let demo = Demo::load(backend).await;
        let smtp = SmtpSink::start().await;
        let preview = |email: &str, at: &str| {
            Command::new(env!("CARGO_BIN_EXE_reengage"))
                .args(["digest", "preview", email, "--at", at])
                .envs(crate::support::audit_env(&demo.test.url))
                .env("REENGAGE_LOG", "off")
                .env("REENGAGE_PUBLIC_URL", PUBLIC)
                .env("REENGAGE_SMTP_HOST", "127.0.0.1")
                .env("REENGAGE_SMTP_PORT", smtp.port.to_string())
                .env("REENGAGE_SMTP_STARTTLS", "false")
                .env("REENGAGE_SMTP_FROM", FROM)
                .env("LEPTOS_OUTPUT_NAME", "reengage")
                .output()
                .unwrap()
        };
        let printed = preview("Coach@Demo.test", "2026-11-30T15:00:00Z");
        assert!(printed.status.success(), "{backend:?}: {printed:?}");
        let stdout = String::from_utf8(printed.stdout).unwrap();
        let expected = digest::preview(&demo.state, Some(FROM), "coach@demo.test")
            .await
            .unwrap();
        assert_eq!(stdout, expected.text, "{backend:?}");
        assert!(expected.notes.is_empty(), "{:?}", expected.notes);
        assert!(
            stdout.starts_with(&format!(
                "From: {FROM}\nTo: coach@demo.test\nSubject: Re-engage: "
            )),
            "{stdout}"
        );
        let coach = today_page(&demo.base, "coach@demo.test").await;
        let (subject, body) = stdout.split_once("\n\n").unwrap();
        matches_today(
            &Received {
                rcpt: "coach@demo.test".into(),
                from: FROM.into(),
                to: "coach@demo.test".into(),
                subject: subject.rsplit_once("Subject: ").unwrap().1.to_owned(),
                body: body.to_owned(),
            },
            &coach,
            "coach@demo.test",
        );

        // Before 7:00 it says when it goes.
        let early = preview("coach@demo.test", "2026-11-30T14:00:00Z");
        assert!(early.status.success());
        assert!(
            String::from_utf8(early.stderr)
                .unwrap()
                .contains("note: It is before 7:00 office time"),
        );

        // A contractor gets none; an unknown address is no one's.
        let contractor = preview("contractor@demo.test", "2026-11-30T15:00:00Z");
        assert_eq!(contractor.status.code(), Some(2), "{contractor:?}");
        assert!(String::from_utf8(contractor.stderr).unwrap().contains(
            "the morning digest goes to family coaches, case aides and supervisors only"
        ),);
        let nobody = preview("nobody@demo.test", "2026-11-30T15:00:00Z");
        assert_eq!(nobody.status.code(), Some(2), "{nobody:?}");

        // Nothing was sent, nothing claimed.
        assert!(smtp.received().is_empty(), "{backend:?}");
        assert!(demo.log().await.is_empty(), "{backend:?}");
    }
}

/// `reengage serve` on `url` with `settings`, its log (info) written to a file; waits until it
/// answers, or returns its exit status if it stopped at start.
async fn serve_process(
    url: &str,
    settings: &[(&str, String)],
    log: &std::path::Path,
) -> Result<(Child, String), std::process::ExitStatus> {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_reengage"))
        .arg("serve")
        .envs(crate::support::audit_env(url))
        .envs(settings.iter().map(|(k, v)| (*k, v.as_str())))
        .env("REENGAGE_ADDR", format!("127.0.0.1:{port}"))
        .env("REENGAGE_LOG", "info")
        .env("LEPTOS_OUTPUT_NAME", "reengage")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Err(status);
        }
        if let Ok(response) = reqwest::get(format!("{base}/healthz")).await
            && response.status().is_success()
        {
            return Ok((child, base));
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not answer within a minute"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// SIGTERM, then the exit status within `limit`.
fn terminate(mut child: Child, limit: Duration) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the server had not stopped {limit:?} after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn the_server_says_whether_the_digest_is_on_and_refuses_a_half_made_smtp_setting() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let smtp = SmtpSink::start().await;
        let dir = tempfile::tempdir().unwrap();

        // No SMTP host: the digest is off, said once.
        let log = dir.path().join("off.log");
        let (server, _) = serve_process(&test.url, &[], &log).await.unwrap();
        assert!(terminate(server, Duration::from_secs(30)).success());
        let said = std::fs::read_to_string(&log).unwrap();
        assert_eq!(
            said.matches("the morning digest e-mail is off: REENGAGE_SMTP_HOST is not set")
                .count(),
            1,
            "{backend:?}: {said}"
        );

        // With one: on, ticking every second, and it stops with the server.
        let on = [
            ("REENGAGE_SMTP_HOST", "127.0.0.1".to_owned()),
            ("REENGAGE_SMTP_PORT", smtp.port.to_string()),
            ("REENGAGE_SMTP_STARTTLS", "false".to_owned()),
            ("REENGAGE_SMTP_FROM", FROM.to_owned()),
            ("REENGAGE_PUBLIC_URL", PUBLIC.to_owned()),
            ("REENGAGE_DIGEST_INTERVAL_SECONDS", "1".to_owned()),
        ];
        let log = dir.path().join("on.log");
        let (server, _) = serve_process(&test.url, &on, &log).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(terminate(server, Duration::from_secs(30)).success());
        let said = std::fs::read_to_string(&log).unwrap();
        assert!(
            said.contains("the morning digest e-mail is on"),
            "{backend:?}: {said}"
        );
        assert!(!said.contains("is off"), "{said}");
        assert!(said.contains("database closed"), "{said}");

        // A host without a From address: the server does not start, and says what to set.
        let log = dir.path().join("half.log");
        let half = [("REENGAGE_SMTP_HOST", "127.0.0.1".to_owned())];
        let status = serve_process(&test.url, &half, &log).await.unwrap_err();
        assert_eq!(status.code(), Some(2), "{backend:?}");
        let said = std::fs::read_to_string(&log).unwrap();
        assert!(said.contains("REENGAGE_SMTP_FROM is not"), "{said}");
    }
}

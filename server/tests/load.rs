//! Load without errors: 200 signed-in clients at once for a bounded run (60 s, or a million
//! requests if sooner) against the real server on 127.0.0.1, each mixing the coach's Today
//! page, the REST list, its own episode and attempts (R4) on it. Every answer must be a
//! success, every acknowledged attempt must be stored, and on SQLite a backup taken in the
//! middle of the run must not stop the reads. Prints requests/s, p50 and p99 of each kind
//! (this is the test build, unoptimised: `make bench` measures the release build). Then the
//! same with two instances on one PostgreSQL database, each client's requests alternating
//! between them: no read older than the client's last acknowledged write, and one version
//! written on both at once is stored once and refused once as a conflict.

#[path = "it/support/mod.rs"]
mod support;

/// A line for the test command's own output: written to the process's stderr directly, which
/// the test harness does not capture, so the figures show in `make test` whether it passes.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use reengage_server::store::db::Backend;
use reqwest::header;
use serde_json::{Value, json};
use support::browser::sign_in_with;
use support::process::{Server, seed, two_days_ago};
use support::{TestDb, backends, fresh_db};

const CLIENTS: usize = 200;
const COACHES: usize = 20;
const MAX_REQUESTS: u64 = 1_000_000;
const KINDS: [&str; 4] = [
    "Today page",
    "GET /api/v1/episodes",
    "GET /api/v1/episodes/{id}",
    "POST attempts",
];

fn seconds() -> u64 {
    std::env::var("REENGAGE_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
}

/// What one client did.
struct Tally {
    /// Microseconds of each answered request, by kind.
    latencies: [Vec<u64>; 4],
    errors: Vec<String>,
    episode: i64,
    acknowledged_attempts: i64,
}

/// One client's work: Today, the REST list, its episode and attempts on it, in turn, each
/// request to the next of `bases` (one server, or two instances on one database). A read of
/// its episode older than the client's last acknowledged write is an error: a stale page.
#[allow(clippy::too_many_arguments)]
async fn client_run(
    bases: Arc<Vec<String>>,
    index: usize,
    token: String,
    cookie: String,
    episode: i64,
    mut version: i64,
    until: Instant,
    sent: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
) -> Tally {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut tally = Tally {
        latencies: Default::default(),
        errors: Vec::new(),
        episode,
        acknowledged_attempts: 0,
    };
    let day = two_days_ago();
    let mut turn = index;
    while Instant::now() < until
        && !stop.load(Ordering::Relaxed)
        && sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS
    {
        turn += 1;
        let base = &bases[turn % bases.len()];
        // Reads four times as often as writes.
        let kind = match turn % 5 {
            0 => 3,
            1 | 3 => 0,
            2 => 1,
            _ => 2,
        };
        let request = match kind {
            0 => http
                .get(format!("{base}/today"))
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT, "text/html"),
            1 => http
                .get(format!("{base}/api/v1/episodes?limit=50"))
                .bearer_auth(&token),
            2 => http
                .get(format!("{base}/api/v1/episodes/{episode}"))
                .bearer_auth(&token),
            _ => http
                .post(format!("{base}/api/v1/episodes/{episode}/attempts"))
                .bearer_auth(&token)
                .json(
                    &json!({ "on": day, "method": "Phone", "outcome": "MessageLeft",
                               "response_window": 2, "version": version }),
                ),
        };
        let started = Instant::now();
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                response.bytes().await.map(|body| (status, body))
            }
            Err(error) => Err(error),
        };
        let took = started.elapsed().as_micros() as u64;
        match answer {
            Ok((200, body)) => {
                tally.latencies[kind].push(took);
                if kind == 3 {
                    let episode: Value = serde_json::from_slice(&body).unwrap();
                    version = episode["version"].as_i64().unwrap();
                    tally.acknowledged_attempts += 1;
                } else if kind == 2 {
                    let episode: Value = serde_json::from_slice(&body).unwrap();
                    let read = episode["version"].as_i64().unwrap();
                    if read < version {
                        tally.errors.push(format!(
                            "{base}: episode {episode_id} read at version {read} after version {version} was acknowledged",
                            episode_id = tally.episode
                        ));
                    }
                }
            }
            Ok((status, body)) => tally.errors.push(format!(
                "{}: {status} {}",
                KINDS[kind],
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )),
            Err(error) => tally.errors.push(format!("{}: {error}", KINDS[kind])),
        }
        if tally.errors.len() > 20 {
            stop.store(true, Ordering::Relaxed);
        }
    }
    tally
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

/// One load at a time: the test harness runs a binary's tests side by side, and two loads of
/// 200 clients on the same two cores measure each other, not the server (a run with both at
/// once saw SQLite's writes queue 6 s and connections time out).
static ONE_LOAD_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_for_a_minute_without_an_error_or_a_lost_write() {
    let _alone = ONE_LOAD_AT_A_TIME.lock().await;
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let server = Server::start(&test.url).await;
        let label = format!("{backend:?}");
        run(&test, &[&server], &label).await;
        server.kill();
        verify_audit(&test.url, &label);
    }
}

/// Two `reengage serve` instances on one PostgreSQL database, each client's requests
/// alternating between them: no error, no stale read of a change the other instance made, no
/// acknowledged write lost; two writes of one version at once, one on each instance, are one
/// stored and one refused as a conflict, never both; and the audit chain is whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql_lose_nothing_and_show_nothing_stale() {
    let _alone = ONE_LOAD_AT_A_TIME.lock().await;
    if !backends().await.contains(&Backend::Postgres) {
        report!("PostgreSQL does not answer: the two-instance load test has nothing to run on");
        return;
    }
    let test = fresh_db(Backend::Postgres).await;
    let first = Server::start(&test.url).await;
    let second = Server::start(&test.url).await;
    let label = "PostgreSQL, two instances";
    let (episodes, tokens) = run(&test, &[&first, &second], label).await;

    // The same version written on both instances at once: one is stored, one is a conflict.
    let http = reqwest::Client::new();
    let (mut stored, mut conflicts) = (0, 0);
    for (client, &(episode, _)) in episodes.iter().enumerate().take(20) {
        let token = &tokens[client % COACHES];
        let url = |server: &Server| format!("{}/api/v1/episodes/{episode}", server.base);
        let current: Value = http
            .get(url(&first))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let version = current["version"].as_i64().unwrap();
        let before = attempts_of(&test, episode).await;
        let attempt = json!({ "on": two_days_ago(), "method": "Phone", "outcome": "MessageLeft",
                              "response_window": 2, "version": version });
        let send = |server: &Server| {
            http.post(format!("{}/attempts", url(server)))
                .bearer_auth(token)
                .json(&attempt)
                .send()
        };
        let (one, other) = tokio::join!(send(&first), send(&second));
        let mut statuses = [
            one.unwrap().status().as_u16(),
            other.unwrap().status().as_u16(),
        ];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{label}: episode {episode}");
        assert_eq!(attempts_of(&test, episode).await, before + 1, "{label}");
        stored += 1;
        conflicts += 1;
        // The instance that refused shows the stored write at once.
        for server in [&first, &second] {
            let now: Value = http
                .get(url(server))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(now["version"].as_i64(), Some(version + 1), "{label}: stale");
        }
    }
    report!(
        "  {stored} writes of one version on both instances at once: {stored} stored, {conflicts} refused as conflicts"
    );

    // Pages, not only the API: an attempt logged on one instance is on the episode's page as
    // the other instance renders it at once, though that instance had the episode cached.
    let mut pages = 0;
    for (client, &(episode, _)) in episodes.iter().enumerate().take(10) {
        let coach = client % COACHES;
        let token = &tokens[coach];
        let (wrote, reads) = if client % 2 == 0 {
            (&first, &second)
        } else {
            (&second, &first)
        };
        let cookie = sign_in_with(
            &reads.base,
            &format!("coach{coach}@example.test"),
            "correct horse battery staple",
        )
        .await;
        let current: Value = http
            .get(format!("{}/api/v1/episodes/{episode}", wrote.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let version = current["version"].as_i64().unwrap();
        let page = |path: String| {
            http.get(format!("{}{path}", reads.base))
                .header(header::COOKIE, &cookie)
                .header(header::ACCEPT, "text/html")
                .send()
        };
        // Read once before, so the other instance has the episode in its record cache.
        let before = page(format!("/episodes/{episode}")).await.unwrap();
        assert_eq!(before.status(), 200, "{label}");
        let note = format!("Logged on the other instance, check {client}");
        assert!(!before.text().await.unwrap().contains(&note));
        let logged = http
            .post(format!("{}/api/v1/episodes/{episode}/attempts", wrote.base))
            .bearer_auth(token)
            .json(
                &json!({ "on": two_days_ago(), "method": "Phone", "outcome": "MessageLeft",
                           "response_window": 2, "version": version, "note": note }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(logged.status(), 200, "{label}");
        let shown = page(format!("/episodes/{episode}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            shown.contains(&note),
            "{label}: episode {episode}'s page is stale"
        );
        pages += 1;
    }
    report!(
        "  {pages} episode pages rendered by one instance right after a change on the other: none stale"
    );
    first.kill();
    second.kill();
    verify_audit(&test.url, label);
}

/// How many attempts episode `id` has stored.
async fn attempts_of(test: &TestDb, id: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM attempts WHERE episode_id = $1")
        .bind(id)
        .fetch_one(&test.db.pool)
        .await
        .unwrap()
}

/// `reengage audit verify` on the database finds the chain whole.
fn verify_audit(url: &str, label: &str) {
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_reengage"))
        .args(["audit", "verify"])
        .envs(crate::support::audit_env(url))
        .env("REENGAGE_LOG", "off")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success() && said.contains("chain intact"),
        "{label}: {verify:?}"
    );
}

/// The load itself: [`CLIENTS`] clients for [`seconds`], each on an episode of its own, their
/// requests alternating between `servers`; reports the figures and checks that every answer
/// was a success and no acknowledged attempt is missing. The clients' episodes (with the
/// versions they were opened at) and the coaches' API tokens, episode `n` being coach
/// `n % COACHES`'s.
async fn run(test: &TestDb, servers: &[&Server], label: &str) -> (Vec<(i64, i64)>, Vec<String>) {
    let backend = test.db.backend;
    let tokens = seed(&test.db, COACHES, CLIENTS, Utc::now()).await;
    let bases: Arc<Vec<String>> = Arc::new(servers.iter().map(|s| s.base.clone()).collect());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // A session begun on one instance is good on the other (sessions are in the database).
    let mut cookies = Vec::new();
    for coach in 0..COACHES {
        let email = format!("coach{coach}@example.test");
        cookies.push(
            sign_in_with(
                &bases[coach % bases.len()],
                &email,
                "correct horse battery staple",
            )
            .await,
        );
    }
    // Each client works its own participant's episode (R1), as its coach.
    let mut episodes = Vec::new();
    for client in 0..CLIENTS {
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation",
                              "on": two_days_ago(), "at": null, "reported_by": "Department" });
        let response = http
            .post(format!("{}/api/v1/episodes", bases[client % bases.len()]))
            .bearer_auth(&tokens[client % COACHES])
            .json(&json!({ "participant_id": client + 1, "trigger": trigger }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{label}");
        let episode: Value = response.json().await.unwrap();
        episodes.push((
            episode["id"].as_i64().unwrap(),
            episode["version"].as_i64().unwrap(),
        ));
    }

    let duration = Duration::from_secs(seconds());
    let started = Instant::now();
    let until = started + duration;
    let sent = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = episodes
        .iter()
        .enumerate()
        .map(|(client, (episode, version))| {
            tokio::spawn(client_run(
                bases.clone(),
                client,
                tokens[client % COACHES].clone(),
                cookies[client % COACHES].clone(),
                *episode,
                *version,
                until,
                sent.clone(),
                stop.clone(),
            ))
        })
        .collect();

    // A third of the way in, a backup of the live database (SQLite), while the reads go on.
    let mut during_backup = None;
    if backend == Backend::Sqlite {
        tokio::time::sleep(duration / 3).await;
        let before = sent.load(Ordering::Relaxed);
        let file = test.url.replace("reengage.db", "backup.db");
        let file = file.trim_start_matches("sqlite:").to_owned();
        let url = test.url.clone();
        let backup = tokio::task::spawn_blocking(move || {
            let began = Instant::now();
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_reengage"))
                .arg("backup")
                .arg(&file)
                .envs(crate::support::audit_env(&url))
                .env("REENGAGE_LOG", "off")
                .output()
                .unwrap();
            (output, began.elapsed())
        })
        .await
        .unwrap();
        assert!(backup.0.status.success(), "{:?}", backup.0);
        during_backup = Some((sent.load(Ordering::Relaxed) - before, backup.1));
    }

    let mut tallies = Vec::new();
    for client in clients {
        tallies.push(client.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let errors: Vec<&String> = tallies.iter().flat_map(|t| &t.errors).collect();
    let answered: usize = tallies
        .iter()
        .map(|t| t.latencies.iter().map(Vec::len).sum::<usize>())
        .sum();
    report!(
        "{label}: {CLIENTS} clients for {elapsed:.1} s: {answered} answered ({:.0}/s), {} errors",
        answered as f64 / elapsed,
        errors.len()
    );
    for (kind, name) in KINDS.iter().enumerate() {
        let mut all: Vec<u64> = tallies
            .iter()
            .flat_map(|t| t.latencies[kind].iter().copied())
            .collect();
        all.sort_unstable();
        report!(
            "  {name:<28} {:>7} ({:>5.0}/s)  p50 {:>7.1} ms  p99 {:>7.1} ms",
            all.len(),
            all.len() as f64 / elapsed,
            percentile(&all, 50.0),
            percentile(&all, 99.0)
        );
    }
    if let Some((requests, took)) = during_backup {
        report!("  a backup took {took:.1?}; {requests} requests were sent meanwhile");
        assert!(requests > 0, "nothing was served during the backup");
    }
    assert!(errors.is_empty(), "{label}: {errors:#?}");
    assert!(answered > CLIENTS * 10, "{label}: only {answered} answered");

    // Not one acknowledged attempt lost, none stored twice.
    for tally in &tallies {
        assert_eq!(
            attempts_of(test, tally.episode).await,
            tally.acknowledged_attempts,
            "{label}"
        );
    }
    (episodes, tokens)
}

#[test]
fn percentiles_are_read_off_the_sorted_latencies() {
    let sorted: Vec<u64> = (1..=100).map(|n| n * 1000).collect();
    assert_eq!(percentile(&sorted, 50.0), 50.0);
    assert_eq!(percentile(&sorted, 99.0), 99.0);
    assert_eq!(percentile(&[7000], 99.0), 7.0);
    assert_eq!(percentile(&[], 99.0), 0.0);
}

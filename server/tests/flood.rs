//! A sign-in flood does not stop the people working: 50 clients send wrong passwords to
//! `/signin` as fast as they can while 20 signed-in coaches log attempts (R4) through the REST
//! API. Every coach's write succeeds, their p99 stays within 3× the p99 of the same work with
//! no flood (both printed), and the audit log grows by a bounded number of rows: failed and
//! throttled sign-ins are counted in memory and written as one entry per account, network and
//! window, not one each.

#[path = "it/support/mod.rs"]
mod support;

/// A line for the test command's own output (stderr, which the harness does not capture).
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use reengage_server::store::tally::ACCOUNTS_PER_ADDRESS;
use serde_json::{Value, json};
use support::process::{Server, seed, two_days_ago};
use support::{backends, fresh_db};

const COACHES: usize = 20;
const FLOODERS: usize = 50;

fn flood_seconds() -> u64 {
    std::env::var("REENGAGE_FLOOD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
}

/// One coach logging attempts on its episode until `stop`: the latency of each (µs) and
/// what failed.
async fn coach(
    base: String,
    token: String,
    episode: i64,
    mut version: i64,
    stop: Arc<AtomicBool>,
) -> (Vec<u64>, Vec<String>, i64) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let (mut latencies, mut errors, mut acknowledged) = (Vec::new(), Vec::new(), 0);
    let day = two_days_ago();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let answer = http
            .post(format!("{base}/api/v1/episodes/{episode}/attempts"))
            .bearer_auth(&token)
            .json(
                &json!({ "on": day, "method": "Phone", "outcome": "MessageLeft",
                           "response_window": 2, "version": version }),
            )
            .send()
            .await;
        match answer {
            Ok(response) if response.status() == 200 => {
                let body: Value = response.json().await.unwrap();
                latencies.push(started.elapsed().as_micros() as u64);
                version = body["version"].as_i64().unwrap();
                acknowledged += 1;
            }
            Ok(response) => errors.push(format!(
                "{} {}",
                response.status(),
                response.text().await.unwrap_or_default()
            )),
            Err(error) => errors.push(error.to_string()),
        }
        // A coach at a desk: a write now and then, not a closed loop.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    (latencies, errors, acknowledged)
}

/// One flooder: wrong passwords for invented accounts until `stop`; the statuses answered.
async fn flooder(base: String, index: usize, stop: Arc<AtomicBool>) -> BTreeMap<u16, u64> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut statuses = BTreeMap::new();
    let mut n = 0_u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let email = format!("guess{index}-{}@flood.test", n % 500);
        let status = match http
            .post(format!("{base}/signin"))
            .form(&[
                ("email", email.as_str()),
                ("password", "not the password at all"),
            ])
            .send()
            .await
        {
            Ok(response) => response.status().as_u16(),
            Err(_) => 0,
        };
        *statuses.entry(status).or_default() += 1;
    }
    statuses
}

fn p99(mut latencies: Vec<u64>) -> f64 {
    latencies.sort_unstable();
    if latencies.is_empty() {
        return 0.0;
    }
    let rank = (0.99 * latencies.len() as f64).ceil() as usize;
    latencies[rank.clamp(1, latencies.len()) - 1] as f64 / 1000.0
}

/// The coaches working for `seconds`, with the flood alongside when `flood`.
async fn phase(
    base: &str,
    tokens: &[String],
    episodes: &mut [(i64, i64)],
    seconds: u64,
    flood: bool,
) -> (Vec<u64>, Vec<String>, i64, BTreeMap<u16, u64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let coaches: Vec<_> = episodes
        .iter()
        .enumerate()
        .map(|(n, (episode, version))| {
            tokio::spawn(coach(
                base.to_owned(),
                tokens[n].clone(),
                *episode,
                *version,
                stop.clone(),
            ))
        })
        .collect();
    let flooders: Vec<_> = (0..if flood { FLOODERS } else { 0 })
        .map(|n| tokio::spawn(flooder(base.to_owned(), n, stop.clone())))
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut latencies, mut errors, mut acknowledged) = (Vec::new(), Vec::new(), 0);
    for (n, coach) in coaches.into_iter().enumerate() {
        let (l, e, a) = coach.await.unwrap();
        latencies.extend(l);
        errors.extend(e);
        acknowledged += a;
        episodes[n].1 += a;
    }
    let mut statuses = BTreeMap::new();
    for flooder in flooders {
        for (status, count) in flooder.await.unwrap() {
            *statuses.entry(status).or_default() += count;
        }
    }
    (latencies, errors, acknowledged, statuses)
}

/// An episode (id, version) for each coach, opened through the API for participants
/// `first`, `first + 1`, … (participant `first + n` is coach `n`'s).
async fn open_episodes(base: &str, tokens: &[String], first: usize) -> Vec<(i64, i64)> {
    let http = reqwest::Client::new();
    let mut episodes = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation",
                              "on": two_days_ago(), "at": null, "reported_by": "Department" });
        let response = http
            .post(format!("{base}/api/v1/episodes"))
            .bearer_auth(token)
            .json(&json!({ "participant_id": first + n, "trigger": trigger }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let episode: Value = response.json().await.unwrap();
        episodes.push((
            episode["id"].as_i64().unwrap(),
            episode["version"].as_i64().unwrap(),
        ));
    }
    episodes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_flood_neither_slows_the_coaches_writes_nor_fills_the_audit_log() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        // Two participants per coach: each phase logs on episodes of its own, all opened
        // first. A write's cost grows with the attempts its episode already holds, so a
        // flooded phase on the calm phase's episodes would do heavier work than the calm one.
        let tokens = seed(&test.db, COACHES, 2 * COACHES, Utc::now()).await;
        let server = Server::start(&test.url).await;
        let mut calm_episodes = open_episodes(&server.base, &tokens, 1).await;
        let mut flood_episodes = open_episodes(&server.base, &tokens, COACHES + 1).await;
        let seconds = flood_seconds();
        // The baseline is the same work for as long as the flood lasts: a p99 over a shorter
        // window sees fewer of the rare slow writes (a checkpoint, an fsync) and made the
        // comparison unfair to the flooded phase.
        let (calm, errors, calm_writes, _) =
            phase(&server.base, &tokens, &mut calm_episodes, seconds, false).await;
        assert!(errors.is_empty(), "{backend:?}: {errors:?}");
        let calm_p99 = p99(calm);

        let audit_rows = |action: &'static str| {
            let pool = test.db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_log WHERE action = $1")
                    .bind(action)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        let (flooded, errors, flooded_writes, statuses) =
            phase(&server.base, &tokens, &mut flood_episodes, seconds, true).await;
        let flooded_p99 = p99(flooded);
        let guesses: u64 = statuses.values().sum();
        report!(
            "{backend:?}: {COACHES} coaches logging attempts: p99 {calm_p99:.1} ms alone ({calm_writes} writes), \
             {flooded_p99:.1} ms under a flood of {guesses} sign-ins from {FLOODERS} clients in {seconds} s \
             ({flooded_writes} writes); sign-ins answered {statuses:?}"
        );
        assert!(errors.is_empty(), "{backend:?}: {errors:?}");
        assert!(
            flooded_writes > 0,
            "{backend:?}: no coach wrote under the flood"
        );
        assert!(
            flooded_p99 <= 3.0 * calm_p99,
            "{backend:?}: the coaches' p99 went from {calm_p99:.1} ms to {flooded_p99:.1} ms"
        );

        // Stopped as an operator would (SIGTERM): what was counted is written at close.
        server.terminate();
        assert!(server.wait(Duration::from_secs(30)).success());
        let failed = audit_rows("signin.failed").await;
        let throttled = audit_rows("signin.throttled").await;
        let windows = seconds / reengage_server::store::tally::WINDOW_SECONDS + 2;
        let bound = 2 * (ACCOUNTS_PER_ADDRESS as u64 + 1) * windows;
        report!(
            "  audit entries for {guesses} bad sign-ins: {failed} failed + {throttled} throttled (bound {bound})"
        );
        assert!(
            (failed + throttled) as u64 <= bound,
            "{backend:?}: {failed} + {throttled} audit rows for a flood"
        );
        assert!(
            failed + throttled > 0,
            "{backend:?}: the flood is in the audit log"
        );
        // Every acknowledged write is stored.
        for (episode, _) in calm_episodes.iter().chain(&flood_episodes) {
            let stored: i64 =
                sqlx::query_scalar("SELECT count(*) FROM attempts WHERE episode_id = $1")
                    .bind(episode)
                    .fetch_one(&test.db.pool)
                    .await
                    .unwrap();
            assert!(stored > 0, "{backend:?}");
        }
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM attempts")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(stored, calm_writes + flooded_writes, "{backend:?}");
    }
}

//! Stopping well: on SIGTERM the server stops taking connections, finishes the request in
//! flight (a coach's attempt still uploading), and closes the database cleanly; a request
//! that never finishes arriving is answered 408 after the time-out, and nothing of it stored.

#[path = "it/support/mod.rs"]
mod support;

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use reengage_server::store::db::Backend;
use serde_json::{Value, json};
use support::process::{Server, seed, two_days_ago};
use support::{TestDb, fresh_db};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A database with one coach and an open episode; the coach's token and the episode's id.
async fn one_open_episode(test: &TestDb, server: &Server) -> (String, i64) {
    let token = seed(&test.db, 1, 1, Utc::now()).await.remove(0);
    let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation",
                          "on": two_days_ago(), "at": null, "reported_by": "Department" });
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/episodes", server.base))
        .bearer_auth(&token)
        .json(&json!({ "participant_id": 1, "trigger": trigger }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let episode: Value = response.json().await.unwrap();
    (token, episode["id"].as_i64().unwrap())
}

/// Sends an attempt's headers and the first half of its body, and no more.
async fn start_attempt(server: &Server, token: &str, episode: i64) -> (TcpStream, Vec<u8>) {
    let body = json!({ "on": two_days_ago(), "method": "Phone", "outcome": "MessageLeft",
                       "response_window": 2, "version": 1 })
    .to_string()
    .into_bytes();
    let head = format!(
        "POST /api/v1/episodes/{episode}/attempts HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(first).await.unwrap();
    stream.flush().await.unwrap();
    (stream, rest.to_vec())
}

/// How long a condition may take to come true before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// Waits until `holds` answers true, asking every 20 ms; fails the test, saying `what` was
/// awaited, when it has not within [`PATIENCE`].
async fn wait_until<F, Fut>(what: &str, mut holds: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !holds().await {
        assert!(
            started.elapsed() < PATIENCE,
            "waited {PATIENCE:?} in vain for this: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many of the bytes sent on `stream` the server has not read yet: its side's receive
/// queue, as the kernel lists it (/proc/net/tcp); `None` while its side is not listed.
fn unread_by_server(stream: &TcpStream) -> Option<u64> {
    let ours = stream.local_addr().ok()?.port();
    let theirs = stream.peer_addr().ok()?.port();
    let port = |address: &str| u16::from_str_radix(address.rsplit(':').next()?, 16).ok();
    std::fs::read_to_string("/proc/net/tcp")
        .ok()?
        .lines()
        .skip(1)
        .find_map(|line| {
            // sl, local address, remote address, state, tx_queue:rx_queue, …
            let fields: Vec<&str> = line.split_whitespace().collect();
            if port(fields.get(1)?)? != theirs || port(fields.get(2)?)? != ours {
                return None;
            }
            let (_, unread) = fields.get(4)?.split_once(':')?;
            u64::from_str_radix(unread, 16).ok()
        })
}

async fn answer(mut stream: TcpStream) -> String {
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

async fn attempts(test: &TestDb, episode: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM attempts WHERE episode_id = $1")
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_closes_the_database() {
    let test = fresh_db(Backend::Sqlite).await;
    let server = Server::start(&test.url).await;
    let (token, episode) = one_open_episode(&test, &server).await;
    // The test's own connections go, so that the server's close is the last one.
    test.db.close().await;

    let (mut stream, rest) = start_attempt(&server, &token, episode).await;
    // The request is in flight: the server has taken the connection and read all that was sent.
    wait_until(
        "the server reads the attempt's headers and the first half of its body",
        || std::future::ready(unread_by_server(&stream) == Some(0)),
    )
    .await;
    server.terminate();
    // No new connection is taken while it drains (the attempt's second half is still to come).
    let address = server.base.trim_start_matches("http://").to_owned();
    wait_until("a stopping server refuses new connections", || async {
        TcpStream::connect(&address).await.is_err()
    })
    .await;
    stream.write_all(&rest).await.unwrap();
    let answer = answer(stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"version\":2"), "{answer}");

    let status = server.wait(Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
    // Closed cleanly: the write-ahead log was checkpointed into the file, emptied or removed.
    let file = test.url.trim_start_matches("sqlite:");
    assert!(std::path::Path::new(file).exists());
    let log = std::fs::metadata(format!("{file}-wal")).map_or(0, |m| m.len());
    assert_eq!(
        log, 0,
        "the write-ahead log still holds changes: the database was not closed"
    );
    let db = reengage_server::store::db::open(&test.url).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM attempts WHERE episode_id = $1")
        .bind(episode)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn a_request_that_never_finishes_arriving_is_answered_408_and_stores_nothing() {
    let test = fresh_db(Backend::Sqlite).await;
    let server = Server::start_with(&test.url, &[("REENGAGE_REQUEST_TIMEOUT_SECONDS", "2")]).await;
    let (token, episode) = one_open_episode(&test, &server).await;

    let (stream, _rest) = start_attempt(&server, &token, episode).await;
    let started = std::time::Instant::now();
    let answer = answer(stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(1)..Duration::from_secs(15)).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(attempts(&test, episode).await, 0);
    // The server goes on serving.
    let health = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

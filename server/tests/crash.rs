//! Nothing acknowledged is lost, and nothing is half-written, when the server is killed.
//!
//! The real server (`reengage serve`) takes attempts (R4) and the missing information a
//! staffing waits on (R17) from several clients at once through the REST API, and is killed
//! with SIGKILL at a random moment, round after round, then started again. At the end every
//! write the server answered 200 to is in the database; a write cut off by the kill is either
//! wholly there (its rows, the episode's version, its audit entry) or not at all; SQLite's
//! integrity check passes; and `reengage audit verify` finds the chain whole. On both backends,
//! and with two instances on one PostgreSQL database, each client's writes alternating between
//! them and both killed each round.

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

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use chrono::Utc;
use reengage_server::store::db::Backend;
use serde_json::{Value, json};
use support::process::{Dice, Server, seed, two_days_ago};
use support::{TestDb, backends, fresh_db};

const CLIENTS: usize = 6;
const WRITES: u64 = 1_000;

/// What one client sent to its own episode, and what it knows became of it.
#[derive(Default)]
struct Ledger {
    episode: i64,
    /// The episode's version when it was opened.
    first_version: i64,
    attempts: u64,
    /// Described by what each says is missing, unique to the write.
    missing: BTreeSet<String>,
    /// A write sent but not answered when the server died: it may or may not have landed.
    uncertain_attempts: u64,
    uncertain_missing: BTreeSet<String>,
    sent: u64,
}

impl Ledger {
    fn acknowledged(&self) -> u64 {
        self.attempts + self.missing.len() as u64
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Writes to the ledger's episode until the server stops answering, each request to the next
/// of `bases` (one server, or two instances on one database).
async fn write_until_killed(
    bases: Vec<String>,
    token: String,
    index: usize,
    mut ledger: Ledger,
) -> Ledger {
    let http = client();
    let episode = ledger.episode;
    let url_of = |turn: u64| {
        let base = &bases[turn as usize % bases.len()];
        format!("{base}/api/v1/episodes/{episode}")
    };
    let url = url_of(ledger.sent);
    // The version as the server has it now (a write cut off last round may have landed).
    let Ok(response) = http.get(&url).bearer_auth(&token).send().await else {
        return ledger;
    };
    let Ok(episode) = response.json::<Value>().await else {
        return ledger;
    };
    let mut version = episode["version"].as_i64().expect("the episode's version");
    let day = two_days_ago();
    loop {
        ledger.sent += 1;
        let url = url_of(ledger.sent);
        let missing = ledger.sent.is_multiple_of(3);
        let what = format!("client {index} write {}", ledger.sent);
        let (kind, body) = if missing {
            (
                "missing-info",
                json!({ "kind": "Other", "description": what, "requested_on": day,
                        "resolved_on": null, "version": version }),
            )
        } else {
            (
                "attempts",
                json!({ "on": day, "method": "Phone", "outcome": "MessageLeft",
                        "response_window": 2, "version": version }),
            )
        };
        let sent = http
            .post(format!("{url}/{kind}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        let answer = match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                response.json::<Value>().await.map(|body| (status, body))
            }
            Err(error) => Err(error),
        };
        match answer {
            Ok((200, episode)) => {
                version = episode["version"].as_i64().expect("version");
                if missing {
                    ledger.missing.insert(what);
                } else {
                    ledger.attempts += 1;
                }
            }
            // PostgreSQL may finish a commit the killed server had sent after this round read
            // the version: the write is refused, nothing stored; read the version again, as a
            // person told "Reload it" would.
            Ok((409, _)) => {
                let Ok(response) = http.get(&url).bearer_auth(&token).send().await else {
                    return ledger;
                };
                let Ok(episode) = response.json::<Value>().await else {
                    return ledger;
                };
                version = episode["version"].as_i64().expect("the episode's version");
            }
            Ok((status, body)) => panic!("client {index}: {kind} answered {status}: {body}"),
            // The server died with this write in flight.
            Err(_) => {
                if missing {
                    ledger.uncertain_missing.insert(what);
                } else {
                    ledger.uncertain_attempts += 1;
                }
                return ledger;
            }
        }
    }
}

async fn scalar(db: &reengage_server::store::db::Db, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_and_none_is_half_written() {
    let mut dice = Dice::from_clock();
    for backend in backends().await {
        let test = fresh_db(backend).await;
        rounds_of_kills(&test, 1, &format!("{backend:?}"), &mut dice).await;
    }
}

/// The same with two `reengage serve` instances on one PostgreSQL database, each client's
/// writes alternating between them, both killed each round.
#[tokio::test]
async fn two_instances_on_one_postgresql_killed_each_round_lose_nothing() {
    if !backends().await.contains(&Backend::Postgres) {
        report!("PostgreSQL does not answer: the two-instance crash test has nothing to run on");
        return;
    }
    let mut dice = Dice::from_clock();
    let test = fresh_db(Backend::Postgres).await;
    rounds_of_kills(&test, 2, "PostgreSQL, two instances", &mut dice).await;
}

/// Rounds of `instances` servers on `test`'s database taking writes until all are killed
/// with SIGKILL at a random moment, until [`WRITES`] are acknowledged; then checks every
/// acknowledged write is stored, none is half-written, and the audit chain is whole.
async fn rounds_of_kills(test: &TestDb, instances: usize, label: &str, dice: &mut Dice) {
    let backend = test.db.backend;
    let tokens = seed(&test.db, CLIENTS, CLIENTS, Utc::now()).await;

    // Each client opens an episode of its own participant (R1).
    let server = Server::start(&test.url).await;
    let mut ledgers = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation",
                                  "on": two_days_ago(), "at": null, "reported_by": "Department" });
        let response = client()
            .post(format!("{}/api/v1/episodes", server.base))
            .bearer_auth(token)
            .json(&json!({ "participant_id": index + 1, "trigger": trigger }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{label}");
        let episode: Value = response.json().await.unwrap();
        ledgers.push(Ledger {
            episode: episode["id"].as_i64().unwrap(),
            first_version: episode["version"].as_i64().unwrap(),
            ..Ledger::default()
        });
    }
    server.kill();

    let mut rounds = 0;
    while rounds < 4 || ledgers.iter().map(Ledger::acknowledged).sum::<u64>() < WRITES {
        rounds += 1;
        assert!(rounds <= 40, "{label}: too slow to take {WRITES} writes");
        let mut servers = Vec::new();
        for _ in 0..instances {
            servers.push(Server::start(&test.url).await);
        }
        let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
        let writers: Vec<_> = ledgers
            .drain(..)
            .enumerate()
            .map(|(index, ledger)| {
                tokio::spawn(write_until_killed(
                    bases.clone(),
                    tokens[index].clone(),
                    index,
                    ledger,
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(dice.roll(500..2_500))).await;
        for server in servers {
            server.kill();
        }
        for writer in writers {
            ledgers.push(writer.await.unwrap());
        }
    }
    let acknowledged: u64 = ledgers.iter().map(Ledger::acknowledged).sum();
    report!("{label}: {acknowledged} writes acknowledged over {rounds} rounds of SIGKILL");

    // It starts again after the last kill and reads what it has.
    let server = Server::start(&test.url).await;
    server.kill();

    for (index, ledger) in ledgers.iter().enumerate() {
        let id = ledger.episode;
        let attempts = scalar(
            &test.db,
            "SELECT count(*) FROM attempts WHERE episode_id = $1",
            id,
        )
        .await as u64;
        assert!(
            (ledger.attempts..=ledger.attempts + ledger.uncertain_attempts).contains(&attempts),
            "{label} client {index}: {attempts} attempts stored, {} acknowledged, {} cut off",
            ledger.attempts,
            ledger.uncertain_attempts
        );
        let stored: BTreeSet<String> = sqlx::query_scalar(
            "SELECT description FROM tasks WHERE episode_id = $1 AND blocks_decision = 1",
        )
        .bind(id)
        .fetch_all(&test.db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
        assert!(
            stored.is_superset(&ledger.missing),
            "{label} client {index}: acknowledged missing information lost: {:?}",
            ledger.missing.difference(&stored).collect::<Vec<_>>()
        );
        let allowed: BTreeSet<String> = ledger
            .missing
            .union(&ledger.uncertain_missing)
            .cloned()
            .collect();
        assert!(
            stored.is_subset(&allowed),
            "{label} client {index}: {stored:?}"
        );

        // Whole or not at all: each change that is stored moved the episode's version
        // once and has its audit entry.
        let changes = attempts + stored.len() as u64;
        let version = scalar(&test.db, "SELECT version FROM episodes WHERE id = $1", id).await;
        assert_eq!(
            (version - ledger.first_version) as u64,
            changes,
            "{label} client {index}: version"
        );
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE entity = 'episode' AND entity_id = $1 \
                 AND action IN ('attempt.logged', 'missing_info.added')",
        )
        .bind(id.to_string())
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        let audited = audited as u64;
        assert_eq!(audited, changes, "{label} client {index}: audit entries");
    }

    if backend == Backend::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
    let verify = Command::new(env!("CARGO_BIN_EXE_reengage"))
        .args(["audit", "verify"])
        .envs(crate::support::audit_env(&test.url))
        .env("REENGAGE_LOG", "off")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success() && said.contains("chain intact"),
        "{label}: {verify:?}"
    );
}

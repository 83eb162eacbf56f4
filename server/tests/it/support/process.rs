//! The real server as a separate process (`reengage serve`), for what only a process shows:
//! being killed, being told to stop, many clients over real sockets. With the staff and
//! participants a test needs seeded in its database beforehand, and API tokens for them.

use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reengage_server::services::Actor;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::store::db::Db;

/// A running `reengage serve` on a port of its own.
pub struct Server {
    child: Child,
    pub base: String,
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

impl Server {
    /// Starts the server on `url`'s database and waits until it answers its health check.
    pub async fn start(url: &str) -> Self {
        Self::start_with(url, &[]).await
    }

    /// The same, with more settings in its environment.
    pub async fn start_with(url: &str, settings: &[(&str, &str)]) -> Self {
        Self::start_logging(url, settings, None).await
    }

    /// The same, its log (standard error) written to `log` when given; `settings` may set
    /// `REENGAGE_LOG` (else only errors are logged).
    pub async fn start_logging(
        url: &str,
        settings: &[(&str, &str)],
        log: Option<std::fs::File>,
    ) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_reengage"))
            .arg("serve")
            .env("REENGAGE_LOG", "error")
            .envs(settings.iter().copied())
            .envs(crate::support::audit_env(url))
            .env("REENGAGE_ADDR", format!("127.0.0.1:{port}"))
            // What cargo-leptos would set; without it Leptos warns at start.
            .env("LEPTOS_OUTPUT_NAME", "reengage")
            .stdout(Stdio::null())
            .stderr(log.map_or_else(Stdio::inherit, Stdio::from))
            .spawn()
            .expect("start reengage serve");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{}/healthz", server.base)).send().await
                && response.status().is_success()
            {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not answer within a minute"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap the killed server");
    }

    /// SIGTERM, as a service manager stops it.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
    }

    /// Waits for the process to end by itself, at most `limit`.
    pub fn wait(mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!("the server had not stopped {limit:?} after it was told to");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One branch, `coaches` family coaches with an API token each, and `participants`
/// participants spread over them (case numbers `LOAD-0001`…); the tokens, in order.
pub async fn seed(db: &Db, coaches: usize, participants: usize, now: DateTime<Utc>) -> Vec<String> {
    sqlx::query("INSERT INTO branches (name) VALUES ('Riverbend')")
        .execute(&db.pool)
        .await
        .unwrap();
    let admin = Actor {
        staff_id: None,
        email: "test".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    for n in 0..coaches {
        let email = format!("coach{n}@example.test");
        let staff = NewStaff {
            email: email.clone(),
            name: format!("Coach {n}"),
            initials: format!("C{n}"),
            role: reengage_core::roles::Role::FamilyCoach,
            branch: Some("Riverbend".into()),
            password: "correct horse battery staple".into(),
            phone: None,
        };
        ids.push(
            accounts::create_staff(db, &admin, staff, now)
                .await
                .unwrap(),
        );
        tokens.push(
            accounts::create_token(db, &admin, &email, now)
                .await
                .unwrap(),
        );
    }
    for n in 0..participants {
        sqlx::query(
            "INSERT INTO participants (branch_id, coach_id, case_number, first_name, last_name, \
             display_name, created_at) VALUES (1, $1, $2, 'Pat', $3, $4, '2026-10-01T00:00:00Z')",
        )
        .bind(ids[n % coaches])
        .bind(format!("LOAD-{:04}", n + 1))
        .bind(format!("Example{n}"))
        .bind(format!("Pat Example{n}"))
        .execute(&db.pool)
        .await
        .unwrap();
    }
    tokens
}

/// A day every clock agrees has passed (Oregon's "today" trails UTC's by up to a day).
pub fn two_days_ago() -> String {
    (Utc::now() - chrono::Duration::days(2))
        .date_naive()
        .to_string()
}

/// A small pseudo-random sequence (xorshift), seeded from the clock and printed, so that a
/// failing run can be told apart from the next.
pub struct Dice(u64);

impl Dice {
    pub fn from_clock() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.as_nanos() as u64)
            | 1;
        println!("random seed {seed}");
        Self(seed)
    }

    /// A number in `range`.
    pub fn roll(&mut self, range: std::ops::Range<u64>) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        range.start + self.0 % (range.end - range.start)
    }
}

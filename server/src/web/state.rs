//! What every handler may reach: the database, the clock, the session and request policies.

use std::sync::{Arc, Mutex};

use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use leptos::config::LeptosOptions;

use crate::store::db::Db;

/// Where "now" comes from: the system clock, or a clock a test sets.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }

    /// A clock that reads the instant held in `at`.
    pub fn fixed(at: Arc<Mutex<DateTime<Utc>>>) -> Self {
        Self(Arc::new(move || {
            *at.lock().unwrap_or_else(|e| e.into_inner())
        }))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

/// Where Re-engage is reached when `REENGAGE_PUBLIC_URL` is not set.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";

/// What every handler may reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Clock,
    /// Cookies marked `Secure` (served over HTTPS).
    pub secure_cookies: bool,
    /// How long sign-in sessions last.
    pub sessions: SessionPolicy,
    /// Failed sign-ins, counted to slow guessing.
    pub throttle: crate::web::throttle::SignInThrottle,
    /// The reverse proxies whose forwarding headers name the client (`web::client`).
    pub trusted_proxies: crate::web::client::TrustedProxies,
    /// The database is the demo's (`store::demo::is_demo`): every page says so.
    #[from_ref(skip)]
    pub demo: bool,
    /// The morning digest e-mail is sent (an SMTP server is configured; docs/digest.md).
    #[from_ref(skip)]
    pub digest_mail: bool,
    /// Sign-ins in progress at once, at most.
    pub signin_slots: crate::web::throttle::SignInSlots,
    /// How long one request may take, its body's upload included, before it is answered
    /// 408 Request Timeout and its work dropped (a transaction not committed rolls back).
    pub request_timeout: std::time::Duration,
    /// Agency single sign-on (OpenID Connect), when configured.
    #[from_ref(skip)]
    pub sso: Option<std::sync::Arc<crate::services::sso::Sso>>,
    /// The address people reach Re-engage at (`REENGAGE_PUBLIC_URL`, no trailing slash), for
    /// absolute links: a calendar feed's URL and its events' links.
    #[from_ref(skip)]
    pub public_url: String,
    /// Request counts and latencies since start, for `GET /metrics` (`web::observe`).
    pub metrics: std::sync::Arc<crate::web::metrics::Metrics>,
    /// The token that opens `/metrics` to another machine (`REENGAGE_METRICS_TOKEN`).
    #[from_ref(skip)]
    pub metrics_token: Option<std::sync::Arc<str>>,
    /// The service worker of this release, its files' hashed names in place (`web::assets`).
    pub service_worker: crate::web::assets::ServiceWorker,
    /// A page answered as it is from memory at `GET /bench/page`, when `make bench` asks for
    /// one (`REENGAGE_BENCH_PAGE`): what this server does for a page of that size with no
    /// session, no database and no rendering — the ceiling a real page is measured against.
    #[from_ref(skip)]
    pub bench_page: Option<axum::body::Bytes>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db) -> Self {
        let service_worker = crate::web::assets::ServiceWorker::load(&leptos_options);
        Self {
            service_worker,
            leptos_options,
            db,
            clock: Clock::system(),
            secure_cookies: false,
            sessions: SessionPolicy::default(),
            throttle: crate::web::throttle::SignInThrottle::default(),
            signin_slots: crate::web::throttle::SignInSlots::default(),
            demo: false,
            digest_mail: false,
            trusted_proxies: crate::web::client::TrustedProxies::default(),
            request_timeout: std::time::Duration::from_secs(30),
            sso: None,
            public_url: DEFAULT_PUBLIC_URL.to_owned(),
            metrics: Default::default(),
            metrics_token: None,
            bench_page: None,
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// How long a signed-in session lasts (configurable; see the README's security section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Minutes without a request after which the session ends.
    pub idle_minutes: i64,
    /// Hours after sign-in after which it ends however busy it is.
    pub absolute_hours: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_minutes: 30,
            absolute_hours: 12,
        }
    }
}

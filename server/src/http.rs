//! The HTTP surface: pages (server-rendered Leptos), the built site, and health.

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    extract::{FromRef, State},
    http::StatusCode,
    routing::get,
};
use chrono::{DateTime, Utc};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use reengage_app::{App, shell};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::db::{self, Db};

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

/// What every handler may reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Clock,
    /// Cookies marked `Secure` (served over HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db) -> Self {
        Self {
            leptos_options,
            db,
            clock: Clock::system(),
            secure_cookies: false,
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/signin", axum::routing::post(crate::signin::signin))
        .route("/signout", axum::routing::post(crate::signin::signout))
        .nest("/api/v1", crate::api::router())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .layer(crate::sessions::layer(&state.db, state.secure_cookies))
        .layer(CompressionLayer::new().gzip(true).br(false))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(db): State<Db>) -> (StatusCode, &'static str) {
    if db::ping(&db).await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}

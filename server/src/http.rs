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
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use reengage_app::{App, shell};
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

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
    /// How long sign-in sessions last.
    pub sessions: crate::sessions::SessionPolicy,
    /// Failed sign-ins, counted to slow guessing.
    pub throttle: crate::throttle::SignInThrottle,
    /// How long one request may take, its body's upload included, before it is answered
    /// 408 Request Timeout and its work dropped (a transaction not committed rolls back).
    pub request_timeout: std::time::Duration,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db) -> Self {
        Self {
            leptos_options,
            db,
            clock: Clock::system(),
            secure_cookies: false,
            sessions: crate::sessions::SessionPolicy::default(),
            throttle: crate::throttle::SignInThrottle::default(),
            request_timeout: std::time::Duration::from_secs(30),
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
    let backend: Arc<dyn reengage_app::backend::Backend> =
        Arc::new(crate::pages::PageBackend(state.clone()));
    // What every page render and server function gets: the pages' backend and the CSP nonce.
    let context = move || {
        leptos::prelude::provide_context(backend.clone());
        provide_request_nonce();
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/signin", axum::routing::post(crate::signin::signin))
        .route("/signout", axum::routing::post(crate::signin::signout))
        // The pages' forms (plain POST; the pages themselves are the Leptos routes).
        .route(
            "/episodes/{id}/attempt",
            axum::routing::post(crate::forms::attempt),
        )
        .route(
            "/episodes/{id}/appointment",
            axum::routing::post(crate::forms::appointment),
        )
        .route(
            "/episodes/{id}/notice",
            axum::routing::post(crate::forms::notice),
        )
        .route("/missed", axum::routing::post(crate::forms::missed))
        .route(
            "/episodes/{id}/staffing",
            axum::routing::post(crate::staffing::record),
        )
        .route(
            "/episodes/{id}/staffing/presence",
            axum::routing::post(crate::staffing::presence),
        )
        .route(
            "/episodes/{id}/good-cause",
            axum::routing::post(crate::forms::good_cause),
        )
        .route(
            "/episodes/{id}/missing-info",
            axum::routing::post(crate::staffing::add_missing),
        )
        .route(
            "/episodes/{id}/missing-info/{index}",
            axum::routing::post(crate::staffing::gathered),
        )
        .route(
            "/episodes/{id}/finalization",
            axum::routing::post(crate::staffing::finalize),
        )
        .route(
            "/episodes/{id}/new-staffing",
            axum::routing::post(crate::staffing::request_new),
        )
        .route("/branch/efforts.csv", get(crate::efforts::export))
        .route("/branch.csv", get(crate::exports::branch))
        .route("/calendar.ics", get(crate::ical::feed))
        .route(
            "/episodes/{id}/contact",
            axum::routing::post(crate::forms::contact),
        )
        .route(
            "/episodes/{id}/narratives",
            axum::routing::post(crate::forms::new_narrative),
        )
        .route(
            "/episodes/{id}/narratives/{narrative}",
            axum::routing::post(crate::forms::edit_narrative),
        )
        .nest("/api/v1", crate::api::router())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::api::MAX_BODY_BYTES,
        ))
        // Every body, a page's form and a server function's too, not only the extractors'.
        .layer(RequestBodyLimitLayer::new(crate::api::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::sessions::enforce_absolute_limit,
        ))
        .layer(crate::sessions::layer(
            &state.db,
            state.secure_cookies,
            state.sessions,
        ))
        .layer(axum::middleware::from_fn(crate::security::csrf))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::headers,
        ))
        .layer(CompressionLayer::new().gzip(true).br(false))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Hands the response's CSP nonce (set by `security::headers`) to the renderer, so the
/// hydration script carries the nonce the header allows.
fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::security::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(db): State<Db>) -> (StatusCode, &'static str) {
    if db::ping(&db).await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}

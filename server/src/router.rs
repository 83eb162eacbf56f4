//! The whole router: every route of the pages, their forms, the exports, the REST API and
//! health, each to its handler, with the layers every request passes through.

use std::sync::{Arc, OnceLock};

use axum::{Router, extract::State, http::StatusCode, routing::get};
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list,
};
use reengage_app::{App, shell};
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::store::db::{self, Db};
use crate::web::state::AppState;

/// The pages' routes, listed once for the whole process.
///
/// Listing them renders the app once with every resource held back, and leptos holds them
/// back with one flag for the whole process (`leptos_server::SuppressResourceLoad`, set by
/// `leptos_router::RouteList::generate`), not for the listing's own thread: a page rendering
/// on another thread meanwhile has its resource wait for ever instead of loading, and the page
/// never answers. Listed once, before the first router exists, the listing can never overlap
/// a render, however many routers are built (each test builds its own).
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let trusted_proxies = state.trusted_proxies.clone();
    let options = state.leptos_options.clone();
    let built_files = crate::web::assets::pkg(&options);
    let backend: Arc<dyn reengage_app::backend::Backend> =
        Arc::new(crate::pages::PageBackend(state.clone()));
    // What every page render and server function gets: the pages' backend and the CSP nonce.
    let demo = state.demo;
    let sso = state.sso.is_some();
    let idle_minutes = state.sessions.idle_minutes;
    let context = move || {
        leptos::prelude::provide_context(backend.clone());
        if demo {
            leptos::prelude::provide_context(reengage_app::DemoData);
        }
        if sso {
            leptos::prelude::provide_context(reengage_app::SingleSignOn);
        }
        provide_request_nonce();
        provide_signed_in_page(idle_minutes);
    };
    let metrics = state.metrics.clone();
    let bench_page = state.bench_page.clone().map(|page| {
        get(move || {
            let page = page.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    page,
                )
            }
        })
    });
    let app = Router::new();
    let app = match bench_page {
        Some(page) => app.route("/bench/page", page),
        None => app,
    };
    let app = app
        .route("/metrics", get(crate::web::observe::metrics))
        .route("/healthz", get(healthz))
        .route("/sw.js", get(crate::web::assets::service_worker))
        .route("/signin", axum::routing::post(crate::web::signin::signin))
        .route(
            "/signin/code",
            axum::routing::post(crate::web::second_factor::code),
        )
        .route("/signin/sso", get(crate::web::sso::start))
        .route("/signin/sso/callback", get(crate::web::sso::callback))
        .route("/signout", axum::routing::post(crate::web::signin::signout))
        .route(
            "/session/alive",
            axum::routing::post(crate::web::offline::alive),
        )
        .route(
            "/account/password",
            axum::routing::post(crate::forms::password::change),
        )
        .route(
            "/account/calendar",
            axum::routing::post(crate::forms::calendar_feed::create),
        )
        .route(
            "/account/calendar/off",
            axum::routing::post(crate::forms::calendar_feed::revoke),
        )
        // The pages' forms (plain POST; the pages themselves are the Leptos routes).
        .route(
            "/episodes/{id}/attempt",
            axum::routing::post(crate::forms::attempt::attempt),
        )
        .route(
            "/episodes/{id}/appointment",
            axum::routing::post(crate::forms::appointment::appointment),
        )
        .route(
            "/episodes/{id}/notice",
            axum::routing::post(crate::forms::notice::notice),
        )
        .route("/missed", axum::routing::post(crate::forms::missed::missed))
        .route(
            "/account/email",
            axum::routing::post(crate::forms::email::email),
        )
        .route(
            "/episodes/{id}/staffing",
            axum::routing::post(crate::forms::staffing::record),
        )
        .route(
            "/episodes/{id}/staffing/presence",
            axum::routing::post(crate::forms::finalization::presence),
        )
        .route(
            "/episodes/{id}/good-cause",
            axum::routing::post(crate::forms::good_cause::good_cause),
        )
        .route(
            "/episodes/{id}/missing-info",
            axum::routing::post(crate::forms::missing_info::add_missing),
        )
        .route(
            "/episodes/{id}/missing-info/{index}",
            axum::routing::post(crate::forms::missing_info::gathered),
        )
        .route(
            "/episodes/{id}/finalization",
            axum::routing::post(crate::forms::finalization::finalize),
        )
        .route(
            "/episodes/{id}/new-staffing",
            axum::routing::post(crate::forms::staffing::request_new),
        )
        .route(
            "/admin/offices",
            axum::routing::post(crate::forms::admin::create_office),
        )
        .route(
            "/admin/offices/{id}",
            axum::routing::post(crate::forms::admin::office),
        )
        .route(
            "/admin/offices/{id}/closures",
            axum::routing::post(crate::forms::admin::add_closure),
        )
        .route(
            "/admin/offices/{id}/closures/remove",
            axum::routing::post(crate::forms::admin::remove_closure),
        )
        .route(
            "/admin/staff",
            axum::routing::post(crate::forms::admin::create_staff),
        )
        .route(
            "/admin/staff/{id}",
            axum::routing::post(crate::forms::admin::change_staff),
        )
        .route(
            "/participants/search",
            axum::routing::post(crate::forms::participants::search),
        )
        .route(
            "/participants/new",
            axum::routing::post(crate::forms::participants::create),
        )
        .route(
            "/participants/move",
            axum::routing::post(crate::forms::participants::move_caseload),
        )
        .route(
            "/participants/{id}",
            axum::routing::post(crate::forms::participants::update),
        )
        .route("/branch/efforts.csv", get(crate::exports::efforts::export))
        .route("/branch.csv", get(crate::exports::branch))
        .route("/calendar.ics", get(crate::exports::ical::feed))
        // A person's secret calendar feed, for their calendar app: no session.
        .route(
            "/feeds/calendar/{file}",
            get(crate::exports::ical::subscribed),
        )
        .route(
            "/episodes/{id}/contact",
            axum::routing::post(crate::forms::contact::contact),
        )
        .route(
            "/episodes/{id}/narratives",
            axum::routing::post(crate::forms::narratives::new_narrative),
        )
        .route(
            "/episodes/{id}/narratives/{narrative}",
            axum::routing::post(crate::forms::narratives::edit_narrative),
        )
        .nest("/api/v1", crate::api::router())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        // Beside the handlers, inside the sessions: who asked, for the access log.
        .layer(axum::middleware::from_fn(crate::web::observe::mark_asker))
        .layer(axum::middleware::from_fn(crate::web::security::plain_text))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::api::MAX_BODY_BYTES,
        ))
        // Every body, a page's form and a server function's too, not only the extractors'.
        .layer(RequestBodyLimitLayer::new(crate::api::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(
            crate::web::security::api_too_large,
        ))
        // Pages name their person for the phone's cache; a signed-out page comes back after
        // sign-in.
        .layer(axum::middleware::from_fn(crate::web::offline::pages))
        // An admin-set password: its owner chooses their own before anything else.
        .layer(axum::middleware::from_fn(
            crate::web::sessions::require_own_password,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::web::sessions::enforce_absolute_limit,
        ))
        .layer(crate::web::sessions::layer(
            &state.db,
            state.secure_cookies,
            state.sessions,
        ))
        .layer(axum::middleware::from_fn(crate::web::security::csrf))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::web::security::headers,
        ))
        .layer(CompressionLayer::new().gzip(true).br(false))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.request_timeout,
        ))
        // Around the routes' other layers (a layer's refusal counts under its route too):
        // the route pattern that answered, for the access log and the metrics.
        .layer(axum::middleware::from_fn(crate::web::observe::mark_route))
        .with_state(state);
    // Around the whole router (a router's own layers wrap each route after routing): a
    // refused form's page, rendered as the POST's answer by routing a GET through it again.
    Router::new()
        // The built files, as they are, outside the pages' layers (`web::assets`).
        .nest_service("/pkg", built_files)
        .fallback_service(app)
        .layer(axum::middleware::from_fn(crate::web::in_place::render))
        // Who is asking, before anything else (the throttle and the audit read it).
        .layer(axum::middleware::from_fn_with_state(
            trusted_proxies,
            crate::web::client::client_address,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        // Outermost: the request id every log line of the request carries, the access log,
        // the counts of `/metrics`.
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            crate::web::observe::observe,
        ))
}

/// The debug-level span of a request, as tower-http's default names it, with its path alone
/// (no query string) and a calendar feed's secret left out: a log is no place for a
/// credential or a record's details.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::debug_span!(
        "http",
        method = %request.method(),
        uri = %redacted(request.uri()),
        version = ?request.version(),
    )
}

/// `uri`'s path, with the secret of a calendar feed's address replaced by `…`.
pub fn redacted(uri: &axum::http::Uri) -> String {
    const FEEDS: &str = "/feeds/calendar/";
    match uri.path().strip_prefix(FEEDS) {
        Some(_) => format!("{FEEDS}…"),
        None => uri.path().to_owned(),
    }
}

/// Hands the response's CSP nonce (set by `security::headers`) to the renderer, so the
/// hydration script carries the nonce the header allows.
fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<crate::web::security::CspNonce>()
            .cloned()
    });
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Tells the page render who is signed in (their opaque key) and when an idle session ends,
/// for the phone's page cache and the session warning.
fn provide_signed_in_page(idle_minutes: i64) {
    use leptos::prelude::{provide_context, use_context};
    let person = use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<crate::web::sessions::AuthSession>()
            .and_then(|auth| auth.user.as_ref().map(|user| user.staff.id))
    });
    if let Some(staff_id) = person {
        provide_context(reengage_app::SignedInPage {
            person: crate::web::offline::person_key(staff_id),
            idle_minutes,
        });
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

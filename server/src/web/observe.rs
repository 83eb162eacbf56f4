//! What an operator sees of each request (docs/operating.md): a request id on every log line
//! written while it is answered and in its `X-Request-Id` header, one access-log line at
//! `info`, and `GET /metrics` in Prometheus's text format.
//!
//! Neither the access log nor the metrics name a person or a record: a request is named by its
//! route *pattern* (`/episodes/{id}/attempt`, never `/episodes/12/attempt`), never by its
//! query string, and the signed-in person by their staff id alone.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

use crate::store::db::Db;
use crate::web::client::ClientAddress;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// The header that carries a request's id, in and out.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request's id: the one a reverse proxy sent (when it is short and plain), else a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub Arc<str>);

/// The route pattern that answered, put on the response by [`mark_route`].
#[derive(Debug, Clone)]
struct Route(Arc<str>);

/// The signed-in person who asked, put on the response by [`mark_asker`].
#[derive(Debug, Clone, Copy)]
struct Asker(i64);

/// The name a request is counted and logged under when no route matched it.
fn unmatched(path: &str) -> &'static str {
    if path.starts_with("/pkg/") {
        "/pkg/{file}"
    } else {
        "(static file or not found)"
    }
}

/// An id sent by a proxy is kept when it is 1–64 letters, digits, `-`, `_` or `.`; anything
/// else (a log-forging attempt, an e-mail) is replaced.
fn accepted_id(value: &HeaderValue) -> Option<&str> {
    let text = value.to_str().ok()?;
    let plain = !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then_some(text)
}

/// A new id: this process's random prefix and a counter (unique per process without a system
/// call per request; the prefix tells instances apart).
fn new_id() -> String {
    static PREFIX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let prefix = *PREFIX.get_or_init(|| {
        let mut bytes = [0u8; 4];
        let _ = getrandom::fill(&mut bytes);
        u32::from_le_bytes(bytes)
    });
    format!("{prefix:08x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Around everything: gives the request its id and a span every log line of it is written in,
/// then writes the access-log line, counts it in [`Metrics`] and sends the id back.
pub async fn observe(
    State(metrics): State<Arc<Metrics>>,
    mut request: Request,
    next: Next,
) -> Response {
    let id: Arc<str> = match request.headers().get(&REQUEST_ID).and_then(accepted_id) {
        Some(sent) => sent.into(),
        None => new_id().into(),
    };
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    let fallback = unmatched(request.uri().path());
    let span = tracing::info_span!("request", id = %id);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let route = response
        .extensions()
        .get::<Route>()
        .map(|route| route.0.clone())
        .unwrap_or_else(|| fallback.into());
    let staff = response.extensions().get::<Asker>().map(|asker| asker.0);
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            target: "reengage::access",
            method = %method,
            route = %route,
            status,
            ms = elapsed.as_secs_f64() * 1000.0,
            staff,
            "answered"
        );
    });
    metrics.record(method.as_str(), &route, status, elapsed);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// After routing, around every other layer of the routes: marks the response with the route
/// pattern that answered (a layer's refusal too), for [`observe`]'s line and counts.
pub async fn mark_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| Route(path.as_str().into()));
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

/// Where a handler that signs its asker in by itself (an API token) notes who it was.
#[derive(Debug, Clone, Default)]
struct AskerSlot(Arc<std::sync::OnceLock<i64>>);

/// Notes that staff member `staff_id` asked (an API token's owner), for the access log.
pub fn note_asker(parts: &axum::http::request::Parts, staff_id: i64) {
    if let Some(slot) = parts.extensions.get::<AskerSlot>() {
        let _ = slot.0.set(staff_id);
    }
}

/// Innermost, beside the handler: marks the response with the signed-in person who asked
/// (by session, or by a token the handler checked: [`note_asker`]).
pub async fn mark_asker(mut request: Request, next: Next) -> Response {
    let session = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref().map(|user| user.staff.id));
    let slot = AskerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    if let Some(staff) = session.or_else(|| slot.0.get().copied()) {
        response.extensions_mut().insert(Asker(staff));
    }
    response
}

/// How a log line names an account by its e-mail without writing the e-mail: the first 12
/// hex digits of the SHA-256 of the trimmed, lower-cased address (an operator who knows an
/// address can compute it, for example with `printf %s EMAIL | sha256sum`).
pub fn account_key(email: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The latency histogram's bucket bounds, in seconds.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Debug, Default)]
struct RouteCounts {
    by_status: BTreeMap<u16, u64>,
    /// Requests at or under each of [`BUCKETS`] (not cumulative; summed when written).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    seconds: f64,
}

/// The morning digest's figures, as its sender last reported them.
#[derive(Debug, Default)]
pub struct DigestCounts {
    pub sent: AtomicU64,
    pub failed: AtomicU64,
    /// Digests whose send failed in the sender's last pass, waiting for a later tick.
    pub waiting: AtomicU64,
}

/// The process's counts since it started, for `GET /metrics`.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    routes: Mutex<BTreeMap<(String, Arc<str>), RouteCounts>>,
    pub digests: DigestCounts,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            routes: Mutex::default(),
            digests: DigestCounts::default(),
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, method: &str, route: &Arc<str>, status: u16, took: Duration) {
        let seconds = took.as_secs_f64();
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let counts = routes
            .entry((method.to_owned(), route.clone()))
            .or_default();
        *counts.by_status.entry(status).or_default() += 1;
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            counts.buckets[bucket] += 1;
        }
        counts.count += 1;
        counts.seconds += seconds;
    }

    /// Everything in Prometheus's text exposition format (version 0.0.4).
    pub fn render(&self, db: &Db) -> String {
        let mut out = String::new();
        {
            let routes = self
                .routes
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            out.push_str("# HELP reengage_http_requests_total Requests answered, by method, route pattern and status.\n");
            out.push_str("# TYPE reengage_http_requests_total counter\n");
            for ((method, route), counts) in routes.iter() {
                for (status, n) in &counts.by_status {
                    let _ = writeln!(
                        out,
                        "reengage_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                        label(method),
                        label(route)
                    );
                }
            }
            out.push_str("# HELP reengage_http_request_duration_seconds Time to answer, by method and route pattern.\n");
            out.push_str("# TYPE reengage_http_request_duration_seconds histogram\n");
            for ((method, route), counts) in routes.iter() {
                let (method, route) = (label(method), label(route));
                let mut below = 0;
                for (bound, n) in BUCKETS.iter().zip(counts.buckets) {
                    below += n;
                    let _ = writeln!(
                        out,
                        "reengage_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"{bound}\"}} {below}"
                    );
                }
                let _ = writeln!(
                    out,
                    "reengage_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"+Inf\"}} {}\n\
                     reengage_http_request_duration_seconds_sum{{method=\"{method}\",route=\"{route}\"}} {}\n\
                     reengage_http_request_duration_seconds_count{{method=\"{method}\",route=\"{route}\"}} {}",
                    counts.count, counts.seconds, counts.count
                );
            }
        }
        out.push_str(
            "# HELP reengage_db_pool_connections Database connections by pool and state.\n",
        );
        out.push_str("# TYPE reengage_db_pool_connections gauge\n");
        for (name, pool) in [("read", &db.pool), ("write", &db.writer)] {
            let open = pool.size();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(open);
            let _ = writeln!(
                out,
                "reengage_db_pool_connections{{pool=\"{name}\",state=\"idle\"}} {idle}\n\
                 reengage_db_pool_connections{{pool=\"{name}\",state=\"in_use\"}} {}",
                open - idle
            );
        }
        out.push_str("# HELP reengage_db_pool_max_connections Each pool's most connections.\n");
        out.push_str("# TYPE reengage_db_pool_max_connections gauge\n");
        for (name, pool) in [("read", &db.pool), ("write", &db.writer)] {
            let _ = writeln!(
                out,
                "reengage_db_pool_max_connections{{pool=\"{name}\"}} {}",
                pool.options().get_max_connections()
            );
        }
        out.push_str("# HELP reengage_db_writers_waiting Write transactions waiting for the database's writer (SQLite has one).\n");
        out.push_str("# TYPE reengage_db_writers_waiting gauge\n");
        let _ = writeln!(out, "reengage_db_writers_waiting {}", db.writers_waiting());
        let digests = &self.digests;
        let _ = write!(
            out,
            "# HELP reengage_digests_sent_total Morning digests the SMTP server accepted.\n\
             # TYPE reengage_digests_sent_total counter\n\
             reengage_digests_sent_total {}\n\
             # HELP reengage_digests_failed_total Morning digest sends that failed (each retried later that day).\n\
             # TYPE reengage_digests_failed_total counter\n\
             reengage_digests_failed_total {}\n\
             # HELP reengage_digests_waiting Morning digests whose last send failed, waiting for the next tick.\n\
             # TYPE reengage_digests_waiting gauge\n\
             reengage_digests_waiting {}\n\
             # HELP reengage_uptime_seconds Seconds since this server started.\n\
             # TYPE reengage_uptime_seconds gauge\n\
             reengage_uptime_seconds {}\n",
            digests.sent.load(Ordering::Relaxed),
            digests.failed.load(Ordering::Relaxed),
            digests.waiting.load(Ordering::Relaxed),
            self.started.elapsed().as_secs()
        );
        out
    }
}

/// A label value as the text format writes it: backslash, quote and line feed escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Whether `request` came straight from this machine: a loopback client with no proxy's
/// forwarding header (a reverse proxy on the same machine forwards others' requests from
/// loopback; with no trusted proxies configured its header is the only sign of them).
fn from_this_machine(request: &Request) -> bool {
    let loopback = request
        .extensions()
        .get::<ClientAddress>()
        .is_some_and(|client| match client.0 {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => {
                v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        });
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| request.headers().contains_key(*name));
    loopback && !forwarded
}

/// Whether `request` carries `Authorization: Bearer TOKEN` with the configured metrics token
/// (compared in constant time).
fn has_token(request: &Request, token: Option<&str>) -> bool {
    let Some(token) = token.filter(|token| !token.is_empty()) else {
        return false;
    };
    let sent = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    sent.len() == token.len()
        && sent
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// `GET /metrics`: the counts, to a request from this machine or one with the metrics token
/// (`REENGAGE_METRICS_TOKEN`); 404 to anyone else, as if there were nothing here.
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    if !from_this_machine(&request) && !has_token(&request, state.metrics_token.as_deref()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&state.db),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_id_is_kept_only_when_plain() {
        let kept = HeaderValue::from_static("req-01.ab_C");
        assert_eq!(accepted_id(&kept), Some("req-01.ab_C"));
        for refused in ["", "dana@example.org", "a b", "x\"}", &"a".repeat(65)] {
            let value = HeaderValue::from_str(refused).unwrap();
            assert_eq!(accepted_id(&value), None, "{refused:?} was kept");
        }
    }

    #[test]
    fn an_account_is_logged_by_a_key_not_its_address() {
        let key = account_key(" Dana.Coach@Example.org ");
        assert_eq!(key, account_key("dana.coach@example.org"));
        assert_eq!(key.len(), 12);
        assert!(!key.contains('@'));
        // The same digits `printf %s dana.coach@example.org | sha256sum` begins with.
        use sha2::{Digest, Sha256};
        let full: String = Sha256::digest(b"dana.coach@example.org")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(full.starts_with(&key));
    }

    #[test]
    fn new_ids_differ() {
        assert_ne!(new_id(), new_id());
    }

    #[test]
    fn unmatched_paths_are_counted_under_a_pattern_not_their_own_name() {
        assert_eq!(unmatched("/pkg/reengage.wasm"), "/pkg/{file}");
        assert_eq!(
            unmatched("/episodes/12/nothing"),
            "(static file or not found)"
        );
    }

    #[test]
    fn the_histogram_is_cumulative_and_labels_are_escaped() {
        let metrics = Metrics::default();
        let route: Arc<str> = "/episodes/{id}".into();
        metrics.record("GET", &route, 200, Duration::from_millis(2));
        metrics.record("GET", &route, 200, Duration::from_millis(40));
        metrics.record("GET", &route, 404, Duration::from_secs(60));
        let routes = metrics.routes.lock().unwrap();
        let counts = &routes[&("GET".to_owned(), route.clone())];
        assert_eq!(counts.count, 3);
        assert_eq!(counts.by_status[&200], 2);
        assert_eq!(counts.by_status[&404], 1);
        // 2 ms in the 2.5 ms bucket, 40 ms in the 50 ms bucket, a minute above them all.
        assert_eq!(counts.buckets.iter().sum::<u64>(), 2);
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn the_metrics_token_must_match_exactly() {
        let with = |value: &str| {
            Request::builder()
                .header(header::AUTHORIZATION, value)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        assert!(has_token(&with("Bearer s3cret"), Some("s3cret")));
        assert!(!has_token(&with("Bearer s3cre"), Some("s3cret")));
        assert!(!has_token(&with("Bearer s3cret"), None));
        assert!(!has_token(&with("Bearer "), Some("")));
    }

    #[test]
    fn a_forwarded_request_is_not_from_this_machine() {
        let mut direct = Request::builder().body(axum::body::Body::empty()).unwrap();
        direct
            .extensions_mut()
            .insert(ClientAddress("127.0.0.1".parse().unwrap()));
        assert!(from_this_machine(&direct));
        direct
            .headers_mut()
            .insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert!(!from_this_machine(&direct));
        let mut remote = Request::builder().body(axum::body::Body::empty()).unwrap();
        remote
            .extensions_mut()
            .insert(ClientAddress("203.0.113.9".parse().unwrap()));
        assert!(!from_this_machine(&remote));
    }
}

//! What an operator sees of each request (docs/operating.md): a request id on every log line
//! written while it is answered and in its `X-Request-Id` header, one access-log line at
//! `info`, and `GET /metrics` in Prometheus's text format (the counts: `web::metrics`).
//!
//! Neither the access log nor the metrics name a person or a record: a request is named by its
//! route *pattern* (`/episodes/{id}/attempt`, never `/episodes/12/attempt`), never by its
//! query string, and the signed-in person by their staff id alone.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

use crate::web::client::ClientAddress;
pub use crate::web::metrics::Metrics;
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

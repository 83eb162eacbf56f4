//! Protections on every request and response: security headers with a per-response
//! Content-Security-Policy nonce, and the same-origin check that stops cross-site request
//! forgery on every state-changing request (GET never changes state).

use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::web::state::AppState;

/// The nonce of this response's inline scripts (Leptos's hydration script), put in the
/// request's extensions for the renderer and named in the CSP header.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn new() -> Self {
        let mut bytes = [0_u8; 16];
        // The OS generator does not fail on the platforms served; if it ever did, the page
        // would still load (the nonce is only weaker than it should be), so it is not fatal.
        let _ = getrandom::fill(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// The Content-Security-Policy: the app's own scripts, styles and wasm only; inline script
/// only with this response's nonce; no framing, plugins or foreign form targets.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the security headers to every response. `Strict-Transport-Security` only when the
/// server is configured for HTTPS (`REENGAGE_SECURE_COOKIES=true`).
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    let csp = content_security_policy(&nonce.0);
    let private = !request.uri().path().starts_with("/pkg/");
    request.extensions_mut().insert(nonce);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(headers, header::CONTENT_SECURITY_POLICY, &csp);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if private {
        // Case data is never kept by a shared cache or the browser's back-forward history.
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if state.secure_cookies {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Whether a request's origin is this server's. Browsers send `Sec-Fetch-Site` (modern) or
/// `Origin` on every cross-site POST; a request with neither comes from a non-browser client
/// (a script with a token), which no other site can make a person's browser send.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (origin.to_str().ok(), host) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

/// Refuses a state-changing request (anything but GET, HEAD, OPTIONS) from another origin.
pub async fn csrf(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || same_origin(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        "cross-origin request refused"
    );
    let message = "This request came from another site and was refused. Use Re-engage's own pages.";
    if request.uri().path().starts_with("/api/") {
        crate::web::errors::ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "cross_origin",
            message,
        )
        .into_response()
    } else {
        (axum::http::StatusCode::FORBIDDEN, Json(message)).into_response()
    }
}

/// The largest request body the server reads (a staffing with every finding and a long
/// narrative fit with room to spare).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Why `text` cannot be stored, if it holds a control character other than a tab or a line
/// break: PostgreSQL cannot store NUL at all, and none of them is typed by a person; the
/// same answer on both backends.
pub fn forbidden_control(text: &str) -> Option<String> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| {
            format!(
                "A text field holds the control character U+{:04X}, which cannot be stored; remove it and send again.",
                u32::from(c)
            )
        })
}

/// Refuses a query string or a form with a control character other than a tab or a line
/// break in a value ([`forbidden_control`]) with a 400 that says so, before any handler:
/// no typed text can hold one, and PostgreSQL cannot store NUL. The API's JSON bodies are
/// checked field by field (`api::within_limits`).
pub async fn plain_text(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let refuse = |message: String| {
        if api {
            crate::web::errors::ApiError::bad_input(message).into_response()
        } else {
            (axum::http::StatusCode::BAD_REQUEST, message).into_response()
        }
    };
    let query = request.uri().query().unwrap_or_default();
    if let Some(message) = form_urlencoded::parse(query.as_bytes())
        .find_map(|(name, value)| forbidden_control(&name).or_else(|| forbidden_control(&value)))
    {
        return refuse(message);
    }
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return (
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "The form is too large to be sent.",
        )
            .into_response();
    };
    if let Some(message) = form_urlencoded::parse(&bytes)
        .find_map(|(name, value)| forbidden_control(&name).or_else(|| forbidden_control(&value)))
    {
        return refuse(message);
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// A body over [`MAX_BODY_BYTES`] sent to the API is answered like every other API refusal:
/// a JSON 413 that says what to do (the limit layers answer it in plain text).
pub async fn api_too_large(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if api && response.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE && !json {
        return crate::web::errors::ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "The body is over {} KB: send less (a long narrative in two parts).",
                MAX_BODY_BYTES / 1024
            ),
        )
        .into_response();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        // Fetch metadata wins over a matching Origin.
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a.test"),
            ("host", "a.test"),
        ])));
    }

    #[test]
    fn origin_must_match_the_host() {
        assert!(same_origin(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "http://evil.test"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_origin(&headers(&[(
            "origin",
            "http://127.0.0.1:3000"
        )])));
    }

    #[test]
    fn a_client_without_browser_headers_is_not_a_forged_request() {
        assert!(same_origin(&HeaderMap::new()));
    }

    #[test]
    fn the_policy_allows_wasm_and_the_nonce_and_no_framing() {
        let policy = content_security_policy("abc");
        assert!(policy.contains("'wasm-unsafe-eval'"));
        assert!(policy.contains("'nonce-abc'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}

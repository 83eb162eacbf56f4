//! A refused form answered in place: the POST's own response is the form's page, rendered
//! again with what was typed and why (422), never a redirect carrying the fields. Typed case
//! text — barrier-review notes, narratives, attempt notes — so never reaches a URL, browser
//! history, a proxy's log or a `Referer` (ASVS V14.2.1).
//!
//! A handler answers with [`page`]: a short response carrying the page's path and what is sent
//! back. [`render`], around the whole router, renders that page as a GET of the same person
//! (the same cookies) with what was sent back in the request's extensions, where the page's
//! [`reengage_app::forms::query::Query`] reads it, and answers with it.

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::{ConnectInfo, Request},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use reengage_app::forms::query::SentBack;

/// A page still to be rendered as this POST's answer.
#[derive(Debug, Clone)]
pub struct InPlace {
    /// The page's path, with no query.
    pub page: String,
    /// What the page is rendered with (what was typed, the reason, the section).
    pub sent_back: SentBack,
}

pub use reengage_app::forms::query::SECTION;

/// The header a refused form's answer carries its reason in, percent-encoded, so the phone's
/// offline queue (public/sw.js), which replays a form without showing its page, can tell the
/// coach why a queued step was not saved.
pub const REFUSAL_HEADER: &str = "x-reengage-refusal";

/// The page at `page` rendered with `pairs` as the answer, with `status`; `fallback` is the
/// body if the page cannot be rendered.
pub fn page(
    status: StatusCode,
    page: impl Into<String>,
    pairs: Vec<(String, String)>,
    fallback: String,
) -> Response {
    let mut response = (status, fallback).into_response();
    response.extensions_mut().insert(InPlace {
        page: page.into(),
        sent_back: SentBack(pairs),
    });
    response
}

/// Renders a POST's [`InPlace`] answer: the page, fetched as a GET by the same person inside
/// the server, with the POST's status. Anything else passes as it is.
pub async fn render(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let mut headers = request.headers().clone();
    for name in [
        header::CONTENT_TYPE,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
    ] {
        headers.remove(name);
    }
    // Who is asking, as the connection says (the sign-in throttle's and the audit's address).
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .cloned();
    let again = next.clone();
    let answer = next.run(request).await;
    let Some(in_place) = answer.extensions().get::<InPlace>().cloned() else {
        return answer;
    };
    let Ok(mut get) = Request::builder()
        .method(Method::GET)
        .uri(in_place.page.as_str())
        .body(Body::empty())
    else {
        return answer;
    };
    *get.headers_mut() = headers;
    get.extensions_mut().insert(in_place.sent_back);
    if let Some(peer) = peer {
        get.extensions_mut().insert(peer);
    }
    let mut rendered = again.run(get).await;
    if !rendered.status().is_success() {
        // The page itself is refused or failed (signed out meanwhile, record gone): its own
        // answer says so.
        return rendered;
    }
    *rendered.status_mut() = answer.status();
    if let Some(reason) = answer.headers().get(REFUSAL_HEADER) {
        rendered
            .headers_mut()
            .insert(REFUSAL_HEADER, reason.clone());
    }
    if !rendered.headers().contains_key(header::SET_COOKIE) {
        for cookie in answer.headers().get_all(header::SET_COOKIE) {
            rendered
                .headers_mut()
                .append(header::SET_COOKIE, cookie.clone());
        }
    }
    rendered
}

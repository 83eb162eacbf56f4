//! Agency single sign-on: OpenID Connect, the authorization code flow with PKCE (S256) and a
//! nonce (the `openidconnect` crate). The agency's identity provider signs the person in,
//! with its own second factor; Re-engage matches the provider's *verified* e-mail to an
//! active staff account (no one is created by signing in) and opens a session as a password
//! sign-in would.
//!
//! `GET /signin/sso` starts: the provider's metadata is discovered (once, then kept), a new
//! state, PKCE verifier and nonce are made and kept in a short-lived cookie of their own
//! (`HttpOnly`, `SameSite=Lax`, only for `/signin/sso`, ten minutes) — the session cookie is
//! `SameSite=Strict`, so a browser coming back from the provider does not send it — and the
//! browser goes to the provider. `GET /signin/sso/callback` checks the state, exchanges the
//! code with the verifier, verifies the ID token (signature, issuer, audience, expiry, nonce)
//! and reads the e-mail (from the ID token, else from the user-info endpoint for the same
//! subject). Because the way back began on the provider's site, the session cookie set here
//! would not go with a redirect, so the answer is a small page that moves on to Today itself.

use axum::{
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_login::AuthnBackend;
use serde::Deserialize;

use crate::services::sso::{Failure, verified_email};
use crate::web::sessions::AuthSession;
use crate::web::signing::{PeerAddress, complete, tally, unavailable};
use crate::web::state::AppState;

/// The cookie holding a single sign-on under way.
const FLOW_COOKIE: &str = "reengage_sso";
/// How long a single sign-on may take at the provider.
const FLOW_SECONDS: u32 = 600;

/// Where a failed single sign-on sends the person: the sign-in page, saying why (`reason` is
/// one of the page's known words, never anything the provider sent).
fn back_to_signin(reason: &'static str) -> Response {
    let mut response = Redirect::to(&format!("/signin?sso={reason}")).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, flow_cookie("", 0, false));
    response
}

fn flow_cookie(value: &str, max_age: u32, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{FLOW_COOKIE}={value}; Path=/signin/sso; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("reengage_sso=; Max-Age=0"))
}

/// `GET /signin/sso`: off to the agency's identity provider.
pub async fn start(State(state): State<AppState>) -> Response {
    let Some(sso) = state.sso.clone() else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not set up here.").into_response();
    };
    let begun = match sso.begin().await {
        Ok(begun) => begun,
        Err(error) => {
            tracing::error!(%error, "single sign-on unavailable");
            return back_to_signin("unavailable");
        }
    };
    // Each part is URL-safe base64 or a PKCE verifier: neither holds a colon.
    let flow = format!("{}:{}:{}", begun.state, begun.verifier, begun.nonce);
    let mut response = Redirect::to(&begun.url).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        flow_cookie(&flow, FLOW_SECONDS, state.secure_cookies),
    );
    response
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The flow under way, from its cookie: `(state, verifier, nonce)`.
fn flow_of(headers: &HeaderMap) -> Option<(String, String, String)> {
    let cookies = headers.get_all(header::COOKIE);
    let value = cookies
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|pair| pair.strip_prefix(&format!("{FLOW_COOKIE}=")))?;
    let mut parts = value.splitn(3, ':');
    let (state, verifier, nonce) = (parts.next()?, parts.next()?, parts.next()?);
    (!state.is_empty() && !verifier.is_empty() && !nonce.is_empty())
        .then(|| (state.to_owned(), verifier.to_owned(), nonce.to_owned()))
}

/// `GET /signin/sso/callback`: the provider's answer; signed in, or back to the sign-in
/// page with the reason.
pub async fn callback(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    mut auth: AuthSession,
    headers: HeaderMap,
    Query(callback): Query<Callback>,
) -> Response {
    let Some(sso) = state.sso.clone() else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not set up here.").into_response();
    };
    let now = state.clock.now();
    let Some((expected_state, verifier, nonce)) = flow_of(&headers) else {
        return back_to_signin("expired");
    };
    if let Some(error) = callback.error {
        tracing::info!(error = ?error, "the identity provider did not sign the person in");
        return back_to_signin("refused");
    }
    let (Some(code), Some(given_state)) = (callback.code, callback.state) else {
        return back_to_signin("failed");
    };
    if given_state != expected_state {
        tracing::warn!(%address, "single sign-on answer with a state of another sign-in");
        return back_to_signin("failed");
    }
    let email = match verified_email(&sso, code, verifier, nonce).await {
        Ok(email) => email.trim().to_lowercase(),
        Err(Failure::Unverified) => return back_to_signin("unverified"),
        Err(Failure::Protocol(error)) => {
            tracing::error!(%error, "single sign-on answer not accepted");
            return back_to_signin("failed");
        }
    };
    let found = match crate::store::staff::for_sign_in(
        &state.db,
        crate::store::staff::SignInKey::Email(email.clone()),
    )
    .await
    {
        Ok(found) => found.map(|row| row.0),
        Err(error) => {
            tracing::error!(%error, "single sign-on account lookup failed");
            return unavailable();
        }
    };
    let user = match found {
        Some(id) => auth.backend.get_user(&id).await.ok().flatten(),
        None => None,
    };
    let Some(user) = user else {
        tracing::info!(
            account = %crate::web::observe::account_key(&email),
            %address,
            "single sign-on for no active account"
        );
        tally(&state.db, "signin.failed", &email, address, now);
        return back_to_signin("unknown");
    };
    let signed_in = complete(&state, &mut auth, &user, address, now, "/today").await;
    // The way back began on the provider's site: a redirect would go on without the
    // `SameSite=Strict` session cookie, so a page of our own moves on instead.
    let Some(next) = signed_in
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned)
    else {
        return signed_in;
    };
    let mut page = Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={next}\">\
         <title>Signed in · Re-engage</title></head>\
         <body><p>Signed in. <a href=\"{next}\">Continue</a></p></body></html>"
    ))
    .into_response();
    for cookie in signed_in.headers().get_all(header::SET_COOKIE) {
        page.headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    page.headers_mut()
        .append(header::SET_COOKIE, flow_cookie("", 0, state.secure_cookies));
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_cookie_is_read_back_and_anything_else_is_not_a_flow() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("reengage=abc; reengage_sso=st4te:ver~if.ier:n0nce"),
        );
        assert_eq!(
            flow_of(&headers),
            Some(("st4te".into(), "ver~if.ier".into(), "n0nce".into()))
        );
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("reengage_sso=only-one"),
        );
        assert_eq!(flow_of(&headers), None);
        headers.insert(header::COOKIE, HeaderValue::from_static("reengage_sso=::"));
        assert_eq!(flow_of(&headers), None);
    }
}

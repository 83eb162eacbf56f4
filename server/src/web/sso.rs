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

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_login::AuthnBackend;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;

use crate::web::sessions::AuthSession;
use crate::web::signin::{PeerAddress, complete, tally, unavailable};
use crate::web::state::AppState;

/// The cookie holding a single sign-on under way.
const FLOW_COOKIE: &str = "reengage_sso";
/// How long a single sign-on may take at the provider.
const FLOW_SECONDS: u32 = 600;

/// How Re-engage is registered with the agency's identity provider.
#[derive(Debug, Clone)]
pub struct SsoConfig {
    pub issuer: IssuerUrl,
    pub client_id: ClientId,
    pub client_secret: Option<ClientSecret>,
    /// Where the provider sends the browser back: this server's `/signin/sso/callback`.
    pub redirect: RedirectUrl,
}

impl SsoConfig {
    /// The configuration from its four settings; `Ok(None)` when none is set, an error
    /// naming what is wrong when only some are, or one is not a URL.
    pub fn from_settings(
        issuer: Option<&str>,
        client_id: Option<&str>,
        client_secret: Option<&str>,
        redirect: Option<&str>,
    ) -> Result<Option<Self>, String> {
        fn given(value: Option<&str>) -> Option<&str> {
            value.map(str::trim).filter(|v| !v.is_empty())
        }
        let (issuer, client_id, client_secret, redirect) = (
            given(issuer),
            given(client_id),
            given(client_secret),
            given(redirect),
        );
        match (issuer, client_id, redirect) {
            (None, None, None) if client_secret.is_none() => Ok(None),
            (Some(issuer), Some(client_id), Some(redirect)) => Ok(Some(Self {
                issuer: IssuerUrl::new(issuer.to_owned()).map_err(|e| {
                    format!("REENGAGE_OIDC_ISSUER is not a URL ({e}): give the provider's issuer, e.g. https://login.example.gov")
                })?,
                client_id: ClientId::new(client_id.to_owned()),
                client_secret: client_secret.map(|s| ClientSecret::new(s.to_owned())),
                redirect: RedirectUrl::new(redirect.to_owned()).map_err(|e| {
                    format!("REENGAGE_OIDC_REDIRECT_URL is not a URL ({e}): give this server's https://…/signin/sso/callback")
                })?,
            })),
            _ => Err(
                "single sign-on needs REENGAGE_OIDC_ISSUER, REENGAGE_OIDC_CLIENT_ID and \
                 REENGAGE_OIDC_REDIRECT_URL together (and REENGAGE_OIDC_CLIENT_SECRET for a \
                 confidential client); set all of them, or none"
                    .into(),
            ),
        }
    }
}

/// Single sign-on as configured, with the provider's metadata once discovered.
pub struct Sso {
    config: SsoConfig,
    http: openidconnect::reqwest::Client,
    metadata: tokio::sync::OnceCell<CoreProviderMetadata>,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.config.issuer)
            .finish_non_exhaustive()
    }
}

impl Sso {
    pub fn new(config: SsoConfig) -> Result<Arc<Self>, String> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would open the server to SSRF.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot make the single sign-on HTTP client: {e}"))?;
        Ok(Arc::new(Self {
            config,
            http,
            metadata: tokio::sync::OnceCell::new(),
        }))
    }

    /// The provider's metadata, discovered at the first sign-in (and again after a failure).
    async fn metadata(&self) -> Result<CoreProviderMetadata, String> {
        self.metadata
            .get_or_try_init(|| async {
                CoreProviderMetadata::discover_async(self.config.issuer.clone(), &self.http)
                    .await
                    .map_err(|e| {
                        format!("discovery at {} failed: {e}", self.config.issuer.as_str())
                    })
            })
            .await
            .cloned()
    }

    async fn client(
        &self,
    ) -> Result<
        openidconnect::core::CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        String,
    > {
        Ok(CoreClient::from_provider_metadata(
            self.metadata().await?,
            self.config.client_id.clone(),
            self.config.client_secret.clone(),
        )
        .set_redirect_uri(self.config.redirect.clone()))
    }
}

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
    let client = match sso.client().await {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "single sign-on unavailable");
            return back_to_signin("unavailable");
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    // Each part is URL-safe base64 or a PKCE verifier: neither holds a colon.
    let flow = format!("{}:{}:{}", csrf.secret(), verifier.secret(), nonce.secret());
    let mut response = Redirect::to(url.as_str()).into_response();
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

/// Why the provider's answer was not taken.
#[derive(Debug)]
enum Failure {
    /// Anything wrong with the exchange or the token: logged, the person told to try again.
    Protocol(String),
    /// The provider gave no e-mail, or one it has not verified.
    Unverified,
}

/// The verified e-mail the provider vouches for.
async fn verified_email(
    sso: &Sso,
    code: String,
    verifier: String,
    nonce: String,
) -> Result<String, Failure> {
    let protocol = |e: &dyn std::fmt::Display| Failure::Protocol(e.to_string());
    let client = sso.client().await.map_err(|e| protocol(&e))?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| protocol(&e))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&sso.http)
        .await
        .map_err(|e| protocol(&e))?;
    let id_token = token
        .id_token()
        .ok_or_else(|| Failure::Protocol("no ID token".into()))?;
    let id_verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&id_verifier, &Nonce::new(nonce))
        .map_err(|e| protocol(&e))?;
    if let Some(expected) = claims.access_token_hash() {
        let actual = AccessTokenHash::from_token(
            token.access_token(),
            id_token.signing_alg().map_err(|e| protocol(&e))?,
            id_token
                .signing_key(&id_verifier)
                .map_err(|e| protocol(&e))?,
        )
        .map_err(|e| protocol(&e))?;
        if actual != *expected {
            return Err(Failure::Protocol("the access token's hash differs".into()));
        }
    }
    if let Some(email) = claims.email() {
        return if claims.email_verified() == Some(true) {
            Ok(email.as_str().to_owned())
        } else {
            Err(Failure::Unverified)
        };
    }
    // Not in the ID token: the user-info endpoint, for the same subject.
    let info: CoreUserInfoClaims = client
        .user_info(
            token.access_token().to_owned(),
            Some(claims.subject().clone()),
        )
        .map_err(|e| protocol(&e))?
        .request_async(&sso.http)
        .await
        .map_err(|e| protocol(&e))?;
    match (info.email(), info.email_verified()) {
        (Some(email), Some(true)) => Ok(email.as_str().to_owned()),
        _ => Err(Failure::Unverified),
    }
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
        tracing::info!(email = ?email, %address, "single sign-on for no active account");
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
    fn the_settings_are_all_or_none() {
        assert!(
            SsoConfig::from_settings(None, None, None, None)
                .unwrap()
                .is_none()
        );
        let full = SsoConfig::from_settings(
            Some("https://login.example.test"),
            Some("reengage"),
            Some("secret"),
            Some("https://reengage.example.test/signin/sso/callback"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(full.client_id.as_str(), "reengage");
        let public = SsoConfig::from_settings(
            Some("https://login.example.test"),
            Some("reengage"),
            None,
            Some("https://reengage.example.test/signin/sso/callback"),
        )
        .unwrap()
        .unwrap();
        assert!(public.client_secret.is_none());
        let partial =
            SsoConfig::from_settings(Some("https://login.example.test"), None, None, None)
                .unwrap_err();
        assert!(partial.contains("together"), "{partial}");
        let bad = SsoConfig::from_settings(
            Some("not a url"),
            Some("reengage"),
            None,
            Some("https://reengage.example.test/signin/sso/callback"),
        )
        .unwrap_err();
        assert!(bad.contains("REENGAGE_OIDC_ISSUER"), "{bad}");
    }

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

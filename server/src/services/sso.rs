//! Agency single sign-on, the protocol side: OpenID Connect's authorization code flow with
//! PKCE (S256), a state and a nonce, through the `openidconnect` crate. The provider's
//! metadata is discovered at the first use and kept; its answer is checked (the ID token's
//! signature, issuer, audience, expiry, nonce and access-token hash) before its verified
//! e-mail is believed. The web side (`web::sso`) keeps the flow in a cookie and opens the
//! session.

use std::sync::Arc;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

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

/// A sign-in begun: where to send the browser, and what must come back with it.
pub struct Begun {
    pub url: String,
    pub state: String,
    pub verifier: String,
    pub nonce: String,
}

impl Sso {
    /// Begins a sign-in at the provider: a new state, PKCE verifier and nonce.
    pub async fn begin(&self) -> Result<Begun, String> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begun {
            url: url.to_string(),
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        })
    }
}

/// Why the provider's answer was not taken.
#[derive(Debug)]
pub enum Failure {
    /// Anything wrong with the exchange or the token: logged, the person told to try again.
    Protocol(String),
    /// The provider gave no e-mail, or one it has not verified.
    Unverified,
}

/// The verified e-mail the provider vouches for.
pub async fn verified_email(
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
}

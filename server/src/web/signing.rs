//! The steps every way of signing in shares — a password (`signin`), its second factor
//! (`second_factor`) and agency single sign-on (`sso`): who is asking, the session opened and
//! audited, and the slow, counted answer to a refusal.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::{
    extract::ConnectInfo,
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};

use crate::store::audit::{self, Entry};
use crate::store::db::{self, Db};
use crate::web::sessions::{AuthSession, SIGNED_IN_AT, SessionUser};
use crate::web::state::AppState;

pub fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Sign-in is unavailable; try again shortly.",
    )
        .into_response()
}

/// The client's address: [`crate::web::client::ClientAddress`], as the router's layer found
/// it (the connection's, or the client a trusted proxy names).
pub struct PeerAddress(pub IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PeerAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let client = parts
            .extensions
            .get::<crate::web::client::ClientAddress>()
            .map(|client| client.0);
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip())
        };
        Ok(Self(client.unwrap_or_else(peer)))
    }
}

/// Appends an access entry; a failure is logged and does not change the answer.
pub async fn audit_access(
    db: &Db,
    now: DateTime<Utc>,
    actor: &str,
    role: &str,
    action: &str,
    address: IpAddr,
) {
    let entry = Entry::at(now, actor, role, action, "session", "").with_values(
        None,
        Some(serde_json::json!({ "address": address.to_string() }).to_string()),
    );
    let result = async {
        let mut tx = db::begin_write(db).await?;
        audit::append(&mut tx, db.backend, &entry).await?;
        tx.commit().await
    }
    .await;
    if let Err(error) = result {
        tracing::error!(%error, action, "access audit entry could not be written");
    }
}

/// How long a failed or throttled sign-in waits before it is answered, its slot already
/// given back: a person who mistyped hardly notices; a client guessing in a loop is held to
/// about one guess a second per connection, at the cost of a timer, not of CPU.
pub const REFUSED_SIGNIN_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// The answer to a failed or throttled sign-in, after [`REFUSED_SIGNIN_DELAY`].
pub async fn refused(slot: tokio::sync::OwnedSemaphorePermit, to: &str) -> Response {
    drop(slot);
    tokio::time::sleep(REFUSED_SIGNIN_DELAY).await;
    Redirect::to(to).into_response()
}

/// The answer when more sign-ins are in progress than `throttle::SignInSlots` allows: 429,
/// after the same second as a refusal, so a client retrying in a loop is held to about one
/// try a second per connection (a timer, not CPU) instead of spinning on instant answers.
pub async fn too_many() -> Response {
    tokio::time::sleep(REFUSED_SIGNIN_DELAY).await;
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(axum::http::header::RETRY_AFTER, "5")],
        "Too many sign-ins at once; try again in a few seconds.",
    )
        .into_response()
}

/// Counts a failed or throttled sign-in for the aggregated audit entry.
pub fn tally(db: &Db, action: &'static str, email: &str, address: IpAddr, now: DateTime<Utc>) {
    let key = crate::store::tally::Key {
        action,
        actor: email.to_owned(),
        role: "-".into(),
        address: Some(crate::store::tally::network(address).to_string()),
    };
    db.tally.count(key, None, now);
}

/// Signs `user` in on this session (a new session id, the instant the absolute limit counts
/// from), audits it, and sends them on to `then` — or first to choose their own password
/// when an admin set it.
pub async fn complete(
    state: &AppState,
    auth: &mut AuthSession,
    user: &SessionUser,
    address: IpAddr,
    now: DateTime<Utc>,
    then: &str,
) -> Response {
    if let Err(error) = auth.login(user).await {
        tracing::error!(%error, "session could not be saved");
        return unavailable();
    }
    // A new session id at every sign-in (axum-login renews it only for a session that was
    // not signed in yet), and the instant the absolute limit counts from.
    if let Err(error) = auth.session.cycle_id().await {
        tracing::error!(%error, "session id could not be renewed");
        return unavailable();
    }
    if let Err(error) = auth.session.insert(SIGNED_IN_AT, now.timestamp()).await {
        tracing::error!(%error, "session could not be saved");
        return unavailable();
    }
    tracing::info!(staff = user.staff.id, "signed in");
    audit_access(
        &state.db,
        now,
        &user.staff.email,
        user.staff.role.as_str(),
        "signin.succeeded",
        address,
    )
    .await;
    if user.must_change_password {
        return Redirect::to("/account/password?required=1").into_response();
    }
    Redirect::to(then).into_response()
}

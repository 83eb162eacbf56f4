//! `POST /signin` and `POST /signout`: plain HTML forms, so they work before any wasm loads.
//! A sign-in and a sign-out are each an audit entry; failed and throttled sign-ins are
//! counted (`store::tally`) and written as one entry per account, network and minute, so a
//! flood of guesses costs no durable write each.
//!
//! Load is shed before any work: at most `throttle::SignInSlots` sign-ins are checked at once (429
//! beyond), the throttle reserves each try atomically before the password is checked, and
//! argon2 runs on all cores but one (`services::accounts`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::{
    Form,
    extract::{ConnectInfo, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};

use crate::store::audit::{self, Entry};
use crate::store::db::{self, Db};
use crate::web::sessions::{AuthSession, Credentials, SIGNED_IN_AT};
use crate::web::state::AppState;

/// The longest e-mail address accepted (RFC 5321).
const MAX_EMAIL_CHARS: usize = 254;

pub(crate) fn unavailable() -> Response {
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
async fn audit_access(
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
pub(crate) async fn refused(slot: tokio::sync::OwnedSemaphorePermit, to: &'static str) -> Response {
    drop(slot);
    tokio::time::sleep(REFUSED_SIGNIN_DELAY).await;
    Redirect::to(to).into_response()
}

/// Counts a failed or throttled sign-in for the aggregated audit entry.
pub(crate) fn tally(
    db: &Db,
    action: &'static str,
    email: &str,
    address: IpAddr,
    now: DateTime<Utc>,
) {
    let key = crate::store::tally::Key {
        action,
        actor: email.to_owned(),
        role: "-".into(),
        address: Some(crate::store::tally::network(address).to_string()),
    };
    db.tally.count(key, None, now);
}

/// Signs in with e-mail and password; the session id is renewed. A wrong pair goes back to
/// the form with a message that does not say which half was wrong.
pub async fn signin(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    mut auth: AuthSession,
    Form(credentials): Form<Credentials>,
) -> Response {
    let Ok(slot) = state.signin_slots.0.clone().try_acquire_owned() else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(axum::http::header::RETRY_AFTER, "5")],
            "Too many sign-ins at once; try again in a few seconds.",
        )
            .into_response();
    };
    let now = state.clock.now();
    let email: String = credentials
        .email
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_EMAIL_CHARS)
        .collect();
    if let Err(wait) = state.throttle.reserve(&email, address, now) {
        // `?`: the e-mail as typed, escaped, so it cannot forge a log line.
        tracing::warn!(email = ?email, %address, ?wait, "sign-in throttled");
        tally(&state.db, "signin.throttled", &email, address, now);
        return refused(slot, "/signin?throttled=1").await;
    }
    let too_long = credentials.password.chars().count() > crate::services::passwords::MAX_CHARS;
    let found = if too_long {
        Ok(None)
    } else {
        auth.authenticate(credentials).await
    };
    match found {
        Ok(Some(user)) => {
            // The password was right: it no longer counts as a failure.
            state.throttle.succeeded(&email, address, now);
            if crate::services::second_factor::required(user.staff.role) {
                drop(slot);
                return crate::web::second_factor::ask_for_code(&mut auth, &user, now).await;
            }
            complete(&state, &mut auth, &user, address, now, "/today").await
        }
        Ok(None) => {
            // The reservation stands as the failure.
            tracing::info!(email = ?email, %address, "sign-in refused");
            tally(&state.db, "signin.failed", &email, address, now);
            refused(slot, "/signin?failed=1").await
        }
        Err(error) => {
            tracing::error!(%error, "sign-in lookup failed");
            unavailable()
        }
    }
}

/// Signs `user` in on this session (a new session id, the instant the absolute limit counts
/// from), audits it, and sends them on to `then` — or first to choose their own password
/// when an admin set it.
pub(crate) async fn complete(
    state: &AppState,
    auth: &mut AuthSession,
    user: &crate::web::sessions::SessionUser,
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

/// Ends the session on the server.
pub async fn signout(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    mut auth: AuthSession,
) -> Response {
    let who = auth.user.as_ref().map(|user| user.staff.clone());
    match auth.logout().await {
        Ok(_) => {
            if let Some(staff) = who {
                audit_access(
                    &state.db,
                    state.clock.now(),
                    &staff.email,
                    staff.role.as_str(),
                    "signout",
                    address,
                )
                .await;
            }
            Redirect::to("/signin").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "sign-out failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sign-out failed; try again.",
            )
                .into_response()
        }
    }
}

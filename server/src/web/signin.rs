//! `POST /signin` and `POST /signout`: plain HTML forms, so they work before any wasm loads.
//! A sign-in and a sign-out are each an audit entry; failed and throttled sign-ins are
//! counted (`store::tally`) and written as one entry per account, network and minute, so a
//! flood of guesses costs no durable write each.
//!
//! Load is shed before any work: at most `throttle::SignInSlots` sign-ins are checked at once (429
//! beyond), the throttle reserves each try atomically before the password is checked, and
//! argon2 runs on all cores but one (`services::accounts`).

use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use crate::web::sessions::{AuthSession, Credentials};
use crate::web::signing::{
    PeerAddress, audit_access, complete, refused, tally, too_many, unavailable,
};
use crate::web::state::AppState;

/// The longest e-mail address accepted (RFC 5321).
const MAX_EMAIL_CHARS: usize = 254;

/// Signs in with e-mail and password; the session id is renewed. A wrong pair goes back to
/// the form with a message that does not say which half was wrong.
pub async fn signin(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    mut auth: AuthSession,
    Form(credentials): Form<Credentials>,
) -> Response {
    let Ok(slot) = state.signin_slots.0.clone().try_acquire_owned() else {
        return too_many().await;
    };
    let now = state.clock.now();
    // The page to return to (a session that ended on it), checked before it is used.
    let next = credentials
        .next
        .as_deref()
        .filter(|path| crate::web::offline::is_return_page(path))
        .map(str::to_owned);
    let again = |reason: &str| match &next {
        Some(path) => format!("/signin?{reason}=1&next={path}"),
        None => format!("/signin?{reason}=1"),
    };
    let email: String = credentials
        .email
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_EMAIL_CHARS)
        .collect();
    if let Err(wait) = state.throttle.reserve(&email, address, now) {
        tracing::warn!(account = %crate::web::observe::account_key(&email), %address, ?wait, "sign-in throttled");
        tally(&state.db, "signin.throttled", &email, address, now);
        return refused(slot, &again("throttled")).await;
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
            let then = crate::web::offline::after_sign_in(next.as_deref());
            complete(&state, &mut auth, &user, address, now, then).await
        }
        Ok(None) => {
            // The reservation stands as the failure.
            tracing::info!(account = %crate::web::observe::account_key(&email), %address, "sign-in refused");
            tally(&state.db, "signin.failed", &email, address, now);
            refused(slot, &again("failed")).await
        }
        Err(error) => {
            tracing::error!(%error, "sign-in lookup failed");
            unavailable()
        }
    }
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

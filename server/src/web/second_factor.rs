//! The second step of a password sign-in for the accounts that need one
//! (`services::second_factor::required`): after the right password the session holds only a
//! pending sign-in (no access to anything), and `POST /signin/code` finishes it with the code
//! of the account's authenticator app or a recovery code. An account that has not enrolled
//! sets its app up on the same page: the secret waits in the session until a code from the
//! app proves it was set up right, then the recovery codes are shown once.
//!
//! Wrong codes are throttled like wrong passwords (per account and address) and counted into
//! the aggregated audit entries; a pending sign-in lapses after five minutes.

use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use axum_login::AuthnBackend;
use chrono::{DateTime, Utc};
use reengage_app::forms::second_factor::SecondFactorForm;
use serde::{Deserialize, Serialize};

use crate::services::second_factor::{self, Checked};
use crate::web::sessions::{AuthSession, SessionUser};
use crate::web::signing::{PeerAddress, complete, refused, tally, too_many, unavailable};
use crate::web::state::AppState;

/// The session key of a pending sign-in.
pub const PENDING: &str = "second_factor.pending";
/// The session key of recovery codes waiting to be shown once.
pub const RECOVERY_CODES: &str = "second_factor.recovery_codes";
/// How long a pending sign-in waits for its code.
pub const PENDING_SECONDS: i64 = 5 * 60;

/// A password sign-in waiting for its second factor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub staff_id: i64,
    /// When the password was given (Unix seconds).
    pub since: i64,
    /// The new secret being set up, for an account that has not enrolled.
    pub secret: Option<String>,
}

/// After the right password: the session holds the pending sign-in (under a new id) and
/// the person is asked for their code.
pub async fn ask_for_code(
    auth: &mut AuthSession,
    user: &SessionUser,
    now: DateTime<Utc>,
) -> Response {
    let pending = Pending {
        staff_id: user.staff.id,
        since: now.timestamp(),
        secret: None,
    };
    if let Err(error) = auth.session.cycle_id().await {
        tracing::error!(%error, "session id could not be renewed");
        return unavailable();
    }
    if let Err(error) = auth.session.insert(PENDING, pending).await {
        tracing::error!(%error, "session could not be saved");
        return unavailable();
    }
    Redirect::to("/signin/code").into_response()
}

/// The pending sign-in of `session`, if there is one still within its five minutes.
pub async fn pending(session: &tower_sessions::Session, now: DateTime<Utc>) -> Option<Pending> {
    let pending: Pending = session.get(PENDING).await.ok().flatten()?;
    (now.timestamp() - pending.since <= PENDING_SECONDS).then_some(pending)
}

/// The throttle's key for the codes of account `email` (apart from its passwords).
fn throttle_key(email: &str) -> String {
    format!("second factor of {email}")
}

/// `POST /signin/code`: finishes a pending sign-in with a code.
pub async fn code(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    mut auth: AuthSession,
    Form(form): Form<SecondFactorForm>,
) -> Response {
    let now = state.clock.now();
    let Some(pending) = pending(&auth.session, now).await else {
        let _ = auth.session.remove::<Pending>(PENDING).await;
        return Redirect::to("/signin?expired=1").into_response();
    };
    let Ok(slot) = state.signin_slots.0.clone().try_acquire_owned() else {
        return too_many().await;
    };
    let user = match auth.backend.get_user(&pending.staff_id).await {
        Ok(Some(user)) => user,
        // Disabled meanwhile, or its password changed.
        Ok(None) => return Redirect::to("/signin?expired=1").into_response(),
        Err(error) => {
            tracing::error!(%error, "pending sign-in's account not read");
            return unavailable();
        }
    };
    let key = throttle_key(&user.staff.email);
    if let Err(wait) = state.throttle.reserve(&key, address, now) {
        tracing::warn!(staff = user.staff.id, %address, ?wait, "second factor throttled");
        tally(&state.db, "signin.throttled", &key, address, now);
        return refused(slot, "/signin/code?throttled=1").await;
    }
    // The code is checked against the real time: the authenticator app's.
    let real_now = Utc::now();
    let actor = user.staff.actor();
    let (accepted, then) = match &pending.secret {
        Some(secret) => {
            match second_factor::enrol(&state.db, &actor, secret, &form.code, real_now).await {
                Ok(Some(codes)) => {
                    if let Err(error) = auth.session.insert(RECOVERY_CODES, codes).await {
                        tracing::error!(%error, "recovery codes not kept for showing");
                    }
                    (true, "/account/recovery-codes")
                }
                Ok(None) => (false, ""),
                Err(error) => {
                    tracing::error!(%error, "second factor not enrolled");
                    return unavailable();
                }
            }
        }
        None => match second_factor::check(&state.db, &actor, &form.code, real_now).await {
            Ok(Checked::Code) => (true, "/today"),
            Ok(Checked::RecoveryCode { left }) => {
                tracing::info!(
                    staff = user.staff.id,
                    left,
                    "signed in with a recovery code"
                );
                (true, "/today")
            }
            Ok(Checked::Refused) => (false, ""),
            Err(error) => {
                tracing::error!(%error, "second factor not checked");
                return unavailable();
            }
        },
    };
    if !accepted {
        tracing::info!(staff = user.staff.id, %address, "second factor refused");
        tally(&state.db, "signin.failed", &key, address, now);
        return refused(slot, "/signin/code?failed=1").await;
    }
    state.throttle.succeeded(&key, address, now);
    let _ = auth.session.remove::<Pending>(PENDING).await;
    complete(&state, &mut auth, &user, address, now, then).await
}

/// The page's view of the pending sign-in: the account, and for one not enrolled yet a new
/// secret (kept in the session until a code proves the app has it). `None`: no sign-in is
/// pending.
pub async fn view(
    state: &AppState,
    session: &tower_sessions::Session,
) -> Result<Option<reengage_app::backend::SecondFactorView>, sqlx::Error> {
    let Some(mut pending) = pending(session, state.clock.now()).await else {
        return Ok(None);
    };
    let Some(email) = crate::store::staff::email_of(&state.db, pending.staff_id).await? else {
        return Ok(None);
    };
    let enrolled = second_factor::enrolled(&state.db, pending.staff_id).await?;
    let enrolling = if enrolled {
        None
    } else {
        let secret = match &pending.secret {
            Some(secret) => secret.clone(),
            None => {
                let secret = second_factor::new_secret();
                pending.secret = Some(secret.clone());
                if let Err(error) = session.insert(PENDING, pending.clone()).await {
                    tracing::error!(%error, "new secret not kept in the session");
                }
                secret
            }
        };
        second_factor::enrolment(&secret, &email).map(|enrolment| {
            reengage_app::backend::EnrolmentView {
                secret: enrolment.secret,
                uri: enrolment.uri,
                qr_svg: enrolment.qr_svg,
            }
        })
    };
    Ok(Some(reengage_app::backend::SecondFactorView {
        email,
        enrolling,
    }))
}

/// The recovery codes waiting to be shown, taken out of the session (shown once).
pub async fn take_recovery_codes(session: &tower_sessions::Session) -> Vec<String> {
    session
        .remove::<Vec<String>>(RECOVERY_CODES)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

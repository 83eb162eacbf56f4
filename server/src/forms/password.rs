//! `POST /account/password`: the signed-in person's own new password, given with their current
//! one. Refused in place (422) with the reason and nothing typed sent back — a password is
//! never echoed into a page. Done: the session goes on under the new password (other sessions
//! end, tokens are revoked) and the person lands on Today.

use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use reengage_app::forms::password::PasswordForm;

use axum_login::AuthnBackend;

use crate::services::accounts::{self, AuthError};
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

const PAGE: &str = "/account/password";

pub async fn change(
    State(state): State<AppState>,
    mut auth: AuthSession,
    Form(form): Form<PasswordForm>,
) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::SignedOut)?;
    let back = |error: String| {
        let required = user
            .must_change_password
            .then(|| ("required".to_owned(), "1".to_owned()));
        Refusal::back(PAGE, &required.into_iter().collect::<Vec<_>>(), error)
    };
    let new = form.new_password().map_err(|said| back(said.to_owned()))?;
    let changed = accounts::change_own_password(
        &state.db,
        &user.staff,
        form.current.clone(),
        new.to_owned(),
        state.clock.now(),
    )
    .await;
    match changed {
        Ok(()) => {}
        Err(AuthError::Db(error)) => {
            tracing::error!(%error, "password not changed");
            return Err(back(crate::web::errors::NOT_SAVED.to_owned()));
        }
        Err(AuthError::Hash) => return Err(back(crate::web::errors::NOT_SAVED.to_owned())),
        Err(other) => return Err(back(other.to_string())),
    }
    // The session goes on under the new password: signed in again, with a new session id.
    let Ok(Some(renewed)) = auth
        .backend
        .get_user(&user.staff.id)
        .await
        .map_err(|error| tracing::error!(%error, "account not read back"))
    else {
        return Ok(Redirect::to("/signin").into_response());
    };
    if let Err(error) = auth.login(&renewed).await {
        tracing::error!(%error, "session not renewed after a password change");
        return Ok(Redirect::to("/signin").into_response());
    }
    tracing::info!(staff = user.staff.id, "password changed by its owner");
    Ok((
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, "/today?saved=password")],
    )
        .into_response())
}

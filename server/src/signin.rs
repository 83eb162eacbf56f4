//! `POST /signin` and `POST /signout`: plain HTML forms, so they work before any wasm loads.

use axum::{
    Form,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use crate::sessions::{AuthSession, Credentials};

/// Signs in with e-mail and password; the session id is renewed. A wrong pair goes back to
/// the form with a message that does not say which half was wrong.
pub async fn signin(mut auth: AuthSession, Form(credentials): Form<Credentials>) -> Response {
    let email = credentials.email.trim().to_lowercase();
    match auth.authenticate(credentials).await {
        Ok(Some(user)) => match auth.login(&user).await {
            Ok(()) => {
                tracing::info!(staff = user.staff.id, "signed in");
                Redirect::to("/").into_response()
            }
            Err(error) => {
                tracing::error!(%error, "session could not be saved");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sign-in is unavailable; try again shortly.",
                )
                    .into_response()
            }
        },
        Ok(None) => {
            tracing::info!(%email, "sign-in refused");
            Redirect::to("/signin?failed=1").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "sign-in lookup failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sign-in is unavailable; try again shortly.",
            )
                .into_response()
        }
    }
}

/// Ends the session on the server.
pub async fn signout(mut auth: AuthSession) -> Response {
    match auth.logout().await {
        Ok(_) => Redirect::to("/signin").into_response(),
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

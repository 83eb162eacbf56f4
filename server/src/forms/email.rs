//! `POST /account/email`: the signed-in person turns the morning digest e-mail off, or on
//! again (docs/digest.md); the change is audited. Back to the page, saying it is saved.

use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use reengage_app::forms::email::EmailForm;

use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

const PAGE: &str = "/account/email";

pub async fn email(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<EmailForm>,
) -> Result<Response, Refusal> {
    let staff = auth.user.map(|user| user.staff).ok_or(Refusal::SignedOut)?;
    let wanted = form
        .wanted()
        .map_err(|said| Refusal::back(PAGE, &form, said))?;
    crate::services::digest::set(&state.db, &staff, wanted, state.clock.now())
        .await
        .map_err(|error| Refusal::service(error, |said| Refusal::back(PAGE, &form, said)))?;
    tracing::info!(
        staff = staff.id,
        digest = wanted,
        "morning digest setting changed by its owner"
    );
    Ok(Redirect::to("/account/email?saved=1").into_response())
}

//! `POST /episodes/{id}/good-cause`: the case manager's good cause (R23).

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};

use super::{allowed, back_to_form, outcome, version_and_day};
use crate::services::access::Action;
use crate::services::actions;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;
use reengage_app::forms::good_cause::GoodCauseForm;

/// `POST /episodes/{id}/good-cause`: R23 — the case manager gives good cause alone, with its
/// reason; the episode closes with no disqualification.
pub async fn good_cause(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<GoodCauseForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::GiveGoodCause).await?;
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back_to_form(id, "good-cause", &form, message)),
    };
    let result = actions::give_good_cause(
        &state.db,
        &staff.actor(),
        id,
        version,
        (on, form.reason.clone()),
        state.clock.now(),
    )
    .await
    .map(|_| ());
    outcome(result, id, "good-cause", &form)
}

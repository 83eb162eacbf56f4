//! `POST /episodes/{id}/notice`: the DHS 7869 notice mailed (R15).

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_core::episode::Transition;

use super::{allowed, back_to_form, outcome, version_and_day};
use crate::services::access::Action;
use crate::services::episodes::change;
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;
use reengage_app::forms::notice_mailed::NoticeMailedForm;

/// `POST /episodes/{id}/notice`: the DHS 7869 notice was mailed (R15); a late mailing is
/// refused with the fix (reschedule).
pub async fn notice(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<NoticeMailedForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::RecordNoticeMailed).await?;
    let (version, on) = match version_and_day(&form.version, &form.on) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back_to_form(id, "notice", &form, message)),
    };
    let result = change(
        &state.db,
        &staff.actor(),
        id,
        version,
        Transition::RecordNoticeMailed { on },
        state.clock.now(),
    )
    .await
    .map(|_| ());
    outcome(result, id, "notice", &form)
}

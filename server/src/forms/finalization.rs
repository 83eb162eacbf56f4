//! `POST /episodes/{id}/finalization` (R26, R27) and `POST /episodes/{id}/staffing/presence`
//! (R18): the steps after a DQ1 and its finalization, and a team member's own confirmation
//! of presence.

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_app::forms::fields::Fields;

use crate::forms::allowed;
use crate::services::access::{self, Action, Record};
use crate::services::actions;
use crate::services::episodes::read;
use crate::web::errors::Refusal;
use crate::web::state::AppState;

use super::staffing::{back, settled, version_of};

/// `POST /episodes/{id}/finalization`: R27 — the steps after a DQ1 (the RE step is also added
/// to the PDP, dated the re-engagement day with 1 hour attendance) and, with
/// `intent=finalize`, R26 — the finalization by the signed-in account, which `core` refuses
/// unless it is an operations manager or lead worker who sat on the staffing and confirmed it,
/// and with every unmet item. All of it stands or falls together.
pub async fn finalize(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::RecordPostDq1Steps).await?;
    let fields = Fields(pairs);
    let form = ("finalization", &fields, "finalization");
    let finalizing = fields.get("intent") == "finalize";
    let now = state.clock.now();
    // Who may finalize is checked before anything of the form is read.
    if finalizing
        && let Err(error) = access::authorize(
            &state.db,
            &staff,
            Action::FinalizeDq1,
            Record::Episode(id),
            now,
        )
        .await
    {
        return Err(Refusal::Denied(error));
    }
    let version = match version_of(&fields) {
        Ok(version) => version,
        Err(message) => return Err(back(id, "finalization", &fields, &message, "finalization")),
    };
    let steps = reengage_app::forms::finalization::post_dq1_steps(&fields);
    let result = async {
        let today = if finalizing {
            Some(read(&state.db, id, now).await?.1)
        } else {
            None
        };
        actions::record_post_dq1(
            &state.db,
            &staff.actor(),
            id,
            version,
            Some(steps),
            today,
            now,
        )
        .await
        .map(|_| ())
    }
    .await;
    let saved = if finalizing { "finalized" } else { "steps" };
    settled(result, id, saved, form)
}

/// `POST /episodes/{id}/staffing/presence`: R18 — the signed-in department member confirms
/// "I was present" at the episode's staffing, with their own sign-in.
pub async fn presence(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::ConfirmPresence).await?;
    let result = actions::confirm_presence(&state.db, &staff.actor(), id, state.clock.now())
        .await
        .map(|_| ());
    settled(
        result,
        id,
        "presence",
        ("presence", &Fields::default(), "presence"),
    )
}

//! `POST /episodes/{id}/narratives[/{narrative}]`: a narrative saved from `core`'s draft or
//! edited (R4, R10, R22, R25).

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_core::narrative::NarrativeType;

use super::allowed;
use crate::services::access::{self, Action, Record};
use crate::services::{ServiceError, narratives};
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;
use reengage_app::forms::narrative::NarrativeForm;

/// Back to the episode's narratives with what was typed (in the draft or narrative it came
/// from) and why it was refused.
fn back_to_narratives(page: &str, which: (&str, String), body: &str, error: String) -> Refusal {
    let typed = [
        ("form", "narrative"),
        (which.0, which.1.as_str()),
        ("body", body),
    ];
    Refusal::back(page, &typed, error).at("narratives")
}

/// After a narrative save: to the episode's narratives, or back with the reason.
fn narrative_outcome<T>(
    result: Result<T, ServiceError>,
    page: &str,
    which: (&str, String),
    body: &str,
) -> Result<Redirect, Refusal> {
    result
        .map(|_| Redirect::to(&format!("{page}?saved=narrative#narratives")))
        .map_err(|error| {
            Refusal::service(error, |said| back_to_narratives(page, which, body, said))
        })
}

/// `POST /episodes/{id}/narratives`: save one of `core`'s drafts, as edited (R4, R10, R22, R25).
pub async fn new_narrative(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<NarrativeForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::WriteNarrative).await?;
    let which = ("draft", form.draft_of.clone());
    let Some(kind) = reengage_core::codes::from_code::<NarrativeType>(&form.kind) else {
        return Err(back_to_narratives(
            &form.page(id),
            which,
            &form.body,
            "Reload the episode and try again.".into(),
        ));
    };
    let result = narratives::write(
        &state.db,
        &staff.actor(),
        id,
        kind,
        &form.body,
        Some(form.draft_of.as_str()),
        state.clock.now(),
    )
    .await;
    narrative_outcome(result, &form.page(id), which, &form.body)
}

/// `POST /episodes/{id}/narratives/{narrative}`: new text for a saved narrative.
pub async fn edit_narrative(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, narrative)): Path<(String, String)>,
    Form(form): Form<NarrativeForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::ReadEpisode).await?;
    let Ok(narrative) = narrative.parse::<i64>() else {
        return Err(Refusal::Denied(ServiceError::NotFound(
            "such narrative".into(),
        )));
    };
    let now = state.clock.now();
    if let Err(error) = access::authorize(
        &state.db,
        &staff,
        Action::WriteNarrative,
        Record::Narrative(narrative),
        now,
    )
    .await
    {
        return Err(Refusal::Denied(error));
    }
    // The narrative must belong to the episode in the address.
    let of_episode: Option<i64> =
        match crate::store::lookups::episode_of_narrative(&state.db, narrative).await {
            Ok(found) => found,
            Err(error) => return Err(Refusal::Denied(ServiceError::from(error))),
        };
    if of_episode != Some(id) {
        return Err(Refusal::Denied(ServiceError::NotFound(
            "such narrative".into(),
        )));
    }
    let result = narratives::edit(&state.db, &staff.actor(), narrative, &form.body, now).await;
    narrative_outcome(
        result,
        &form.page(id),
        ("narrative", narrative.to_string()),
        &form.body,
    )
}

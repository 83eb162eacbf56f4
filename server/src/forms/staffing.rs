//! The staffing workspace (R17–R27, R30): the page's data, and its plain-POST forms — the
//! staffing and the decision, missing information added and gathered, the steps after a DQ1
//! and its finalization, a new staffing on new information. Each is checked like every other
//! change: the session, `access`, then `core` through the services; the staffing form is read
//! by the same parser the page's live review uses (`reengage_app::forms::staffing`). A refusal
//! goes back to the workspace with what was typed and the reason.

use axum::{
    Form,
    extract::{Path, State},
    response::Redirect,
};
use reengage_app::forms::fields::Fields;
use reengage_core::episode::Transition;

use crate::forms::allowed;
use crate::services::access::{self, Action, Record};
use crate::services::episodes::change;
use crate::services::{ServiceError, actions};
use crate::store::episodes::releases_on_file;
use crate::web::errors::Refusal;
use crate::web::state::AppState;
use reengage_app::forms::new_staffing::NewStaffingForm;

/// Back to the workspace with `typed` (the form's fields, the empty ones left out), which
/// form it was, and why it was refused; `anchor` is the section.
pub(super) fn back(
    id: i64,
    form: &str,
    typed: &Fields,
    error: &str,
    anchor: &'static str,
) -> Refusal {
    let mut pairs: Vec<(&str, &str)> = typed
        .0
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    pairs.push(("form", form));
    Refusal::back(format!("/episodes/{id}/staffing"), &pairs, error).at(anchor)
}

/// After the change: the workspace with what was saved, or back with the reason.
pub(super) fn settled(
    result: Result<(), ServiceError>,
    id: i64,
    saved: &str,
    (form, typed, anchor): (&str, &Fields, &'static str),
) -> Result<Redirect, Refusal> {
    result
        .map(|()| Redirect::to(&format!("/episodes/{id}/staffing?saved={saved}#{anchor}")))
        .map_err(|error| Refusal::service(error, |said| back(id, form, typed, &said, anchor)))
}

pub(super) fn version_of(fields: &Fields) -> Result<i64, String> {
    fields
        .get("version")
        .parse()
        .map_err(|_| "Reload the page and try again.".to_owned())
}

/// `POST /episodes/{id}/staffing`: record the staffing (R17–R20, R23, R30) and, with
/// `intent=decide`, the decision (R23, R25, R26). The staffing is saved first, so a decision
/// `core` refuses leaves the team's work recorded, and comes back with the reason.
pub async fn record(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::RecordStaffing).await?;
    let fields = Fields(pairs);
    let form = ("staffing", &fields, "team");
    let (branch, participant) =
        match crate::store::lookups::branch_and_participant(&state.db, id).await {
            Ok(Some(row)) => row,
            Ok(None) => {
                return Err(Refusal::Denied(ServiceError::NotFound(format!(
                    "episode {id}"
                ))));
            }
            Err(error) => return Err(Refusal::Denied(error.into())),
        };
    let read_back = async {
        let team = crate::services::office::staffing_team(&state.db, branch).await?;
        let mut conn = state.db.pool.acquire().await?;
        let releases = releases_on_file(&mut conn, participant).await?;
        Ok::<_, ServiceError>((team, releases))
    };
    let (team, releases) = match read_back.await {
        Ok(read) => read,
        Err(error) => return settled(Err(error), id, "staffing", form),
    };
    let proposal = match version_of(&fields).and_then(|v| {
        Ok((
            v,
            reengage_app::forms::staffing::proposal(&fields, &team, &releases)?,
        ))
    }) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back(id, "staffing", &fields, &message, "team")),
    };
    let (version, proposal) = proposal;
    let deciding = fields.get("intent") == "decide";
    let decision = match (deciding, proposal.decision) {
        (true, None) => {
            return Err(back(
                id,
                "staffing",
                &fields,
                "Choose the team's decision, or save the staffing without one.",
                "decision",
            ));
        }
        (true, Some(decision)) => Some(decision),
        (false, _) => None,
    };
    let (actor, now) = (staff.actor(), state.clock.now());
    // Saved as the team stands; an unchanged team keeps its confirmations (R18).
    let saved =
        actions::record_staffing(&state.db, &actor, id, version, proposal.staffing, now).await;
    let version = match saved {
        Ok(changed) => changed.version,
        Err(error) => return settled(Err(error), id, "staffing", form),
    };
    let Some(decision) = decision else {
        return settled(Ok(()), id, "staffing", form);
    };
    if let Err(error) =
        access::authorize(&state.db, &staff, Action::Decide, Record::Episode(id), now).await
    {
        return Err(Refusal::Denied(error));
    }
    match change(
        &state.db,
        &actor,
        id,
        version,
        Transition::Decide(decision),
        now,
    )
    .await
    {
        Ok(_) => settled(Ok(()), id, "decision", ("staffing", &fields, "decision")),
        Err(ServiceError::Refused(refusal)) => {
            // The staffing stands; the form comes back with it and the decision chosen (for
            // a DQ1, the page lists the same unmet steps from `core`).
            let said = format!("The staffing is saved. {refusal}");
            Err(back(id, "staffing", &fields, &said, "decision"))
        }
        Err(error) => settled(
            Err(error),
            id,
            "decision",
            ("staffing", &fields, "decision"),
        ),
    }
}

/// `POST /episodes/{id}/new-staffing`: R24 — new information; the episode goes back to
/// staffing and the decision stays in the history, superseded. Anyone allowed may ask,
/// a contractor too.
pub async fn request_new(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
    Form(form): Form<NewStaffingForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::RequestNewStaffing).await?;
    let page = if form.back == NewStaffingForm::TO_STAFFING {
        format!("/episodes/{id}/staffing")
    } else {
        format!("/episodes/{id}")
    };
    let refusal = |error: String| {
        let typed = [("form", "new-staffing"), ("reason", form.reason.as_str())];
        Refusal::back(page.clone(), &typed, error).at("new-staffing")
    };
    let version = form.parse().map_err(refusal)?;
    let result = change(
        &state.db,
        &staff.actor(),
        id,
        version,
        Transition::RequestNewStaffing {
            reason: form.reason.clone(),
        },
        state.clock.now(),
    )
    .await;
    result
        .map(|_| Redirect::to(&format!("{page}?saved=new-staffing")))
        .map_err(|error| Refusal::service(error, refusal))
}

//! The staffing workspace (R17–R27, R30): the page's data, and its plain-POST forms — the
//! staffing and the decision, missing information added and gathered, the steps after a DQ1
//! and its finalization, a new staffing on new information. Each is checked like every other
//! change: the session, `access`, then `core` through the services; the staffing form is read
//! by the same parser the page's live review uses (`reengage_app::staffing_form`). A refusal
//! goes back to the workspace with what was typed and the reason.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use reengage_app::staffing_form::{self, Fields};
use reengage_core::episode::{MissingInfo, MissingInfoKind, Transition};
use serde::Deserialize;

use crate::forms::{allowed, enum_value, refused, version_and_day};
use crate::services::access::{self, Action, Record};
use crate::services::episodes::{change, read};
use crate::services::{ServiceError, actions};
use crate::state::AppState;
use crate::store::episodes::releases_on_file;

/// Back to the workspace with `typed` (the form's fields, the empty ones left out), which
/// form it was, and why it was refused; `anchor` is the section.
fn back(id: i64, form: &str, typed: &Fields, error: &str, anchor: &str) -> Response {
    let mut pairs: Vec<(&str, &str)> = typed
        .0
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    pairs.push(("form", form));
    pairs.push(("error", error));
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    Redirect::to(&format!("/episodes/{id}/staffing?{query}#{anchor}")).into_response()
}

/// After the change: the workspace with what was saved, or back with the reason.
fn settled(
    result: Result<(), ServiceError>,
    id: i64,
    saved: &str,
    (form, typed, anchor): (&str, &Fields, &str),
) -> Response {
    match result {
        Ok(()) => {
            Redirect::to(&format!("/episodes/{id}/staffing?saved={saved}#{anchor}")).into_response()
        }
        Err(error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_))) => refused(error),
        Err(ServiceError::Store(error)) => {
            tracing::error!(%error, form, "staffing form could not be saved");
            back(
                id,
                form,
                typed,
                "It could not be saved. Nothing was changed; try again.",
                anchor,
            )
        }
        Err(error) => back(id, form, typed, &error.to_string(), anchor),
    }
}

fn version_of(fields: &Fields) -> Result<i64, String> {
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
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::RecordStaffing).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let fields = Fields(pairs);
    let form = ("staffing", &fields, "team");
    let (branch, participant) =
        match crate::store::lookups::branch_and_participant(&state.db, id).await {
            Ok(Some(row)) => row,
            Ok(None) => return refused(ServiceError::NotFound(format!("episode {id}"))),
            Err(error) => return refused(error.into()),
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
    let proposal = match version_of(&fields)
        .and_then(|v| Ok((v, staffing_form::proposal(&fields, &team, &releases)?)))
    {
        Ok(parsed) => parsed,
        Err(message) => return back(id, "staffing", &fields, &message, "team"),
    };
    let (version, proposal) = proposal;
    let deciding = fields.get("intent") == "decide";
    let decision = match (deciding, proposal.decision) {
        (true, None) => {
            return back(
                id,
                "staffing",
                &fields,
                "Choose the team's decision, or save the staffing without one.",
                "decision",
            );
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
        return refused(error);
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
            back(id, "staffing", &fields, &said, "decision")
        }
        Err(error) => settled(
            Err(error),
            id,
            "decision",
            ("staffing", &fields, "decision"),
        ),
    }
}

/// What the missing-information forms send.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct MissingForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
}

impl MissingForm {
    fn fields(&self) -> Fields {
        let mut fields = Fields::default();
        fields.push("kind", self.kind.clone());
        fields.push("description", self.description.clone());
        fields
    }
}

/// `POST /episodes/{id}/missing-info`: R17 — information the team needs before a
/// determination (a child safety check, an offsite visit's outcome…), requested today.
pub async fn add_missing(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
    Form(form): Form<MissingForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::MissingInformation).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let typed = form.fields();
    let version = form
        .version
        .parse::<i64>()
        .map_err(|_| "Reload the page and try again.".to_owned());
    let parsed = version.and_then(|version| {
        let kind: MissingInfoKind =
            enum_value(&form.kind).ok_or("Choose the kind of information from the list.")?;
        if form.description.chars().count() > 500 {
            return Err("Say what is missing in at most 500 characters.".to_owned());
        }
        Ok((version, kind))
    });
    let (version, kind) = match parsed {
        Ok(parsed) => parsed,
        Err(message) => return back(id, "missing", &typed, &message, "missing-info"),
    };
    let now = state.clock.now();
    let result = async {
        let (_, today, _) = read(&state.db, id, now).await?;
        let item = MissingInfo {
            kind,
            description: form.description.trim().to_owned(),
            requested_on: today,
            resolved_on: None,
        };
        change(
            &state.db,
            &staff.actor(),
            id,
            version,
            Transition::AddMissingInfo(item),
            now,
        )
        .await
        .map(|_| ())
    }
    .await;
    settled(result, id, "missing", ("missing", &typed, "missing-info"))
}

/// `POST /episodes/{id}/missing-info/{index}`: R17 — the item was gathered on the day given
/// (`gathered_on_{index}`). Sent from beside the staffing form, it carries that form too:
/// what was typed there comes back, kept.
pub async fn gathered(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path((id, index)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::MissingInformation).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let fields = Fields(pairs);
    // The staffing form sent along, without this form's own fields.
    let staffing = Fields(
        fields
            .0
            .iter()
            .filter(|(name, _)| name != "version" && !name.starts_with("gathered_on_"))
            .cloned()
            .collect(),
    );
    let (form, anchor) = if staffing.0.is_empty() {
        ("missing", "missing-info")
    } else {
        ("staffing", "missing-info")
    };
    let Ok(index) = index.parse::<usize>() else {
        let said = "Reload the page: there is no such item.";
        return back(id, form, &staffing, said, anchor);
    };
    let on = fields.get(&format!("gathered_on_{index}"));
    let (version, on) = match version_and_day(fields.get("version"), on) {
        Ok(parsed) => parsed,
        Err(message) => return back(id, form, &staffing, &message, anchor),
    };
    let result = change(
        &state.db,
        &staff.actor(),
        id,
        version,
        Transition::ResolveMissingInfo { index, on },
        state.clock.now(),
    )
    .await;
    match result {
        Ok(_) if form == "staffing" => {
            let mut pairs: Vec<(&str, &str)> = staffing
                .0
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            pairs.push(("form", "staffing"));
            pairs.push(("saved", "gathered"));
            let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
            Redirect::to(&format!("/episodes/{id}/staffing?{query}#{anchor}")).into_response()
        }
        result => settled(
            result.map(|_| ()),
            id,
            "gathered",
            (form, &staffing, anchor),
        ),
    }
}

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
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::RecordPostDq1Steps).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
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
        return refused(error);
    }
    let version = match version_of(&fields) {
        Ok(version) => version,
        Err(message) => return back(id, "finalization", &fields, &message, "finalization"),
    };
    let steps = staffing_form::post_dq1_steps(&fields);
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
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::ConfirmPresence).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
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

/// What the new-staffing form sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewStaffingForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub reason: String,
    /// "staffing" to return to the workspace; otherwise the episode page.
    #[serde(default)]
    pub back: String,
}

/// `POST /episodes/{id}/new-staffing`: R24 — new information; the episode goes back to
/// staffing and the decision stays in the history, superseded. Anyone allowed may ask,
/// a contractor too.
pub async fn request_new(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
    Form(form): Form<NewStaffingForm>,
) -> Response {
    let (staff, id) = match allowed(&state, auth, &id, Action::RequestNewStaffing).await {
        Ok(allowed) => allowed,
        Err(response) => return response,
    };
    let page = if form.back == "staffing" {
        format!("/episodes/{id}/staffing")
    } else {
        format!("/episodes/{id}")
    };
    let refusal = |error: String| {
        let query = serde_urlencoded::to_string([
            ("form", "new-staffing"),
            ("reason", form.reason.as_str()),
            ("error", error.as_str()),
        ])
        .unwrap_or_default();
        Redirect::to(&format!("{page}?{query}#new-staffing")).into_response()
    };
    let Ok(version) = form.version.parse::<i64>() else {
        return refusal("Reload the page and try again.".into());
    };
    if form.reason.chars().count() > 2_000 {
        return refusal("Say what came to light in at most 2,000 characters.".into());
    }
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
    match result {
        Ok(_) => Redirect::to(&format!("{page}?saved=new-staffing")).into_response(),
        Err(error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_))) => refused(error),
        Err(ServiceError::Store(error)) => {
            tracing::error!(%error, "new staffing could not be requested");
            refusal("It could not be saved. Nothing was changed; try again.".into())
        }
        Err(error) => refusal(error.to_string()),
    }
}

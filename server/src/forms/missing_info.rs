//! `POST /episodes/{id}/missing-info[/{index}]`: R17 — information the team needs before a
//! determination, requested and gathered (beside the staffing form, whose typed fields come
//! back kept).

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use reengage_app::forms::fields::Fields;
use reengage_core::episode::{MissingInfo, Transition};

use crate::forms::{allowed, version_and_day};
use crate::services::access::Action;
use crate::services::episodes::{change, read};
use crate::web::errors::Refusal;
use crate::web::in_place;
use crate::web::state::AppState;

use reengage_app::forms::missing::MissingForm;

use super::staffing::{back, settled};

/// `POST /episodes/{id}/missing-info`: R17 — information the team needs before a
/// determination (a child safety check, an offsite visit's outcome…), requested today.
pub async fn add_missing(
    State(state): State<AppState>,
    auth: crate::web::sessions::AuthSession,
    Path(id): Path<String>,
    Form(form): Form<MissingForm>,
) -> Result<Redirect, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::MissingInformation).await?;
    let typed = form.fields();
    let parsed = form.parse();
    let (version, kind) = match parsed {
        Ok(parsed) => parsed,
        Err(message) => return Err(back(id, "missing", &typed, &message, "missing-info")),
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
) -> Result<Response, Refusal> {
    let (staff, id) = allowed(&state, auth, &id, Action::MissingInformation).await?;
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
        return Err(back(id, form, &staffing, said, anchor));
    };
    let on = fields.get(&format!("gathered_on_{index}"));
    let (version, on) = match version_and_day(fields.get("version"), on) {
        Ok(parsed) => parsed,
        Err(message) => return Err(back(id, form, &staffing, &message, anchor)),
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
        // The team form being filled stays as it was typed: the workspace is answered in
        // place, with what was saved.
        Ok(_) if form == "staffing" => {
            let mut pairs: Vec<(String, String)> = staffing
                .0
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .collect();
            pairs.push(("form".into(), "staffing".into()));
            pairs.push(("saved".into(), "gathered".into()));
            pairs.push((in_place::SECTION.into(), anchor.into()));
            Ok(in_place::page(
                StatusCode::OK,
                format!("/episodes/{id}/staffing"),
                pairs,
                "The item is marked gathered.".into(),
            ))
        }
        result => settled(
            result.map(|_| ()),
            id,
            "gathered",
            (form, &staffing, anchor),
        )
        .map(IntoResponse::into_response),
    }
}

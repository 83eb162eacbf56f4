//! `/api/v1/episodes/{id}/narratives` and `/api/v1/narratives/{id}`: drafts from the facts,
//! saved narratives, edits.

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use reengage_core::narrative::{Draft, NarrativeType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiPath, SignedIn, json_body as json};
use crate::services::access::{self, Action, Record, Role};
use crate::services::episodes::read;
use crate::services::narratives::{self, Narrative};
use crate::store::db::Db;
use crate::web::errors::ApiError;
use crate::web::state::Clock;

#[derive(Debug, Serialize, ToSchema)]
pub struct Narratives {
    /// Drafts written from the recorded facts alone, ready to edit and save.
    pub drafts: Vec<Draft>,
    pub saved: Vec<Narrative>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewNarrative {
    pub kind: NarrativeType,
    pub body: String,
    /// The draft it is saved from (`attempt-2026-11-24-1`, `staffing`, `decision`), so it is no longer
    /// offered.
    #[serde(default)]
    pub draft_of: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EditNarrative {
    pub body: String,
}

#[utoipa::path(get, path = "/episodes/{id}/narratives", tag = "narratives", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Narratives), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn of_episode(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Narratives>, ApiError> {
    let role = access::authorize(
        &db,
        &staff,
        Action::ReadNarratives,
        Record::Episode(id),
        clock.now(),
    )
    .await?;
    let (record, _, calendar) = read(&db, id, clock.now()).await?;
    let saved = narratives::list(&db, id).await?;
    if role == Role::Contractor {
        // Drafts are written from the department's facts; a contractor sees its own texts.
        return Ok(Json(Narratives {
            drafts: Vec::new(),
            saved: crate::services::redact::narratives(saved, staff.id),
        }));
    }
    access::record_barrier_read(&db, &staff, role, &record.facts, id, clock.now()).await?;
    Ok(Json(Narratives {
        drafts: narratives::drafts(&record.facts, &calendar),
        saved,
    }))
}

#[utoipa::path(post, path = "/episodes/{id}/narratives", tag = "narratives", params(("id" = i64, Path)),
    request_body = NewNarrative, security(("bearer" = [])),
    responses((status = 201, body = Narrative), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn write(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Narrative>), ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::WriteNarrative,
        Record::Episode(id),
        clock.now(),
    )
    .await?;
    let new: NewNarrative = json(&bytes, "a narrative")?;
    let saved = narratives::write(
        &db,
        &staff.actor(),
        id,
        new.kind,
        &new.body,
        new.draft_of.as_deref(),
        clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

#[utoipa::path(post, path = "/narratives/{id}", tag = "narratives", params(("id" = i64, Path)),
    request_body = EditNarrative, security(("bearer" = [])),
    responses((status = 200, body = Narrative), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn edit(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<Json<Narrative>, ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::WriteNarrative,
        Record::Narrative(id),
        clock.now(),
    )
    .await?;
    let edit: EditNarrative = json(&bytes, "a narrative edit")?;
    Ok(Json(
        narratives::edit(&db, &staff.actor(), id, &edit.body, clock.now()).await?,
    ))
}

//! `/api/v1/participants`: a participant's file — PDP steps, exemptions (R23), MCS 3010
//! releases (R19).

use axum::{Json, body::Bytes, extract::State, http::StatusCode};

use super::{ApiPath, SignedIn, json_body as json};
use crate::services::access::{self, Action, Record, Role};
use crate::services::participants::{
    self, Addition, CaseloadMove, ExemptionPeriod, LanguageChoice, Moved, NewParticipant,
    Participant, ParticipantChange, PdpStep, ReleaseOnFile, SearchResult,
};
use crate::store::db::Db;
use crate::web::errors::ApiError;
use crate::web::state::Clock;
use serde::Deserialize;
use utoipa::ToSchema;

#[utoipa::path(post, path = "/participants", tag = "participants", request_body = NewParticipant,
    security(("bearer" = [])),
    responses((status = 201, body = Participant), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, description = "The branch named is not within reach.", body = super::ErrorBody),
        (status = 409, description = "The case number is already on file.", body = super::ErrorBody)))]
pub async fn create(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    let fields = super::episodes::body(&bytes)?;
    // Authorized on the branch before the rest of the body is read.
    let branch_id = super::episodes::id_field(&fields, "branch_id")?;
    access::authorize(
        &db,
        &staff,
        Action::CreateParticipant,
        Record::Branch(branch_id),
        clock.now(),
    )
    .await?;
    let new: NewParticipant =
        super::episodes::parse("a participant", serde_json::Value::Object(fields))?;
    let id = participants::create(&db, &staff.actor(), new, clock.now()).await?;
    Ok((StatusCode::CREATED, Json(participants::get(&db, id).await?)))
}

#[utoipa::path(get, path = "/participants/{id}", tag = "participants", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Participant), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn show(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Participant>, ApiError> {
    let role = access::authorize(
        &db,
        &staff,
        Action::ReadParticipant,
        Record::Participant(id),
        clock.now(),
    )
    .await?;
    let participant = participants::get(&db, id).await?;
    Ok(Json(if role == Role::Contractor {
        crate::services::redact::participant(participant)
    } else {
        participant
    }))
}

async fn add(
    db: &Db,
    clock: &Clock,
    staff: &crate::services::accounts::Staff,
    id: i64,
    bytes: &Bytes,
    read: impl FnOnce(&Bytes) -> Result<Addition, ApiError>,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    access::authorize(
        db,
        staff,
        Action::ChangeParticipant,
        Record::Participant(id),
        clock.now(),
    )
    .await?;
    // Read only after the access check: a refused request learns nothing from its body.
    let addition = read(bytes)?;
    participants::add(db, &staff.actor(), id, addition, clock.now()).await?;
    Ok((StatusCode::CREATED, Json(participants::get(db, id).await?)))
}

#[utoipa::path(post, path = "/participants/{id}/pdp-steps", tag = "participants", params(("id" = i64, Path)),
    request_body = PdpStep, security(("bearer" = [])),
    responses((status = 201, body = Participant), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn add_pdp_step(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    add(&db, &clock, &staff, id, &bytes, |b| {
        Ok(Addition::PdpStep(json(b, "a PDP step")?))
    })
    .await
}

#[utoipa::path(post, path = "/participants/{id}/exemptions", tag = "participants", params(("id" = i64, Path)),
    request_body = ExemptionPeriod, security(("bearer" = [])),
    responses((status = 201, body = Participant), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn add_exemption(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    add(&db, &clock, &staff, id, &bytes, |b| {
        Ok(Addition::Exemption(json(b, "an exemption")?))
    })
    .await
}

#[utoipa::path(post, path = "/participants/{id}/releases", tag = "participants", params(("id" = i64, Path)),
    request_body = ReleaseOnFile, security(("bearer" = [])),
    responses((status = 201, body = Participant), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn add_release(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Participant>), ApiError> {
    add(&db, &clock, &staff, id, &bytes, |b| {
        Ok(Addition::Release(json(b, "an MCS 3010 release")?))
    })
    .await
}

#[utoipa::path(post, path = "/participants/{id}/language", tag = "participants", params(("id" = i64, Path)),
    request_body = LanguageChoice, security(("bearer" = [])),
    responses((status = 200, body = Participant), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
/// `POST /participants/{id}/language`: the language the participant reads; their DHS 7869
/// notice prints in it. Department staff of the participant's branch; audited.
pub async fn set_language(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<Json<Participant>, ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::ChangeParticipant,
        Record::Participant(id),
        clock.now(),
    )
    .await?;
    // Read only after the access check: a refused request learns nothing from its body.
    let LanguageChoice { language } = json(&bytes, "a language")?;
    participants::set_language(&db, &staff.actor(), id, &language, clock.now()).await?;
    Ok(Json(participants::get(&db, id).await?))
}

#[utoipa::path(post, path = "/participants/{id}", tag = "participants", params(("id" = i64, Path)),
    request_body = ParticipantChange, security(("bearer" = [])),
    responses((status = 200, body = Participant), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, description = "A coach or contractor outside the branch, or a referral's last day already past.", body = super::ErrorBody)))]
/// `POST /participants/{id}`: edits the participant's record — names, contact details,
/// notice language, coach (their open episode follows), contractor referral and its last
/// day. Every field is given; what is left out is cleared. Department staff of the branch;
/// audited.
pub async fn update(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<Json<Participant>, ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::ChangeParticipant,
        Record::Participant(id),
        clock.now(),
    )
    .await?;
    let change: ParticipantChange = json(&bytes, "a participant's record")?;
    participants::update(&db, &staff.actor(), id, change, clock.now()).await?;
    Ok(Json(participants::get(&db, id).await?))
}

/// What a participant search is for: a case number, or the beginning of a name.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// A case number, a last name's beginning ("Garc"), "last first" or "first last".
    pub query: String,
}

#[utoipa::path(post, path = "/participants/search", tag = "participants", request_body = SearchQuery,
    security(("bearer" = [])),
    responses((status = 200, body = SearchResult), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, description = "An empty or too long search.", body = super::ErrorBody)))]
/// `POST /participants/search`: the participants of the caller's branch with that case
/// number, or whose name starts with what is typed (department staff). A POST, so what is
/// typed never goes in a URL or an access log.
pub async fn search(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    bytes: Bytes,
) -> Result<Json<SearchResult>, ApiError> {
    let branch = access::own_branch(&db, &staff, Action::FindParticipant, clock.now()).await?;
    let SearchQuery { query } = json(&bytes, "a search")?;
    Ok(Json(participants::search(&db, branch, &query).await?))
}

#[utoipa::path(post, path = "/participants/move", tag = "participants", request_body = CaseloadMove,
    security(("bearer" = [])),
    responses((status = 200, body = Moved), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, description = "The same coach, or a coach outside the branch.", body = super::ErrorBody)))]
/// `POST /participants/move`: moves a coach's caseload — or one participant of it — to
/// another coach of the caller's branch; open episodes follow. Supervisors; audited per
/// participant.
pub async fn move_caseload(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    bytes: Bytes,
) -> Result<Json<Moved>, ApiError> {
    let branch = access::own_branch(&db, &staff, Action::MoveCaseload, clock.now()).await?;
    let change: CaseloadMove = json(&bytes, "a caseload move")?;
    Ok(Json(
        participants::move_caseload(&db, &staff.actor(), branch, &change, clock.now()).await?,
    ))
}

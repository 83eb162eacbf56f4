//! `/api/v1/staff` and `/api/v1/branches/{id}/closures`: what an admin looks after — staff
//! accounts and office closure days. No case data here, and no case role may use these.

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiPath, SignedIn, json_body as json};
use crate::services::access::{self, Action, Record};
use crate::services::accounts::{
    self, AuthError, NewStaff, PostChange, Staff, StaffAccount, TokenInfo,
};
use crate::services::branches::{
    self, ClosureDay, ClosureEffect, MailPickupTime, Office, OfficeChange,
};
use crate::store::db::Db;
use crate::web::errors::ApiError;
use crate::web::state::Clock;

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::UnknownStaff(_) => Self::not_found("There is no such staff member."),
            AuthError::Db(e) => crate::services::ServiceError::from(e).into(),
            AuthError::Hash => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "The password could not be stored. Nothing was changed; try again.",
            ),
            AuthError::DuplicateEmail(_) => {
                Self::new(StatusCode::CONFLICT, "duplicate", error.to_string())
            }
            other => Self::invalid(other.to_string()),
        }
    }
}

async fn admin_only(db: &Db, staff: &Staff, now: DateTime<Utc>) -> Result<(), ApiError> {
    access::authorize(db, staff, Action::Administer, Record::None, now).await?;
    Ok(())
}

#[utoipa::path(get, path = "/staff", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<StaffAccount>), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
/// Every staff account (admin).
pub async fn list(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
) -> Result<Json<Vec<StaffAccount>>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    Ok(Json(
        accounts::list_staff(&db)
            .await
            .map_err(crate::services::ServiceError::from)?,
    ))
}

#[utoipa::path(post, path = "/staff", tag = "admin", request_body = NewStaff, security(("bearer" = [])),
    responses((status = 201, body = StaffAccount), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 409, description = "An account with that e-mail already exists.", body = super::ErrorBody)))]
/// Creates a staff account (admin).
pub async fn create(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    bytes: Bytes,
) -> Result<(StatusCode, Json<StaffAccount>), ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let new: NewStaff = json(&bytes, "a staff account")?;
    let id = accounts::create_staff(&db, &staff.actor(), new, clock.now()).await?;
    let accounts = accounts::list_staff(&db)
        .await
        .map_err(crate::services::ServiceError::from)?;
    let account = accounts
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found("The new account could not be read back."))?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[utoipa::path(post, path = "/staff/{id}/disable", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, description = "An admin's own account: another admin disables it.", body = super::ErrorBody)))]
/// Disables an account: its sessions and tokens stop working at once (admin).
pub async fn disable(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    set_active(&db, &clock, &staff, id, false).await
}

#[utoipa::path(post, path = "/staff/{id}/enable", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Enables a disabled account again (admin).
pub async fn enable(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    set_active(&db, &clock, &staff, id, true).await
}

async fn set_active(
    db: &Db,
    clock: &Clock,
    staff: &Staff,
    id: i64,
    active: bool,
) -> Result<StatusCode, ApiError> {
    admin_only(db, staff, clock.now()).await?;
    if id == staff.id && !active {
        return Err(ApiError::invalid(
            "You cannot disable your own account; ask another admin.",
        ));
    }
    let email = accounts::email_of(db, id).await?;
    accounts::set_active(db, &staff.actor(), &email, active, clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPassword {
    pub password: String,
}

#[utoipa::path(post, path = "/staff/{id}/password", tag = "admin", params(("id" = i64, Path)), request_body = NewPassword,
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Sets a new password; every session of the account ends (admin).
pub async fn password(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let NewPassword { password } = json(&bytes, "a new password")?;
    let email = accounts::email_of(&db, id).await?;
    accounts::set_password(&db, &staff.actor(), &email, password, clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A staff member's new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRole {
    pub role: reengage_core::roles::Role,
}

/// A staff member's new branch (office), created if new; `null` for none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBranch {
    /// Required: `null` moves the account to no branch, so it must be said, never implied
    /// by a missing field.
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true)]
    pub branch: Option<String>,
}

#[utoipa::path(post, path = "/staff/{id}/role", tag = "admin", params(("id" = i64, Path)), request_body = NewRole,
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Gives an account another role; its sessions end and its API tokens are revoked (admin).
pub async fn role(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let NewRole { role } = json(&bytes, "a role")?;
    change_post(&db, &clock, &staff, id, PostChange::Role(role)).await
}

#[utoipa::path(post, path = "/staff/{id}/branch", tag = "admin", params(("id" = i64, Path)), request_body = NewBranch,
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Moves an account to another branch; its sessions end and its API tokens are revoked
/// (admin).
pub async fn branch(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let NewBranch { branch } = json(&bytes, "a branch")?;
    change_post(&db, &clock, &staff, id, PostChange::Branch(branch)).await
}

async fn change_post(
    db: &Db,
    clock: &Clock,
    staff: &Staff,
    id: i64,
    change: PostChange,
) -> Result<StatusCode, ApiError> {
    if id == staff.id {
        return Err(ApiError::invalid(
            "You cannot change your own role or branch; ask another admin.",
        ));
    }
    let email = accounts::email_of(db, id).await?;
    accounts::change_post(db, &staff.actor(), &email, change, clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/branches/{id}/closures", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<ClosureDay>), (status = 403, body = super::ErrorBody)))]
/// A branch's own closure days (admin).
pub async fn closures(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ClosureDay>>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    Ok(Json(branches::closures(&db, id).await?))
}

#[utoipa::path(post, path = "/branches/{id}/closures", tag = "admin", params(("id" = i64, Path)), request_body = ClosureDay,
    security(("bearer" = [])),
    responses((status = 201, body = Vec<ClosureDay>), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, description = "That day is already a closure day of the branch.", body = super::ErrorBody)))]
/// Adds a closure day to a branch's calendar (admin).
pub async fn add_closure(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Vec<ClosureDay>>), ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let closure: ClosureDay = json(&bytes, "a closure day")?;
    branches::add_closure(&db, &staff.actor(), id, closure, clock.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(branches::closures(&db, id).await?),
    ))
}

#[utoipa::path(get, path = "/branches/{id}/mail-pickup", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MailPickupTime), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// A branch's outgoing-mail pickup time, office time (R15; admin).
pub async fn mail_pickup(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MailPickupTime>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    Ok(Json(branches::mail_pickup(&db, id).await?))
}

#[utoipa::path(post, path = "/branches/{id}/mail-pickup", tag = "admin", params(("id" = i64, Path)), request_body = MailPickupTime,
    security(("bearer" = [])),
    responses((status = 200, body = MailPickupTime), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Sets a branch's outgoing-mail pickup time, or removes it with `null` (R15; admin): after
/// it, a notice mailed today leaves on the next business day, and the mail-by sentences say
/// "before the 3:00 pm pickup".
pub async fn set_mail_pickup(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<Json<MailPickupTime>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let MailPickupTime { at } = json(&bytes, "a pickup time")?;
    branches::set_mail_pickup(&db, &staff.actor(), id, at, clock.now()).await?;
    Ok(Json(branches::mail_pickup(&db, id).await?))
}

#[utoipa::path(get, path = "/staff/{id}/tokens", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// A staff member's API tokens, newest first: created, expires, last used, revoked (admin).
pub async fn tokens(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let email = accounts::email_of(&db, id).await?;
    Ok(Json(accounts::list_tokens(&db, Some(&email)).await?))
}

/// A new API token: shown in this answer only (the server keeps its SHA-256 alone).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct NewToken {
    /// `Authorization: Bearer …` for the REST API, for 90 days.
    pub token: String,
}

#[utoipa::path(post, path = "/staff/{id}/tokens", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 201, body = NewToken), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Makes an API token for a staff member's enabled account, lasting 90 days (admin; audited
/// as `token.created`). The token is in this answer only.
pub async fn create_token(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let email = accounts::email_of(&db, id).await?;
    let token = accounts::create_token(&db, &staff.actor(), &email, clock.now()).await?;
    Ok((StatusCode::CREATED, Json(NewToken { token })))
}

#[utoipa::path(post, path = "/tokens/{id}/revoke", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Revokes one API token at once (admin); 404 when there is no live token with that id.
pub async fn revoke_token(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    if accounts::revoke_token(&db, &staff.actor(), id, clock.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("There is no live token with that id."))
    }
}

#[utoipa::path(get, path = "/branches", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<Office>), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
/// Every office with its address, phone, time zone and mail pickup time (admin).
pub async fn offices(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
) -> Result<Json<Vec<Office>>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    Ok(Json(branches::offices(&db).await?))
}

#[utoipa::path(post, path = "/branches", tag = "admin", request_body = OfficeChange, security(("bearer" = [])),
    responses((status = 201, body = Office), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody),
        (status = 409, description = "Another office has that name.", body = super::ErrorBody),
        (status = 422, description = "An empty name or an unknown time zone.", body = super::ErrorBody)))]
/// A new office with its name, address, phone, time zone and mail pickup time (admin;
/// audited). Its closure days are added after.
pub async fn create_office(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Office>), ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let change: OfficeChange = json(&bytes, "a new office")?;
    let created = branches::create_office(&db, &staff.actor(), change, clock.now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/branches/{id}", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Office), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// One office (admin).
pub async fn office(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Office>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    Ok(Json(branches::office_of(&db, id).await?))
}

#[utoipa::path(post, path = "/branches/{id}", tag = "admin", params(("id" = i64, Path)), request_body = OfficeChange,
    security(("bearer" = [])),
    responses((status = 200, body = Office), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, description = "Another office has that name.", body = super::ErrorBody),
        (status = 422, description = "An empty name or an unknown time zone.", body = super::ErrorBody)))]
/// Sets an office's name, address, phone (both printed on the DHS 7869), time zone and mail
/// pickup time (R15); every field is given, an empty one is cleared (admin; audited).
pub async fn set_office(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<Json<Office>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let change: OfficeChange = json(&bytes, "an office's details")?;
    Ok(Json(
        branches::set_office(&db, &staff.actor(), id, change, clock.now()).await?,
    ))
}

/// A closure day to remove.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureDate {
    pub on: chrono::NaiveDate,
}

#[utoipa::path(post, path = "/branches/{id}/closures/remove", tag = "admin", params(("id" = i64, Path)), request_body = ClosureDate,
    security(("bearer" = [])),
    responses((status = 200, body = ClosureEffect), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// Removes a closure day from a branch's calendar; answers with the open deadlines that moved
/// back (admin; audited).
pub async fn remove_closure(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<Json<ClosureEffect>, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let ClosureDate { on } = json(&bytes, "a closure day")?;
    Ok(Json(
        branches::remove_closure_with_effect(&db, &staff.actor(), id, on, clock.now()).await?,
    ))
}

/// A staff member's work phone; `null` removes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPhone {
    /// Required: `null` removes the phone, so it must be said, never implied by a missing
    /// field.
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true)]
    pub phone: Option<String>,
}

#[utoipa::path(post, path = "/staff/{id}/phone", tag = "admin", params(("id" = i64, Path)), request_body = NewPhone,
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, description = "A phone with no digit, or too long.", body = super::ErrorBody)))]
/// Sets a staff member's work phone, printed on the notices they send (admin; audited).
pub async fn phone(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    admin_only(&db, &staff, clock.now()).await?;
    let NewPhone { phone } = json(&bytes, "a phone")?;
    accounts::set_phone(&db, &staff.actor(), id, phone.as_deref(), clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

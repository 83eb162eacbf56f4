//! `/api/v1/episodes/{id}/tasks` and `/api/v1/tasks/{id}/done`: an episode's to-dos.

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiPath, SignedIn, json_body as json};
use crate::services::access::{self, Action, Record};
use crate::services::tasks::{self, NewTask, Task};
use crate::store::db::Db;
use crate::web::errors::ApiError;
use crate::web::state::Clock;

#[derive(Debug, Deserialize, ToSchema)]
pub struct Done {
    pub on: NaiveDate,
}

#[utoipa::path(get, path = "/episodes/{id}/tasks", tag = "tasks", params(("id" = i64, Path)),
    security(("bearer" = [])), responses((status = 200, body = Vec<Task>), (status = 401, body = super::ErrorBody)))]
pub async fn of_episode(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<Task>>, ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::ReadTasks,
        Record::Episode(id),
        clock.now(),
    )
    .await?;
    Ok(Json(tasks::list(&db, id).await?))
}

#[utoipa::path(post, path = "/episodes/{id}/tasks", tag = "tasks", params(("id" = i64, Path)), request_body = NewTask,
    security(("bearer" = [])),
    responses((status = 201, body = Vec<Task>), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn add(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Vec<Task>>), ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::ChangeTasks,
        Record::Episode(id),
        clock.now(),
    )
    .await?;
    tasks::add(
        &db,
        &staff.actor(),
        id,
        json(&bytes, "a task")?,
        clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(tasks::list(&db, id).await?)))
}

#[utoipa::path(post, path = "/tasks/{id}/done", tag = "tasks", params(("id" = i64, Path)), request_body = Done,
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn done(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    access::authorize(
        &db,
        &staff,
        Action::ChangeTasks,
        Record::Task(id),
        clock.now(),
    )
    .await?;
    let Done { on } = json(&bytes, "a completion")?;
    tasks::done(&db, &staff.actor(), id, on, clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

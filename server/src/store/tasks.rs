//! The to-dos of an episode: those that block a decision (missing information, R17) and those
//! that do not.

use chrono::NaiveDate;
use reengage_core::episode::MissingInfo;
use sqlx::AnyConnection;

use super::codes::{code, day};
use crate::store::db::Db;

/// Every to-do of an episode (index tasks_episode).
pub const LIST_SQL: &str = "SELECT id, kind, description, requested_on, resolved_on, blocks_decision FROM tasks \
         WHERE episode_id = $1 ORDER BY id";

/// A to-do as stored: id, kind, description, requested, resolved, blocks a decision (0/1).
pub type TaskRow = (i64, String, String, String, Option<String>, i64);

/// A to-do that does not block a decision, its `kind` as stored, created `at`; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    episode_id: i64,
    kind: &str,
    description: &str,
    requested_on: NaiveDate,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO tasks (episode_id, kind, blocks_decision, description, requested_on, created_at) \
         VALUES ($1, $2, 0, $3, $4, $5) RETURNING id",
    )
    .bind(episode_id)
    .bind(kind)
    .bind(description)
    .bind(day(requested_on))
    .bind(at)
    .fetch_one(&mut *conn)
    .await
}

/// R17: missing information that blocks the decision, created `at`; returns its id.
pub async fn insert_missing_info(
    conn: &mut AnyConnection,
    episode_id: i64,
    item: &MissingInfo,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO tasks (episode_id, kind, blocks_decision, description, requested_on, \
         resolved_on, created_at) VALUES ($1, $2, 1, $3, $4, $5, $6) RETURNING id",
    )
    .bind(episode_id)
    .bind(code(&item.kind))
    .bind(&item.description)
    .bind(day(item.requested_on))
    .bind(item.resolved_on.map(day))
    .bind(at)
    .fetch_one(&mut *conn)
    .await
}

/// Whether to-do `id` blocks a decision (0/1) and the day it was resolved, if it exists.
pub async fn state(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT blocks_decision, resolved_on FROM tasks WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// To-do `id` done, or missing information resolved, on `on`.
pub async fn resolve(conn: &mut AnyConnection, id: i64, on: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET resolved_on = $1 WHERE id = $2")
        .bind(day(on))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// [`LIST_SQL`]: every to-do of the episode, oldest first.
pub async fn list(db: &Db, episode_id: i64) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as(LIST_SQL)
        .bind(episode_id)
        .fetch_all(&db.pool)
        .await
}

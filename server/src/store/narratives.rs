//! An episode's saved narratives (R4, R10, R22, R25).

use reengage_core::narrative::NarrativeType;
use sqlx::AnyConnection;

use super::codes::code;
use crate::store::db::Db;

/// The saved narratives of an episode (index narratives_episode), each with its author's name
/// and role (staff by primary key).
pub const LIST_SQL: &str = "SELECT n.id, n.kind, n.body, n.author_id, n.updated_at, n.draft_of, \
         s.name, s.role FROM narratives n LEFT JOIN staff s ON s.id = n.author_id \
         WHERE n.episode_id = $1 ORDER BY n.id";

/// A narrative as [`LIST_SQL`] gives it: id, kind, body, author, updated, draft, the author's
/// name and role.
pub type NarrativeRow = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The name and role of staff member `id` (primary key).
pub async fn author(
    conn: &mut AnyConnection,
    id: Option<i64>,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let Some(id) = id else {
        return Ok(None);
    };
    sqlx::query_as("SELECT name, role FROM staff WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// A narrative as it stood before an edit: episode, kind, body, author, draft.
pub type Before = (i64, String, String, Option<i64>, Option<String>);

/// Writes a new narrative by `author_id`, created and updated `at`; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    episode_id: i64,
    kind: &NarrativeType,
    body: &str,
    author_id: Option<i64>,
    at: &str,
    draft_of: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO narratives (episode_id, kind, body, author_id, created_at, updated_at, draft_of) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(episode_id)
    .bind(code(kind))
    .bind(body)
    .bind(author_id)
    .bind(at)
    .bind(draft_of)
    .fetch_one(&mut *conn)
    .await
}

/// Narrative `id` as it stands (primary key).
pub async fn before(conn: &mut AnyConnection, id: i64) -> Result<Option<Before>, sqlx::Error> {
    sqlx::query_as(
        "SELECT episode_id, kind, body, author_id, draft_of FROM narratives WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Narrative `id`'s new text, updated `at`.
pub async fn set_body(
    conn: &mut AnyConnection,
    id: i64,
    body: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE narratives SET body = $1, updated_at = $2 WHERE id = $3")
        .bind(body)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// [`LIST_SQL`]: the episode's saved narratives, oldest first.
pub async fn list(db: &Db, episode_id: i64) -> Result<Vec<NarrativeRow>, sqlx::Error> {
    sqlx::query_as(LIST_SQL)
        .bind(episode_id)
        .fetch_all(&db.pool)
        .await
}

//! Sign-in session records: each session's id, its encoded data and its expiry (Unix seconds).
//!
//! The id is stored as its SHA-256, never as it is: whoever reads the table (a backup, a
//! replica, a report) holds no session a browser could present. Every function here takes
//! the id the cookie carries and keys the row by [`key`].

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, any::AnyExecutor};

use crate::store::db::Db;

/// The stored key of session `id`: its SHA-256, hex.
pub fn key(id: &str) -> String {
    format!("{:x}", Sha256::digest(id.as_bytes()))
}

/// Deletes the sessions expired by `now` (Unix seconds), on the `expires_at` index; how many.
pub async fn delete_expired(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.writer)
        .await
        .map(|done| done.rows_affected())
}

/// Inserts a session, on the pool or inside a transaction. An id already taken fails as a
/// unique violation.
pub async fn insert<'c>(
    executor: impl AnyExecutor<'c>,
    id: &str,
    data: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)")
        .bind(key(id))
        .bind(data)
        .bind(expires_at)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Replaces a session's data and expiry inside the caller's transaction; returns whether
/// there was such a session.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    data: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query("UPDATE sessions SET data = $1, expires_at = $2 WHERE id = $3")
        .bind(data)
        .bind(expires_at)
        .bind(key(id))
        .execute(&mut *conn)
        .await?;
    Ok(updated.rows_affected() != 0)
}

/// Pushes a session's expiry on to `expires_at`, one statement on the writers' pool: never
/// back, and never for a session ended meanwhile.
pub async fn push_expiry(db: &Db, id: &str, expires_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id = $2 AND expires_at < $1")
        .bind(expires_at)
        .bind(key(id))
        .execute(&db.writer)
        .await
        .map(|_| ())
}

/// The data of session `id` if it has not expired by `now` (Unix seconds).
pub async fn data(db: &Db, id: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
        .bind(key(id))
        .bind(now)
        .fetch_optional(&db.pool)
        .await
}

/// Deletes session `id`.
pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(key(id))
        .execute(&db.pool)
        .await
        .map(|_| ())
}

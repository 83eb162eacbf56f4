//! Personal API tokens, stored only as SHA-256 hashes of the token.

use sqlx::AnyConnection;

use crate::store::db::Db;

/// An active account as its unrevoked token finds it: `(id, email, initials, role,
/// branch_id)`, then the token's `(id, created_at, expires_at, last_used_at)`.
pub type TokenStaffRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    i64,
    String,
    Option<String>,
    Option<String>,
);

/// A token as `admin token list` shows it: `(id, staff email, created_at, expires_at,
/// last_used_at, revoked_at)`.
pub type TokenRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Inserts a token for staff member `staff_id` inside the caller's transaction; returns
/// the token's id.
pub async fn insert(
    conn: &mut AnyConnection,
    staff_id: i64,
    token_hash: &str,
    name: &str,
    created_at: &str,
    expires_at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (staff_id, token_hash, name, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(staff_id)
    .bind(token_hash)
    .bind(name)
    .bind(created_at)
    .bind(expires_at)
    .fetch_one(&mut *conn)
    .await
}

/// Records that token `id` was used `at` (one statement on the writers' pool).
pub async fn touch(db: &Db, id: i64, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&db.writer)
        .await
        .map(|_| ())
}

/// The tokens of staff member `staff_id` (index api_tokens_staff), or every token, newest
/// first.
pub async fn list(db: &Db, staff_id: Option<i64>) -> Result<Vec<TokenRow>, sqlx::Error> {
    const SELECT: &str = "SELECT t.id, s.email, t.created_at, t.expires_at, t.last_used_at, t.revoked_at \
         FROM api_tokens t JOIN staff s ON s.id = t.staff_id";
    match staff_id {
        Some(staff_id) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE t.staff_id = $1 ORDER BY t.id DESC"
            ))
            .bind(staff_id)
            .fetch_all(&db.pool)
            .await
        }
        None => {
            sqlx::query_as(&format!("{SELECT} ORDER BY t.id DESC"))
                .fetch_all(&db.pool)
                .await
        }
    }
}

/// Revokes token `id` `at` inside the caller's transaction; its staff member, if it was
/// live.
pub async fn revoke(
    conn: &mut AnyConnection,
    id: i64,
    at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING staff_id",
    )
    .bind(at)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Revokes every live token of staff member `staff_id` `at` (index api_tokens_staff); how
/// many.
pub async fn revoke_all_of(
    conn: &mut AnyConnection,
    staff_id: i64,
    at: &str,
) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL")
        .bind(at)
        .bind(staff_id)
        .execute(&mut *conn)
        .await
        .map(|done| done.rows_affected())
}

/// The active staff member whose unrevoked token hashes to `token_hash`.
pub async fn staff_of(db: &Db, token_hash: &str) -> Result<Option<TokenStaffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.email, s.initials, s.role, s.branch_id, t.id, t.created_at, t.expires_at, t.last_used_at \
         FROM api_tokens t JOIN staff s ON s.id = t.staff_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND s.active = 1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

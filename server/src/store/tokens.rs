//! Personal API tokens, stored only as SHA-256 hashes of the token.

use sqlx::AnyConnection;

use crate::store::db::Db;

/// An active account as its token finds it: `(id, email, initials, role, branch_id)`.
pub type TokenStaffRow = (i64, String, String, String, Option<i64>);

/// Inserts a token for staff member `staff_id` inside the caller's transaction; returns
/// the token's id.
pub async fn insert(
    conn: &mut AnyConnection,
    staff_id: i64,
    token_hash: &str,
    name: &str,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (staff_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(staff_id)
    .bind(token_hash)
    .bind(name)
    .bind(created_at)
    .fetch_one(&mut *conn)
    .await
}

/// The active staff member whose unrevoked token hashes to `token_hash`.
pub async fn staff_of(db: &Db, token_hash: &str) -> Result<Option<TokenStaffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.email, s.initials, s.role, s.branch_id FROM api_tokens t JOIN staff s ON s.id = t.staff_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND s.active = 1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

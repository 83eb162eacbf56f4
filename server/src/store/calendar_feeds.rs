//! Per-person secret calendar feeds, stored only as SHA-256 hashes of the secret. At most
//! one live (unrevoked) feed per person: index calendar_feeds_live.

use sqlx::AnyConnection;

use crate::store::db::Db;

/// The live feed whose secret hashes to `secret_hash`, with its active owner: the feed's
/// `(id, last_used_at)`, then the account's `(id, email, initials, role, branch_id)`
/// (index on calendar_feeds.secret_hash).
pub type FeedOwnerRow = (
    i64,
    Option<String>,
    i64,
    String,
    String,
    String,
    Option<i64>,
);

/// Inserts a live feed for staff member `staff_id` inside the caller's transaction (after
/// [`revoke_all_of`]: one live feed each); returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    staff_id: i64,
    secret_hash: &str,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO calendar_feeds (staff_id, secret_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(staff_id)
    .bind(secret_hash)
    .bind(created_at)
    .fetch_one(&mut *conn)
    .await
}

/// Revokes the live feed of staff member `staff_id` `at` inside the caller's transaction
/// (index calendar_feeds_live); the revoked feed's id, if there was one.
pub async fn revoke_all_of(
    conn: &mut AnyConnection,
    staff_id: i64,
    at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE calendar_feeds SET revoked_at = $1 \
         WHERE staff_id = $2 AND revoked_at IS NULL RETURNING id",
    )
    .bind(at)
    .bind(staff_id)
    .fetch_optional(&mut *conn)
    .await
}

/// The live feed of staff member `staff_id`: `(id, created_at, last_used_at)` (index
/// calendar_feeds_live).
pub async fn live_of(
    db: &Db,
    staff_id: i64,
) -> Result<Option<(i64, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, created_at, last_used_at FROM calendar_feeds \
         WHERE staff_id = $1 AND revoked_at IS NULL",
    )
    .bind(staff_id)
    .fetch_optional(&db.pool)
    .await
}

/// The live feed hashing to `secret_hash` and its owner, when the account is active.
pub async fn owner_of(db: &Db, secret_hash: &str) -> Result<Option<FeedOwnerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.last_used_at, s.id, s.email, s.initials, s.role, s.branch_id \
         FROM calendar_feeds f JOIN staff s ON s.id = f.staff_id \
         WHERE f.secret_hash = $1 AND f.revoked_at IS NULL AND s.active = 1",
    )
    .bind(secret_hash)
    .fetch_optional(&db.pool)
    .await
}

/// Records that feed `id` was read `at`, inside the caller's transaction.
pub async fn touch(conn: &mut AnyConnection, id: i64, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE calendar_feeds SET last_used_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

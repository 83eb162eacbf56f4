//! The second factor of local accounts: each account's TOTP secret and the last time step a
//! code was accepted for, and its one-time recovery codes (SHA-256 hashes only).

use sqlx::AnyConnection;

use crate::store::db::Db;

/// The TOTP secret (base32) of account `staff_id`; `None` when it has not enrolled.
pub async fn secret(db: &Db, staff_id: i64) -> Result<Option<String>, sqlx::Error> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT totp_secret FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(found.flatten())
}

/// Enrols account `staff_id` with `secret`, its first code accepted at `step`, and replaces
/// its recovery codes with `code_hashes` (inside the caller's transaction).
pub async fn enrol(
    conn: &mut AnyConnection,
    staff_id: i64,
    secret: &str,
    step: i64,
    code_hashes: &[String],
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
        .bind(secret)
        .bind(step)
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    replace_codes(conn, staff_id, code_hashes, at).await
}

/// Replaces the recovery codes of account `staff_id` (the old ones stop working).
pub async fn replace_codes(
    conn: &mut AnyConnection,
    staff_id: i64,
    code_hashes: &[String],
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    for hash in code_hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (staff_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(staff_id)
        .bind(hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Accepts a code of time step `step` for account `staff_id` if no code of that step or a
/// later one was accepted before: one statement, so two sign-ins racing with the same code
/// cannot both pass (RFC 6238 §5.2). Whether it was accepted.
pub async fn accept_step(db: &Db, staff_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE staff SET totp_last_step = $1 WHERE id = $2 AND totp_secret IS NOT NULL \
         AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(staff_id)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Spends the unused recovery code with `code_hash` of account `staff_id` (inside the
/// caller's transaction); whether there was one.
pub async fn spend_code(
    conn: &mut AnyConnection,
    staff_id: i64,
    code_hash: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE staff_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(at)
    .bind(staff_id)
    .bind(code_hash)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() >= 1)
}

/// How many unused recovery codes account `staff_id` has.
pub async fn codes_left(db: &Db, staff_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM recovery_codes WHERE staff_id = $1 AND used_at IS NULL",
    )
    .bind(staff_id)
    .fetch_one(&db.pool)
    .await
}

/// Removes the second factor of account `staff_id` (inside the caller's transaction): it
/// enrols again at its next sign-in.
pub async fn remove(conn: &mut AnyConnection, staff_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1")
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

//! An SQLite database's consistent copy, and the copy's check.

use sqlx::AnyConnection;

use crate::store::db::Db;

/// Writes a copy of the SQLite database to the new file `target` (`VACUUM INTO` reads one
/// snapshot while the server keeps serving).
pub async fn vacuum_into(db: &Db, target: &str) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// SQLite's integrity check of the database on `conn`: `ok`, or what is wrong.
pub async fn integrity_check(conn: &mut AnyConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut *conn)
        .await
}

/// The newest migration applied to the database on `conn`; `None` when it has no migration
/// table (it is not a Re-engage database).
pub async fn latest_migration(conn: &mut AnyConnection) -> Result<Option<i64>, sqlx::Error> {
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if tables == 0 {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut *conn)
        .await
}

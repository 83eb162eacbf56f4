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

//! Branches (offices) and their closure days (docs/rules.md, Business days).

use chrono::NaiveDate;
use sqlx::AnyConnection;

use super::codes::day;
use crate::store::db::Db;

/// A branch's closure days (primary key branch_id, on_date).
pub const CLOSURES_SQL: &str =
    "SELECT on_date, name FROM office_closures WHERE branch_id = $1 ORDER BY on_date";

/// Whether branch `id` exists (primary key).
pub async fn exists(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM branches WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// A closure day of branch `branch_id`; one already on file is a unique violation.
pub async fn insert_closure(
    conn: &mut AnyConnection,
    branch_id: i64,
    on: NaiveDate,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO office_closures (branch_id, on_date, name) VALUES ($1, $2, $3)")
        .bind(branch_id)
        .bind(day(on))
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// [`CLOSURES_SQL`]: the branch's closure days as stored, `(day, name)`, in date order.
pub async fn closures(db: &Db, branch_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(CLOSURES_SQL)
        .bind(branch_id)
        .fetch_all(&db.pool)
        .await
}

/// The branch's mail pickup time as stored (`HH:MM`), `None` for no branch `id` (primary key).
pub async fn mail_pickup(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT mail_pickup FROM branches WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Sets the branch's mail pickup time (`HH:MM`, or none) by primary key.
pub async fn set_mail_pickup(
    conn: &mut AnyConnection,
    id: i64,
    at: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE branches SET mail_pickup = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A branch as its admin page reads it: id, name, address, phone, time zone, mail pickup.
pub type OfficeRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

const OFFICE_COLUMNS: &str = "id, name, address, phone, time_zone, mail_pickup";

/// Every branch by name (a handful: no index needed beyond the table's few rows).
pub async fn offices(db: &Db) -> Result<Vec<OfficeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {OFFICE_COLUMNS} FROM branches ORDER BY name, id"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Every branch's id (a handful of rows).
pub async fn ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM branches ORDER BY id")
        .fetch_all(&db.pool)
        .await
}

/// Branch `id` (primary key).
pub async fn office(conn: &mut AnyConnection, id: i64) -> Result<Option<OfficeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {OFFICE_COLUMNS} FROM branches WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// A new branch with `row`'s name, address, phone, time zone and mail pickup (its id is
/// ignored); returns the new id. A name another branch has is a unique violation.
pub async fn insert_office(conn: &mut AnyConnection, row: &OfficeRow) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO branches (name, address, phone, time_zone, mail_pickup) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&row.1)
    .bind(&row.2)
    .bind(&row.3)
    .bind(&row.4)
    .bind(&row.5)
    .fetch_one(&mut *conn)
    .await
}

/// Writes branch `id`'s name, address, phone, time zone and mail pickup (primary key); a name
/// another branch has is a unique violation.
pub async fn set_office(conn: &mut AnyConnection, row: &OfficeRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE branches SET name = $1, address = $2, phone = $3, time_zone = $4, mail_pickup = $5 \
         WHERE id = $6",
    )
    .bind(&row.1)
    .bind(&row.2)
    .bind(&row.3)
    .bind(&row.4)
    .bind(&row.5)
    .bind(row.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes the closure day `on` of branch `branch_id`; whether there was one (primary key).
pub async fn delete_closure(
    conn: &mut AnyConnection,
    branch_id: i64,
    on: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM office_closures WHERE branch_id = $1 AND on_date = $2")
        .bind(branch_id)
        .bind(day(on))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

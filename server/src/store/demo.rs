//! The demo and scale loaders' own statements: the fictional branches, the demo accounts'
//! contact details, and participants inserted as they are (their episodes then go through
//! the services like real work).

use sqlx::AnyConnection;

use crate::store::db::Db;

/// A fictional participant, as inserted.
#[derive(Debug, Clone, Copy)]
pub struct NewParticipant<'a> {
    pub case_number: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub display_name: &'a str,
    pub phone: &'a str,
    pub phone_in_service: bool,
    pub email: &'a str,
    pub address: &'a str,
    pub coach_id: i64,
    pub contractor_id: Option<i64>,
    /// As stored.
    pub created_at: &'a str,
    /// The notice language code (`en`, `es`).
    pub language: &'a str,
}

/// How many participants there are.
pub async fn participant_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM participants")
        .fetch_one(&db.pool)
        .await
}

/// How many staff accounts the database holds (the demo loads only where there are none).
pub async fn staff_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM staff")
        .fetch_one(&db.pool)
        .await
}

/// Whether this database is the demo's: its family coach's account is there (by its unique
/// e-mail, on the index).
pub async fn is_demo(db: &Db) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM staff WHERE email = 'coach@demo.test'")
        .fetch_one(&db.pool)
        .await
        .map(|n| n > 0)
}

/// Sets the address and phone of the branch named `branch`.
pub async fn set_branch_contact(
    db: &Db,
    branch: &str,
    address: &str,
    phone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE branches SET address = $1, phone = $2 WHERE name = $3")
        .bind(address)
        .bind(phone)
        .bind(branch)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Sets the phone of the demo's family coach (coach@demo.test).
pub async fn set_coach_phone(db: &Db, phone: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET phone = $1 WHERE email = 'coach@demo.test'")
        .bind(phone)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// The demo's family coach (coach@demo.test).
pub async fn coach_id(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM staff WHERE email = 'coach@demo.test'")
        .fetch_one(&db.pool)
        .await
}

/// The demo's JOBS contractor (contractor@demo.test).
pub async fn contractor_id(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM staff WHERE email = 'contractor@demo.test'")
        .fetch_one(&db.pool)
        .await
}

/// The demo account with `email`; an error if there is none.
pub async fn staff_id(db: &Db, email: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM staff WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
}

/// Inserts a participant of the branch named `branch`; returns its id.
pub async fn insert_participant_of_branch_named(
    db: &Db,
    branch: &str,
    new: NewParticipant<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, phone, \
         phone_in_service, email, address, coach_id, contractor_id, created_at, language, name_key) \
         VALUES ((SELECT id FROM branches WHERE name = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         lower($4 || ' ' || $3)) \
         RETURNING id",
    )
    .bind(branch)
    .bind(new.case_number)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.display_name)
    .bind(new.phone)
    .bind(i64::from(new.phone_in_service))
    .bind(new.email)
    .bind(new.address)
    .bind(new.coach_id)
    .bind(new.contractor_id)
    .bind(new.created_at)
    .bind(new.language)
    .fetch_one(&db.pool)
    .await
}

/// Inserts a fictional branch inside the caller's transaction; returns its id.
pub async fn insert_branch(
    conn: &mut AnyConnection,
    name: &str,
    time_zone: &str,
    address: &str,
    phone: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO branches (name, time_zone, address, phone) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(time_zone)
    .bind(address)
    .bind(phone)
    .fetch_one(&mut *conn)
    .await
}

/// Inserts a participant of branch `branch_id` inside the caller's transaction; returns its
/// id.
pub async fn insert_participant(
    conn: &mut AnyConnection,
    branch_id: i64,
    new: NewParticipant<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, phone, \
         phone_in_service, email, address, coach_id, contractor_id, created_at, language, name_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, lower($4 || ' ' || $3)) RETURNING id",
    )
    .bind(branch_id)
    .bind(new.case_number)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.display_name)
    .bind(new.phone)
    .bind(i64::from(new.phone_in_service))
    .bind(new.email)
    .bind(new.address)
    .bind(new.coach_id)
    .bind(new.contractor_id)
    .bind(new.created_at)
    .bind(new.language)
    .fetch_one(&mut *conn)
    .await
}

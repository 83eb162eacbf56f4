//! Participants and what their file holds: PDP steps, exemption periods (R23) and MCS 3010
//! releases (R19).

use chrono::{NaiveDate, NaiveTime};
use sqlx::AnyConnection;

use super::codes::{day, time};
use crate::store::db::Db;

/// A participant's PDP steps (index pdp_steps_participant).
pub const PDP_STEPS_SQL: &str = "SELECT code, starts_on, ends_on, scheduled_time, attendance_hours FROM pdp_steps \
         WHERE participant_id = $1 ORDER BY starts_on, id";

/// A participant's exemption periods (index exemptions_participant).
pub const EXEMPTIONS_SQL: &str =
    "SELECT from_on, to_on, reason FROM exemptions WHERE participant_id = $1 ORDER BY from_on, id";

/// A participant's MCS 3010 releases (index releases_participant).
pub const RELEASES_SQL: &str = "SELECT partner, signed_on, expires_on FROM releases WHERE participant_id = $1 ORDER BY partner, id";

/// A participant's row: id, branch, case number, first, last and display names, phone,
/// phone in service (0/1), email, address, address verified (0/1), coach, contractor, notice
/// language, the contractor referral's last day.
pub type ParticipantRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    Option<String>,
);

/// A PDP step as stored: code, first and last day, time, attendance hours.
pub type StepRow = (String, String, Option<String>, Option<String>, Option<f64>);

/// An exemption period as stored: first and last day, reason.
pub type ExemptionRow = (String, Option<String>, Option<String>);

/// A release as stored: partner, signed, expires.
pub type ReleaseRow = (String, String, Option<String>);

/// A new participant's row; its names as they are to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewRow<'a> {
    pub branch_id: i64,
    pub case_number: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub display_name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
    pub coach_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub language: &'a str,
}

/// Writes a new participant, created `at`; returns the id. A case number already on file is
/// a unique violation, a branch or coach that does not exist a foreign-key violation.
pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewRow<'_>,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, phone, \
         email, address, coach_id, contractor_id, created_at, language, name_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, lower($4 || ' ' || $3)) RETURNING id",
    )
    .bind(new.branch_id)
    .bind(new.case_number)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.display_name)
    .bind(new.phone)
    .bind(new.email)
    .bind(new.address)
    .bind(new.coach_id)
    .bind(new.contractor_id)
    .bind(at)
    .bind(new.language)
    .fetch_one(&mut *conn)
    .await
}

/// Participant `id`'s notice language, for the update below (primary key).
pub async fn language_of(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT language FROM participants WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Sets participant `id`'s notice language (primary key).
pub async fn set_language(
    conn: &mut AnyConnection,
    id: i64,
    language: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Whether participant `id` exists (primary key).
pub async fn exists(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM participants WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// Participant `id`'s branch, coach and display name (primary key).
pub async fn branch_coach_name(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(i64, Option<i64>, String)>, sqlx::Error> {
    sqlx::query_as("SELECT branch_id, coach_id, display_name FROM participants WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Participant `id`'s row (primary key).
pub async fn row(db: &Db, id: i64) -> Result<Option<ParticipantRow>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    row_in(&mut conn, id).await
}

/// [`row`] on the caller's connection (inside a write).
pub async fn row_in(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, branch_id, case_number, first_name, last_name, display_name, phone, phone_in_service, \
         email, address, address_verified, coach_id, contractor_id, language, contractor_until \
         FROM participants WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// [`PDP_STEPS_SQL`]: the participant's PDP steps in order of their first day.
pub async fn pdp_steps(db: &Db, participant_id: i64) -> Result<Vec<StepRow>, sqlx::Error> {
    sqlx::query_as(PDP_STEPS_SQL)
        .bind(participant_id)
        .fetch_all(&db.pool)
        .await
}

/// [`EXEMPTIONS_SQL`]: the participant's exemption periods in order of their first day.
pub async fn exemptions(db: &Db, participant_id: i64) -> Result<Vec<ExemptionRow>, sqlx::Error> {
    sqlx::query_as(EXEMPTIONS_SQL)
        .bind(participant_id)
        .fetch_all(&db.pool)
        .await
}

/// [`RELEASES_SQL`]: the participant's releases by partner.
pub async fn releases(db: &Db, participant_id: i64) -> Result<Vec<ReleaseRow>, sqlx::Error> {
    sqlx::query_as(RELEASES_SQL)
        .bind(participant_id)
        .fetch_all(&db.pool)
        .await
}

/// A PDP step of participant `participant_id`, its `code` as stored, created `at`.
#[allow(clippy::too_many_arguments)]
pub async fn insert_pdp_step(
    conn: &mut AnyConnection,
    participant_id: i64,
    code: &str,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    scheduled_time: Option<NaiveTime>,
    attendance_hours: Option<f64>,
    at: &str,
) -> Result<(), sqlx::Error> {
    // The hours travel as text: sqlx's `Any` sends a NULL double as a 4-byte float,
    // and PostgreSQL then refuses the next 8-byte double bound to the statement it
    // prepared for it on that connection ("incorrect binary data format").
    sqlx::query(
        "INSERT INTO pdp_steps (participant_id, code, starts_on, ends_on, scheduled_time, \
         attendance_hours, created_at) \
         VALUES ($1, $2, $3, $4, $5, CAST($6 AS DOUBLE PRECISION), $7)",
    )
    .bind(participant_id)
    .bind(code)
    .bind(day(starts_on))
    .bind(ends_on.map(day))
    .bind(scheduled_time.map(time))
    .bind(attendance_hours.map(|hours| hours.to_string()))
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// R27: whether the participant's PDP already shows an RE step starting on `on` (index
/// pdp_steps_participant).
pub async fn re_step_on_file(
    conn: &mut AnyConnection,
    participant_id: i64,
    on: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let on_file: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM pdp_steps WHERE participant_id = $1 AND starts_on = $2 AND code = 'RE'",
    )
    .bind(participant_id)
    .bind(day(on))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(on_file.is_some())
}

/// R23: an exemption period of participant `participant_id`.
pub async fn insert_exemption(
    conn: &mut AnyConnection,
    participant_id: i64,
    from: NaiveDate,
    to: Option<NaiveDate>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO exemptions (participant_id, from_on, to_on, reason) VALUES ($1, $2, $3, $4)",
    )
    .bind(participant_id)
    .bind(day(from))
    .bind(to.map(day))
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// R19: an MCS 3010 release of participant `participant_id` for `partner`.
pub async fn insert_release(
    conn: &mut AnyConnection,
    participant_id: i64,
    partner: &str,
    signed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO releases (participant_id, partner, signed_on, expires_on) VALUES ($1, $2, $3, $4)",
    )
    .bind(participant_id)
    .bind(partner)
    .bind(day(signed_on))
    .bind(expires_on.map(day))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A participant's record as an edit writes it: names, contact details, coach, contractor
/// referral and its last day, notice language.
#[derive(Debug, Clone, Copy)]
pub struct ChangeRow<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub display_name: &'a str,
    pub phone: Option<&'a str>,
    pub phone_in_service: bool,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
    pub address_verified: bool,
    pub coach_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub contractor_until: Option<&'a str>,
    pub language: &'a str,
}

/// Writes participant `id`'s record (primary key); the name key follows the names. A coach
/// or contractor that does not exist is a foreign-key violation.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    change: &ChangeRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE participants SET first_name = $1, last_name = $2, display_name = $3, phone = $4, \
         phone_in_service = $5, email = $6, address = $7, address_verified = $8, coach_id = $9, \
         contractor_id = $10, contractor_until = $11, language = $12, name_key = lower($2 || ' ' || $1) \
         WHERE id = $13",
    )
    .bind(change.first_name)
    .bind(change.last_name)
    .bind(change.display_name)
    .bind(change.phone)
    .bind(i64::from(change.phone_in_service))
    .bind(change.email)
    .bind(change.address)
    .bind(i64::from(change.address_verified))
    .bind(change.coach_id)
    .bind(change.contractor_id)
    .bind(change.contractor_until)
    .bind(change.language)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// A participant found by a search: id, display name, case number, coach's name.
pub type FoundRow = (i64, String, String, Option<String>);

/// The participant of branch `$1` with case number `$2` (unique index on case_number).
pub const BY_CASE_NUMBER_SQL: &str = "SELECT p.id, p.display_name, p.case_number, s.name FROM participants p \
     LEFT JOIN staff s ON s.id = p.coach_id WHERE p.case_number = $2 AND p.branch_id = $1";

/// The participants of branch `$1` whose name key ("last first", lower case) starts with
/// `lower($2)`: the range from it to `lower($2)` followed by the last character there is, by
/// name (index participants_name_key), at most `$3`.
pub const BY_NAME_SQL: &str = "SELECT p.id, p.display_name, p.case_number, s.name FROM participants p \
     LEFT JOIN staff s ON s.id = p.coach_id \
     WHERE p.branch_id = $1 AND p.name_key >= lower($2) AND p.name_key < lower($2) || $4 \
     ORDER BY p.name_key, p.id LIMIT $3";

/// The highest character there is, which ends a prefix's range of keys.
pub const LAST_CHAR: &str = "\u{10FFFF}";

/// [`BY_CASE_NUMBER_SQL`].
pub async fn by_case_number(
    db: &Db,
    branch_id: i64,
    case_number: &str,
) -> Result<Vec<FoundRow>, sqlx::Error> {
    sqlx::query_as(BY_CASE_NUMBER_SQL)
        .bind(branch_id)
        .bind(case_number)
        .fetch_all(&db.pool)
        .await
}

/// [`BY_NAME_SQL`].
pub async fn by_name(
    db: &Db,
    branch_id: i64,
    prefix: &str,
    limit: i64,
) -> Result<Vec<FoundRow>, sqlx::Error> {
    sqlx::query_as(BY_NAME_SQL)
        .bind(branch_id)
        .bind(prefix)
        .bind(limit)
        .bind(LAST_CHAR)
        .fetch_all(&db.pool)
        .await
}

/// The participants whose coach is `coach_id`, with their branch (index participants_coach).
pub async fn of_coach(conn: &mut AnyConnection, coach_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM participants WHERE coach_id = $1 ORDER BY id")
        .bind(coach_id)
        .fetch_all(&mut *conn)
        .await
}

/// Gives participant `id` the coach `coach_id`, and their open episode with it (its version
/// raised, so no copy of the record kept anywhere is taken for the stored one): primary key,
/// and the partial unique index episodes_one_open.
pub async fn set_coach(
    conn: &mut AnyConnection,
    id: i64,
    coach_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET coach_id = $1 WHERE id = $2")
        .bind(coach_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE episodes SET coach_id = $1, version = version + 1 WHERE participant_id = $2 AND closed = 0",
    )
    .bind(coach_id)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// The contractor referrals whose last day is before `today` (`YYYY-MM-DD`): participant,
/// contractor, last day (partial index participants_referral_end).
pub async fn ended_referrals(
    conn: &mut AnyConnection,
    today: &str,
) -> Result<Vec<(i64, Option<i64>, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, contractor_id, contractor_until FROM participants \
         WHERE contractor_until IS NOT NULL AND contractor_until < $1 ORDER BY id",
    )
    .bind(today)
    .fetch_all(&mut *conn)
    .await
}

/// Ends participant `id`'s contractor referral: no contractor, no last day (primary key).
pub async fn end_referral(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE participants SET contractor_id = NULL, contractor_until = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

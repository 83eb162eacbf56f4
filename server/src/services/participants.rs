//! Participants and what the rules read about them: PDP steps, exemptions (R23) and MCS 3010
//! releases (R19). Every write is audited.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Actor, ServiceError};
use crate::db::{self, Backend, Db};
use crate::store::audit::{self, Entry};
use crate::store::codes::{day, instant, parse_day, parse_optional_day, time};
use sqlx::AnyConnection;

/// A participant's PDP steps (index pdp_steps_participant).
pub const PDP_STEPS_SQL: &str = "SELECT code, starts_on, ends_on, scheduled_time, attendance_hours FROM pdp_steps \
         WHERE participant_id = $1 ORDER BY starts_on, id";

/// A participant's exemption periods (index exemptions_participant).
pub const EXEMPTIONS_SQL: &str =
    "SELECT from_on, to_on, reason FROM exemptions WHERE participant_id = $1 ORDER BY from_on, id";

/// A participant's MCS 3010 releases (index releases_participant).
pub const RELEASES_SQL: &str = "SELECT partner, signed_on, expires_on FROM releases WHERE participant_id = $1 ORDER BY partner, id";

/// A new participant.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewParticipant {
    pub branch_id: i64,
    pub case_number: String,
    pub first_name: String,
    pub last_name: String,
    /// How next actions and narratives name them, e.g. "Ms. Smith"; defaults to the full name.
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub coach_id: Option<i64>,
    /// The JOBS contractor the participant is referred to; it sees only what a contractor may.
    #[serde(default)]
    pub contractor_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Participant {
    pub id: i64,
    pub branch_id: i64,
    pub case_number: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub phone_in_service: bool,
    pub email: Option<String>,
    /// Department staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub address_verified: bool,
    pub coach_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub pdp_steps: Vec<PdpStep>,
    pub exemptions: Vec<ExemptionPeriod>,
    pub releases: Vec<ReleaseOnFile>,
}

/// A step of the Personal Development Plan (SW, WE, JO, PE, RE…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PdpStep {
    pub code: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub scheduled_time: Option<NaiveTime>,
    pub attendance_hours: Option<f64>,
}

/// R23: an exemption period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExemptionPeriod {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub reason: Option<String>,
}

/// R19: an MCS 3010 release on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseOnFile {
    pub partner: String,
    pub signed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

fn required(value: &str, what: &str) -> Result<String, ServiceError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ServiceError::Invalid(format!("Enter the {what}.")));
    }
    Ok(value.to_owned())
}

fn unique(error: sqlx::Error, message: String) -> ServiceError {
    match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => ServiceError::Invalid(message),
        sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
            ServiceError::Invalid("The branch or coach named does not exist.".into())
        }
        other => other.into(),
    }
}

/// Creates a participant; returns the id.
pub async fn create(
    db: &Db,
    actor: &Actor,
    new: NewParticipant,
    now: DateTime<Utc>,
) -> Result<i64, ServiceError> {
    let case_number = required(&new.case_number, "case number")?;
    let first = required(&new.first_name, "first name")?;
    let last = required(&new.last_name, "last name")?;
    let display = new
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(|| format!("{first} {last}"), str::to_owned);
    let mut tx = db::begin_write(db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, phone, \
         email, address, coach_id, contractor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(new.branch_id)
    .bind(&case_number)
    .bind(&first)
    .bind(&last)
    .bind(&display)
    .bind(new.phone.as_deref())
    .bind(new.email.as_deref())
    .bind(new.address.as_deref())
    .bind(new.coach_id)
    .bind(new.contractor_id)
    .bind(instant(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| unique(e, format!("Case number {case_number} is already on file.")))?;
    let entry = Entry::at(
        now,
        &actor.email,
        &actor.role,
        "participant.created",
        "participant",
        &id.to_string(),
    )
    .with_values(
        None,
        Some(json!({ "case_number": case_number, "branch_id": new.branch_id }).to_string()),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// What can be added to a participant's file.
#[derive(Debug, Clone)]
pub enum Addition {
    PdpStep(PdpStep),
    Exemption(ExemptionPeriod),
    Release(ReleaseOnFile),
}

/// Adds a PDP step, an exemption or a release to participant `id`.
pub async fn add(
    db: &Db,
    actor: &Actor,
    id: i64,
    addition: Addition,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let mut tx = db::begin_write(db).await?;
    add_in(&mut tx, db.backend, actor, id, addition, now).await?;
    tx.commit().await?;
    Ok(())
}

/// [`add`] inside the caller's write transaction (a form whose changes stand or fall
/// together); nothing is committed until the caller commits.
pub async fn add_in(
    conn: &mut AnyConnection,
    backend: Backend,
    actor: &Actor,
    id: i64,
    addition: Addition,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM participants WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    exists.ok_or_else(|| ServiceError::NotFound(format!("participant {id}")))?;
    let at = instant(now);
    let (action, after) = match &addition {
        Addition::PdpStep(step) => {
            let code = required(&step.code, "PDP step code (SW, WE, JO, PE, RE…)")?.to_uppercase();
            if step.ends_on.is_some_and(|end| end < step.starts_on) {
                return Err(ServiceError::Invalid(
                    "The step ends before it starts.".into(),
                ));
            }
            // The hours travel as text: sqlx's `Any` sends a NULL double as a 4-byte float,
            // and PostgreSQL then refuses the next 8-byte double bound to the statement it
            // prepared for it on that connection ("incorrect binary data format").
            sqlx::query(
                "INSERT INTO pdp_steps (participant_id, code, starts_on, ends_on, scheduled_time, \
                 attendance_hours, created_at) \
                 VALUES ($1, $2, $3, $4, $5, CAST($6 AS DOUBLE PRECISION), $7)",
            )
            .bind(id)
            .bind(&code)
            .bind(day(step.starts_on))
            .bind(step.ends_on.map(day))
            .bind(step.scheduled_time.map(time))
            .bind(step.attendance_hours.map(|hours| hours.to_string()))
            .bind(&at)
            .execute(&mut *conn)
            .await?;
            ("pdp_step.added", json!(step))
        }
        Addition::Exemption(period) => {
            if period.to.is_some_and(|to| to < period.from) {
                return Err(ServiceError::Invalid(
                    "The exemption ends before it starts.".into(),
                ));
            }
            sqlx::query("INSERT INTO exemptions (participant_id, from_on, to_on, reason) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(day(period.from))
                .bind(period.to.map(day))
                .bind(period.reason.as_deref())
                .execute(&mut *conn)
                .await?;
            ("exemption.added", json!(period))
        }
        Addition::Release(release) => {
            let partner = required(&release.partner, "partner's name")?;
            if release
                .expires_on
                .is_some_and(|end| end < release.signed_on)
            {
                return Err(ServiceError::Invalid(
                    "The release expires before it was signed.".into(),
                ));
            }
            sqlx::query(
                "INSERT INTO releases (participant_id, partner, signed_on, expires_on) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(&partner)
            .bind(day(release.signed_on))
            .bind(release.expires_on.map(day))
            .execute(&mut *conn)
            .await?;
            ("release.added", json!(release))
        }
    };
    let entry = Entry::at(
        now,
        &actor.email,
        &actor.role,
        action,
        "participant",
        &id.to_string(),
    )
    .with_values(None, Some(after.to_string()));
    audit::append(conn, backend, &entry).await?;
    Ok(())
}

type ParticipantRow = (
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
);

type StepRow = (String, String, Option<String>, Option<String>, Option<f64>);

/// Participant `id` with their PDP steps, exemptions and releases.
pub async fn get(db: &Db, id: i64) -> Result<Participant, ServiceError> {
    let row: Option<ParticipantRow> = sqlx::query_as(
        "SELECT id, branch_id, case_number, first_name, last_name, display_name, phone, phone_in_service, \
         email, address, address_verified, coach_id, contractor_id FROM participants WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let (
        id,
        branch_id,
        case_number,
        first_name,
        last_name,
        display_name,
        phone,
        in_service,
        email,
        address,
        verified,
        coach_id,
        contractor_id,
    ) = row.ok_or_else(|| ServiceError::NotFound(format!("participant {id}")))?;
    let steps: Vec<StepRow> = sqlx::query_as(PDP_STEPS_SQL)
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    let mut pdp_steps = Vec::new();
    for (code, starts, ends, at, hours) in steps {
        pdp_steps.push(PdpStep {
            code,
            starts_on: parse_day("pdp_steps.starts_on", &starts)?,
            ends_on: parse_optional_day("pdp_steps.ends_on", ends)?,
            scheduled_time: crate::store::codes::parse_optional_time(
                "pdp_steps.scheduled_time",
                at,
            )?,
            attendance_hours: hours,
        });
    }
    let periods: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(EXEMPTIONS_SQL)
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    let mut exemptions = Vec::new();
    for (from, to, reason) in periods {
        exemptions.push(ExemptionPeriod {
            from: parse_day("exemptions.from_on", &from)?,
            to: parse_optional_day("exemptions.to_on", to)?,
            reason,
        });
    }
    let files: Vec<(String, String, Option<String>)> = sqlx::query_as(RELEASES_SQL)
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    let mut releases = Vec::new();
    for (partner, signed, expires) in files {
        releases.push(ReleaseOnFile {
            partner,
            signed_on: parse_day("releases.signed_on", &signed)?,
            expires_on: parse_optional_day("releases.expires_on", expires)?,
        });
    }
    Ok(Participant {
        id,
        branch_id,
        case_number,
        first_name,
        last_name,
        display_name,
        phone,
        phone_in_service: in_service != 0,
        email,
        address,
        address_verified: verified != 0,
        coach_id,
        contractor_id,
        pdp_steps,
        exemptions,
        releases,
    })
}

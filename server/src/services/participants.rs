//! Participants and what the rules read about them: PDP steps, exemptions (R23) and MCS 3010
//! releases (R19). Every write is audited.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Actor, ServiceError};
use crate::store::audit;
use crate::store::codes::{instant, parse_day, parse_optional_day};
use crate::store::db::{self, Backend, Db};
use crate::store::participants as stored;
use sqlx::AnyConnection;

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
    /// The language they read, as an ISO 639-1 code of a notice language (`en`, `es`): their
    /// DHS 7869 notice is printed in it. English when not given.
    #[serde(default)]
    pub language: Option<String>,
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
    /// The notice language they read (`en`, `es`).
    pub language: String,
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

/// The notice language `code` names (English when none is given), or what to choose instead.
pub fn notice_language(code: Option<&str>) -> Result<&'static str, ServiceError> {
    use reengage_app::notice_text;
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    match code {
        None => Ok(notice_text::ENGLISH),
        Some(code) => notice_text::language(&code.to_lowercase())
            .map(|text| text.code)
            .ok_or_else(|| {
                let known = notice_text::languages()
                    .iter()
                    .map(|text| format!("{} ({})", text.code, text.name_in_english()))
                    .collect::<Vec<_>>()
                    .join(", ");
                ServiceError::Invalid(format!(
                    "The notice is not printed in \"{code}\"; choose one of {known}."
                ))
            }),
    }
}

fn unique(error: sqlx::Error, message: String) -> ServiceError {
    match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => ServiceError::Duplicate(message),
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
    let language = notice_language(new.language.as_deref())?;
    let mut tx = db::begin_write(db).await?;
    let row = stored::NewRow {
        branch_id: new.branch_id,
        case_number: &case_number,
        first_name: &first,
        last_name: &last,
        display_name: &display,
        phone: new.phone.as_deref(),
        email: new.email.as_deref(),
        address: new.address.as_deref(),
        coach_id: new.coach_id,
        contractor_id: new.contractor_id,
        language,
    };
    let id = stored::insert(&mut tx, &row, &instant(now))
        .await
        .map_err(|e| unique(e, format!("Case number {case_number} is already on file.")))?;
    let entry = actor
        .entry(now, "participant.created", "participant", id)
        .with_values(
        None,
        Some(
            json!({ "case_number": case_number, "branch_id": new.branch_id, "language": language })
                .to_string(),
        ),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The language a participant reads, as `POST /participants/{id}/language` takes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LanguageChoice {
    /// An ISO 639-1 code of a notice language: `en`, `es`.
    pub language: String,
}

/// Sets the language participant `id` reads (their DHS 7869 notice is printed in it),
/// audited with the language it replaces.
pub async fn set_language(
    db: &Db,
    actor: &Actor,
    id: i64,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if code.trim().is_empty() {
        return Err(ServiceError::Invalid(
            "Choose the language the participant reads, for example en or es.".into(),
        ));
    }
    let language = notice_language(Some(code))?;
    let mut tx = db::begin_write(db).await?;
    let before = stored::language_of(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("participant {id}")))?;
    stored::set_language(&mut tx, id, language).await?;
    let entry = actor
        .entry(now, "participant.language_set", "participant", id)
        .with_values(
            Some(json!({ "language": before }).to_string()),
            Some(json!({ "language": language }).to_string()),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
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
    if !stored::exists(conn, id).await? {
        return Err(ServiceError::NotFound(format!("participant {id}")));
    }
    let at = instant(now);
    let (action, after) = match &addition {
        Addition::PdpStep(step) => {
            let code = required(&step.code, "PDP step code (SW, WE, JO, PE, RE…)")?.to_uppercase();
            if step.ends_on.is_some_and(|end| end < step.starts_on) {
                return Err(ServiceError::Invalid(
                    "The step ends before it starts.".into(),
                ));
            }
            stored::insert_pdp_step(
                conn,
                id,
                &code,
                step.starts_on,
                step.ends_on,
                step.scheduled_time,
                step.attendance_hours,
                &at,
            )
            .await?;
            ("pdp_step.added", json!(step))
        }
        Addition::Exemption(period) => {
            if period.to.is_some_and(|to| to < period.from) {
                return Err(ServiceError::Invalid(
                    "The exemption ends before it starts.".into(),
                ));
            }
            stored::insert_exemption(conn, id, period.from, period.to, period.reason.as_deref())
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
            stored::insert_release(conn, id, &partner, release.signed_on, release.expires_on)
                .await?;
            ("release.added", json!(release))
        }
    };
    let entry = actor
        .entry(now, action, "participant", id)
        .with_values(None, Some(after.to_string()));
    audit::append(conn, backend, &entry).await?;
    Ok(())
}

/// Participant `id` with their PDP steps, exemptions and releases.
pub async fn get(db: &Db, id: i64) -> Result<Participant, ServiceError> {
    let row = stored::row(db, id).await?;
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
        language,
    ) = row.ok_or_else(|| ServiceError::NotFound(format!("participant {id}")))?;
    let steps = stored::pdp_steps(db, id).await?;
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
    let periods = stored::exemptions(db, id).await?;
    let mut exemptions = Vec::new();
    for (from, to, reason) in periods {
        exemptions.push(ExemptionPeriod {
            from: parse_day("exemptions.from_on", &from)?,
            to: parse_optional_day("exemptions.to_on", to)?,
            reason,
        });
    }
    let files = stored::releases(db, id).await?;
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
        language,
        pdp_steps,
        exemptions,
        releases,
    })
}

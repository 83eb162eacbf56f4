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
    /// The last day of the contractor referral, if it has an end: the day after, the referral
    /// ends and the contractor no longer reaches the participant.
    pub contractor_until: Option<NaiveDate>,
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
        contractor_until,
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
        contractor_until: parse_optional_day("participants.contractor_until", contractor_until)?,
        language,
        pdp_steps,
        exemptions,
        releases,
    })
}

/// A participant's record as an edit sets it: every field is given, what is left out is
/// cleared (a phone, an e-mail, a coach, a referral).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantChange {
    pub first_name: String,
    pub last_name: String,
    /// How next actions and narratives name them; the full name when empty.
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Whether the phone number on file still rings (a disconnected number is not a way to
    /// reach them, R7). In service when not given.
    #[serde(default)]
    pub phone_in_service: Option<bool>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// Whether the mailing address is verified (the DHS 7869 is mailed to it).
    #[serde(default)]
    pub address_verified: Option<bool>,
    /// The family coach (a coach or case aide of the participant's branch).
    #[serde(default)]
    pub coach_id: Option<i64>,
    /// The JOBS contractor the participant is referred to.
    #[serde(default)]
    pub contractor_id: Option<i64>,
    /// The referral's last day, if it has one (needs a contractor).
    #[serde(default)]
    pub contractor_until: Option<NaiveDate>,
    /// The notice language (`en`, `es`); English when not given.
    #[serde(default)]
    pub language: Option<String>,
}

/// The longest name, phone, e-mail or address accepted.
pub const MAX_FIELD_CHARS: usize = 200;

fn optional_text(value: Option<&str>, what: &str) -> Result<Option<String>, ServiceError> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    if value.is_some_and(|v| v.chars().count() > MAX_FIELD_CHARS) {
        return Err(ServiceError::Invalid(format!(
            "The {what} is too long: keep it to {MAX_FIELD_CHARS} characters."
        )));
    }
    Ok(value.map(str::to_owned))
}

/// The staff member `id` of branch `branch_id` in one of `roles`, or why not.
async fn staff_of_branch(
    conn: &mut AnyConnection,
    id: i64,
    branch_id: i64,
    roles: &[reengage_core::roles::Role],
    what: &str,
) -> Result<(), ServiceError> {
    let post = crate::store::staff::post_by_id(conn, id).await?;
    let fits = post.as_ref().is_some_and(|(role, branch, active)| {
        *active != 0 && roles.iter().any(|r| r.as_str() == role) && *branch == Some(branch_id)
    });
    if fits {
        Ok(())
    } else {
        Err(ServiceError::Invalid(format!(
            "Choose a {what} who works in the participant's branch and whose account is enabled."
        )))
    }
}

/// Roles that can hold a caseload.
pub const CASELOAD_ROLES: &[reengage_core::roles::Role] = &[
    reengage_core::roles::Role::FamilyCoach,
    reengage_core::roles::Role::CaseAide,
    reengage_core::roles::Role::EngagementSpecialist,
    reengage_core::roles::Role::LeadWorker,
    reengage_core::roles::Role::OperationsManager,
];

/// Edits participant `id`'s record, audited with what it held before and after (contact
/// details are named, never copied, in the audit). A new coach takes the open episode too.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    change: ParticipantChange,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let first = required(&change.first_name, "first name")?;
    let last = required(&change.last_name, "last name")?;
    let display = optional_text(change.display_name.as_deref(), "name used in letters")?
        .unwrap_or_else(|| format!("{first} {last}"));
    for (value, what) in [(&first, "first name"), (&last, "last name")] {
        optional_text(Some(value), what)?;
    }
    let phone = optional_text(change.phone.as_deref(), "phone number")?;
    let email = optional_text(change.email.as_deref(), "e-mail address")?;
    if email.as_deref().is_some_and(|e| !e.contains('@')) {
        return Err(ServiceError::Invalid(
            "Enter the e-mail address with its @, or leave it empty.".into(),
        ));
    }
    let address = optional_text(change.address.as_deref(), "mailing address")?;
    let language = notice_language(change.language.as_deref())?;
    if change.contractor_until.is_some() && change.contractor_id.is_none() {
        return Err(ServiceError::Invalid(
            "A referral's last day needs the contractor it is with: choose one, or clear the day."
                .into(),
        ));
    }
    let mut tx = db::begin_write(db).await?;
    let before = stored::row_in(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("participant {id}")))?;
    let branch_id = before.1;
    let zone = crate::store::episodes::branch_time_zone(&mut tx, branch_id)
        .await?
        .unwrap_or_default();
    let today = super::episodes::local_today(&zone, now);
    if change.contractor_until.is_some_and(|until| until < today)
        && before.14 != change.contractor_until.map(crate::store::codes::day)
    {
        return Err(ServiceError::Invalid(format!(
            "The referral's last day cannot be before today ({today}); to end it now, clear the contractor."
        )));
    }
    if let Some(coach) = change.coach_id.filter(|c| before.11 != Some(*c)) {
        staff_of_branch(&mut tx, coach, branch_id, CASELOAD_ROLES, "coach").await?;
    }
    if let Some(contractor) = change.contractor_id.filter(|c| before.12 != Some(*c)) {
        staff_of_branch(
            &mut tx,
            contractor,
            branch_id,
            &[reengage_core::roles::Role::Contractor],
            "contractor",
        )
        .await?;
    }
    let until = change.contractor_until.map(crate::store::codes::day);
    let row = stored::ChangeRow {
        first_name: &first,
        last_name: &last,
        display_name: &display,
        phone: phone.as_deref(),
        phone_in_service: change.phone_in_service.unwrap_or(true),
        email: email.as_deref(),
        address: address.as_deref(),
        address_verified: change.address_verified.unwrap_or(false),
        coach_id: change.coach_id,
        contractor_id: change.contractor_id,
        contractor_until: until.as_deref(),
        language,
    };
    stored::update(&mut tx, id, &row)
        .await
        .map_err(|e| unique(e, "The record could not be saved.".into()))?;
    if let Some(coach) = change.coach_id.filter(|c| before.11 != Some(*c)) {
        stored::set_coach(&mut tx, id, coach).await?;
    }
    // What changed, by field name; contact details are named, not copied.
    let mut changed = Vec::new();
    let mut note = |name: &str, was: bool| {
        if was {
            changed.push(name.to_owned());
        }
    };
    note("first_name", before.3 != first);
    note("last_name", before.4 != last);
    note("display_name", before.5 != display);
    note("phone", before.6 != phone);
    note("phone_in_service", (before.7 != 0) != row.phone_in_service);
    note("email", before.8 != email);
    note("address", before.9 != address);
    note("address_verified", (before.10 != 0) != row.address_verified);
    note("language", before.13 != language);
    note("contractor_until", before.14 != until);
    let entry = actor
        .entry(now, "participant.updated", "participant", id)
        .with_values(
            Some(
                json!({ "coach_id": before.11, "contractor_id": before.12, "language": before.13, "contractor_until": before.14 })
                    .to_string(),
            ),
            Some(
                json!({ "coach_id": change.coach_id, "contractor_id": change.contractor_id, "language": language,
                        "contractor_until": until, "changed": changed })
                .to_string(),
            ),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A participant a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Found {
    pub id: i64,
    pub name: String,
    pub case_number: String,
    /// Their family coach's name, if they have one.
    pub coach: Option<String>,
}

/// What a search found: at most [`SEARCH_LIMIT`] participants, and whether there are more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SearchResult {
    pub found: Vec<Found>,
    /// More participants match than are listed: type more of the name.
    pub more: bool,
}

/// The most participants a search lists.
pub const SEARCH_LIMIT: usize = 50;

/// The longest search accepted.
pub const MAX_SEARCH_CHARS: usize = 100;

/// The participants of branch `branch_id` whose case number is `typed`, or whose name starts
/// with it — "Garcia", "garcia ma" or "Maria Garcia" (first name first) — by name, with an
/// index either way.
pub async fn search(db: &Db, branch_id: i64, typed: &str) -> Result<SearchResult, ServiceError> {
    let words: Vec<&str> = typed.split_whitespace().collect();
    if words.is_empty() {
        return Err(ServiceError::Invalid(
            "Type a case number or the beginning of a last name, then search.".into(),
        ));
    }
    if typed.chars().count() > MAX_SEARCH_CHARS {
        return Err(ServiceError::Invalid(format!(
            "Type at most {MAX_SEARCH_CHARS} characters: a case number or a name."
        )));
    }
    let whole = words.join(" ");
    let mut rows = stored::by_case_number(db, branch_id, &whole).await?;
    if rows.is_empty() && whole != whole.to_uppercase() {
        rows = stored::by_case_number(db, branch_id, &whole.to_uppercase()).await?;
    }
    let limit = SEARCH_LIMIT as i64 + 1;
    let mut keys = vec![whole.clone()];
    if words.len() > 1 {
        // First name first: the last word is the last name.
        let mut turned = vec![words[words.len() - 1]];
        turned.extend(&words[..words.len() - 1]);
        keys.push(turned.join(" "));
    }
    for key in keys {
        for row in stored::by_name(db, branch_id, &key, limit).await? {
            if !rows.iter().any(|r| r.0 == row.0) {
                rows.push(row);
            }
        }
    }
    let more = rows.len() > SEARCH_LIMIT;
    rows.truncate(SEARCH_LIMIT);
    Ok(SearchResult {
        found: rows
            .into_iter()
            .map(|(id, name, case_number, coach)| Found {
                id,
                name,
                case_number,
                coach,
            })
            .collect(),
        more,
    })
}

/// A caseload move: one participant, or every participant of a coach, to another coach of
/// the same branch.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseloadMove {
    /// The coach whose caseload moves.
    pub from_coach_id: i64,
    /// The coach who takes it.
    pub to_coach_id: i64,
    /// Only this participant of `from_coach_id`; the whole caseload when not given.
    #[serde(default)]
    pub participant_id: Option<i64>,
}

/// What a move did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Moved {
    /// Participants who now have the new coach.
    pub participants: usize,
    /// Their open episodes, which followed them.
    pub open_episodes: usize,
}

/// Moves a caseload (or one participant of it) from one coach to another of branch
/// `branch_id`; each participant's open episode follows them, and each move is audited.
pub async fn move_caseload(
    db: &Db,
    actor: &Actor,
    branch_id: i64,
    change: &CaseloadMove,
    now: DateTime<Utc>,
) -> Result<Moved, ServiceError> {
    if change.from_coach_id == change.to_coach_id {
        return Err(ServiceError::Invalid(
            "Choose a different coach to move the caseload to.".into(),
        ));
    }
    let mut tx = db::begin_write(db).await?;
    staff_of_branch(
        &mut tx,
        change.to_coach_id,
        branch_id,
        CASELOAD_ROLES,
        "coach",
    )
    .await?;
    let from_branch = crate::store::staff::post_by_id(&mut tx, change.from_coach_id)
        .await?
        .and_then(|(_, branch, _)| branch);
    if from_branch != Some(branch_id) {
        return Err(ServiceError::NotFound(format!(
            "coach {}",
            change.from_coach_id
        )));
    }
    let ids = match change.participant_id {
        Some(one) => {
            let found = stored::branch_coach_name(&mut tx, one).await?;
            match found {
                Some((branch, Some(coach), _))
                    if branch == branch_id && coach == change.from_coach_id =>
                {
                    vec![one]
                }
                Some((branch, _, _)) if branch == branch_id => {
                    return Err(ServiceError::Invalid(
                        "That participant is not on the caseload being moved; choose one of the coach's participants.".into(),
                    ));
                }
                _ => return Err(ServiceError::NotFound(format!("participant {one}"))),
            }
        }
        None => stored::of_coach(&mut tx, change.from_coach_id).await?,
    };
    let mut open_episodes = 0;
    for id in &ids {
        if crate::store::episodes::open_episode_of(&mut tx, *id)
            .await?
            .is_some()
        {
            open_episodes += 1;
        }
        stored::set_coach(&mut tx, *id, change.to_coach_id).await?;
        let entry = actor
            .entry(now, "participant.coach_moved", "participant", id)
            .with_values(
                Some(json!({ "coach_id": change.from_coach_id }).to_string()),
                Some(json!({ "coach_id": change.to_coach_id }).to_string()),
            );
        audit::append(&mut tx, db.backend, &entry).await?;
    }
    tx.commit().await?;
    Ok(Moved {
        participants: ids.len(),
        open_episodes,
    })
}

/// Ends every contractor referral whose last day is before `today`: the contractor no longer
/// reaches the participant. Audited as the server's own change. Returns how many ended.
pub async fn end_referrals(
    db: &Db,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let mut tx = db::begin_write(db).await?;
    let ended = stored::ended_referrals(&mut tx, &crate::store::codes::day(today)).await?;
    let actor = Actor::server("referral sweep");
    for (id, contractor, until) in &ended {
        stored::end_referral(&mut tx, *id).await?;
        let entry = actor
            .entry(now, "participant.referral_ended", "participant", id)
            .with_values(
                Some(json!({ "contractor_id": contractor, "contractor_until": until }).to_string()),
                Some(json!({ "contractor_id": null }).to_string()),
            );
        audit::append(&mut tx, db.backend, &entry).await?;
    }
    tx.commit().await?;
    Ok(ended.len())
}

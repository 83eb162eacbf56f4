//! Branches (offices) and their closure days: weather, emergencies, days the Governor
//! appoints (docs/rules.md, Business days). Each closure becomes a non-business day of that branch's calendar.
//! And each office's outgoing-mail pickup time (R15): after it, a notice mailed today leaves
//! on the next business day.

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Actor, ServiceError};
use crate::store::audit;
use crate::store::branches as stored;
use crate::store::codes::parse_day;
use crate::store::db::{self, Db};

/// A day a branch's office is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClosureDay {
    pub on: NaiveDate,
    pub name: String,
}

/// The longest closure name accepted.
pub const MAX_NAME_CHARS: usize = 100;

/// Adds a closure day to branch `branch_id`.
pub async fn add_closure(
    db: &Db,
    actor: &Actor,
    branch_id: i64,
    closure: ClosureDay,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let name = closure.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::Invalid(format!(
            "Name the closure in 1 to {MAX_NAME_CHARS} characters, e.g. “Ice storm”."
        )));
    }
    let mut tx = db::begin_write(db).await?;
    if !stored::exists(&mut tx, branch_id).await? {
        return Err(ServiceError::NotFound(format!("branch {branch_id}")));
    }
    let inserted = stored::insert_closure(&mut tx, branch_id, closure.on, name).await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(ServiceError::Duplicate(format!(
                "{} is already a closure day of this branch.",
                closure.on
            )));
        }
        other => {
            other?;
        }
    }
    let entry = actor
        .entry(now, "closure.added", "branch", branch_id)
        .with_values(
            None,
            Some(json!({ "on": closure.on, "name": name }).to_string()),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    lists_follow_the_calendar(db, branch_id, now).await;
    Ok(())
}

/// After a closure change, the branch's stored stages and due days as the new calendar makes
/// them, so the lists order by the days as they now fall. The change itself is already made:
/// a failure here is logged and the next office day's refresh catches up.
async fn lists_follow_the_calendar(db: &Db, branch_id: i64, now: DateTime<Utc>) {
    if let Err(error) = crate::services::derived::refresh_branch(db, branch_id, now).await {
        tracing::warn!(%error, branch_id, "the branch's lists were not yet re-derived after a closure change");
    }
}

/// The closure days of branch `branch_id`, in date order.
pub async fn closures(db: &Db, branch_id: i64) -> Result<Vec<ClosureDay>, ServiceError> {
    let rows = stored::closures(db, branch_id).await?;
    rows.into_iter()
        .map(|(on, name)| {
            Ok(ClosureDay {
                on: parse_day("office_closures.on_date", &on)?,
                name,
            })
        })
        .collect()
}

/// An office's outgoing-mail pickup time (R15), office time; `null` when it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailPickupTime {
    /// Required: `null` removes the pickup time, so it must be said, never implied by a
    /// missing field. Minutes only: seconds are refused.
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true, value_type = Option<String>, example = "15:00")]
    pub at: Option<NaiveTime>,
}

/// The branch's mail pickup time (R15).
pub async fn mail_pickup(db: &Db, branch_id: i64) -> Result<MailPickupTime, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    let stored = stored::mail_pickup(&mut conn, branch_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("branch {branch_id}")))?;
    Ok(MailPickupTime {
        at: stored
            .as_deref()
            .and_then(|at| reengage_core::parse_time_input(at).ok().flatten()),
    })
}

/// Sets (or with `None` removes) the mail pickup time of branch `branch_id` (R15), audited
/// with the time before and after. Mail-by sentences and the earliest appointment count from
/// it at once.
pub async fn set_mail_pickup(
    db: &Db,
    actor: &Actor,
    branch_id: i64,
    at: Option<NaiveTime>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if at.is_some_and(|at| at.second() != 0 || at.nanosecond() != 0) {
        return Err(ServiceError::Invalid(
            "Give the pickup time in hours and minutes, e.g. 15:00.".into(),
        ));
    }
    let text = at.map(|at| at.format("%H:%M").to_string());
    let mut tx = db::begin_write(db).await?;
    let before = stored::mail_pickup(&mut tx, branch_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("branch {branch_id}")))?;
    stored::set_mail_pickup(&mut tx, branch_id, text.as_deref()).await?;
    let entry = actor
        .entry(now, "branch.mail_pickup_set", "branch", branch_id)
        .with_values(
            Some(json!({ "mail_pickup": before }).to_string()),
            Some(json!({ "mail_pickup": text }).to_string()),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// An office as its admin page and `GET /branches` give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Office {
    pub id: i64,
    pub name: String,
    /// Printed on the DHS 7869 notice as where to come and where to call.
    pub address: Option<String>,
    pub phone: Option<String>,
    /// IANA name, e.g. America/Los_Angeles (America/Boise for Ontario's office).
    pub time_zone: String,
    /// R15: the outgoing mail's pickup time, `HH:MM` office time.
    #[schema(value_type = Option<String>, example = "15:00")]
    pub mail_pickup: Option<NaiveTime>,
}

/// An office's details as an admin sets them: every field is given; an empty address,
/// phone or pickup time clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeChange {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub time_zone: String,
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "15:00")]
    pub mail_pickup: Option<NaiveTime>,
}

/// The longest office address or phone accepted.
pub const MAX_DETAIL_CHARS: usize = 200;

fn office(row: stored::OfficeRow) -> Office {
    let (id, name, address, phone, time_zone, pickup) = row;
    Office {
        id,
        name,
        address,
        phone,
        time_zone,
        mail_pickup: pickup
            .as_deref()
            .and_then(|at| reengage_core::parse_time_input(at).ok().flatten()),
    }
}

/// Every office, by name.
pub async fn offices(db: &Db) -> Result<Vec<Office>, ServiceError> {
    Ok(stored::offices(db).await?.into_iter().map(office).collect())
}

/// Office `id`.
pub async fn office_of(db: &Db, id: i64) -> Result<Office, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    stored::office(&mut conn, id)
        .await?
        .map(office)
        .ok_or_else(|| ServiceError::NotFound(format!("branch {id}")))
}

fn detail(value: Option<&str>, what: &str) -> Result<Option<String>, ServiceError> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    if value.is_some_and(|v| v.chars().count() > MAX_DETAIL_CHARS) {
        return Err(ServiceError::Invalid(format!(
            "The office's {what} is too long: keep it to {MAX_DETAIL_CHARS} characters."
        )));
    }
    Ok(value.map(str::to_owned))
}

/// Office `id`'s row as `change` gives it, checked: a name of 1 to [`MAX_NAME_CHARS`]
/// characters, a time zone by its IANA name, a pickup time in hours and minutes, and an
/// address and phone of at most [`MAX_DETAIL_CHARS`] (empty ones cleared).
fn office_row(id: i64, change: &OfficeChange) -> Result<stored::OfficeRow, ServiceError> {
    let name = change.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::Invalid(format!(
            "Name the office in 1 to {MAX_NAME_CHARS} characters, e.g. “Salem (Lancaster)”."
        )));
    }
    let zone = change.time_zone.trim();
    if zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(ServiceError::Invalid(format!(
            "“{zone}” is not a time zone: use its IANA name, e.g. America/Los_Angeles (or America/Boise in Ontario)."
        )));
    }
    if change
        .mail_pickup
        .is_some_and(|at| at.second() != 0 || at.nanosecond() != 0)
    {
        return Err(ServiceError::Invalid(
            "Give the pickup time in hours and minutes, e.g. 15:00.".into(),
        ));
    }
    Ok((
        id,
        name.to_owned(),
        detail(change.address.as_deref(), "address")?,
        detail(change.phone.as_deref(), "phone number")?,
        zone.to_owned(),
        change.mail_pickup.map(|at| at.format("%H:%M").to_string()),
    ))
}

/// What the audit entry keeps of an office's row.
fn office_values(row: &stored::OfficeRow) -> String {
    json!({ "name": row.1, "address": row.2, "phone": row.3, "time_zone": row.4, "mail_pickup": row.5 })
        .to_string()
}

/// A name another office has, said so.
fn duplicate_name(name: &str) -> ServiceError {
    ServiceError::Duplicate(format!(
        "Another office is already named “{}”: choose another name.",
        name.trim()
    ))
}

/// A new office with its name, address, phone, time zone and mail pickup time (R15), and no
/// closure days yet; audited with what it was given.
pub async fn create_office(
    db: &Db,
    actor: &Actor,
    change: OfficeChange,
    now: DateTime<Utc>,
) -> Result<Office, ServiceError> {
    let mut row = office_row(0, &change)?;
    let mut tx = db::begin_write(db).await?;
    row.0 = match stored::insert_office(&mut tx, &row).await {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(duplicate_name(&change.name));
        }
        other => other?,
    };
    let entry = actor
        .entry(now, "branch.created", "branch", row.0)
        .with_values(None, Some(office_values(&row)));
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(office(row))
}

/// Sets office `id`'s name, address, phone, time zone and mail pickup time (R15), audited
/// with what they were and what they are.
pub async fn set_office(
    db: &Db,
    actor: &Actor,
    id: i64,
    change: OfficeChange,
    now: DateTime<Utc>,
) -> Result<Office, ServiceError> {
    let row = office_row(id, &change)?;
    let mut tx = db::begin_write(db).await?;
    let before = stored::office(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("branch {id}")))?;
    match stored::set_office(&mut tx, &row).await {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(duplicate_name(&change.name));
        }
        other => other?,
    }
    let entry = actor
        .entry(now, "branch.details_set", "branch", id)
        .with_values(Some(office_values(&before)), Some(office_values(&row)));
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(office(row))
}

/// Removes the closure day `on` of branch `branch_id`, audited.
pub async fn remove_closure(
    db: &Db,
    actor: &Actor,
    branch_id: i64,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let mut tx = db::begin_write(db).await?;
    if !stored::delete_closure(&mut tx, branch_id, on).await? {
        return Err(ServiceError::NotFound(format!(
            "closure day {on} of branch {branch_id}"
        )));
    }
    let entry = actor
        .entry(now, "closure.removed", "branch", branch_id)
        .with_values(Some(json!({ "on": on }).to_string()), None);
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    lists_follow_the_calendar(db, branch_id, now).await;
    Ok(())
}

/// What a closure day does to the branch's open episodes: the deadlines it moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClosureEffect {
    /// Open deadlines whose day moves (docs/rules.md, Business days).
    pub deadlines_moved: usize,
    /// The open episodes they belong to.
    pub episodes: usize,
}

/// The deadlines of branch `branch_id`'s open episodes that its calendar `before` and `after`
/// a closure change put on different days, computed by `core` for each episode.
pub async fn closure_effect(
    db: &Db,
    branch_id: i64,
    before: &reengage_core::BusinessCalendar,
    after: &reengage_core::BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<ClosureEffect, ServiceError> {
    use crate::store::lists::{Scope, open_work};
    let mut effect = ClosureEffect {
        deadlines_moved: 0,
        episodes: 0,
    };
    let mut after_cursor = None;
    loop {
        let (rows, next) = {
            let mut conn = db.pool.acquire().await?;
            open_work(
                &mut conn,
                Scope::Branch(branch_id),
                after_cursor.as_ref(),
                500,
            )
            .await?
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        for (record, today, _) in crate::services::episodes::read_many(db, &ids, now).await? {
            let moved =
                reengage_core::episode::moved_deadlines(&record.facts, today, before, after);
            if !moved.is_empty() {
                effect.episodes += 1;
                effect.deadlines_moved += moved.len();
            }
        }
        match next {
            Some(cursor) => after_cursor = Some(cursor),
            None => break,
        }
    }
    Ok(effect)
}

/// Adds a closure day and says what it did: the deadlines it moved. The calendar before and
/// after are the branch's as stored, read around the change.
pub async fn add_closure_with_effect(
    db: &Db,
    actor: &Actor,
    branch_id: i64,
    closure: ClosureDay,
    now: DateTime<Utc>,
) -> Result<ClosureEffect, ServiceError> {
    let before = calendar_of(db, branch_id).await?;
    add_closure(db, actor, branch_id, closure, now).await?;
    let after = calendar_of(db, branch_id).await?;
    closure_effect(db, branch_id, &before, &after, now).await
}

/// Removes a closure day and says which deadlines moved back.
pub async fn remove_closure_with_effect(
    db: &Db,
    actor: &Actor,
    branch_id: i64,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ClosureEffect, ServiceError> {
    let before = calendar_of(db, branch_id).await?;
    remove_closure(db, actor, branch_id, on, now).await?;
    let after = calendar_of(db, branch_id).await?;
    closure_effect(db, branch_id, &before, &after, now).await
}

async fn calendar_of(
    db: &Db,
    branch_id: i64,
) -> Result<reengage_core::BusinessCalendar, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    Ok(crate::store::episodes::branch_calendar(&mut conn, branch_id).await?)
}

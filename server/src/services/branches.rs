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
    Ok(())
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

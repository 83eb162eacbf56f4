//! Branches (offices) and their closure days: weather, emergencies, days the Governor
//! appoints (docs/rules.md, Business days). Each closure becomes a non-business day of that branch's calendar.

use chrono::{DateTime, NaiveDate, Utc};
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

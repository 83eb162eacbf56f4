//! The to-dos of an episode that do not block a decision: a ONE missing-information request
//! (R11), an offsite visit, the ONE case note (R27), resources provided… (Missing information
//! that blocks a determination, R17, goes through the episode's `missing-info` change.)

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Actor, ServiceError};
use crate::store::audit;
use crate::store::codes::{instant, parse_day, parse_optional_day};
use crate::store::db::{self, Db};
use crate::store::tasks as stored;

/// What kind of to-do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TaskKind {
    OneMissingInfoRequest,
    OffsiteVisit,
    ChildSafetyCheck,
    OneCaseNote,
    ResourcesProvided,
    Other,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewTask {
    pub kind: TaskKind,
    pub description: String,
    pub requested_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Task {
    pub id: i64,
    pub episode_id: i64,
    pub kind: TaskKind,
    pub description: String,
    pub requested_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// R17: true for missing information that blocks a determination.
    pub blocks_decision: bool,
}

/// Adds a to-do to episode `episode_id`.
pub async fn add(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    new: NewTask,
    now: DateTime<Utc>,
) -> Result<i64, ServiceError> {
    let description = new.description.trim().to_owned();
    if description.is_empty() {
        return Err(ServiceError::Invalid("Say what is to be done.".into()));
    }
    let mut tx = db::begin_write(db).await?;
    super::episode_must_exist(&mut tx, episode_id).await?;
    let kind = crate::store::codes::code(&new.kind);
    let id = stored::insert(
        &mut tx,
        episode_id,
        &kind,
        &description,
        new.requested_on,
        &instant(now),
    )
    .await?;
    let entry = actor.entry(now, "task.added", "task", id).with_values(
        None,
        Some(
            json!({ "episode_id": episode_id, "kind": kind, "description": description })
                .to_string(),
        ),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks to-do `id` done on `on`. Blocking missing information is resolved through the
/// episode instead, so the policy core sees it.
pub async fn done(
    db: &Db,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let mut tx = db::begin_write(db).await?;
    let (blocks, resolved) = stored::state(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("task {id}")))?;
    if blocks != 0 {
        return Err(ServiceError::Invalid(
            "This is missing information that blocks the decision: resolve it on the episode (missing-info-resolutions)."
                .into(),
        ));
    }
    if resolved.is_some() {
        return Err(ServiceError::Invalid("This task is already done.".into()));
    }
    stored::resolve(&mut tx, id, on).await?;
    let entry = actor.entry(now, "task.done", "task", id).with_values(
        Some(json!({ "done_on": null }).to_string()),
        Some(json!({ "done_on": on }).to_string()),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Every to-do of an episode, blocking ones included, oldest first.
pub async fn list(db: &Db, episode_id: i64) -> Result<Vec<Task>, ServiceError> {
    let rows = stored::list(db, episode_id).await?;
    rows.into_iter()
        .map(|(id, kind, description, requested, resolved, blocks)| {
            // Blocking items are stored with core's missing-information kinds.
            let kind = crate::store::codes::from_code::<TaskKind>("tasks.kind", &kind).unwrap_or(
                match kind.as_str() {
                    "ChildSafetyCheck" => TaskKind::ChildSafetyCheck,
                    "OffsiteVisitOutcome" => TaskKind::OffsiteVisit,
                    "AddressVerification" => TaskKind::OneMissingInfoRequest,
                    _ => TaskKind::Other,
                },
            );
            Ok(Task {
                id,
                episode_id,
                kind,
                description,
                requested_on: parse_day("tasks.requested_on", &requested)?,
                done_on: parse_optional_day("tasks.resolved_on", resolved)?,
                blocks_decision: blocks != 0,
            })
        })
        .collect()
}

//! Narratives (R4, R10, R22, R25): drafts from `core`, written from the recorded facts alone,
//! saved and edited by staff, each save audited with the text before and after.

use chrono::{DateTime, Utc};
use reengage_core::BusinessCalendar;
use reengage_core::episode::EpisodeFacts;
use reengage_core::narrative::{
    Draft, NarrativeType, appointment_narrative, attempt_key, attempt_narrative, contact_narrative,
    decision_narrative, staffing_narrative,
};
use serde::Serialize;
use serde_json::json;

use super::{Actor, ServiceError};
use crate::store::audit;
use crate::store::codes::{from_code, instant};
use crate::store::db::{self, Db};
use crate::store::narratives as stored;

/// "Name (role)", the role in words.
fn written_by(name: Option<String>, role: Option<String>) -> Option<String> {
    name.map(|name| match role {
        Some(role) => format!("{name} ({})", role.replace('_', " ")),
        None => name,
    })
}

/// The longest narrative accepted, in characters.
pub const MAX_CHARS: usize = 20_000;
/// The longest `draft_of` key (`attempt-2026-11-24-1` and the like).
pub const MAX_DRAFT_KEY_CHARS: usize = 40;

/// A saved narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Narrative {
    pub id: i64,
    pub episode_id: i64,
    pub kind: NarrativeType,
    pub body: String,
    /// The staff member who wrote it.
    pub author_id: Option<i64>,
    /// Who wrote it, as the pages show it: "Cam Demo-Contractor (contractor)".
    pub author: Option<String>,
    pub updated_at: String,
    /// The draft it was saved from (see [`keyed_drafts`]), if any.
    pub draft_of: Option<String>,
}

/// Every draft the facts support: one per attempt, the contact made, the appointment and its
/// notice, the staffing, the decision.
pub fn drafts(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Vec<Draft> {
    keyed_drafts(facts, calendar, 1)
        .into_iter()
        .map(|(_, draft)| draft)
        .collect()
}

/// Every draft with the key a narrative saved from it keeps: `attempt-2026-11-24-1` (the first
/// attempt of that day — R10: an earlier attempt entered late does not change it), `contact`,
/// `appointment`, `staffing`, `decision`. The staffing and the decision of a later review
/// (R24: `round` 2 or more) are drafts of their own: `staffing-2`, `decision-2`.
pub fn keyed_drafts(
    facts: &EpisodeFacts,
    calendar: &BusinessCalendar,
    round: usize,
) -> Vec<(String, Draft)> {
    let of_round = |key: &str| {
        if round > 1 {
            format!("{key}-{round}")
        } else {
            key.to_owned()
        }
    };
    (0..facts.attempts.len())
        .filter_map(|index| {
            Some((
                attempt_key(facts, index)?,
                attempt_narrative(facts, index, calendar)?,
            ))
        })
        .chain(contact_narrative(facts).map(|d| ("contact".to_owned(), d)))
        .chain(appointment_narrative(facts).map(|d| ("appointment".to_owned(), d)))
        .chain(staffing_narrative(facts).map(|d| (of_round("staffing"), d)))
        .chain(decision_narrative(facts).map(|d| (of_round("decision"), d)))
        .collect()
}

/// The drafts not yet saved as a narrative.
pub fn unsaved_drafts(
    facts: &EpisodeFacts,
    calendar: &BusinessCalendar,
    round: usize,
    saved: &[Narrative],
) -> Vec<(String, Draft)> {
    keyed_drafts(facts, calendar, round)
        .into_iter()
        .filter(|(key, _)| !saved.iter().any(|n| n.draft_of.as_deref() == Some(key)))
        .collect()
}

fn checked(body: &str) -> Result<String, ServiceError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ServiceError::Invalid(
            "Write the narrative before saving it.".into(),
        ));
    }
    if body.chars().count() > MAX_CHARS {
        return Err(ServiceError::Invalid(format!(
            "A narrative can have at most {MAX_CHARS} characters; split it in two."
        )));
    }
    Ok(body.to_owned())
}

/// Saves a new narrative on episode `episode_id`.
pub async fn write(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    kind: NarrativeType,
    body: &str,
    draft_of: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Narrative, ServiceError> {
    let body = checked(body)?;
    let draft_of = draft_of.map(str::trim).filter(|key| !key.is_empty());
    if draft_of.is_some_and(|key| key.chars().count() > MAX_DRAFT_KEY_CHARS) {
        return Err(ServiceError::Invalid(
            "`draft_of` names a draft: attempt-2026-11-24-1, staffing or decision.".into(),
        ));
    }
    // R5: a contractor narrates its own contact attempts; the department's drafts (the
    // contact made, the appointment, the staffing, the decision) are never a contractor's.
    if actor.role == reengage_core::roles::Role::Contractor
        && draft_of.is_some_and(|key| !key.starts_with("attempt-"))
    {
        return Err(ServiceError::Forbidden(
            "A contractor saves narratives of its own contact attempts; the contact, appointment, staffing and decision narratives are the department's."
                .into(),
        ));
    }
    let mut tx = db::begin_write(db).await?;
    super::episode_must_exist(&mut tx, episode_id).await?;
    let at = instant(now);
    let id = stored::insert(
        &mut tx,
        episode_id,
        &kind,
        &body,
        actor.staff_id,
        &at,
        draft_of,
    )
    .await?;
    let entry = actor
        .entry(now, "narrative.written", "narrative", id)
        .with_values(
        None,
        Some(
            json!({ "episode_id": episode_id, "kind": kind, "body": body, "draft_of": draft_of })
                .to_string(),
        ),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    let author = stored::author(&mut tx, actor.staff_id).await?;
    tx.commit().await?;
    Ok(Narrative {
        id,
        episode_id,
        kind,
        body,
        author_id: actor.staff_id,
        author: author.and_then(|(name, role)| written_by(Some(name), Some(role))),
        updated_at: at,
        draft_of: draft_of.map(str::to_owned),
    })
}

/// Replaces the text of narrative `id`.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Narrative, ServiceError> {
    let body = checked(body)?;
    let mut tx = db::begin_write(db).await?;
    let (episode_id, kind, old, author_id, draft_of) = stored::before(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("narrative {id}")))?;
    let kind: NarrativeType = from_code("narratives.kind", &kind)?;
    let at = instant(now);
    stored::set_body(&mut tx, id, &body, &at).await?;
    let entry = actor
        .entry(now, "narrative.edited", "narrative", id)
        .with_values(
            Some(json!({ "body": old }).to_string()),
            Some(json!({ "body": body }).to_string()),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    let author = stored::author(&mut tx, author_id).await?;
    tx.commit().await?;
    Ok(Narrative {
        id,
        episode_id,
        kind,
        body,
        author_id,
        author: author.and_then(|(name, role)| written_by(Some(name), Some(role))),
        updated_at: at,
        draft_of,
    })
}

/// The saved narratives of an episode, oldest first.
pub async fn list(db: &Db, episode_id: i64) -> Result<Vec<Narrative>, ServiceError> {
    let rows = stored::list(db, episode_id).await?;
    rows.into_iter()
        .map(
            |(id, kind, body, author_id, updated_at, draft_of, name, role)| {
                Ok(Narrative {
                    id,
                    episode_id,
                    kind: from_code("narratives.kind", &kind)?,
                    body,
                    author_id,
                    author: written_by(name, role),
                    updated_at,
                    draft_of,
                })
            },
        )
        .collect()
}

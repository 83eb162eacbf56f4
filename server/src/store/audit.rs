//! The audit trail: append-only (the database refuses UPDATE and DELETE) and hash-chained
//! (each entry's SHA-256 covers its contents and the previous entry's hash).

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use thiserror::Error;

use crate::store::db::{Backend, Db};

/// The newest entry's hash (the primary key's last value).
pub const LAST_HASH_SQL: &str =
    "SELECT hash FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)";

/// The next entries of the chain, in id order (the primary key).
pub const VERIFY_BATCH_SQL: &str = "SELECT id, at, actor, role, action, entity, entity_id, before, after, prev_hash, hash \
             FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2";

/// An episode's latest changes, newest first: what a version conflict reports (index
/// audit_log_entity).
pub const CONFLICT_SQL: &str = "SELECT action, actor, at FROM audit_log WHERE entity = 'episode' AND entity_id = $1 \
         ORDER BY id DESC LIMIT $2";

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// PostgreSQL advisory lock that serializes appends across server instances.
const APPEND_LOCK: i64 = 7_869_001;

/// What a change records about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Entry {
    /// An entry stamped now (UTC, microseconds).
    pub fn now(actor: &str, role: &str, action: &str, entity: &str, entity_id: &str) -> Self {
        Self::at(Utc::now(), actor, role, action, entity, entity_id)
    }

    pub fn at(
        at: DateTime<Utc>,
        actor: &str,
        role: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
    ) -> Self {
        Self {
            at: at.to_rfc3339_opts(SecondsFormat::Micros, true),
            actor: actor.to_owned(),
            role: role.to_owned(),
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_owned(),
            before: None,
            after: None,
        }
    }

    pub fn with_values(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// SHA-256 (hex) of the entry's fields, each length-prefixed so no two different
    /// entries serialize alike, followed by the previous entry's hash.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut hasher = Sha256::new();
        let fields = [
            Some(self.at.as_str()),
            Some(&self.actor),
            Some(&self.role),
            Some(&self.action),
            Some(&self.entity),
            Some(&self.entity_id),
            self.before.as_deref(),
            self.after.as_deref(),
            Some(prev_hash),
        ];
        for field in fields {
            match field {
                Some(text) => hasher.update(format!("{}:{text}\n", text.len())),
                None => hasher.update("-\n"),
            }
        }
        format!("{:x}", hasher.finalize())
    }
}

/// Appends `entry` inside the caller's transaction, so it commits with the change it
/// records or not at all. Returns its id.
pub async fn append(
    conn: &mut AnyConnection,
    backend: Backend,
    entry: &Entry,
) -> Result<i64, sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(APPEND_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let prev_hash: Option<String> = sqlx::query_scalar(LAST_HASH_SQL)
        .fetch_optional(&mut *conn)
        .await?;
    let prev_hash = prev_hash.unwrap_or_else(|| GENESIS.to_owned());
    let hash = entry.hash(&prev_hash);
    sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor, role, action, entity, entity_id, before, after, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&entry.at)
    .bind(&entry.actor)
    .bind(&entry.role)
    .bind(&entry.action)
    .bind(&entry.entity)
    .bind(&entry.entity_id)
    .bind(entry.before.as_deref())
    .bind(entry.after.as_deref())
    .bind(&prev_hash)
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await
}

/// [`CONFLICT_SQL`]: the `newest` latest changes of episode `episode_id`, newest first, each
/// `(action, actor, at)`.
pub async fn latest_of_episode(
    conn: &mut AnyConnection,
    episode_id: i64,
    newest: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(CONFLICT_SQL)
        .bind(episode_id.to_string())
        .bind(newest)
        .fetch_all(&mut *conn)
        .await
}

/// The first place the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Broken {
    #[error("audit entry {id} was altered: its hash does not match its contents")]
    Altered { id: i64 },
    #[error("audit entry {id} does not follow the entry before it (removed or inserted rows)")]
    Unlinked { id: i64 },
    #[error("cannot read the audit log: {0}")]
    Unreadable(String),
}

/// Checks the whole chain in id order, in batches; returns how many entries it checked.
pub async fn verify(db: &Db) -> Result<u64, Broken> {
    const BATCH: i64 = 1_000;
    let mut last_id = 0_i64;
    let mut prev_hash = GENESIS.to_owned();
    let mut checked = 0_u64;
    loop {
        let rows = sqlx::query(VERIFY_BATCH_SQL)
            .bind(last_id)
            .bind(BATCH)
            .fetch_all(&db.pool)
            .await
            .map_err(|error| Broken::Unreadable(error.to_string()))?;
        if rows.is_empty() {
            return Ok(checked);
        }
        for row in rows {
            let read = |column: &str| -> Result<String, Broken> {
                row.try_get::<String, _>(column)
                    .map_err(|error| Broken::Unreadable(error.to_string()))
            };
            let optional = |column: &str| -> Result<Option<String>, Broken> {
                row.try_get::<Option<String>, _>(column)
                    .map_err(|error| Broken::Unreadable(error.to_string()))
            };
            let id: i64 = row
                .try_get("id")
                .map_err(|error| Broken::Unreadable(error.to_string()))?;
            let entry = Entry {
                at: read("at")?,
                actor: read("actor")?,
                role: read("role")?,
                action: read("action")?,
                entity: read("entity")?,
                entity_id: read("entity_id")?,
                before: optional("before")?,
                after: optional("after")?,
            };
            let stored_prev = read("prev_hash")?;
            let stored_hash = read("hash")?;
            if stored_prev != prev_hash {
                return Err(Broken::Unlinked { id });
            }
            if entry.hash(&stored_prev) != stored_hash {
                return Err(Broken::Altered { id });
            }
            prev_hash = stored_hash;
            last_id = id;
            checked += 1;
        }
    }
}

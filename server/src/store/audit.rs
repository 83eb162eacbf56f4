//! The audit trail: append-only (the database refuses UPDATE and DELETE) and chained: each
//! entry's MAC covers its contents and the previous entry's, HMAC-SHA-256 under a key kept
//! outside the database ([`use_key`]; `REENGAGE_AUDIT_KEY` or a key file, see the README), so
//! whoever can write to the database cannot write a chain that verifies. Entries written
//! before a key was configured carry a plain SHA-256 (`hex`); keyed ones `k1:hex`; once a keyed
//! entry is in the chain, an unkeyed one after it is a break.
//!
//! [`verify`] checks the chain, that the append-only triggers are still there, and — given the
//! signed head the server writes to its anchor file — that no newest entry was removed and the
//! chain was not rewritten.

use std::sync::OnceLock;

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
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

/// The prefix of a keyed entry's hash.
const KEYED: &str = "k1:";

/// The key the chain is written and checked under, kept outside the database.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    /// A key from its text (at least 32 characters: the hex of 16 random bytes or more).
    pub fn new(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.chars().count() < 32 {
            return Err("the audit key must be at least 32 characters (e.g. 64 hex digits)".into());
        }
        Ok(Self(text.as_bytes().to_vec()))
    }

    fn mac(&self, parts: &[&[u8]]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        for part in parts {
            mac.update(part);
        }
        format!("{:x}", mac.finalize().into_bytes())
    }

    /// The signature of the chain's head `(id, hash)`.
    pub fn sign_head(&self, id: i64, hash: &str) -> String {
        self.mac(&[b"head:", id.to_string().as_bytes(), b":", hash.as_bytes()])
    }
}

static KEY: OnceLock<AuditKey> = OnceLock::new();

/// Sets the key of this process's audit chain, once; a second, different key is refused.
pub fn use_key(key: AuditKey) -> Result<(), String> {
    let set = KEY.get_or_init(|| key.clone());
    if set.0 == key.0 {
        Ok(())
    } else {
        Err("a different audit key is already in use by this process".into())
    }
}

/// The key in use, if one was set.
pub fn key() -> Option<&'static AuditKey> {
    KEY.get()
}

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

    /// The entry's fields, each length-prefixed so no two different entries serialize alike,
    /// followed by the previous entry's hash.
    fn serialized(&self, prev_hash: &str) -> String {
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
        let mut out = String::new();
        for field in fields {
            match field {
                Some(text) => out.push_str(&format!("{}:{text}\n", text.len())),
                None => out.push_str("-\n"),
            }
        }
        out
    }

    /// SHA-256 (hex) of the serialized entry: the chain as written before a key.
    pub fn hash(&self, prev_hash: &str) -> String {
        format!(
            "{:x}",
            Sha256::digest(self.serialized(prev_hash).as_bytes())
        )
    }

    /// HMAC-SHA-256 of the serialized entry under `key`, marked keyed (`k1:hex`).
    pub fn keyed_hash(&self, prev_hash: &str, key: &AuditKey) -> String {
        format!(
            "{KEYED}{}",
            key.mac(&[self.serialized(prev_hash).as_bytes()])
        )
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
    let hash = match key() {
        Some(key) => entry.keyed_hash(&prev_hash, key),
        None => entry.hash(&prev_hash),
    };
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

/// The first place the chain is broken, or what else is wrong with the log.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Broken {
    #[error("audit entry {id} was altered: its hash does not match its contents")]
    Altered { id: i64 },
    #[error("audit entry {id} does not follow the entry before it (removed or inserted rows)")]
    Unlinked { id: i64 },
    #[error(
        "audit entry {id} is not keyed though an earlier entry is: written by someone without the audit key"
    )]
    Unkeyed { id: i64 },
    #[error(
        "the audit log is keyed: set the audit key (REENGAGE_AUDIT_KEY or its file) to verify it"
    )]
    NoKey,
    #[error(
        "the audit log ends at entry {last} but the signed head names entry {head}: the newest entries were removed"
    )]
    Truncated { head: i64, last: i64 },
    #[error("audit entry {id} is not the one the signed head names: the chain was rewritten")]
    Rewritten { id: i64 },
    #[error("the signed head does not verify under the audit key: {0}")]
    BadHead(String),
    #[error(
        "the audit log's append-only triggers are missing ({found} of {expected}): rows could be changed or removed"
    )]
    Unguarded { found: i64, expected: i64 },
    #[error("cannot read the audit log: {0}")]
    Unreadable(String),
}

/// The chain's newest entry, `(id, hash)`, signed by the server (see `services::audit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHead {
    pub id: i64,
    pub hash: String,
    pub signature: String,
}

/// The newest entry's `(id, hash)` (primary key), if any.
pub async fn head(db: &Db) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, hash FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
        .fetch_optional(&db.pool)
        .await
}

/// How many append-only triggers guard the audit log, and how many there should be.
async fn triggers(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    match db.backend {
        Backend::Sqlite => sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log' \
             AND name IN ('audit_log_no_update', 'audit_log_no_delete')",
        )
        .fetch_one(&db.pool)
        .await
        .map(|found| (found, 2)),
        Backend::Postgres => sqlx::query_scalar(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass \
             AND tgname IN ('audit_log_no_update_or_delete', 'audit_log_no_truncate') AND tgenabled <> 'D'",
        )
        .fetch_one(&db.pool)
        .await
        .map(|found| (found, 2)),
    }
}

/// Checks the whole chain in id order, in batches, under the key in use ([`key`]); that the
/// append-only triggers are in place; and, given the last signed head, that the log still
/// holds that entry as it was and nothing newer was cut off. Returns how many entries it
/// checked.
pub async fn verify_against(db: &Db, head: Option<&SignedHead>) -> Result<u64, Broken> {
    let (found, expected) = triggers(db)
        .await
        .map_err(|error| Broken::Unreadable(error.to_string()))?;
    if found < expected {
        return Err(Broken::Unguarded { found, expected });
    }
    if let Some(head) = head {
        let key = key().ok_or(Broken::NoKey)?;
        if key.sign_head(head.id, &head.hash) != head.signature {
            return Err(Broken::BadHead(format!(
                "entry {} is not signed by this key",
                head.id
            )));
        }
    }
    const BATCH: i64 = 1_000;
    let mut last_id = 0_i64;
    let mut prev_hash = GENESIS.to_owned();
    let mut checked = 0_u64;
    let mut keyed = false;
    let mut seen_head = false;
    loop {
        let rows = sqlx::query(VERIFY_BATCH_SQL)
            .bind(last_id)
            .bind(BATCH)
            .fetch_all(&db.pool)
            .await
            .map_err(|error| Broken::Unreadable(error.to_string()))?;
        if rows.is_empty() {
            if let Some(head) = head
                && !seen_head
            {
                // The entry the head names is gone: cut off with everything after it, or
                // replaced by a chain with other ids.
                return Err(if last_id < head.id {
                    Broken::Truncated {
                        head: head.id,
                        last: last_id,
                    }
                } else {
                    Broken::Rewritten { id: head.id }
                });
            }
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
            let expected = if stored_hash.starts_with(KEYED) {
                keyed = true;
                entry.keyed_hash(&stored_prev, key().ok_or(Broken::NoKey)?)
            } else if keyed {
                return Err(Broken::Unkeyed { id });
            } else {
                entry.hash(&stored_prev)
            };
            if expected != stored_hash {
                return Err(Broken::Altered { id });
            }
            if let Some(head) = head
                && head.id == id
            {
                if head.hash != stored_hash {
                    return Err(Broken::Rewritten { id });
                }
                seen_head = true;
            }
            prev_hash = stored_hash;
            last_id = id;
            checked += 1;
        }
    }
}

/// [`verify_against`] with no signed head: the chain and the triggers.
pub async fn verify(db: &Db) -> Result<u64, Broken> {
    verify_against(db, None).await
}

/// Writes the counts of `db.tally` (`store::tally`), one entry per key, in one transaction;
/// how many entries. Counts that could not be written are kept for the next time.
pub async fn flush_tally(db: &Db) -> Result<usize, sqlx::Error> {
    let taken = db.tally.take();
    if taken.is_empty() {
        return Ok(0);
    }
    let entries: Vec<Entry> = taken
        .iter()
        .map(|(key, counted)| {
            Entry::at(
                counted.last,
                &key.actor,
                &key.role,
                key.action,
                "session",
                "",
            )
            .with_values(
                None,
                Some(
                    serde_json::json!({
                        "count": counted.count,
                        "first": counted.first.to_rfc3339(),
                        "last": counted.last.to_rfc3339(),
                        "address": key.address,
                        "examples": counted.examples,
                    })
                    .to_string(),
                ),
            )
        })
        .collect();
    let written = async {
        let mut tx = crate::store::db::begin_write(db).await?;
        for entry in &entries {
            append(&mut tx, db.backend, entry).await?;
        }
        tx.commit().await
    }
    .await;
    match written {
        Ok(()) => Ok(entries.len()),
        Err(error) => {
            db.tally.restore(taken);
            Err(error)
        }
    }
}

//! The services the pages and the REST API share. Each loads what it changes, asks `core`
//! whether the change is allowed, and writes the change and its audit entry in one
//! transaction. Plain Rust: no web types.

pub mod access;
pub mod accounts;
pub mod actions;
pub mod audit;
pub mod branches;
pub mod calendar_feeds;
pub mod derived;
pub mod digest;
pub mod efforts;
pub mod episodes;
pub mod mail;
pub mod narratives;
pub mod office;
pub mod participants;
pub mod passwords;
pub mod redact;
pub mod second_factor;
pub mod sso;
pub mod tasks;

use reengage_core::episode::Refusal;
use thiserror::Error;

use crate::store::StoreError;
use crate::store::audit::Entry;

/// Who is acting: every change records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: Option<i64>,
    pub email: String,
    pub role: reengage_core::roles::Role,
}

impl Actor {
    /// The server itself, acting on a schedule (`what`: "referral sweep").
    pub fn server(what: &str) -> Self {
        Actor {
            staff_id: None,
            email: format!("server ({what})"),
            role: reengage_core::roles::Role::Admin,
        }
    }

    /// The audit entry of `action` on `entity` `id` by this actor at `at` — the one way an
    /// entry is begun; add what changed with [`Entry::with_values`].
    pub fn entry(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        action: &str,
        entity: &str,
        id: impl std::fmt::Display,
    ) -> Entry {
        Entry::at(
            at,
            &self.email,
            self.role.as_str(),
            action,
            entity,
            &id.to_string(),
        )
    }
}

/// Why a service did not do what was asked. Nothing was written.
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("There is no {0}.")]
    NotFound(String),
    /// The signed-in person's role does not allow this (the README's Security section, `access`).
    #[error("{0}")]
    Forbidden(String),
    /// Someone else changed the record since it was loaded.
    #[error("This episode changed since you opened it ({}). Reload it, check, and try again.", .changes.join("; "))]
    Conflict {
        current_version: i64,
        changes: Vec<String>,
    },
    /// `core` refused the change; the refusal names the rule.
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Invalid(String),
    /// The record is already on file (a case number, a closure day): sent again, or taken.
    #[error("{0}")]
    Duplicate(String),
    #[error("the database could not complete the change")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ServiceError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::Db(error))
    }
}

/// `NotFound` unless episode `id` exists (read inside the caller's transaction).
pub(crate) async fn episode_must_exist(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<(), ServiceError> {
    if crate::store::episodes::exists(conn, id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound(format!("episode {id}")))
    }
}

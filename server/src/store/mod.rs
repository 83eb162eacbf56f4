//! Reading and writing the records of docs/rules.md — the same SQL on both backends.

pub mod audit;
pub mod backup;
pub mod branches;
pub mod cache;
pub mod calendar_feeds;
pub mod codes;
pub mod db;
pub mod demo;
pub mod digest;
pub mod episodes;
pub mod lists;
pub mod lookups;
pub mod narratives;
pub mod owners;
pub mod participants;
pub mod queries;
pub mod second_factor;
pub mod sessions;
pub mod staff;
pub mod staffing;
pub mod tally;
pub mod tasks;
pub mod tokens;

use thiserror::Error;

/// A stored value that cannot be read back, or a database failure.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored value “{value}” in {column} cannot be read")]
    Corrupt { column: &'static str, value: String },
}

//! The database: opening it (creating it if absent) and applying migrations.

use std::{path::PathBuf, str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use thiserror::Error;

/// Why the database could not be opened or prepared.
#[derive(Debug, Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL “{0}” is not a database address this server understands; use sqlite:PATH"
    )]
    BadUrl(String),
    #[error("cannot create the folder {path} for the database: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot apply migrations to {url}: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// The URL without any password, for logs and messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_owned(),
    }
}

/// Opens the database at `url`, creating the file and its folder if absent, and applies
/// every migration.
pub async fn open(url: &str) -> Result<SqlitePool, DbError> {
    let shown = redacted(url);
    if !url.starts_with("sqlite:") {
        return Err(DbError::BadUrl(shown));
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|_| DbError::BadUrl(shown.clone()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // Every acknowledged write survives a killed process.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));

    let file = options.get_filename();
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.exists()
        && file.to_str() != Some(":memory:")
    {
        std::fs::create_dir_all(folder).map_err(|source| DbError::CreateDir {
            path: folder.to_owned(),
            source,
        })?;
    }

    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            url: shown.clone(),
            source,
        })?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .map_err(|source| DbError::Migrate { url: shown, source })?;
    Ok(pool)
}

/// Whether the database answers a trivial query.
pub async fn ping(pool: &SqlitePool) -> bool {
    sqlx::query("SELECT 1").execute(pool).await.is_ok()
}

//! The database: SQLite (the embedded default) or PostgreSQL (several server instances),
//! chosen by `DATABASE_URL`, behind one `sqlx::Any` pool. Queries are written once, with
//! `$1` placeholders and types both backends share (dates and instants as ISO-8601 text);
//! each backend has its own migrations.

use std::{path::Path, time::Duration};

use sqlx::{
    AnyPool, Executor,
    any::{AnyPoolOptions, install_default_drivers},
    migrate::Migrator,
};
use thiserror::Error;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Every SQLite connection: WAL so readers never wait for the writer; every acknowledged
/// write survives a killed process; foreign keys enforced; wait for a busy writer. Reads map
/// the file into memory (up to 1 GiB) instead of copying each page in with a system call, and
/// each connection keeps up to 16 MiB of pages: a page of a hundred episodes otherwise spends
/// more time in `pread` than in SQLite.
const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                            PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                            PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;";

/// Which database server is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names, if it is one this server supports.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// The open database.
#[derive(Debug, Clone)]
pub struct Db {
    /// For reads, and for writes that are one statement.
    pub pool: AnyPool,
    /// For write transactions ([`begin_write`]). SQLite has one writer at a time: its own
    /// pool of one connection makes writers wait their turn in a queue here, without each
    /// holding one of the readers' connections while SQLite's busy handler polls.
    /// PostgreSQL's is the same pool as `pool`.
    pub writer: AnyPool,
    pub backend: Backend,
    /// Episode records as last read, by version (`services::episodes::read_many`).
    pub records: std::sync::Arc<crate::store::cache::RecordCache>,
    /// Branches' calendars as last read, by calendar version (`services::episodes::read`).
    pub calendars: std::sync::Arc<crate::store::cache::CalendarCache>,
    /// Failed and throttled sign-ins and refused requests, counted until they are written as
    /// one audit entry per key and window (`store::tally`).
    pub tally: std::sync::Arc<crate::store::tally::Tally>,
    /// Write transactions waiting for the writer's connection ([`begin_write`]), for
    /// `/metrics`.
    waiting_writers: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Db {
    /// How many write transactions are waiting for the writer's connection now.
    pub fn writers_waiting(&self) -> usize {
        self.waiting_writers
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Closes both pools, waiting for the connections in use to come back. On SQLite the
    /// write-ahead log is first checkpointed into the file and emptied: connections closing
    /// together may each leave the log for another to remove.
    pub async fn close(&self) {
        if self.backend == Backend::Sqlite
            && let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.writer)
                .await
        {
            // The log stays and is replayed at the next start: nothing is lost.
            tracing::warn!(%error, "the write-ahead log could not be checkpointed");
        }
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// Why the database could not be opened or prepared.
#[derive(Debug, Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL “{0}” is not a database this server supports; use sqlite:PATH or postgres://USER@HOST/NAME"
    )]
    BadUrl(String),
    #[error("cannot create the folder {path} for the database: {source}")]
    CreateDir {
        path: String,
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

/// The SQLite file of a `sqlite:` URL, without its query.
pub fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest)
}

/// The newest migration this build of Re-engage knows for SQLite.
pub fn latest_sqlite_migration() -> i64 {
    SQLITE_MIGRATIONS
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0)
}

/// Opens the database at `url` — for SQLite creating the file and its folder if absent —
/// and applies every migration.
pub async fn open(url: &str) -> Result<Db, DbError> {
    let shown = redacted(url);
    let backend = Backend::of_url(url).ok_or_else(|| DbError::BadUrl(shown.clone()))?;
    install_default_drivers();

    let mut connect_url = url.to_owned();
    if backend == Backend::Sqlite {
        let path = sqlite_path(url);
        if path.is_empty() {
            return Err(DbError::BadUrl(shown));
        }
        if let Some(folder) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            && !folder.exists()
            && path != ":memory:"
        {
            std::fs::create_dir_all(folder).map_err(|source| DbError::CreateDir {
                path: folder.display().to_string(),
                source,
            })?;
        }
        if !url.contains('?') {
            connect_url.push_str("?mode=rwc");
        }
    }

    let options = |connections: u32, wait: u64| {
        AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(wait))
            // A pooled PostgreSQL connection may have been dropped by a restart of the server:
            // it is pinged before it is handed out. An SQLite connection is a file handle that
            // nothing drops, and its ping is one more round trip to its worker thread for
            // every query a page makes.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_SETUP).await?;
                    }
                    Ok(())
                })
            })
    };
    let open_error = |source| DbError::Open {
        url: shown.clone(),
        source,
    };
    let pool = options(if backend == Backend::Sqlite { 8 } else { 16 }, 10)
        .connect(&connect_url)
        .await
        .map_err(open_error)?;
    let writer = match backend {
        // Writers queue here for as long as a request may take.
        Backend::Sqlite => options(1, 30)
            .connect_lazy(&connect_url)
            .map_err(open_error)?,
        Backend::Postgres => pool.clone(),
    };
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator
        .run(&pool)
        .await
        .map_err(|source| DbError::Migrate { url: shown, source })?;
    Ok(Db {
        pool,
        writer,
        backend,
        records: Default::default(),
        calendars: Default::default(),
        tally: Default::default(),
        waiting_writers: Default::default(),
    })
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &Db) -> bool {
    sqlx::query("SELECT 1").execute(&db.pool).await.is_ok()
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so a read-then-write transaction never fails half-way on a lock
/// upgrade; concurrent writers wait their turn (busy timeout) instead.
pub async fn begin_write(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    use std::sync::atomic::Ordering;
    /// Counts the wait, and uncounts it however the wait ends (a dropped request too).
    struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);
    impl Drop for Waiting<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::Relaxed);
        }
    }
    db.waiting_writers.fetch_add(1, Ordering::Relaxed);
    let _waiting = Waiting(&db.waiting_writers);
    match db.backend {
        Backend::Sqlite => db.writer.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => db.writer.begin().await,
    }
}

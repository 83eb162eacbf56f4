//! `reengage backup FILE`: a consistent copy of a live SQLite database, taken while the
//! server keeps serving (SQLite's `VACUUM INTO` reads one snapshot), then checked.

use std::path::Path;

use sqlx::{AnyConnection, Connection};

use crate::cli::StartError;
use crate::store::backup as store;
use crate::store::db::{Backend, Db};

/// Writes a copy of `db` to `file` and checks the copy; returns a line to print.
pub async fn backup(db: &Db, file: &Path) -> Result<String, StartError> {
    if db.backend == Backend::Postgres {
        return Err(StartError::Input(
            "For PostgreSQL use its own tools (pg_dump); reengage backup copies SQLite databases."
                .into(),
        ));
    }
    if file.exists() {
        return Err(StartError::Input(format!(
            "{} already exists; choose a new file name so no backup is overwritten.",
            file.display()
        )));
    }
    let Some(target) = file.to_str() else {
        return Err(StartError::Input(
            "Give the backup file a name in plain characters.".into(),
        ));
    };
    store::vacuum_into(db, target)
        .await
        .map_err(|e| StartError::Input(format!("cannot write {target}: {e}")))?;
    sqlx::any::install_default_drivers();
    let mut copy = AnyConnection::connect(&format!("sqlite:{target}?mode=ro"))
        .await
        .map_err(|e| StartError::Input(format!("cannot open the copy {target}: {e}")))?;
    let check = store::integrity_check(&mut copy)
        .await
        .map_err(|e| StartError::Input(format!("cannot check the copy {target}: {e}")))?;
    let _ = copy.close().await;
    if check != "ok" {
        return Err(StartError::Input(format!(
            "the copy {target} failed its integrity check: {check}"
        )));
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "backed up to {target} ({bytes} bytes, integrity ok)\n"
    ))
}

/// What `reengage restore` needs: the database to replace, and the audit key and anchor the
/// copy is checked with.
pub struct RestoreTarget<'a> {
    pub database_url: &'a str,
    pub anchor: &'a Path,
}

/// `reengage restore FILE`, with the server stopped: checks the backup `file` (SQLite's
/// integrity check, a Re-engage schema no newer than this release's, migrated forward to
/// this release, its audit chain verified with the key in use) on a copy beside the
/// database; only then moves the database it replaces (and its write-ahead log) aside as
/// `….before-restore-TIME`, puts the checked copy in its place, and signs the restored
/// chain's head into the audit anchor (the old anchor kept beside it). A check that fails
/// changes nothing. Returns a line to print.
///
/// `use_key` loads the audit key in use (as every command that opens the database does).
pub async fn restore(
    target: RestoreTarget<'_>,
    file: &Path,
    use_key: impl FnOnce() -> Result<(), StartError>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, StartError> {
    if !target.database_url.starts_with("sqlite:") {
        return Err(StartError::Input(
            "For PostgreSQL restore with its own tools (pg_restore or psql, from pg_dump's file); \
             reengage restore puts back SQLite backups."
                .into(),
        ));
    }
    let database = Path::new(crate::store::db::sqlite_path(target.database_url)).to_path_buf();
    let Some(source) = file.to_str() else {
        return Err(StartError::Input(
            "Give the backup file's name in plain characters.".into(),
        ));
    };
    if !file.is_file() {
        return Err(StartError::Input(format!(
            "{source} is not a file: give the path of a backup `reengage backup` wrote."
        )));
    }
    if file.canonicalize().ok() == database.canonicalize().ok() {
        return Err(StartError::Input(
            "That file is the database itself: give a backup's path.".into(),
        ));
    }
    // The backup as it is: whole, and a Re-engage database this release can read.
    sqlx::any::install_default_drivers();
    let mut backup = AnyConnection::connect(&format!("sqlite:{source}?mode=ro"))
        .await
        .map_err(|e| StartError::Input(format!("cannot open {source} as a database: {e}")))?;
    let check = store::integrity_check(&mut backup).await;
    let schema = store::latest_migration(&mut backup).await;
    let _ = backup.close().await;
    match check {
        Ok(check) if check == "ok" => {}
        Ok(check) => {
            return Err(StartError::Input(format!(
                "{source} failed SQLite's integrity check ({check}); nothing was restored. \
                 Take an older backup."
            )));
        }
        Err(e) => {
            return Err(StartError::Input(format!(
                "{source} is not an SQLite database ({e}); nothing was restored."
            )));
        }
    }
    let latest = crate::store::db::latest_sqlite_migration();
    match schema {
        Ok(Some(version)) if version <= latest => {}
        Ok(Some(version)) => {
            return Err(StartError::Input(format!(
                "{source} was written by a newer release of Re-engage (its schema is at \
                 migration {version}, this release knows {latest}); restore it with that release."
            )));
        }
        Ok(None) | Err(_) => {
            return Err(StartError::Input(format!(
                "{source} is not a Re-engage database (it has no migration table); nothing was restored."
            )));
        }
    }

    // A copy beside the database, migrated forward and checked there.
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let beside = |suffix: &str| {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    let staged = beside(".restoring");
    let remove_staged = || {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = staged.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    };
    remove_staged();
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StartError::Input(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::copy(file, &staged).map_err(|e| {
        StartError::Input(format!("cannot copy {source} to {}: {e}", staged.display()))
    })?;
    let checked = async {
        use_key()?;
        let copy = crate::store::db::open(&format!("sqlite:{}", staged.display()))
            .await
            .map_err(|e| StartError::Input(format!("the backup could not be opened: {e}")))?;
        let verified = crate::store::audit::verify(&copy).await;
        // Everything in the one file before it is moved into place.
        copy.close().await;
        verified.map_err(|broken| {
            StartError::Input(format!(
                "the backup's audit log does not verify with the audit key in use ({broken}); \
                 nothing was restored. Is REENGAGE_AUDIT_KEY (or the key file) this deployment's?"
            ))
        })
    }
    .await;
    let entries = match checked {
        Ok(entries) => entries,
        Err(error) => {
            remove_staged();
            return Err(error);
        }
    };

    // In place: the database replaced (and its log) kept aside, the checked copy renamed in.
    let kept = beside(&format!(".before-restore-{stamp}"));
    if database.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let (mut from, mut to) = (
                database.clone().into_os_string(),
                kept.clone().into_os_string(),
            );
            from.push(suffix);
            to.push(suffix);
            if Path::new(&from).exists() {
                std::fs::rename(&from, &to).map_err(|e| {
                    StartError::Input(format!("cannot move the database aside: {e}"))
                })?;
            }
        }
    }
    std::fs::rename(&staged, &database).map_err(|e| {
        StartError::Input(format!(
            "cannot put the restored copy in place ({e}); the database it would replace is {}",
            kept.display()
        ))
    })?;
    remove_staged();

    // The anchor now signs the restored chain's head; the old one is kept beside it.
    let old_anchor = {
        let mut name = target.anchor.as_os_str().to_owned();
        name.push(format!(".before-restore-{stamp}"));
        std::path::PathBuf::from(name)
    };
    if target.anchor.exists() {
        let _ = std::fs::rename(target.anchor, &old_anchor);
    }
    let restored = crate::store::db::open(target.database_url)
        .await
        .map_err(|e| {
            StartError::Input(format!("the restored database could not be opened: {e}"))
        })?;
    let signed = crate::services::audit::write_anchor(&restored, target.anchor).await;
    restored.close().await;
    signed.map_err(StartError::Input)?;
    let replaced = if kept.exists() {
        format!("; the database it replaced is kept as {}", kept.display())
    } else {
        String::new()
    };
    Ok(format!(
        "restored {source} into {}: integrity ok, schema at migration {latest}, \
         {entries} audit entries verified{replaced}\n",
        database.display()
    ))
}

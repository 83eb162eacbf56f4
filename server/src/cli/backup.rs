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

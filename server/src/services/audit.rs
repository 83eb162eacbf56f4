//! The audit chain's key and its signed head, kept outside the database.
//!
//! The key comes from `REENGAGE_AUDIT_KEY`, else from a key file (`REENGAGE_AUDIT_KEY_FILE`;
//! by default `audit.key` beside the SQLite database, or `data/audit.key` for PostgreSQL),
//! created with 32 random bytes on first use. Several server instances on one PostgreSQL
//! database must share one key.
//!
//! The server signs the chain's newest entry `(id, hash)` with the key every minute and at
//! shutdown, writes it to its log and to the anchor file (`REENGAGE_AUDIT_ANCHOR`; by default
//! `audit.anchor` beside the key file), and `reengage audit verify` checks the log against the
//! anchor: the newest entries removed, or the chain rewritten, no longer match it.

use std::path::{Path, PathBuf};

use crate::store::audit::{self, AuditKey, Broken, SignedHead};
use crate::store::db::Db;

/// Where the key file and the anchor are for `database_url` when not configured: beside an
/// SQLite database, else `data/`.
pub fn default_dir(database_url: &str) -> PathBuf {
    database_url
        .strip_prefix("sqlite:")
        .map(|path| path.trim_start_matches("//"))
        .map(Path::new)
        .and_then(Path::parent)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or_else(
            || {
                if database_url.starts_with("sqlite:") {
                    PathBuf::from(".")
                } else {
                    PathBuf::from("data")
                }
            },
            Path::to_path_buf,
        )
}

/// The key: `text` when given (the environment's), else the key file's, created with 32
/// random bytes (hex) and mode 0600 when it does not exist yet.
pub fn load_key(text: Option<&str>, file: &Path) -> Result<AuditKey, String> {
    if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
        return AuditKey::new(text).map_err(|e| format!("REENGAGE_AUDIT_KEY: {e}"));
    }
    match std::fs::read_to_string(file) {
        Ok(text) => AuditKey::new(&text).map_err(|e| format!("{}: {e}", file.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0_u8; 32];
            getrandom::fill(&mut bytes)
                .map_err(|e| format!("no random bytes for the audit key: {e}"))?;
            let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            write_private(file, &format!("{text}\n"))
                .map_err(|e| format!("cannot write the audit key {}: {e}", file.display()))?;
            tracing::warn!(file = %file.display(), "a new audit key was created; keep a copy of it apart from the database's backups");
            AuditKey::new(&text)
        }
        Err(error) => Err(format!(
            "cannot read the audit key {}: {error}",
            file.display()
        )),
    }
}

#[cfg(unix)]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    out.write_all(text.as_bytes())?;
    out.sync_all()
}

#[cfg(not(unix))]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

/// Signs the chain's newest entry with the key in use, logs it, and writes it to `anchor`
/// (replacing what was there, atomically). Nothing to sign without a key or an entry.
pub async fn write_anchor(db: &Db, anchor: &Path) -> Result<Option<SignedHead>, String> {
    let Some(key) = audit::key() else {
        return Ok(None);
    };
    let Some((id, hash)) = audit::head(db).await.map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let head = SignedHead {
        signature: key.sign_head(id, &hash),
        id,
        hash,
    };
    tracing::info!(id = head.id, hash = %head.hash, signature = %head.signature, "audit head signed");
    let line = format!("{} {} {}\n", head.id, head.hash, head.signature);
    if let Some(dir) = anchor.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let partial = anchor.with_extension("partial");
    std::fs::write(&partial, line)
        .and_then(|()| std::fs::rename(&partial, anchor))
        .map_err(|e| format!("cannot write the audit anchor {}: {e}", anchor.display()))?;
    Ok(Some(head))
}

/// The signed head in `anchor`, if the file exists.
pub fn read_anchor(anchor: &Path) -> Result<Option<SignedHead>, String> {
    let text = match std::fs::read_to_string(anchor) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read {}: {error}", anchor.display())),
    };
    let mut parts = text.split_whitespace();
    let (Some(id), Some(hash), Some(signature)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("{} is not an audit anchor", anchor.display()));
    };
    Ok(Some(SignedHead {
        id: id
            .parse()
            .map_err(|_| format!("{} is not an audit anchor", anchor.display()))?,
        hash: hash.to_owned(),
        signature: signature.to_owned(),
    }))
}

/// The whole check of `reengage audit verify`: the chain, the triggers and the anchor.
pub async fn verify(db: &Db, anchor: &Path) -> Result<(u64, Option<SignedHead>), Broken> {
    let head = read_anchor(anchor).map_err(Broken::BadHead)?;
    let checked = audit::verify_against(db, head.as_ref()).await?;
    Ok((checked, head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_go_beside_an_sqlite_database_else_in_data() {
        assert_eq!(default_dir("sqlite:data/demo.db"), PathBuf::from("data"));
        assert_eq!(
            default_dir("sqlite:/var/lib/re/x.db"),
            PathBuf::from("/var/lib/re")
        );
        assert_eq!(default_dir("sqlite:x.db"), PathBuf::from("."));
        assert_eq!(default_dir("postgres://u@h/db"), PathBuf::from("data"));
    }

    #[test]
    fn a_key_file_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keys/audit.key");
        let first = load_key(None, &file).unwrap();
        let again = load_key(None, &file).unwrap();
        assert_eq!(first.sign_head(1, "h"), again.sign_head(1, "h"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let short = load_key(Some("too short"), &file).unwrap_err();
        assert!(short.contains("at least 32"), "{short}");
    }
}

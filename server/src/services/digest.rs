//! A person's own choice of the morning digest e-mail (docs/digest.md): on by default, turned
//! off and on again at `/account/email`; each change written to the audit trail with it.

use chrono::{DateTime, Utc};

use crate::services::ServiceError;
use crate::services::accounts::Staff;
use crate::store::db::{self, Db};
use crate::store::{audit, digest};

/// Whether `staff` gets the morning digest.
pub async fn setting(db: &Db, staff: &Staff) -> Result<bool, ServiceError> {
    digest::setting(db, staff.id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("such account".into()))
}

/// Turns the morning digest on or off for `staff` themselves; the change and its audit entry
/// in one transaction. Asking for what is already so changes nothing and writes nothing.
pub async fn set(db: &Db, staff: &Staff, on: bool, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let mut tx = db::begin_write(db).await?;
    let before = digest::set_setting(&mut tx, staff.id, on)
        .await?
        .ok_or_else(|| ServiceError::NotFound("such account".into()))?;
    if before == on {
        return Ok(());
    }
    let entry = staff
        .actor()
        .entry(now, "staff.digest_email", "staff", staff.id)
        .with_values(
            Some(serde_json::json!({ "digest_email": before }).to_string()),
            Some(serde_json::json!({ "digest_email": on }).to_string()),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

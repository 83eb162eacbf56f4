//! A person's secret calendar feed: the address a calendar app (Google Calendar, Outlook,
//! Apple Calendar) subscribes to, `/feeds/calendar/{secret}.ics`, read without a session. It
//! holds what `/calendar.ics` holds for that person: their own caseload's coming
//! re-engagement appointments, a supervisor's branch's.
//!
//! The secret is 256 random bits, shown once in the feed's address and stored only as its
//! SHA-256. One live feed per person: making a new one revokes the old one. Its owner can
//! turn it off; a new password, a new role or branch, or a disabled account revokes it
//! (`services::accounts`, in the same transaction as the change), signing out does not.
//! Making, revoking and every read are audited; an address that names no live feed is only
//! counted (`store::tally`), so strangers trying addresses cannot fill the audit log.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::services::access::{self, Action, Record};
use crate::services::accounts::{AuthError, Staff};
use crate::services::{Actor, ServiceError};
use crate::store::codes::instant;
use crate::store::db::{self, Db};
use crate::store::{audit, calendar_feeds};

/// Random bytes in a secret: 256 bits.
const SECRET_BYTES: usize = 32;
/// Characters of a secret as written (base64url without padding).
pub const SECRET_CHARS: usize = 43;
/// The audit action of a read of a live feed.
pub const READ: &str = "calendar.feed_read";
/// The counted (aggregated) audit action of an address that names no live feed.
pub const UNKNOWN: &str = "calendar.feed_unknown";

/// The stored form of `secret`.
fn secret_hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` could be one Re-engage made (checked before any lookup).
pub fn well_formed(secret: &str) -> bool {
    secret.len() == SECRET_CHARS
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The feed's path for `secret`.
pub fn path(secret: &str) -> String {
    format!("/feeds/calendar/{secret}.ics")
}

/// A live feed as its owner's page shows it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub id: i64,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// The live feed of `staff`, if any.
pub async fn current(db: &Db, staff: &Staff) -> Result<Option<Feed>, ServiceError> {
    Ok(calendar_feeds::live_of(db, staff.id)
        .await?
        .map(|(id, created_at, last_used_at)| Feed {
            id,
            created_at,
            last_used_at,
        }))
}

/// Makes a new feed for `staff` (revoking the one they had); returns its secret, which is
/// not stored and cannot be shown again. Refused to a role with no appointments (an admin).
pub async fn create(db: &Db, staff: &Staff, now: DateTime<Utc>) -> Result<String, ServiceError> {
    access::authorize(db, staff, Action::ListEpisodes, Record::None, now).await?;
    let mut bytes = [0_u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no random bytes for a calendar feed");
        ServiceError::Invalid("Re-engage could not make a new address; try again.".into())
    })?;
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let at = instant(now);
    let mut tx = db::begin_write(db).await?;
    let replaced = calendar_feeds::revoke_all_of(&mut tx, staff.id, &at).await?;
    let id = calendar_feeds::insert(&mut tx, staff.id, &secret_hash(&secret), &at).await?;
    let entry = staff
        .actor()
        .entry(now, "calendar_feed.created", "calendar_feed", id)
        .with_values(
            None,
            Some(json!({ "staff_id": staff.id, "replaced": replaced }).to_string()),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(secret)
}

/// Turns off the live feed of staff member `staff_id`, as `by`; whether there was one.
async fn revoke(
    db: &Db,
    by: &Actor,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(db).await?;
    let Some(id) = calendar_feeds::revoke_all_of(&mut tx, staff_id, &instant(now)).await? else {
        return Ok(false);
    };
    let entry = by
        .entry(now, "calendar_feed.revoked", "calendar_feed", id)
        .with_values(None, Some(json!({ "staff_id": staff_id }).to_string()));
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// Turns off the live feed of `staff`, by themselves; whether there was one.
pub async fn revoke_own(db: &Db, staff: &Staff, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    Ok(revoke(db, &staff.actor(), staff.id, now).await?)
}

/// Turns off the live feed of the account `email` (an admin's doing); whether there was one.
pub async fn revoke_of(
    db: &Db,
    by: &Actor,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, AuthError> {
    let email = email.trim().to_lowercase();
    let mut conn = db.pool.acquire().await?;
    let staff_id = crate::store::staff::id_by_email(&mut conn, &email).await?;
    drop(conn);
    let staff_id = staff_id.ok_or(AuthError::UnknownStaff(email))?;
    Ok(revoke(db, by, staff_id, now).await?)
}

/// The live feed `secret` names and its owner (an active account of a role Re-engage
/// knows): `(feed id, owner)`; `None` for anything else.
pub async fn owner(db: &Db, secret: &str) -> Result<Option<(i64, Staff)>, sqlx::Error> {
    if !well_formed(secret) {
        return Ok(None);
    }
    let Some(row) = calendar_feeds::owner_of(db, &secret_hash(secret)).await? else {
        return Ok(None);
    };
    let (feed_id, _, id, email, initials, role, branch_id) = row;
    Ok(Staff::from_stored(id, email, initials, &role, branch_id).map(|staff| (feed_id, staff)))
}

/// Records a read of feed `feed_id` by its owner's calendar app, with how many events it
/// held: the feed's "last used" and an audit entry, in one transaction. A read that cannot be
/// recorded is not answered.
pub async fn record_read(
    db: &Db,
    staff: &Staff,
    feed_id: i64,
    events: usize,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(db).await?;
    calendar_feeds::touch(&mut tx, feed_id, &instant(now)).await?;
    let entry = staff
        .actor()
        .entry(now, READ, "calendar_feed", feed_id)
        .with_values(None, Some(json!({ "events": events }).to_string()));
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await
}

/// Counts a request for a feed that does not exist (or no longer does) from `address`: one
/// aggregated audit entry per network and window, never a write per request.
pub fn count_unknown(db: &Db, address: std::net::IpAddr, now: DateTime<Utc>) {
    db.tally.count(
        crate::store::tally::Key {
            action: UNKNOWN,
            actor: "(no live feed)".into(),
            role: "-".into(),
            address: Some(crate::store::tally::network(address).to_string()),
        },
        None,
        now,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_checked_for_its_form_before_any_lookup() {
        let secret = URL_SAFE_NO_PAD.encode([7_u8; SECRET_BYTES]);
        assert_eq!(secret.len(), SECRET_CHARS);
        assert!(well_formed(&secret));
        assert!(!well_formed(&secret[1..]));
        assert!(!well_formed(&format!("{}%", &secret[1..])));
        assert!(!well_formed(&format!("{}/", &secret[1..])));
        assert!(!well_formed(""));
        // Only the hash is stored, and it is not the secret.
        assert_eq!(secret_hash(&secret).len(), 64);
        assert!(!secret_hash(&secret).contains(&secret));
    }
}

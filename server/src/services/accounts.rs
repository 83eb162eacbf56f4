//! Who is acting: staff accounts with argon2id password hashes (hashed off the async
//! threads) and personal API tokens for scripts, stored only as SHA-256 hashes.

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::services::Actor;
use crate::store::audit;
use crate::store::codes::instant;
use crate::store::db::{self, Db};
use crate::store::{self, calendar_feeds, tokens};
use reengage_core::roles::Role;

pub use crate::services::passwords::{
    MAX_CHARS as MAX_PASSWORD_CHARS, MIN_CHARS as MIN_PASSWORD_CHARS,
};

#[derive(Debug, Error)]
pub enum AuthError {
    #[error(transparent)]
    WeakPassword(#[from] crate::services::passwords::Weak),
    #[error("There is no staff member with the e-mail {0}.")]
    UnknownStaff(String),
    #[error("A staff member with the e-mail {0} already exists.")]
    DuplicateEmail(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the database could not complete the change: {0}")]
    Db(#[from] sqlx::Error),
    #[error("password hashing failed")]
    Hash,
}

/// How many argon2 runs at once on a machine with `cores` cores: one core is always left to
/// the people already signed in (a burst of guesses cannot take every core from their
/// writes), and at least one runs.
pub fn argon2_parallelism(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

/// argon2 at most [`argon2_parallelism`] at a time, whatever the number of requests: each run
/// holds about 19 MiB, so an unbounded number in parallel would exhaust memory before CPU.
fn argon2_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        tokio::sync::Semaphore::new(argon2_parallelism(cores))
    })
}

/// Runs `work` (an argon2 hash or check) on a blocking thread once a slot is free.
async fn with_argon2<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _slot = argon2_slots().acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// A hash no password is known for, checked against when an e-mail has no account, so an
/// unknown e-mail takes as long as a wrong password (timing does not reveal accounts).
pub async fn unknown_account_hash() -> &'static str {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async {
        let mut secret = [0_u8; 32];
        let _ = getrandom::fill(&mut secret);
        let secret = format!("{secret:02x?}");
        with_argon2(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(secret.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .unwrap_or_default()
        })
        .await
        .unwrap_or_default()
    })
    .await
}

/// Hashes `password` with argon2id on a blocking thread (after the length rules of
/// `passwords`; the other rules are for new passwords, see [`new_password_hash`]).
pub async fn hash_password(password: String) -> Result<String, AuthError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(crate::services::passwords::Weak::TooShort.into());
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(crate::services::passwords::Weak::TooLong.into());
    }
    with_argon2(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|_| AuthError::Hash)
    })
    .await
    .ok_or(AuthError::Hash)?
}

/// Checks a new password for the account `email` against every rule, then hashes it.
pub async fn new_password_hash(password: String, email: &str) -> Result<String, AuthError> {
    crate::services::passwords::check(&password, email)?;
    hash_password(password).await
}

/// Whether `password` matches `stored`, checked on a blocking thread.
pub async fn verify_password(password: String, stored: String) -> bool {
    with_argon2(move || {
        PasswordHash::new(&stored)
            .map(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// A new staff account.
#[derive(Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub initials: String,
    /// family_coach, case_aide, engagement_specialist, operations_manager, lead_worker,
    /// contractor or admin
    pub role: Role,
    /// The branch (office) name; created if new.
    pub branch: Option<String>,
    pub password: String,
    /// The work phone printed on the DHS 7869 notices they send.
    #[serde(default)]
    pub phone: Option<String>,
}

impl std::fmt::Debug for NewStaff {
    // Never print the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewStaff")
            .field("email", &self.email)
            .field("role", &self.role)
            .field("branch", &self.branch)
            .finish_non_exhaustive()
    }
}

/// The branch named `name`, created inside the caller's transaction if it is new.
async fn branch_named(conn: &mut sqlx::AnyConnection, name: &str) -> Result<i64, sqlx::Error> {
    match store::staff::branch_id_named(&mut *conn, name).await? {
        Some(id) => Ok(id),
        None => store::staff::insert_branch(conn, name).await,
    }
}

/// Creates a staff account (the branch is created if new); returns its id.
pub async fn create_staff(
    db: &Db,
    by: &Actor,
    new: NewStaff,
    now: DateTime<Utc>,
) -> Result<i64, AuthError> {
    let email = new.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(AuthError::Invalid(format!(
            "“{email}” is not an e-mail address."
        )));
    }
    if new.name.trim().is_empty() || new.initials.trim().is_empty() {
        return Err(AuthError::Invalid(
            "Give the staff member's name and initials.".into(),
        ));
    }
    let phone = staff_phone(new.phone.as_deref())?;
    let hash = new_password_hash(new.password, &email).await?;
    let mut tx = db::begin_write(db).await?;
    let exists = store::staff::id_by_email(&mut tx, &email).await?;
    if exists.is_some() {
        return Err(AuthError::DuplicateEmail(email));
    }
    let branch_id = match new
        .branch
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        None => None,
        Some(name) => Some(branch_named(&mut tx, name).await?),
    };
    let id = store::staff::insert(
        &mut tx,
        store::staff::NewRow {
            email: &email,
            name: new.name.trim(),
            initials: &new.initials.trim().to_uppercase(),
            role: new.role.as_str(),
            branch_id,
            password_hash: &hash,
            created_at: &instant(now),
            phone: phone.as_deref(),
        },
    )
    .await?;
    let entry = by.entry(now, "staff.created", "staff", id).with_values(
        None,
        Some(
            serde_json::json!({ "email": email, "role": new.role, "branch_id": branch_id })
                .to_string(),
        ),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new password for the staff member with `email` (an admin's doing: its owner must
/// choose their own at the next sign-in). Every session of that account ends — the session's
/// check value is derived from the password hash — and its API tokens are revoked.
pub async fn set_password(
    db: &Db,
    by: &Actor,
    email: &str,
    password: String,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let must_change = by.email.trim().to_lowercase() != email.trim().to_lowercase();
    store_password(db, by, email, password, must_change, now).await
}

/// A signed-in person's own new password, given with their current one (ASVS 6.2.2/6.2.3);
/// nothing changes when the current one is wrong. Their other sessions end and their tokens
/// are revoked, as for any new password.
pub async fn change_own_password(
    db: &Db,
    staff: &Staff,
    current: String,
    new: String,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let found = store::staff::for_sign_in(db, store::staff::SignInKey::Id(staff.id)).await?;
    let Some((.., Some(stored), _, _)) = found else {
        return Err(AuthError::UnknownStaff(staff.email.clone()));
    };
    if !verify_password(current.clone(), stored).await {
        return Err(AuthError::Invalid(
            "Your current password is not right. Type it again; your new one was not saved.".into(),
        ));
    }
    if current == new {
        return Err(AuthError::Invalid(
            "Choose a new password, not the one you have now.".into(),
        ));
    }
    store_password(db, &staff.actor(), &staff.email, new, false, now).await
}

async fn store_password(
    db: &Db,
    by: &Actor,
    email: &str,
    password: String,
    must_change: bool,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let email = email.trim().to_lowercase();
    let hash = new_password_hash(password, &email).await?;
    let mut tx = db::begin_write(db).await?;
    let id = store::staff::set_password_hash(&mut tx, &email, &hash, must_change).await?;
    let id = id.ok_or_else(|| AuthError::UnknownStaff(email.clone()))?;
    // A new password revokes the account's API tokens and calendar feed too: whoever had
    // the old one may have made them.
    let revoked = tokens::revoke_all_of(&mut tx, id, &instant(now)).await?;
    let feed = calendar_feeds::revoke_all_of(&mut tx, id, &instant(now)).await?;
    let entry = by
        .entry(now, "staff.password_changed", "staff", id)
        .with_values(
            None,
            Some(
                serde_json::json!({
                    "tokens_revoked": revoked,
                    "calendar_feed_revoked": feed,
                    "must_change": must_change,
                })
                .to_string(),
            ),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (or enables again) the account with `email`. A disabled account's sessions and
/// tokens stop working at once: both are checked against `active` on every request.
pub async fn set_active(
    db: &Db,
    by: &Actor,
    email: &str,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let email = email.trim().to_lowercase();
    let mut tx = db::begin_write(db).await?;
    let id = store::staff::set_active(&mut tx, &email, active).await?;
    let id = id.ok_or_else(|| AuthError::UnknownStaff(email.clone()))?;
    let action = if active {
        "staff.enabled"
    } else {
        "staff.disabled"
    };
    // Disabled: its tokens and calendar feed are revoked for good, so enabling the account
    // again does not bring them back.
    let (revoked, feed) = if active {
        (0, None)
    } else {
        (
            tokens::revoke_all_of(&mut tx, id, &instant(now)).await?,
            calendar_feeds::revoke_all_of(&mut tx, id, &instant(now)).await?,
        )
    };
    let entry = by.entry(now, action, "staff", id).with_values(
        None,
        Some(
            serde_json::json!({ "tokens_revoked": revoked, "calendar_feed_revoked": feed })
                .to_string(),
        ),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A change of what a staff member does: their role, or their branch (`None`: no branch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostChange {
    Role(Role),
    Branch(Option<String>),
}

/// Gives the account with `email` a new role or branch; returns how many API tokens were
/// revoked, or `None` when the account already had that role or branch (nothing changes).
///
/// A token or a session was granted to what the person did when it was made: a coach moved
/// to another branch must not keep reaching the old branch's records through a script, and a
/// coach made a supervisor must sign in again, with the second factor a supervisor needs. So
/// a change ends every session of the account and revokes its tokens and its calendar feed,
/// in the same transaction as the change and its audit entry.
pub async fn change_post(
    db: &Db,
    by: &Actor,
    email: &str,
    change: PostChange,
    now: DateTime<Utc>,
) -> Result<Option<u64>, AuthError> {
    let email = email.trim().to_lowercase();
    let mut tx = db::begin_write(db).await?;
    let (id, role, branch_id) = store::staff::post_of(&mut tx, &email)
        .await?
        .ok_or_else(|| AuthError::UnknownStaff(email.clone()))?;
    let (new_role, new_branch) = match &change {
        PostChange::Role(new) => (new.as_str().to_owned(), branch_id),
        PostChange::Branch(None) => (role.clone(), None),
        PostChange::Branch(Some(name)) => {
            let name = name.trim();
            if name.is_empty() {
                return Err(AuthError::Invalid(
                    "Give the branch's name, or move the account to no branch.".into(),
                ));
            }
            (role.clone(), Some(branch_named(&mut tx, name).await?))
        }
    };
    if new_role == role && new_branch == branch_id {
        return Ok(None);
    }
    store::staff::set_post(&mut tx, id, &new_role, new_branch).await?;
    let revoked = tokens::revoke_all_of(&mut tx, id, &instant(now)).await?;
    // The calendar feed was made for the old post's caseload or branch.
    let feed = calendar_feeds::revoke_all_of(&mut tx, id, &instant(now)).await?;
    let action = match change {
        PostChange::Role(_) => "staff.role_changed",
        PostChange::Branch(_) => "staff.branch_changed",
    };
    let entry = by.entry(now, action, "staff", id).with_values(
        Some(serde_json::json!({ "role": role, "branch_id": branch_id }).to_string()),
        Some(
            serde_json::json!({
                "role": new_role,
                "branch_id": new_branch,
                "tokens_revoked": revoked,
                "calendar_feed_revoked": feed,
            })
            .to_string(),
        ),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(Some(revoked))
}

/// How long a token lasts unless another term is asked for.
pub const TOKEN_DAYS: u32 = 90;
/// The longest term a token may be given.
pub const MAX_TOKEN_DAYS: u32 = 366;
/// How stale a token's "last used" may get before a use records it again.
const TOUCH_EVERY_MINUTES: i64 = 60;

/// Creates a personal API token for the staff member with `email`, for [`TOKEN_DAYS`];
/// returns the token, which is not stored and cannot be shown again.
pub async fn create_token(
    db: &Db,
    by: &Actor,
    email: &str,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    create_token_for(db, by, email, TOKEN_DAYS, now).await
}

/// [`create_token`] for `days` (1 to [`MAX_TOKEN_DAYS`]).
pub async fn create_token_for(
    db: &Db,
    by: &Actor,
    email: &str,
    days: u32,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(AuthError::Invalid(format!(
            "A token lasts from 1 to {MAX_TOKEN_DAYS} days."
        )));
    }
    let email = email.trim().to_lowercase();
    let mut tx = db::begin_write(db).await?;
    let staff = store::staff::active_id_by_email(&mut tx, &email).await?;
    let staff_id = staff.ok_or_else(|| AuthError::UnknownStaff(email.clone()))?;
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::Hash)?;
    let token = format!("re_{}", URL_SAFE_NO_PAD.encode(bytes));
    let expires = now + chrono::Duration::days(i64::from(days));
    let token_id = tokens::insert(
        &mut tx,
        staff_id,
        &token_hash(&token),
        "personal",
        &instant(now),
        &instant(expires),
    )
    .await?;
    let entry = by
        .entry(now, "token.created", "api_token", token_id)
        .with_values(
            None,
            Some(
                serde_json::json!({ "staff_id": staff_id, "expires_at": instant(expires) })
                    .to_string(),
            ),
        );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(token)
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub email: String,
    pub initials: String,
    pub role: Role,
    pub branch_id: Option<i64>,
}

impl Staff {
    /// The staff member of a stored account; none for a role Re-engage does not know, which
    /// can then neither sign in nor use a token.
    pub fn from_stored(
        id: i64,
        email: String,
        initials: String,
        role: &str,
        branch_id: Option<i64>,
    ) -> Option<Self> {
        Some(Self {
            id,
            email,
            initials,
            role: Role::parse(role)?,
            branch_id,
        })
    }

    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: Some(self.id),
            email: self.email.clone(),
            role: self.role,
        }
    }
}

/// The active staff member a live bearer token belongs to at `now`: not revoked, not
/// expired (a token stored without an expiry lasts [`TOKEN_DAYS`] from its creation). A use
/// is recorded as the token's "last used" when that is more than an hour old, after the
/// answer, so reads do not wait for the database's writer.
pub async fn staff_for_token(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Staff>, sqlx::Error> {
    let Some(row) = tokens::staff_of(db, &token_hash(token.trim())).await? else {
        return Ok(None);
    };
    let (id, email, initials, role, branch_id, token_id, created_at, expires_at, last_used) = row;
    let parse = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|at| at.with_timezone(&Utc))
    };
    let expires = match expires_at.as_deref() {
        Some(at) => parse(at),
        None => parse(&created_at).map(|at| at + chrono::Duration::days(i64::from(TOKEN_DAYS))),
    };
    if expires.is_none_or(|expires| now >= expires) {
        return Ok(None);
    }
    let stale = last_used
        .as_deref()
        .and_then(parse)
        .is_none_or(|at| now - at > chrono::Duration::minutes(TOUCH_EVERY_MINUTES));
    if stale {
        let db = db.clone();
        let at = instant(now);
        tokio::spawn(async move {
            if let Err(error) = tokens::touch(&db, token_id, &at).await {
                tracing::warn!(%error, "a token's last use could not be recorded");
            }
        });
    }
    Ok(Staff::from_stored(id, email, initials, &role, branch_id))
}

/// A token as an admin sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub email: String,
    pub created_at: String,
    /// When it stops working (a token stored without one: 90 days after creation).
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The tokens of the staff member with `email`, or every token, newest first.
pub async fn list_tokens(db: &Db, email: Option<&str>) -> Result<Vec<TokenInfo>, AuthError> {
    let staff_id = match email {
        Some(email) => {
            let email = email.trim().to_lowercase();
            let mut conn = db.pool.acquire().await?;
            let id = store::staff::id_by_email(&mut conn, &email).await?;
            Some(id.ok_or(AuthError::UnknownStaff(email))?)
        }
        None => None,
    };
    let rows = tokens::list(db, staff_id).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, email, created_at, expires_at, last_used_at, revoked_at)| TokenInfo {
                id,
                email,
                created_at,
                expires_at,
                last_used_at,
                revoked_at,
            },
        )
        .collect())
}

/// Revokes token `id`; whether it was live. Audited.
pub async fn revoke_token(
    db: &Db,
    by: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AuthError> {
    let mut tx = db::begin_write(db).await?;
    let Some(staff_id) = tokens::revoke(&mut tx, id, &instant(now)).await? else {
        return Ok(false);
    };
    let entry = by.entry(now, "token.revoked", "api_token", id).with_values(
        None,
        Some(serde_json::json!({ "staff_id": staff_id }).to_string()),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// A staff account as the admin pages list it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StaffAccount {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub initials: String,
    /// A role Re-engage does not know is listed as it is stored, so an admin can see it.
    pub role: String,
    pub branch_id: Option<i64>,
    pub active: bool,
    /// The work phone printed on the notices they send.
    pub phone: Option<String>,
}

/// Every staff account, by name.
pub async fn list_staff(db: &Db) -> Result<Vec<StaffAccount>, sqlx::Error> {
    let rows = store::staff::list(db).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, email, name, initials, role, branch_id, active, phone)| StaffAccount {
                id,
                email,
                name,
                initials,
                role,
                branch_id,
                active: active != 0,
                phone,
            },
        )
        .collect())
}

/// The longest work phone accepted.
pub const MAX_PHONE_CHARS: usize = 40;

/// A work phone as typed: trimmed, `None` when empty, refused when too long or with no digit.
fn staff_phone(phone: Option<&str>) -> Result<Option<String>, AuthError> {
    let phone = phone.map(str::trim).filter(|p| !p.is_empty());
    match phone {
        Some(p)
            if p.chars().count() > MAX_PHONE_CHARS || !p.chars().any(|c| c.is_ascii_digit()) =>
        {
            Err(AuthError::Invalid(format!(
                "Enter the work phone with its digits, e.g. 503-555-0100 ext. 12 (at most {MAX_PHONE_CHARS} characters), or leave it empty."
            )))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

/// Sets (or with `None` removes) staff member `id`'s work phone, audited with the old and new
/// numbers (a work number, not personal data of a participant).
pub async fn set_phone(
    db: &Db,
    by: &Actor,
    id: i64,
    phone: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let phone = staff_phone(phone)?;
    let mut tx = db::begin_write(db).await?;
    let before = store::staff::phone_of(&mut tx, id)
        .await?
        .ok_or_else(|| AuthError::UnknownStaff(format!("#{id}")))?;
    store::staff::set_phone(&mut tx, id, phone.as_deref()).await?;
    let entry = by.entry(now, "staff.phone_set", "staff", id).with_values(
        Some(serde_json::json!({ "phone": before }).to_string()),
        Some(serde_json::json!({ "phone": phone }).to_string()),
    );
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The e-mail of staff member `id`.
pub async fn email_of(db: &Db, id: i64) -> Result<String, AuthError> {
    let email = store::staff::email_of(db, id).await?;
    email.ok_or_else(|| AuthError::UnknownStaff(format!("#{id}")))
}

#[cfg(test)]
mod tests {
    use super::argon2_parallelism;

    #[test]
    fn argon2_leaves_a_core_to_the_people_signed_in() {
        assert_eq!(argon2_parallelism(1), 1, "one core: still one at a time");
        assert_eq!(argon2_parallelism(2), 1);
        assert_eq!(argon2_parallelism(8), 7);
        assert_eq!(argon2_parallelism(0), 1);
    }
}

//! Sign-in sessions for the pages: axum-login over tower-sessions, with the session records
//! in the project's own database (either backend). A password change ends every session of
//! that account (`session_auth_hash` is derived from the password hash).

use async_trait::async_trait;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tower_sessions::{
    Expiry, SessionManagerLayer,
    session::{Id, Record},
    session_store::{self, SessionStore},
};

use crate::services::accounts::{Staff, verify_password};
use crate::store::db::Db;
use crate::store::sessions as store;
use crate::store::staff::SignInKey;
use crate::web::state::{Clock, SessionPolicy};

/// The session key holding the sign-in instant (Unix seconds).
pub const SIGNED_IN_AT: &str = "signed_in_at";

/// How far a session's idle expiry may move on before it is written again. Each request
/// pushes the expiry on; writing it every time would put every page view in the queue for
/// SQLite's one writer. So the idle limit is kept to within this many seconds. When it is
/// written, it is written after the response (see [`DbSessionStore::save`]).
pub const EXPIRY_SLACK_SECONDS: i64 = 60;

/// What this instance last read or wrote of a session: its data and its stored expiry.
type Seen =
    std::collections::HashMap<String, (std::collections::HashMap<String, serde_json::Value>, i64)>;

/// Session records in the `sessions` table.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
    seen: std::sync::Arc<std::sync::Mutex<Seen>>,
    /// Idle expiries being pushed on after their responses went out.
    extending: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

/// What saving a session would change in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Nothing worth a write: the expiry moved on less than [`EXPIRY_SLACK_SECONDS`].
    Nothing,
    /// Only the idle expiry, by more than that.
    Expiry,
    /// The data (a sign-in, a sign-out), or a session this instance has not seen.
    Data,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            seen: Default::default(),
            extending: Default::default(),
        }
    }

    /// Waits until the idle expiries pushed on so far are written.
    pub async fn settled(&self) {
        let pending: Vec<_> =
            std::mem::take(&mut *self.extending.lock().unwrap_or_else(|e| e.into_inner()));
        for task in pending {
            if let Err(error) = task.await {
                tracing::warn!(%error, "a session's expiry was not pushed on");
            }
        }
    }

    /// Pushes the stored expiry of session `id` on to `expires` after the response: a page view
    /// that does not wait for the database's writer (and its flush to disk) for a change that
    /// only lets an idle session last. Never moves an expiry back, nor brings back a session
    /// ended meanwhile; if the server stops first, the session ends at most a minute early.
    fn extend_later(&self, id: String, expires: i64) {
        let db = self.db.clone();
        let task = tokio::spawn(async move {
            let pushed = store::push_expiry(&db, &id, expires).await;
            if let Err(error) = pushed {
                tracing::warn!(%error, "a session's expiry could not be pushed on");
            }
        });
        let mut extending = self.extending.lock().unwrap_or_else(|e| e.into_inner());
        extending.retain(|task| !task.is_finished());
        extending.push(task);
    }

    fn remember(&self, record: &Record) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: sessions read once and never again (signed out elsewhere) are let go.
        if seen.len() > 100_000 {
            seen.clear();
        }
        seen.insert(
            record.id.to_string(),
            (record.data.clone(), record.expiry_date.unix_timestamp()),
        );
    }

    /// What saving `record` would change, against what this instance last read or wrote of it.
    fn change(&self, record: &Record) -> Change {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.get(&record.id.to_string()) {
            Some((data, expires)) if *data == record.data => {
                let moved = record.expiry_date.unix_timestamp() - expires;
                if (0..EXPIRY_SLACK_SECONDS).contains(&moved) {
                    Change::Nothing
                } else {
                    Change::Expiry
                }
            }
            _ => Change::Data,
        }
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let data = serde_json::to_string(record)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let inserted = store::insert(
                &self.db.pool,
                &record.id.to_string(),
                &data,
                record.expiry_date.unix_timestamp(),
            )
            .await;
            match inserted {
                Ok(_) => {
                    self.remember(record);
                    return Ok(());
                }
                // An id collision: draw another.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    record.id = Id::default()
                }
                Err(other) => return Err(backend(other)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self.change(record) {
            Change::Nothing => return Ok(()),
            Change::Expiry => {
                self.remember(record);
                self.extend_later(record.id.to_string(), record.expiry_date.unix_timestamp());
                return Ok(());
            }
            Change::Data => {}
        }
        let data = serde_json::to_string(record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let id = record.id.to_string();
        let mut tx = crate::store::db::begin_write(&self.db)
            .await
            .map_err(backend)?;
        let updated = store::update(&mut tx, &id, &data, record.expiry_date.unix_timestamp())
            .await
            .map_err(backend)?;
        if !updated {
            store::insert(&mut *tx, &id, &data, record.expiry_date.unix_timestamp())
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        self.remember(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = store::data(
            &self.db,
            &id.to_string(),
            OffsetDateTime::now_utc().unix_timestamp(),
        )
        .await
        .map_err(backend)?;
        let record = data
            .map(|text| {
                serde_json::from_str::<Record>(&text)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))
            })
            .transpose()?;
        if let Some(record) = &record {
            self.remember(record);
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id.to_string());
        store::delete(&self.db, &id.to_string())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// A signed-in staff member as the session knows them.
#[derive(Clone)]
pub struct SessionUser {
    pub staff: Staff,
    /// An admin set the password: the owner must choose their own before anything else.
    pub must_change_password: bool,
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for SessionUser {
    // Never print the password-derived hash.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("staff", &self.staff)
            .finish_non_exhaustive()
    }
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.staff.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// What the sign-in form sends.
#[derive(Clone, Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    /// The page to return to once signed in (`offline::after_sign_in` checks it).
    #[serde(default)]
    pub next: Option<String>,
}

/// Staff accounts as the authentication backend.
#[derive(Debug, Clone)]
pub struct StaffBackend {
    db: Db,
}

impl StaffBackend {
    async fn find(
        &self,
        key: SignInKey,
    ) -> Result<Option<(Staff, Option<String>, i64, bool)>, sqlx::Error> {
        let row = crate::store::staff::for_sign_in(&self.db, key).await?;
        Ok(row.and_then(
            |(id, email, initials, role, branch_id, hash, generation, must_change)| {
                Some((
                    Staff::from_stored(id, email, initials, &role, branch_id)?,
                    hash,
                    generation,
                    must_change != 0,
                ))
            },
        ))
    }

    /// The session check value covers the password hash and the session generation, so a
    /// password change, a disable or an enable ends every session of the account.
    fn user(staff: Staff, hash: &str, generation: i64, must_change_password: bool) -> SessionUser {
        SessionUser {
            staff,
            must_change_password,
            auth_hash: Sha256::digest(format!("{hash}#{generation}").as_bytes()).to_vec(),
        }
    }
}

impl AuthnBackend for StaffBackend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = sqlx::Error;

    async fn authenticate(
        &self,
        credentials: Credentials,
    ) -> Result<Option<SessionUser>, sqlx::Error> {
        let found = self
            .find(SignInKey::Email(credentials.email.trim().to_lowercase()))
            .await?;
        let Some((staff, Some(hash), generation, must_change)) = found else {
            // As long as a wrong password: timing does not tell which e-mails have accounts.
            let unknown = crate::services::accounts::unknown_account_hash().await;
            verify_password(credentials.password, unknown.to_owned()).await;
            return Ok(None);
        };
        Ok(verify_password(credentials.password, hash.clone())
            .await
            .then(|| Self::user(staff, &hash, generation, must_change)))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, sqlx::Error> {
        Ok(self.find(SignInKey::Id(*id)).await?.and_then(
            |(staff, hash, generation, must_change)| {
                hash.map(|hash| Self::user(staff, &hash, generation, must_change))
            },
        ))
    }
}

pub type AuthSession = axum_login::AuthSession<StaffBackend>;

/// The session and authentication layers. `secure` marks the cookie `Secure` (HTTPS).
pub fn layer(
    db: &Db,
    secure: bool,
    policy: SessionPolicy,
) -> AuthManagerLayer<StaffBackend, DbSessionStore> {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(db.clone()))
        .with_name(if secure {
            "__Host-reengage"
        } else {
            "reengage"
        })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Strict)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            policy.idle_minutes,
        )));
    AuthManagerLayerBuilder::new(StaffBackend { db: db.clone() }, sessions).build()
}

/// Ends a session older than the absolute limit before anything else sees it: the request
/// then goes on as signed out. A session without a sign-in instant is treated as expired.
pub async fn enforce_absolute_limit(
    axum::extract::State(policy): axum::extract::State<SessionPolicy>,
    axum::extract::State(clock): axum::extract::State<Clock>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let session = request.extensions().get::<AuthSession>().cloned();
    if let Some(mut auth) = session
        && let Some(user) = auth.user.clone()
    {
        let started: Option<i64> = auth.session.get(SIGNED_IN_AT).await.ok().flatten();
        let limit = policy.absolute_hours * 3600;
        let now = clock.now().timestamp();
        if started.is_none_or(|at| now - at >= limit) {
            tracing::info!(
                staff = user.staff.id,
                "session ended: absolute limit reached"
            );
            if let Err(error) = auth.logout().await {
                tracing::error!(%error, "expired session could not be ended");
            }
            request.extensions_mut().insert(auth);
        }
    }
    next.run(request).await
}

/// While the signed-in person's password is one an admin set, every page and form but the
/// password page, sign-out and the built assets leads to `/account/password` (the API answers
/// 403 with the same instruction): the owner chooses their own first.
pub async fn require_own_password(
    auth: AuthSession,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let must = auth
        .user
        .as_ref()
        .is_some_and(|user| user.must_change_password);
    let path = request.uri().path();
    let exempt = path == "/account/password"
        || path == "/signout"
        || path == "/signin"
        || path == "/healthz"
        || path.starts_with("/pkg/")
        || path.starts_with("/favicon")
        // The phone app's files beside the built assets (docs/offline.md).
        || matches!(
            path,
            "/sw.js" | "/pwa.js" | "/queue-db.js" | "/manifest.webmanifest"
        )
        || path.starts_with("/icons/");
    if !must || exempt {
        return next.run(request).await;
    }
    if path.starts_with("/api/") {
        return crate::web::errors::ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "password_change_required",
            "An admin set your password: change it at /account/password first.",
        )
        .into_response();
    }
    axum::response::Redirect::to("/account/password?required=1").into_response()
}

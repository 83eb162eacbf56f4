//! A secret made by a POST and shown once by the page after it — a new calendar feed's
//! address, a new API token — kept in the session in between (as the recovery codes are):
//! the POST answers with a redirect, so reloading the page neither shows the secret again nor
//! makes another, and the secret never travels in a URL.

/// What waits to be shown, under its session key.
#[derive(Debug, Clone, Copy)]
pub struct Secret(&'static str);

/// A new calendar feed's address (`/account/calendar`).
pub const FEED_ADDRESS: Secret = Secret("calendar_feed.new_address");

/// A new API token an admin made for an account (`/admin/staff/{id}`), with that account's id.
pub const API_TOKEN: Secret = Secret("admin.new_api_token");

/// Keeps `value` in `session` as `what` until [`take`].
pub async fn keep<T: serde::Serialize + Send + Sync>(
    session: &tower_sessions::Session,
    what: Secret,
    value: T,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(what.0, value).await
}

/// The `what` waiting in `session`, taken out of it (shown once).
pub async fn take<T: serde::de::DeserializeOwned>(
    session: &tower_sessions::Session,
    what: Secret,
) -> Option<T> {
    session.remove::<T>(what.0).await.ok().flatten()
}

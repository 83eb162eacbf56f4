//! A new calendar feed's address, kept in the session between the POST that made it and the
//! page that shows it, once (as the recovery codes are): the POST answers with a redirect, so
//! reloading the page neither shows the address again nor makes another feed.

/// The session key of the address waiting to be shown.
const NEW_ADDRESS: &str = "calendar_feed.new_address";

/// Keeps `address` in `session` until [`take`].
pub async fn keep(
    session: &tower_sessions::Session,
    address: String,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(NEW_ADDRESS, address).await
}

/// The address waiting in `session`, taken out of it (shown once).
pub async fn take(session: &tower_sessions::Session) -> Option<String> {
    session.remove::<String>(NEW_ADDRESS).await.ok().flatten()
}

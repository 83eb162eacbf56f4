//! `POST /account/calendar` and `POST /account/calendar/off`: the signed-in person makes (or
//! replaces) their secret calendar feed, or turns it off (`services::calendar_feeds`).
//!
//! A new feed's address is kept in the session only until `/account/calendar` shows it, once
//! (`web::shown_once`).

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};

use crate::services::{ServiceError, calendar_feeds};
use crate::web::errors::{NOT_SAVED, Refusal};
use crate::web::sessions::AuthSession;
use crate::web::shown_once::{self, FEED_ADDRESS};
use crate::web::state::AppState;

/// The page of the feed.
pub const PAGE: &str = "/account/calendar";

/// A service's refusal: access refused as a short page, anything else back to the page.
fn refused(error: ServiceError) -> Refusal {
    Refusal::service(error, |said| Refusal::back(PAGE, &(), said))
}

/// `POST /account/calendar`: a new feed (the old one stops working).
pub async fn create(State(state): State<AppState>, auth: AuthSession) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::SignedOut)?;
    let now = state.clock.now();
    let secret = calendar_feeds::create(&state.db, &user.staff, now)
        .await
        .map_err(refused)?;
    let address = format!("{}{}", state.public_url, calendar_feeds::path(&secret));
    if let Err(error) = shown_once::keep(&auth.session, FEED_ADDRESS, address).await {
        // The feed exists but its address cannot be shown: make another.
        tracing::error!(%error, "a new calendar feed's address not kept for showing");
        return Err(Refusal::back(PAGE, &(), NOT_SAVED));
    }
    tracing::info!(staff = user.staff.id, "calendar feed made");
    Ok(Redirect::to(&format!("{PAGE}?saved=new")).into_response())
}

/// `POST /account/calendar/off`: the feed stops working at once.
pub async fn revoke(State(state): State<AppState>, auth: AuthSession) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::SignedOut)?;
    let was = calendar_feeds::revoke_own(&state.db, &user.staff, state.clock.now())
        .await
        .map_err(refused)?;
    // A new address not yet shown is of no use any more.
    let _: Option<String> = shown_once::take(&auth.session, FEED_ADDRESS).await;
    tracing::info!(staff = user.staff.id, was, "calendar feed turned off");
    Ok(Redirect::to(&format!("{PAGE}?saved=off")).into_response())
}

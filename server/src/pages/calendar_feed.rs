//! `/account/calendar`: whether the signed-in person has a calendar feed, when it was made
//! and last read, and a new feed's address the one time it is shown.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use reengage_app::backend::{CalendarFeedView, LiveFeed};

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::{ServiceError, calendar_feeds, office};
use crate::web::state::AppState;

/// A stored instant as the office's clock reads it, e.g. `2026-12-03 10:42 PST`.
fn office_time(stored: &str, zone: Tz) -> String {
    DateTime::parse_from_rfc3339(stored).map_or_else(
        |_| stored.to_owned(),
        |at| {
            at.with_timezone(&Utc)
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M %Z")
                .to_string()
        },
    )
}

/// The page's data. A role with no appointments (an admin) is refused: it has no calendar.
pub async fn page(
    state: &AppState,
    staff: Staff,
    session: &tower_sessions::Session,
) -> Result<CalendarFeedView, ServiceError> {
    let now = state.clock.now();
    access::authorize(&state.db, &staff, Action::ListEpisodes, Record::None, now).await?;
    let zone = office::office_zone(&state.db, &staff).await?;
    let live = calendar_feeds::current(&state.db, &staff)
        .await?
        .map(|feed| LiveFeed {
            made: office_time(&feed.created_at, zone),
            last_read: feed.last_used_at.map(|at| office_time(&at, zone)),
        });
    // Only while that feed is live: a feed turned off since is not shown.
    let new_address =
        match crate::web::shown_once::take(session, crate::web::shown_once::FEED_ADDRESS).await {
            Some(address) if live.is_some() => Some(address),
            _ => None,
        };
    Ok(CalendarFeedView { live, new_address })
}

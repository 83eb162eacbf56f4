//! The server's side of the pages (`reengage_app::backend::Backend`): who is asking comes
//! from the session, what they may see from `access`, every rule from `core`.

use axum::http::request::Parts;
use reengage_app::backend::{Answer, Backend, PageError, TodayRow, TodayView, Viewer};
use reengage_core::episode::{most_urgent_first, work_item};

use crate::access::{self, Action, Record, Role};
use crate::auth::Staff;
use crate::http::AppState;
use crate::services::ServiceError;
use crate::services::episodes::{local_today, read};
use crate::sessions::AuthSession;
use crate::store::lists::{Scope, open_episodes};

/// The time zone of almost every office (CALENDAR.md).
const DEFAULT_ZONE: &str = "America/Los_Angeles";

/// How many open episodes the Today list shows at most.
const TODAY_LIMIT: i64 = 200;

/// The pages' backend over the app's state.
pub struct PageBackend(pub AppState);

fn signed_in(request: &Parts) -> Result<Staff, PageError> {
    request
        .extensions
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .map(|user| user.staff.clone())
        .ok_or(PageError::SignedOut)
}

fn page_error(error: ServiceError) -> PageError {
    match error {
        ServiceError::Forbidden(message) => PageError::Forbidden(message),
        ServiceError::NotFound(what) => PageError::NotFound(format!("There is no {what}.")),
        other => {
            tracing::error!(error = %other, "page data could not be read");
            PageError::Unavailable
        }
    }
}

impl Backend for PageBackend {
    fn today(&self, request: &Parts) -> Answer<TodayView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { today(&state, staff?).await.map_err(page_error) })
    }
}

/// The open work of `staff`: a coach's or aide's own caseload, a contractor's referrals, a
/// supervisor's branch — each row the episode's most urgent deadline (`core`).
async fn today(state: &AppState, staff: Staff) -> Result<TodayView, ServiceError> {
    let now = state.clock.now();
    let role =
        access::authorize(&state.db, &staff, Action::ListEpisodes, Record::None, now).await?;
    let scope = match (role, staff.branch_id) {
        (Role::Contractor, _) => Scope::Contractor(staff.id),
        (Role::FamilyCoach | Role::CaseAide, _) | (_, None) => Scope::Coach(staff.id),
        (_, Some(branch)) => Scope::Branch(branch),
    };
    let mut conn = state.db.pool.acquire().await?;
    let (episodes, _) = open_episodes(&mut conn, scope, None, TODAY_LIMIT).await?;
    drop(conn);
    let mut rows = Vec::with_capacity(episodes.len());
    let mut office_today = None;
    for episode in episodes {
        let (record, today, calendar) = read(&state.db, episode.id, now).await?;
        office_today.get_or_insert(today);
        let Some(work) = work_item(&record.facts, today, &calendar) else {
            continue;
        };
        let (phone, in_service): (Option<String>, i64) =
            sqlx::query_as("SELECT phone, phone_in_service FROM participants WHERE id = $1")
                .bind(record.participant_id)
                .fetch_one(&state.db.pool)
                .await?;
        rows.push(TodayRow {
            episode_id: record.id,
            participant: episode.participant,
            phone,
            phone_in_service: in_service != 0,
            work,
        });
    }
    rows.sort_by(|a, b| most_urgent_first(&a.work, &b.work));
    // With nothing listed, today is the staff member's office's date.
    let today = match (office_today, staff.branch_id) {
        (Some(day), _) => day,
        (None, Some(branch)) => {
            let mut conn = state.db.pool.acquire().await?;
            let zone = crate::store::episodes::branch_time_zone(&mut conn, branch).await?;
            local_today(zone.as_deref().unwrap_or(DEFAULT_ZONE), now)
        }
        (None, None) => local_today(DEFAULT_ZONE, now),
    };
    Ok(TodayView {
        viewer: Viewer {
            initials: staff.initials,
            role: staff.role,
        },
        today,
        rows,
    })
}

//! The server's side of the pages (`reengage_app::backend::Backend`): who is asking comes
//! from the session, what they may see from `access`, every rule from `core`.

use axum::http::request::Parts;
use reengage_app::backend::{
    Answer, Backend, EpisodePage, NarrativeLine, PageError, ParticipantCard, PdpLine, TodayRow,
    TodayView, Viewer,
};
use reengage_core::episode::{self, most_urgent_first, work_item};

use crate::access::{self, Action, Record, Role};
use crate::auth::Staff;
use crate::http::AppState;
use crate::services::episodes::{local_today, read};
use crate::services::{ServiceError, narratives, participants};
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

    fn episode(&self, request: &Parts, id: i64) -> Answer<EpisodePage> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { episode_page(&state, staff?, id).await.map_err(page_error) })
    }
}

/// Episode `id` for `staff`: what a contractor receives passes through `redact`, as in the
/// REST API; a department read of a staffing is audited.
async fn episode_page(
    state: &AppState,
    staff: Staff,
    id: i64,
) -> Result<EpisodePage, ServiceError> {
    let now = state.clock.now();
    let role = access::authorize(
        &state.db,
        &staff,
        Action::ReadEpisode,
        Record::Episode(id),
        now,
    )
    .await?;
    let contractor = role == Role::Contractor;
    let (record, today, calendar) = read(&state.db, id, now).await?;
    if !contractor && record.facts.staffing.is_some() {
        access::record_view(
            &state.db,
            &staff,
            "barrier_review.viewed",
            Record::Episode(id),
            now,
        )
        .await?;
    }
    let mut person = participants::get(&state.db, record.participant_id).await?;
    let mut saved = narratives::list(&state.db, id).await?;
    if contractor {
        person = crate::redact::participant(person);
        saved = crate::redact::narratives(saved, staff.id);
    }
    let facts = &record.facts;
    let next_action = (!contractor).then(|| episode::next_action(facts, today, &calendar));
    let attempts = if contractor {
        crate::redact::facts(facts.clone()).attempts
    } else {
        facts.attempts.clone()
    };
    Ok(EpisodePage {
        id,
        version: record.version,
        today,
        stage: episode::stage(facts, today, &calendar),
        closed: episode::is_closed(facts, &calendar),
        appointment_on: facts.appointment.as_ref().map(|a| a.on),
        notice_mailed_on: facts.appointment.as_ref().and_then(|a| a.notice_mailed_on),
        deadlines: episode::deadlines(facts, today, &calendar),
        next_action,
        attempts,
        narratives: saved
            .into_iter()
            .map(|n| NarrativeLine {
                kind: n.kind,
                body: n.body,
                updated_at: n.updated_at,
            })
            .collect(),
        participant: ParticipantCard {
            name: person.display_name,
            case_number: person.case_number,
            phone: person.phone,
            phone_in_service: person.phone_in_service,
            email: person.email,
            address: person.address,
            pdp_steps: person
                .pdp_steps
                .into_iter()
                .map(|step| PdpLine {
                    code: step.code,
                    starts_on: step.starts_on,
                    ends_on: step.ends_on,
                    scheduled_time: step.scheduled_time,
                })
                .collect(),
        },
    })
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

//! The server's side of the pages (`reengage_app::backend::Backend`): who is asking comes
//! from the session, what they may see from `access`, every rule from `core`.

pub mod branch;
mod calendar_feed;
mod episode;
mod missed;
mod offices;
pub mod staffing;
pub mod today;

use axum::http::request::Parts;
use reengage_app::backend::{
    Answer, Backend, BranchView, EffortsFilter, EffortsView, EpisodePage, MissChoices, PageError,
    Purpose, SecondFactorView, StaffingPage, TodayView,
};

use crate::services::ServiceError;
use crate::services::accounts::Staff;
use crate::services::episodes::Listed;
use crate::store::lists::WorkRow;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

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
        ServiceError::Store(cause) => {
            // The cause goes to the log only, never to the page.
            tracing::error!(error = %cause, "page data could not be read");
            PageError::Unavailable
        }
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
        // `?after=…`: a later page of the list ("Show more"); an unreadable one starts over.
        let after =
            query_value(request, "after").and_then(|v| crate::store::lists::Cursor::parse(&v));
        Box::pin(async move {
            today::today_page(&state, staff?, after)
                .await
                .map_err(page_error)
        })
    }

    fn admin(&self, request: &Parts) -> Answer<reengage_app::office_views::AdminView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { offices::admin(&state, staff?).await })
    }

    fn admin_office(
        &self,
        request: &Parts,
        id: i64,
    ) -> Answer<reengage_app::office_views::OfficeView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { offices::office(&state, staff?, id).await })
    }

    fn admin_staff(
        &self,
        request: &Parts,
        id: i64,
    ) -> Answer<reengage_app::office_views::StaffMemberView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        let session = session_of(request);
        Box::pin(async move { offices::staff_member(&state, staff?, id, session.as_ref()).await })
    }

    fn participants(
        &self,
        request: &Parts,
    ) -> Answer<reengage_app::office_views::ParticipantsView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        let request = request.clone();
        Box::pin(async move { offices::participants(&state, staff?, &request).await })
    }

    fn participant_form(
        &self,
        request: &Parts,
        id: Option<i64>,
    ) -> Answer<reengage_app::office_views::ParticipantFormView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { offices::participant_form(&state, staff?, id).await })
    }

    fn caseload(&self, request: &Parts) -> Answer<reengage_app::office_views::CaseloadView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { offices::caseload(&state, staff?).await })
    }

    fn email_settings(&self, request: &Parts) -> Answer<reengage_app::backend::EmailView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            let staff = staff?;
            let digest = crate::services::digest::setting(&state.db, &staff)
                .await
                .map_err(page_error)?;
            Ok(reengage_app::backend::EmailView {
                email: staff.email,
                digest,
                for_role: crate::store::digest::DIGEST_ROLES.contains(&staff.role.as_str()),
                sending: state.digest_mail,
            })
        })
    }

    fn episode(&self, request: &Parts, id: i64, purpose: Purpose) -> Answer<EpisodePage> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            episode::episode_page(&state, staff?, id, purpose)
                .await
                .map_err(page_error)
        })
    }

    fn branch(&self, request: &Parts, from: String, to: String) -> Answer<BranchView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        // `?coach=…`: that coach's list, read as such (not a cut of the branch's).
        let coach = query_value(request, "coach").and_then(|v| v.parse().ok());
        // `?after=…`: a later page of the list ("Show more"); an unreadable one starts over.
        let after =
            query_value(request, "after").and_then(|v| crate::store::lists::Cursor::parse(&v));
        Box::pin(async move {
            branch::branch(&state, staff?, &from, &to, coach, after)
                .await
                .map_err(page_error)
        })
    }

    fn efforts(&self, request: &Parts, filter: EffortsFilter) -> Answer<EffortsView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            let now = state.clock.now();
            crate::services::efforts::view(&state.db, &staff?, &filter, now)
                .await
                .map_err(page_error)
        })
    }

    fn staffing(&self, request: &Parts, id: i64) -> Answer<StaffingPage> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { staffing::page(&state, staff?, id).await.map_err(page_error) })
    }

    fn second_factor(&self, request: &Parts) -> Answer<SecondFactorView> {
        let state = self.0.clone();
        let session = session_of(request);
        Box::pin(async move {
            let session = session.ok_or(PageError::SignedOut)?;
            match crate::web::second_factor::view(&state, &session).await {
                Ok(Some(view)) => Ok(view),
                Ok(None) => Err(PageError::SignedOut),
                Err(error) => {
                    tracing::error!(%error, "second factor page not read");
                    Err(PageError::Unavailable)
                }
            }
        })
    }

    fn recovery_codes(&self, request: &Parts) -> Answer<Vec<String>> {
        let session = session_of(request);
        let staff = signed_in(request);
        Box::pin(async move {
            staff?;
            let session = session.ok_or(PageError::SignedOut)?;
            Ok(crate::web::second_factor::take_recovery_codes(&session).await)
        })
    }

    fn calendar_feed(&self, request: &Parts) -> Answer<reengage_app::backend::CalendarFeedView> {
        let state = self.0.clone();
        let session = session_of(request);
        let staff = signed_in(request);
        Box::pin(async move {
            let session = session.ok_or(PageError::SignedOut)?;
            calendar_feed::page(&state, staff?, &session)
                .await
                .map_err(page_error)
        })
    }

    fn missed_form(&self, request: &Parts) -> Answer<MissChoices> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            missed::missed_form(&state, staff?)
                .await
                .map_err(page_error)
        })
    }
}

/// The rows of a worklist as the record cache is asked for them.
/// The value of `name` in the request's query, if there is one.
fn query_value(request: &Parts, name: &str) -> Option<String> {
    request
        .uri
        .query()
        .into_iter()
        .flat_map(|query| form_urlencoded::parse(query.as_bytes()))
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn listed(rows: &[WorkRow]) -> Vec<Listed> {
    rows.iter()
        .map(|row| Listed {
            id: row.id,
            version: row.version,
            has_exemptions: row.has_exemptions,
        })
        .collect()
}

/// The request's session (a page hands on what waits in it once: recovery codes, a new
/// feed address), if it has one.
fn session_of(request: &Parts) -> Option<tower_sessions::Session> {
    request
        .extensions
        .get::<AuthSession>()
        .map(|auth| auth.session.clone())
}

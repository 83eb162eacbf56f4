//! The participant pages' forms: a search (answered in place, so what is typed never goes in
//! a URL), a new participant, a participant's record, a caseload move. Each is checked
//! against the signed-in person's role and branch and done by the same service as the REST
//! API; a refusal comes back in place with what was typed.

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use reengage_app::forms::participant::{MoveForm, ParticipantForm, SearchForm, optional_id};
use reengage_core::parse_date_input;

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::participants::{self, CaseloadMove, NewParticipant, ParticipantChange};
use crate::web::errors::Refusal;
use crate::web::in_place;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

fn signed_in(auth: AuthSession) -> Result<Staff, Refusal> {
    auth.user.map(|user| user.staff).ok_or(Refusal::SignedOut)
}

/// The signed-in person's branch once `action` there is allowed.
async fn own_branch(state: &AppState, staff: &Staff, action: Action) -> Result<i64, Refusal> {
    Ok(access::own_branch(&state.db, staff, action, state.clock.now()).await?)
}

/// `POST /participants/search`: the search page again, with what was found.
pub async fn search(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<SearchForm>,
) -> Result<Response, Refusal> {
    let staff = signed_in(auth)?;
    own_branch(&state, &staff, Action::FindParticipant).await?;
    Ok(in_place::page(
        StatusCode::OK,
        "/participants",
        vec![(SearchForm::QUERY.to_owned(), form.query)],
        "The search could not be shown.".into(),
    ))
}

fn optional_day(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_date_input(text).map(Some).map_err(|e| e.to_string())
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// `POST /participants/new`.
pub async fn create(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<ParticipantForm>,
) -> Result<Response, Refusal> {
    let staff = signed_in(auth)?;
    let branch = own_branch(&state, &staff, Action::CreateParticipant).await?;
    let back = |said: String| Refusal::back("/participants/new", &form, said);
    let coach = optional_id(&form.coach, "coach").map_err(back)?;
    let contractor = optional_id(&form.contractor, "contractor").map_err(back)?;
    let until = optional_day(&form.contractor_until).map_err(back)?;
    let new = NewParticipant {
        branch_id: branch,
        case_number: form.case_number.clone(),
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        display_name: text(&form.display_name),
        phone: None,
        email: None,
        address: None,
        coach_id: None,
        contractor_id: None,
        language: text(&form.language),
    };
    let now = state.clock.now();
    let actor = staff.actor();
    let id = participants::create(&state.db, &actor, new, now)
        .await
        .map_err(|error| Refusal::service(error, back))?;
    // The rest of the record as an edit writes it: the same checks of coach, contractor,
    // contact details and referral.
    let change = change_of(&form, coach, contractor, until);
    if let Err(error) = participants::update(&state.db, &actor, id, change, now).await {
        // Created, with the rest refused: their record says why, with what was typed.
        return Err(Refusal::service(error, |said| {
            Refusal::back(format!("/participants/{id}"), &form, said)
        }));
    }
    Ok(Redirect::to(&format!("/participants/{id}?saved=created")).into_response())
}

fn change_of(
    form: &ParticipantForm,
    coach: Option<i64>,
    contractor: Option<i64>,
    until: Option<NaiveDate>,
) -> ParticipantChange {
    ParticipantChange {
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        display_name: text(&form.display_name),
        phone: text(&form.phone),
        phone_in_service: Some(form.phone_in_service.is_some()),
        email: text(&form.email),
        address: text(&form.address),
        address_verified: Some(form.address_verified.is_some()),
        coach_id: coach,
        contractor_id: contractor,
        contractor_until: until,
        language: text(&form.language),
    }
}

/// `POST /participants/{id}`: the participant's record.
pub async fn update(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<i64>,
    Form(form): Form<ParticipantForm>,
) -> Result<Response, Refusal> {
    let staff = signed_in(auth)?;
    let now = state.clock.now();
    access::authorize(
        &state.db,
        &staff,
        Action::ChangeParticipant,
        Record::Participant(id),
        now,
    )
    .await?;
    let page = format!("/participants/{id}");
    let back = |said: String| Refusal::back(&page, &form, said);
    let coach = optional_id(&form.coach, "coach").map_err(back)?;
    let contractor = optional_id(&form.contractor, "contractor").map_err(back)?;
    let until = optional_day(&form.contractor_until).map_err(back)?;
    let change = change_of(&form, coach, contractor, until);
    participants::update(&state.db, &staff.actor(), id, change, now)
        .await
        .map_err(|error| Refusal::service(error, back))?;
    Ok(Redirect::to(&format!("{page}?saved=saved")).into_response())
}

/// `POST /participants/move`: a caseload, or one participant of it, to another coach.
pub async fn move_caseload(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<MoveForm>,
) -> Result<Response, Refusal> {
    let staff = signed_in(auth)?;
    let branch = own_branch(&state, &staff, Action::MoveCaseload).await?;
    let back = |said: String| Refusal::back("/participants/move", &form, said);
    let from = optional_id(&form.from_coach, "coach to move from")
        .map_err(back)?
        .ok_or_else(|| back("Choose the coach whose caseload moves.".into()))?;
    let to = optional_id(&form.to_coach, "coach to move to")
        .map_err(back)?
        .ok_or_else(|| back("Choose the coach who takes the caseload.".into()))?;
    let participant_id = if form.case_number.trim().is_empty() {
        None
    } else {
        let found = participants::search(&state.db, branch, &form.case_number)
            .await
            .map_err(|error| Refusal::service(error, back))?;
        let one = found
            .found
            .iter()
            .find(|f| f.case_number.eq_ignore_ascii_case(form.case_number.trim()))
            .ok_or_else(|| {
                back(format!(
                    "No participant of your branch has case number {}: check it, or leave it empty to move the whole caseload.",
                    form.case_number.trim()
                ))
            })?;
        Some(one.id)
    };
    let change = CaseloadMove {
        from_coach_id: from,
        to_coach_id: to,
        participant_id,
    };
    let moved = participants::move_caseload(
        &state.db,
        &staff.actor(),
        branch,
        &change,
        state.clock.now(),
    )
    .await
    .map_err(|error| Refusal::service(error, back))?;
    Ok(Redirect::to(&format!(
        "/participants/move?saved=moved-{}-{}",
        moved.participants, moved.open_episodes
    ))
    .into_response())
}

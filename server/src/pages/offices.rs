//! The admin pages' and the participant pages' data (`reengage_app::office_views`): every
//! read checked against the signed-in person's role and branch by `access` first.

use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use reengage_app::backend::PageError;
use reengage_app::forms::query::SentBack;
use reengage_app::office_views::{
    AdminView, CaseloadView, ClosureLine, FoundLine, LanguageChoice, OfficeLine, OfficeView,
    ParticipantFields, ParticipantFormView, ParticipantsView, PersonChoice, RoleChoice, Searched,
    StaffLine, StaffMemberView, TokenLine,
};
use reengage_core::roles::Role;

use super::page_error;
use crate::services::access::{self, Action, Record};
use crate::services::accounts::{self, Staff};
use crate::services::{ServiceError, branches, participants};
use crate::web::state::AppState;

/// A role in words.
pub fn role_label(role: &str) -> String {
    match Role::parse(role) {
        Some(Role::FamilyCoach) => "Family coach",
        Some(Role::CaseAide) => "Case aide",
        Some(Role::EngagementSpecialist) => "Engagement specialist",
        Some(Role::OperationsManager) => "Operations manager",
        Some(Role::LeadWorker) => "Lead worker",
        Some(Role::Contractor) => "JOBS contractor",
        Some(Role::Admin) => "Admin",
        None => return format!("Unknown role ({role})"),
    }
    .to_owned()
}

fn roles() -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            code: r.as_str().to_owned(),
            label: role_label(r.as_str()),
        })
        .collect()
}

fn office_line(o: branches::Office) -> OfficeLine {
    OfficeLine {
        id: o.id,
        name: o.name,
        address: o.address,
        phone: o.phone,
        time_zone: o.time_zone,
        mail_pickup: o.mail_pickup.map(|at| at.format("%H:%M").to_string()),
    }
}

async fn admin_only(state: &AppState, staff: &Staff, now: DateTime<Utc>) -> Result<(), PageError> {
    access::authorize(&state.db, staff, Action::Administer, Record::None, now)
        .await
        .map(|_| ())
        .map_err(page_error)
}

fn accounts_error(error: accounts::AuthError) -> PageError {
    match error {
        accounts::AuthError::UnknownStaff(_) => {
            PageError::NotFound("There is no such staff member.".into())
        }
        accounts::AuthError::Db(e) => page_error(ServiceError::from(e)),
        other => page_error(ServiceError::Invalid(other.to_string())),
    }
}

async fn offices(state: &AppState) -> Result<Vec<OfficeLine>, PageError> {
    Ok(branches::offices(&state.db)
        .await
        .map_err(page_error)?
        .into_iter()
        .map(office_line)
        .collect())
}

async fn staff_lines(
    state: &AppState,
    offices: &[OfficeLine],
) -> Result<Vec<StaffLine>, PageError> {
    let accounts = accounts::list_staff(&state.db)
        .await
        .map_err(|e| page_error(e.into()))?;
    Ok(accounts
        .into_iter()
        .map(|a| StaffLine {
            office: a
                .branch_id
                .and_then(|b| offices.iter().find(|o| o.id == b))
                .map(|o| o.name.clone()),
            role_label: role_label(&a.role),
            id: a.id,
            name: a.name,
            email: a.email,
            initials: a.initials,
            role: a.role,
            office_id: a.branch_id,
            phone: a.phone,
            active: a.active,
        })
        .collect())
}

/// `/admin`.
pub async fn admin(state: &AppState, staff: Staff) -> Result<AdminView, PageError> {
    admin_only(state, &staff, state.clock.now()).await?;
    let offices = offices(state).await?;
    let staff = staff_lines(state, &offices).await?;
    Ok(AdminView {
        offices,
        staff,
        roles: roles(),
        time_zones: TIME_ZONES.iter().map(|z| (*z).to_owned()).collect(),
    })
}

/// The time zones an Oregon office can be in, and the office's own if it is another.
const TIME_ZONES: &[&str] = &["America/Los_Angeles", "America/Boise"];

/// `/admin/offices/{id}`.
pub async fn office(state: &AppState, staff: Staff, id: i64) -> Result<OfficeView, PageError> {
    admin_only(state, &staff, state.clock.now()).await?;
    let office = branches::office_of(&state.db, id)
        .await
        .map_err(page_error)?;
    let closures = branches::closures(&state.db, id)
        .await
        .map_err(page_error)?
        .into_iter()
        .map(|c| ClosureLine {
            on: c.on,
            name: c.name,
        })
        .collect();
    let mut time_zones: Vec<String> = TIME_ZONES.iter().map(|z| (*z).to_owned()).collect();
    if !time_zones.contains(&office.time_zone) {
        time_zones.push(office.time_zone.clone());
    }
    Ok(OfficeView {
        office: office_line(office),
        closures,
        time_zones,
    })
}

/// `/admin/staff/{id}`.
pub async fn staff_member(
    state: &AppState,
    staff: Staff,
    id: i64,
    session: Option<&tower_sessions::Session>,
) -> Result<StaffMemberView, PageError> {
    admin_only(state, &staff, state.clock.now()).await?;
    let offices = offices(state).await?;
    let member = staff_lines(state, &offices)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| PageError::NotFound("There is no such staff member.".into()))?;
    let tokens = accounts::list_tokens(&state.db, Some(&member.email))
        .await
        .map_err(accounts_error)?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            created: t.created_at,
            expires: t.expires_at,
            last_used: t.last_used_at,
            revoked: t.revoked_at,
        })
        .collect();
    // A token made for this account by the POST before, shown once.
    let new_token = match session {
        Some(session) => crate::web::shown_once::take::<(i64, String)>(
            session,
            crate::web::shown_once::API_TOKEN,
        )
        .await
        .filter(|(account, _)| *account == id)
        .map(|(_, token)| token),
        None => None,
    };
    Ok(StaffMemberView {
        new_token,
        yourself: member.id == staff.id,
        member,
        offices,
        roles: roles(),
        tokens,
    })
}

/// The signed-in person's branch once `action` there is allowed.
async fn own_branch(state: &AppState, staff: &Staff, action: Action) -> Result<i64, PageError> {
    access::own_branch(&state.db, staff, action, state.clock.now())
        .await
        .map_err(page_error)
}

/// `/participants`, with the search a form sent back in place (never in the URL).
pub async fn participants(
    state: &AppState,
    staff: Staff,
    request: &Parts,
) -> Result<ParticipantsView, PageError> {
    let branch = own_branch(state, &staff, Action::FindParticipant).await?;
    let can_move = access::allows(staff.role, Action::MoveCaseload);
    let query = request.extensions.get::<SentBack>().and_then(|sent| {
        sent.0
            .iter()
            .find(|(name, _)| name == reengage_app::forms::participant::SearchForm::QUERY)
            .map(|(_, value)| value.clone())
    });
    let searched = match query {
        None => None,
        Some(query) => Some(
            match participants::search(&state.db, branch, &query).await {
                Ok(result) => Searched {
                    query,
                    found: result
                        .found
                        .into_iter()
                        .map(|f| FoundLine {
                            id: f.id,
                            name: f.name,
                            case_number: f.case_number,
                            coach: f.coach,
                        })
                        .collect(),
                    more: result.more,
                    error: None,
                },
                Err(ServiceError::Invalid(said)) => Searched {
                    query,
                    found: Vec::new(),
                    more: false,
                    error: Some(said),
                },
                Err(other) => return Err(page_error(other)),
            },
        ),
    };
    Ok(ParticipantsView { searched, can_move })
}

fn people(rows: Vec<(i64, String)>) -> Vec<PersonChoice> {
    rows.into_iter()
        .map(|(id, name)| PersonChoice { id, name })
        .collect()
}

async fn branch_people(
    state: &AppState,
    branch: i64,
    roles: &[Role],
) -> Result<Vec<PersonChoice>, PageError> {
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    crate::store::staff::of_branch(&state.db, branch, &names)
        .await
        .map(people)
        .map_err(|e| page_error(e.into()))
}

/// `/participants/new` (`None`) and `/participants/{id}`.
pub async fn participant_form(
    state: &AppState,
    staff: Staff,
    id: Option<i64>,
) -> Result<ParticipantFormView, PageError> {
    let now = state.clock.now();
    let (branch, fields, open_episode) = match id {
        None => {
            let branch = own_branch(state, &staff, Action::CreateParticipant).await?;
            let fields = ParticipantFields {
                language: reengage_app::notice_text::ENGLISH.to_owned(),
                phone_in_service: true,
                coach_id: matches!(staff.role, Role::FamilyCoach | Role::CaseAide)
                    .then_some(staff.id),
                ..ParticipantFields::default()
            };
            (branch, fields, None)
        }
        Some(id) => {
            access::authorize(
                &state.db,
                &staff,
                Action::ChangeParticipant,
                Record::Participant(id),
                now,
            )
            .await
            .map_err(page_error)?;
            let p = participants::get(&state.db, id).await.map_err(page_error)?;
            let open = {
                let mut conn = state
                    .db
                    .pool
                    .acquire()
                    .await
                    .map_err(|e| page_error(e.into()))?;
                crate::store::episodes::open_episode_of(&mut conn, id)
                    .await
                    .map_err(|e| page_error(e.into()))?
            };
            let fields = ParticipantFields {
                case_number: p.case_number,
                first_name: p.first_name,
                last_name: p.last_name,
                display_name: p.display_name,
                phone: p.phone.unwrap_or_default(),
                phone_in_service: p.phone_in_service,
                email: p.email.unwrap_or_default(),
                address: p.address.unwrap_or_default(),
                address_verified: p.address_verified,
                language: p.language,
                coach_id: p.coach_id,
                contractor_id: p.contractor_id,
                contractor_until: p.contractor_until,
            };
            (p.branch_id, fields, open)
        }
    };
    Ok(ParticipantFormView {
        id,
        fields,
        coaches: branch_people(state, branch, participants::CASELOAD_ROLES).await?,
        contractors: branch_people(state, branch, &[Role::Contractor]).await?,
        languages: reengage_app::notice_text::languages()
            .iter()
            .map(|l| LanguageChoice {
                code: l.code.to_owned(),
                name: l.name_in_english().to_owned(),
            })
            .collect(),
        open_episode,
    })
}

/// `/participants/move`.
pub async fn caseload(state: &AppState, staff: Staff) -> Result<CaseloadView, PageError> {
    let branch = own_branch(state, &staff, Action::MoveCaseload).await?;
    Ok(CaseloadView {
        coaches: branch_people(state, branch, participants::CASELOAD_ROLES).await?,
    })
}

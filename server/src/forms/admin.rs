//! The admin pages' forms (`/admin/…`): an office's details and closure days, staff accounts.
//! Each is checked against the admin role, done by the same service as the REST API and the
//! command line (so audited the same way), and answered with a redirect that says what
//! happened in one word, or with its page again, in place, saying why not.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use reengage_app::forms::admin::{
    ClosureForm, NEW_OFFICE, NEW_STAFF, NewStaffForm, OfficeForm, StaffChangeForm,
};
use reengage_core::{parse_date_input, parse_time_input, roles::Role};

use crate::services::access::{self, Action, Record};
use crate::services::accounts::{self, AuthError, NewStaff, PostChange, Staff};
use crate::services::{ServiceError, branches};
use crate::web::errors::Refusal;
use crate::web::sessions::AuthSession;
use crate::web::shown_once::{self, API_TOKEN};
use crate::web::state::AppState;

async fn admin(state: &AppState, auth: AuthSession) -> Result<Staff, Refusal> {
    let staff = auth.user.map(|user| user.staff).ok_or(Refusal::SignedOut)?;
    access::authorize(
        &state.db,
        &staff,
        Action::Administer,
        Record::None,
        state.clock.now(),
    )
    .await?;
    Ok(staff)
}

fn auth_error(error: AuthError, back: impl FnOnce(String) -> Refusal) -> Refusal {
    match error {
        AuthError::UnknownStaff(_) => {
            Refusal::Denied(ServiceError::NotFound("staff member".into()))
        }
        AuthError::Db(e) => Refusal::service(ServiceError::from(e), back),
        AuthError::Hash => {
            back("The password could not be stored. Nothing was changed; try again.".into())
        }
        other => back(other.to_string()),
    }
}

fn saved(page: &str, what: &str) -> Response {
    Redirect::to(&format!("{page}?saved={what}")).into_response()
}

/// What an office form sent, as the service takes it, or why it cannot be read.
fn office_change(form: &OfficeForm) -> Result<branches::OfficeChange, String> {
    let mail_pickup = parse_time_input(&form.mail_pickup).map_err(|_| {
        "Give the mail pickup time as hours and minutes, e.g. 15:00, or leave it empty.".to_owned()
    })?;
    Ok(branches::OfficeChange {
        name: form.name.clone(),
        address: Some(form.address.clone()),
        phone: Some(form.phone.clone()),
        time_zone: form.time_zone.clone(),
        mail_pickup,
    })
}

/// `POST /admin/offices`: a new office; on to its page, where its closure days are added.
pub async fn create_office(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<OfficeForm>,
) -> Result<Response, Refusal> {
    let staff = admin(&state, auth).await?;
    let back = |said: String| Refusal::back("/admin", &form, said).at(NEW_OFFICE);
    let change = office_change(&form).map_err(back)?;
    let office = branches::create_office(&state.db, &staff.actor(), change, state.clock.now())
        .await
        .map_err(|error| Refusal::service(error, back))?;
    Ok(saved(
        &format!("/admin/offices/{}", office.id),
        "office-created",
    ))
}

/// `POST /admin/offices/{id}`: the office's name, address, phone, time zone, mail pickup.
pub async fn office(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<i64>,
    Form(form): Form<OfficeForm>,
) -> Result<Response, Refusal> {
    let staff = admin(&state, auth).await?;
    let page = format!("/admin/offices/{id}");
    let back = |said: String| Refusal::back(&page, &form, said);
    let change = office_change(&form).map_err(back)?;
    branches::set_office(&state.db, &staff.actor(), id, change, state.clock.now())
        .await
        .map_err(|error| Refusal::service(error, back))?;
    Ok(saved(&page, "office"))
}

/// `POST /admin/offices/{id}/closures`: a closure day; the page then says how many open
/// deadlines it moved.
pub async fn add_closure(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<i64>,
    Form(form): Form<ClosureForm>,
) -> Result<Response, Refusal> {
    let staff = admin(&state, auth).await?;
    let page = format!("/admin/offices/{id}");
    let back = |said: String| Refusal::back(&page, &form, said).at("closures");
    let on = parse_date_input(&form.on).map_err(|e| back(e.to_string()))?;
    let closure = branches::ClosureDay {
        on,
        name: form.name.clone(),
    };
    let effect = branches::add_closure_with_effect(
        &state.db,
        &staff.actor(),
        id,
        closure,
        state.clock.now(),
    )
    .await
    .map_err(|error| Refusal::service(error, back))?;
    Ok(saved(&page, &format!("closed-{}", effect.deadlines_moved)))
}

/// `POST /admin/offices/{id}/closures/remove`: a closure day added by mistake.
pub async fn remove_closure(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<i64>,
    Form(form): Form<ClosureForm>,
) -> Result<Response, Refusal> {
    let staff = admin(&state, auth).await?;
    let page = format!("/admin/offices/{id}");
    let back = |said: String| Refusal::back(&page, &ClosureForm::default(), said).at("closures");
    let on = parse_date_input(&form.on).map_err(|e| back(e.to_string()))?;
    let effect =
        branches::remove_closure_with_effect(&state.db, &staff.actor(), id, on, state.clock.now())
            .await
            .map_err(|error| Refusal::service(error, back))?;
    Ok(saved(
        &page,
        &format!("reopened-{}", effect.deadlines_moved),
    ))
}

/// The name of office `id` as a form chose it (`""`: no office).
async fn office_name(state: &AppState, chosen: &str) -> Result<Option<String>, String> {
    let chosen = chosen.trim();
    if chosen.is_empty() {
        return Ok(None);
    }
    let id: i64 = chosen
        .parse()
        .map_err(|_| "Choose the office from the list.".to_owned())?;
    branches::office_of(&state.db, id)
        .await
        .map(|o| Some(o.name))
        .map_err(|_| "Choose the office from the list.".to_owned())
}

fn role_of(chosen: &str) -> Result<Role, String> {
    Role::parse(chosen.trim()).ok_or_else(|| "Choose the role from the list.".to_owned())
}

/// `POST /admin/staff`: a new account, with a first password its owner replaces.
pub async fn create_staff(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<NewStaffForm>,
) -> Result<Response, Refusal> {
    let staff = admin(&state, auth).await?;
    // Sent back without the password: it is never written into a page.
    let typed = NewStaffForm {
        password: String::new(),
        ..form.clone()
    };
    let back = |said: String| Refusal::back("/admin", &typed, said).at(NEW_STAFF);
    let role = role_of(&form.role).map_err(back)?;
    let branch = office_name(&state, &form.office).await.map_err(back)?;
    let new = NewStaff {
        email: form.email.clone(),
        name: form.name.clone(),
        initials: form.initials.clone(),
        role,
        branch,
        password: form.password.clone(),
        phone: Some(form.phone.clone()),
    };
    let id = accounts::create_staff(&state.db, &staff.actor(), new, state.clock.now())
        .await
        .map_err(|error| auth_error(error, back))?;
    Ok(saved(&format!("/admin/staff/{id}"), "created"))
}

/// `POST /admin/staff/{id}`: one change to an account — role, office, phone, access,
/// password, a token.
pub async fn change_staff(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<i64>,
    Form(form): Form<StaffChangeForm>,
) -> Result<Response, Refusal> {
    let session = auth.session.clone();
    let staff = admin(&state, auth).await?;
    let page = format!("/admin/staff/{id}");
    let back = |said: String| Refusal::back(&page, &StaffChangeForm::default(), said);
    let now = state.clock.now();
    let actor = staff.actor();
    let db = &state.db;
    let email = accounts::email_of(db, id)
        .await
        .map_err(|error| auth_error(error, back))?;
    let own = id == staff.id;
    let done = match form.change.as_str() {
        StaffChangeForm::SET_ROLE | StaffChangeForm::SET_OFFICE | StaffChangeForm::DISABLE
            if own =>
        {
            return Err(back(
                "You cannot change your own role, office or access; ask another admin.".into(),
            ));
        }
        StaffChangeForm::SET_ROLE => {
            let role = role_of(&form.role).map_err(back)?;
            let changed = accounts::change_post(db, &actor, &email, PostChange::Role(role), now)
                .await
                .map_err(|error| auth_error(error, back))?;
            if changed.is_some() {
                "role"
            } else {
                "unchanged"
            }
        }
        StaffChangeForm::SET_OFFICE => {
            let branch = office_name(&state, &form.office).await.map_err(back)?;
            let changed =
                accounts::change_post(db, &actor, &email, PostChange::Branch(branch), now)
                    .await
                    .map_err(|error| auth_error(error, back))?;
            if changed.is_some() {
                "branch"
            } else {
                "unchanged"
            }
        }
        StaffChangeForm::SET_PHONE => {
            accounts::set_phone(db, &actor, id, Some(&form.phone), now)
                .await
                .map_err(|error| auth_error(error, back))?;
            "phone"
        }
        StaffChangeForm::DISABLE => {
            accounts::set_active(db, &actor, &email, false, now)
                .await
                .map_err(|error| auth_error(error, back))?;
            "disabled"
        }
        StaffChangeForm::ENABLE => {
            accounts::set_active(db, &actor, &email, true, now)
                .await
                .map_err(|error| auth_error(error, back))?;
            "enabled"
        }
        StaffChangeForm::RESET_PASSWORD => {
            accounts::set_password(db, &actor, &email, form.password.clone(), now)
                .await
                .map_err(|error| auth_error(error, back))?;
            "password"
        }
        StaffChangeForm::ISSUE_TOKEN => {
            let token = accounts::create_token(db, &actor, &email, now)
                .await
                .map_err(|error| auth_error(error, back))?;
            // Shown once, by the page the redirect leads to; never in a URL.
            if let Err(error) = shown_once::keep(&session, API_TOKEN, (id, token)).await {
                tracing::error!(%error, "a new API token not kept for showing");
                return Err(back(
                    "The token was made but cannot be shown: revoke it below and make another."
                        .into(),
                ));
            }
            "token"
        }
        StaffChangeForm::REVOKE_TOKEN => {
            let token: i64 = form
                .token
                .trim()
                .parse()
                .map_err(|_| back("Choose the token to revoke from the list.".into()))?;
            let mine = accounts::list_tokens(db, Some(&email))
                .await
                .map_err(|error| auth_error(error, back))?
                .iter()
                .any(|t| t.id == token);
            if !mine
                || !accounts::revoke_token(db, &actor, token, now)
                    .await
                    .map_err(|error| auth_error(error, back))?
            {
                return Err(back(
                    "That token is not a live token of this account.".into(),
                ));
            }
            "revoked"
        }
        _ => return Err(back("Choose what to change, then save.".into())),
    };
    tracing::info!(
        staff = staff.id,
        account = id,
        change = done,
        "staff account changed by an admin"
    );
    Ok(saved(&page, done))
}

//! The REST API under `/api/v1/`: JSON over the same services and `core` checks as the pages.
//! Every request names its staff member with `Authorization: Bearer <token>` (or the session
//! cookie) and is checked against `access` for the record it touches.
//! Errors are `{ "error": code, "message": sentence, "rule": "R15" | null }`.

mod calendar;
pub mod contract;
use contract::Contract;
mod episodes;
mod narratives;
mod participants;
mod staff;
mod tasks;

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The OpenAPI 3 document, generated from the handlers and types.
#[derive(OpenApi)]
#[openapi(
    info(title = "Re-engage API", description = "TANF/JOBS re-engagement: episodes checked by the policy core."),
    servers((url = "/api/v1")),
    paths(
        calendar::closures, calendar::add_business_days, calendar::notice_mail_by,
        episodes::list, episodes::open, episodes::show, episodes::change,
        episodes::confirm_presence,
        narratives::of_episode, narratives::write, narratives::edit,
        participants::create, participants::show, participants::add_pdp_step,
        participants::add_exemption, participants::add_release, participants::set_language,
        participants::update, participants::search, participants::move_caseload,
        tasks::of_episode, tasks::add, tasks::done,
        staff::list, staff::create, staff::disable, staff::enable, staff::password,
        staff::role, staff::branch,
        staff::tokens, staff::create_token, staff::revoke_token, staff::closures, staff::add_closure,
        staff::mail_pickup, staff::set_mail_pickup, staff::offices, staff::create_office, staff::office,
        staff::set_office, staff::remove_closure, staff::phone,
    ),
    modifiers(&BearerAuth, &Refusals, &Contract)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The answers every operation can give besides its own, each documented where it can
/// happen: 400 (the request does not fit: a malformed id, query or body), 401 and 403 where a
/// token is needed, 404 where the path names a record, 422 where a body is sent.
struct Refusals;

impl utoipa::Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let answer = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let secured = operation
                    .security
                    .as_ref()
                    .is_some_and(|requirements| !requirements.is_empty());
                let names_a_record = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|parameter| parameter.parameter_in == ParameterIn::Path);
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| answer(description).into());
                };
                add(
                    "400",
                    "The request does not fit (an id, a query or a body): the message says what to change.",
                );
                if secured {
                    add(
                        "401",
                        "No valid API token: send `Authorization: Bearer <token>`.",
                    );
                    add(
                        "403",
                        "The signed-in role may not do this (or must first change its password).",
                    );
                }
                if names_a_record {
                    add(
                        "404",
                        "There is no such record within the signed-in person's reach.",
                    );
                }
                if operation.request_body.is_some() {
                    add(
                        "413",
                        "The body is over 64 KB: send less (a long narrative in two parts).",
                    );
                    add(
                        "422",
                        "The body has its documented form but is refused: by a rule of the policy (`refused`, with the rule) or because a value cannot be taken as it is (`invalid`); the message says what to change.",
                    );
                }
            }
        }
    }
}

use axum::response::IntoResponse as _;
use axum::{
    Router,
    extract::{FromRef, FromRequestParts},
    http::{StatusCode, request::Parts},
    routing::{get, post},
};

use crate::services::accounts::{self, Staff};
use crate::store::db::Db;
use crate::web::errors::{ApiError, ErrorBody};
use crate::web::state::AppState;

/// The OpenAPI document, made once per process (closing it walks every schema).
async fn openapi_json() -> axum::response::Response {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let document = DOCUMENT.get_or_init(|| {
        serde_json::to_string(&ApiDoc::openapi()).expect("the OpenAPI document is JSON")
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        document.as_str(),
    )
        .into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/calendar/closures", get(calendar::closures))
        .route(
            "/calendar/add-business-days",
            get(calendar::add_business_days),
        )
        .route("/calendar/notice-mail-by", get(calendar::notice_mail_by))
        .route("/episodes", post(episodes::open).get(episodes::list))
        .route("/episodes/{id}", get(episodes::show))
        .route(
            "/episodes/{id}/narratives",
            get(narratives::of_episode).post(narratives::write),
        )
        .route(
            "/episodes/{id}/tasks",
            get(tasks::of_episode).post(tasks::add),
        )
        .route("/episodes/{id}/{change}", post(episodes::change))
        .route(
            "/episodes/{id}/staffing/presence",
            post(episodes::confirm_presence),
        )
        .route("/tasks/{id}/done", post(tasks::done))
        .route("/narratives/{id}", post(narratives::edit))
        .route("/participants", post(participants::create))
        .route("/participants/search", post(participants::search))
        .route("/participants/move", post(participants::move_caseload))
        .route(
            "/participants/{id}",
            get(participants::show).post(participants::update),
        )
        .route(
            "/participants/{id}/pdp-steps",
            post(participants::add_pdp_step),
        )
        .route(
            "/participants/{id}/exemptions",
            post(participants::add_exemption),
        )
        .route(
            "/participants/{id}/releases",
            post(participants::add_release),
        )
        .route(
            "/participants/{id}/language",
            post(participants::set_language),
        )
        .route("/staff", get(staff::list).post(staff::create))
        .route("/staff/{id}/disable", post(staff::disable))
        .route("/staff/{id}/enable", post(staff::enable))
        .route("/staff/{id}/password", post(staff::password))
        .route("/staff/{id}/role", post(staff::role))
        .route("/staff/{id}/branch", post(staff::branch))
        .route("/staff/{id}/phone", post(staff::phone))
        .route("/branches", get(staff::offices).post(staff::create_office))
        .route("/branches/{id}", get(staff::office).post(staff::set_office))
        .route(
            "/branches/{id}/closures/remove",
            post(staff::remove_closure),
        )
        .route(
            "/staff/{id}/tokens",
            get(staff::tokens).post(staff::create_token),
        )
        .route("/tokens/{id}/revoke", post(staff::revoke_token))
        .route(
            "/branches/{id}/closures",
            get(staff::closures).post(staff::add_closure),
        )
        .route(
            "/branches/{id}/mail-pickup",
            get(staff::mail_pickup).post(staff::set_mail_pickup),
        )
        .fallback(|| async { ApiError::not_found("There is no such API route.") })
}

pub use crate::web::security::{MAX_BODY_BYTES, forbidden_control};
/// The longest text field accepted, in characters (a narrative body; other fields are
/// checked more tightly by their services).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The most items a list in a request may hold.
pub const MAX_LIST_ITEMS: usize = 100;

/// Reads a JSON request body within the limits, or says in a sentence what does not fit.
pub fn json_body<T: serde::de::DeserializeOwned>(
    bytes: &axum::body::Bytes,
    what: &str,
) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_input(format!("The request body is not JSON: {e}.")))?;
    within_limits(&value)?;
    whole_numbers(&mut value);
    known_fields(what, value)
}

/// `value` read as `T`, refusing any field `T` does not know (at any depth) with a 400 that
/// names it: the OpenAPI document closes every request object (`additionalProperties:
/// false`), and a misspelt optional field must not be dropped without a word.
pub fn known_fields<T: serde::de::DeserializeOwned>(
    what: &str,
    value: serde_json::Value,
) -> Result<T, ApiError> {
    let mut unknown = Vec::new();
    let parsed: T = serde_ignored::deserialize(value, |path| unknown.push(path.to_string()))
        .map_err(|e| ApiError::bad_input(format!("The request body does not fit {what}: {e}.")))?;
    match unknown.first() {
        None => Ok(parsed),
        Some(field) => Err(ApiError::bad_input(format!(
            "The request body does not fit {what}: it has no field `{field}`; remove it and send again."
        ))),
    }
}

/// Limits every request body obeys, whatever it is: text lengths, list sizes, and dates
/// inside the years the calendar plans for (so no date far out of range reaches `core`).
/// Writes every number in `value` that is a whole number written with a fraction (`3.0`) as
/// the whole number: JSON Schema counts `3.0` as an integer, so a field documented as one
/// takes it.
pub fn whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            if let Some(float) = number
                .as_f64()
                .filter(|_| !number.is_i64() && !number.is_u64())
                && float.fract() == 0.0
                && float.abs() < 9_007_199_254_740_992.0
            {
                // Exact: a float this size holds whole numbers exactly.
                *value = Value::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

pub fn within_limits(value: &serde_json::Value) -> Result<(), ApiError> {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            if let Some(control) = forbidden_control(text) {
                return Err(ApiError::bad_input(control));
            }
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(ApiError::bad_input(format!(
                    "A text field can have at most {MAX_TEXT_CHARS} characters."
                )));
            }
            if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                && !reengage_core::calendar::SUPPORTED_YEARS
                    .contains(&chrono::Datelike::year(&date))
            {
                return Err(ApiError::bad_input(format!(
                    "{text} is outside the years Re-engage plans for (1990–2100)."
                )));
            }
            Ok(())
        }
        Value::Array(items) => {
            if items.len() > MAX_LIST_ITEMS {
                return Err(ApiError::bad_input(format!(
                    "A list can have at most {MAX_LIST_ITEMS} items."
                )));
            }
            items.iter().try_for_each(within_limits)
        }
        Value::Object(fields) => fields.values().try_for_each(within_limits),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// A query string parsed into `T`; a malformed one is a JSON 400 with a sentence.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|e| {
                ApiError::bad_input(format!("The query string does not fit: {}.", e.body_text()))
            })
    }
}

/// Path parameters parsed into `T` (ids are whole numbers); otherwise a JSON 400.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|e| {
                ApiError::bad_input(format!("The address does not fit: {}.", e.body_text()))
            })
    }
}

/// The staff member a request acts for.
pub struct SignedIn(pub Staff);

impl<S> FromRequestParts<S> for SignedIn
where
    Db: FromRef<S>,
    crate::web::state::Clock: FromRef<S>,
    S: Send + Sync,
{
    /// A bearer token (scripts) or the session cookie (pages).
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Sign in: send `Authorization: Bearer <token>` with a personal API token.",
            )
        };
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        let Some(token) = bearer else {
            let session = crate::web::sessions::AuthSession::from_request_parts(parts, state)
                .await
                .map_err(|_| unauthorized())?;
            return session
                .user
                .map(|user| SignedIn(user.staff))
                .ok_or_else(unauthorized);
        };
        let db = Db::from_ref(state);
        let now = crate::web::state::Clock::from_ref(state).now();
        match accounts::staff_for_token(&db, token, now).await {
            Ok(Some(staff)) => {
                crate::web::observe::note_asker(parts, staff.id);
                Ok(SignedIn(staff))
            }
            Ok(None) => Err(unauthorized()),
            Err(error) => {
                tracing::error!(%error, "token lookup failed");
                Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Try again shortly.",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::whole_numbers;

    /// A whole number written with a fraction is taken as the whole number, near the edge of
    /// what a float holds exactly too: the text must be read exactly (serde_json's
    /// `float_roundtrip`), not to the nearest float a fast reading finds — schemathesis sent
    /// `-2251799813685247.0` as a staff id and it was read as `-2251799813685247.25`.
    #[test]
    fn whole_numbers_written_with_a_fraction_are_read_exactly() {
        for (text, whole) in [
            ("3.0", 3_i64),
            ("-2251799813685247.0", -2_251_799_813_685_247),
            ("53022467842.0", 53_022_467_842),
            ("9007199254740991.0", 9_007_199_254_740_991),
        ] {
            let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
            whole_numbers(&mut value);
            assert_eq!(value.as_i64(), Some(whole), "{text}");
        }
        let mut fraction: serde_json::Value = serde_json::from_str("2.5").unwrap();
        whole_numbers(&mut fraction);
        assert!(fraction.is_f64(), "a fraction stays one");
    }
}

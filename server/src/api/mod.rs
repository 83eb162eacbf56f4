//! The REST API under `/api/v1/`: JSON over the same services and `core` checks as the pages.
//! Every request names its staff member with `Authorization: Bearer <token>`.
//! Errors are `{ "error": code, "message": sentence, "rule": "R15" | null }`.

mod calendar;
mod episodes;
mod narratives;
mod participants;
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
        narratives::of_episode, narratives::write, narratives::edit,
        participants::create, participants::show, participants::add_pdp_step,
        participants::add_exemption, participants::add_release,
        tasks::of_episode, tasks::add, tasks::done,
    ),
    modifiers(&BearerAuth)
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

use axum::{
    Json, Router,
    extract::{FromRef, FromRequestParts},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Serialize;

use crate::auth::{self, Staff};
use crate::db::Db;
use crate::http::AppState;
use crate::services::ServiceError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
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
        .route("/tasks/{id}/done", post(tasks::done))
        .route("/narratives/{id}", axum::routing::put(narratives::edit))
        .route("/participants", post(participants::create))
        .route("/participants/{id}", get(participants::show))
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
        .fallback(|| async { ApiError::not_found("There is no such API route.") })
}

/// Reads a JSON request body, or says in a sentence what does not fit.
pub fn json_body<T: serde::de::DeserializeOwned>(
    bytes: &axum::body::Bytes,
    what: &str,
) -> Result<T, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_input(format!("The request body does not fit {what}: {e}.")))
}

/// The JSON error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: &'static str,
    pub message: String,
    pub rule: Option<String>,
}

/// An error answered as JSON with its status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error,
                message: message.into(),
                rule: None,
            },
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_input", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match &error {
            ServiceError::NotFound(_) => Self::not_found(error.to_string()),
            ServiceError::Conflict { .. } => {
                Self::new(StatusCode::CONFLICT, "conflict", error.to_string())
            }
            ServiceError::Refused(refusal) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorBody {
                    error: "refused",
                    message: refusal.to_string(),
                    rule: refusal.rule().map(|rule| rule.to_string()),
                },
            },
            ServiceError::Invalid(message) => Self::bad_input(message.clone()),
            ServiceError::Store(store) => {
                tracing::error!(error = %store, "storage failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "The change could not be saved. Nothing was changed; try again.",
                )
            }
        }
    }
}

/// The staff member a request acts for.
pub struct SignedIn(pub Staff);

impl<S> FromRequestParts<S> for SignedIn
where
    Db: FromRef<S>,
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
            let session = crate::sessions::AuthSession::from_request_parts(parts, state)
                .await
                .map_err(|_| unauthorized())?;
            return session
                .user
                .map(|user| SignedIn(user.staff))
                .ok_or_else(unauthorized);
        };
        let db = Db::from_ref(state);
        match auth::staff_for_token(&db, token).await {
            Ok(Some(staff)) => Ok(SignedIn(staff)),
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

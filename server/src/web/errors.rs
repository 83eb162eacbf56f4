//! How a refusal is answered: the REST API's JSON error body, and one mapping from a
//! service's error to a status and a sentence — written once for the API, the forms and the
//! pages.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::services::ServiceError;

/// The JSON error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: &'static str,
    pub message: String,
    pub rule: Option<String>,
    /// R26: a DQ1 decision or finalization refused — every unmet step, with its rule and
    /// where it is fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmet: Option<Vec<reengage_core::episode::ReadinessItem>>,
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
                unmet: None,
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
            ServiceError::Forbidden(message) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", message.clone())
            }
            ServiceError::Conflict { .. } => {
                Self::new(StatusCode::CONFLICT, "conflict", error.to_string())
            }
            ServiceError::Refused(refusal) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorBody {
                    error: "refused",
                    message: refusal.to_string(),
                    rule: refusal.rule().map(|rule| rule.to_string()),
                    unmet: refusal.unmet().map(<[_]>::to_vec),
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

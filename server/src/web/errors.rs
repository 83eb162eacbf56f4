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

    /// 400: the request does not fit its documented form — not JSON, a wrong type, a field
    /// the operation does not know, a control character, a value past its documented bound.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_input", message)
    }

    /// 422 `invalid`: the request has its documented form but its values cannot be taken as
    /// they are — a blank name, a weak password, a period that ends before it starts, a task
    /// already done. (A refusal by a rule of the policy is 422 `refused`, with the rule.)
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
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
            ServiceError::Invalid(message) => Self::invalid(message.clone()),
            ServiceError::Duplicate(message) => {
                Self::new(StatusCode::CONFLICT, "duplicate", message.clone())
            }
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

/// The sentence a person reads when the database failed mid-change; the cause is logged.
pub const NOT_SAVED: &str = "It could not be saved. Nothing was changed; try again.";

/// `reason` percent-encoded as a header value.
fn refusal_header(reason: &str) -> Option<axum::http::HeaderValue> {
    let encoded: String = form_urlencoded::byte_serialize(reason.as_bytes()).collect();
    axum::http::HeaderValue::from_str(&encoded).ok()
}

/// Why a page's form did not land — answered one way for every form: to sign in, a short
/// page with the status (access refused, no such record, the check itself failed), or the
/// form's page re-rendered in place with what was typed and why.
#[derive(Debug)]
pub enum Refusal {
    /// Not signed in: to the sign-in page.
    SignedOut,
    /// Refused by the access check or for a record that is not there; any other error here
    /// means the check could not be made.
    Denied(ServiceError),
    /// The page at `to`, rendered again in this POST's answer with `typed` (what the form
    /// sent), the reason, and the section of the page (`section`) the form is in.
    Back {
        to: String,
        typed: Vec<(String, String)>,
        error: String,
        section: Option<&'static str>,
    },
}

impl Refusal {
    /// Back to the page at `to` with `typed` (a form's fields, as it sent them).
    pub fn back(to: impl Into<String>, typed: &impl Serialize, error: impl Into<String>) -> Self {
        // A form's fields, named as its contract names them, as the form sent them.
        let typed = serde_urlencoded::to_string(typed)
            .ok()
            .and_then(|encoded| serde_urlencoded::from_str(&encoded).ok())
            .unwrap_or_default();
        Self::Back {
            to: to.into(),
            typed,
            error: error.into(),
            section: None,
        }
    }

    /// The same, to the section `section` of the page.
    pub fn at(self, section: &'static str) -> Self {
        match self {
            Self::Back {
                to, typed, error, ..
            } => Self::Back {
                to,
                typed,
                error,
                section: Some(section),
            },
            other => other,
        }
    }

    /// A service's refusal of a form's change: access and missing records are denied; a
    /// database failure is logged and said plainly; anything else (`core`'s refusal with its
    /// rule, a conflict, bad input) goes back to the form through `back` with its sentence.
    pub fn service(error: ServiceError, back: impl FnOnce(String) -> Refusal) -> Self {
        match error {
            error @ (ServiceError::Forbidden(_) | ServiceError::NotFound(_)) => Self::Denied(error),
            ServiceError::Store(cause) => {
                tracing::error!(error = %cause, "form could not be saved");
                back(NOT_SAVED.to_owned())
            }
            other => back(other.to_string()),
        }
    }
}

impl From<ServiceError> for Refusal {
    fn from(error: ServiceError) -> Self {
        Self::Denied(error)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::SignedOut => axum::response::Redirect::to("/signin").into_response(),
            Self::Denied(error) => denied(
                error,
                "Re-engage could not check this request; go back and try again.",
            ),
            Self::Back {
                to,
                mut typed,
                error,
                section,
            } => {
                typed.push((reengage_app::forms::query::ERROR.to_owned(), error.clone()));
                if let Some(section) = section {
                    typed.push((crate::web::in_place::SECTION.to_owned(), section.to_owned()));
                }
                let reason = refusal_header(&error);
                let mut response =
                    crate::web::in_place::page(StatusCode::UNPROCESSABLE_ENTITY, to, typed, error);
                if let Some(reason) = reason {
                    response
                        .headers_mut()
                        .insert(crate::web::in_place::REFUSAL_HEADER, reason);
                }
                response
            }
        }
    }
}

/// A refused or unreadable request as a short page: 403 with the access table's sentence,
/// 404 for a record that is not there, otherwise 503 with `unavailable` (the cause logged).
pub fn denied(error: ServiceError, unavailable: &str) -> Response {
    match error {
        ServiceError::Forbidden(message) => (StatusCode::FORBIDDEN, message).into_response(),
        ServiceError::NotFound(what) => {
            (StatusCode::NOT_FOUND, format!("There is no {what}.")).into_response()
        }
        other => {
            tracing::error!(error = %other, "request could not be checked or read");
            (StatusCode::SERVICE_UNAVAILABLE, unavailable.to_owned()).into_response()
        }
    }
}

//! `GET /api/v1/calendar/…`: the business calendar from `core` — Oregon's, or with
//! `branch_id` an office's with its own closure days (R15: one calendar per office
//! everywhere, as the pages and the checks use it).

use axum::{Json, extract::State};
use chrono::NaiveDate;
use reengage_core::{BusinessCalendar, Closure, parse_date_input};
use serde::{Deserialize, Serialize};

use super::ApiQuery;
use crate::services::office::MAX_BUSINESS_DAYS;
use crate::store::db::Db;
use crate::web::errors::ApiError;
use crate::web::state::Clock;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year, from 1990 to 2100.
    #[param(value_type = i32, required = true, minimum = 1990, maximum = 2100)]
    year: Option<String>,
    /// The office whose closure days count too.
    #[param(value_type = i64, required = false)]
    branch_id: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// The day to count from (YYYY-MM-DD, 1990–2100).
    #[param(value_type = String, format = Date, required = true, pattern = r"^(199[0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
    /// How many business days to add, from 0 to 366.
    #[param(value_type = u32, required = true, minimum = 0, maximum = 366)]
    n: Option<String>,
    /// The office whose closure days count too.
    #[param(value_type = i64, required = false)]
    branch_id: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// The re-engagement appointment's day (YYYY-MM-DD, 1990–2100).
    #[param(value_type = String, format = Date, required = true, pattern = r"^(199[0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$")]
    appointment: Option<String>,
    /// The office whose closure days count too.
    #[param(value_type = i64, required = false)]
    branch_id: Option<i64>,
}

/// Oregon's calendar, or branch `branch_id`'s (404 when there is no such branch).
async fn calendar_of(
    db: &Db,
    clock: &Clock,
    branch_id: Option<i64>,
) -> Result<BusinessCalendar, ApiError> {
    match branch_id {
        None => Ok(BusinessCalendar::oregon()),
        Some(id) => Ok(crate::services::episodes::office(db, id, clock.now())
            .await?
            .1),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DateAnswer {
    pub date: NaiveDate,
}

fn date(text: Option<&str>, name: &str) -> Result<NaiveDate, ApiError> {
    let text = text.ok_or_else(|| ApiError::bad_input(format!("Give `{name}` as YYYY-MM-DD.")))?;
    parse_date_input(text).map_err(|e| ApiError::bad_input(e.to_string()))
}

/// The weekdays the offices are closed in a year, with names.
#[utoipa::path(get, path = "/calendar/closures", tag = "calendar", params(YearQuery),
    responses((status = 200, body = Vec<Closure>), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn closures(
    State(db): State<Db>,
    State(clock): State<Clock>,
    ApiQuery(query): ApiQuery<YearQuery>,
) -> Result<Json<Vec<Closure>>, ApiError> {
    let year: i32 = query
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .ok_or_else(|| ApiError::bad_input("Give `year`, from 1990 to 2100."))?;
    calendar_of(&db, &clock, query.branch_id)
        .await?
        .closures_in_year(year)
        .map(Json)
        .map_err(|e| ApiError::bad_input(e.to_string()))
}

/// The date `n` business days after `date` (the start day not counted).
#[utoipa::path(get, path = "/calendar/add-business-days", tag = "calendar", params(AddQuery),
    responses((status = 200, body = DateAnswer), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn add_business_days(
    State(db): State<Db>,
    State(clock): State<Clock>,
    ApiQuery(query): ApiQuery<AddQuery>,
) -> Result<Json<DateAnswer>, ApiError> {
    let start = date(query.date.as_deref(), "date")?;
    let n: u32 = query
        .n
        .as_deref()
        .and_then(|n| n.trim().parse().ok())
        .filter(|n| *n <= MAX_BUSINESS_DAYS)
        .ok_or_else(|| ApiError::bad_input(format!("Give `n`, from 0 to {MAX_BUSINESS_DAYS}.")))?;
    calendar_of(&db, &clock, query.branch_id)
        .await?
        .add_business_days(start, n)
        .map(|date| Json(DateAnswer { date }))
        .map_err(|e| ApiError::bad_input(e.to_string()))
}

/// R15, R16: the latest day the DHS 7869 notice can be mailed for an appointment.
#[utoipa::path(get, path = "/calendar/notice-mail-by", tag = "calendar", params(NoticeQuery),
    responses((status = 200, body = DateAnswer), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn notice_mail_by(
    State(db): State<Db>,
    State(clock): State<Clock>,
    ApiQuery(query): ApiQuery<NoticeQuery>,
) -> Result<Json<DateAnswer>, ApiError> {
    let appointment = date(query.appointment.as_deref(), "appointment")?;
    let calendar = calendar_of(&db, &clock, query.branch_id).await?;
    reengage_core::notice_mail_by(appointment, &calendar)
        .map(|date| Json(DateAnswer { date }))
        .map_err(|e| {
            let mut error = ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "refused",
                e.to_string(),
            );
            error.body.rule = Some(e.rule().to_string());
            error
        })
}

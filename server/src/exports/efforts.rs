//! `GET /branch/efforts.csv`: the R29 view (`services::efforts`) as a CSV file, checked
//! against the access table, the export audited with what it held.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use reengage_app::backend::{EffortsFilter, EffortsView};
use serde_json::json;

use crate::exports::{audited, field, table, unreadable};
use crate::services::efforts;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// The view as CSV, a header line first.
pub fn csv(view: &EffortsView) -> String {
    table(
        "episode,participant,case_number,coach,missed_on,missed,attempts,outcome",
        view.rows.iter().map(|row| {
            vec![
                row.episode_id.to_string(),
                field(&row.participant),
                field(&row.case_number),
                field(row.coach.as_deref().unwrap_or("")),
                row.missed_on.to_string(),
                field(&row.missed),
                row.attempts.to_string(),
                field(&row.outcome),
            ]
        }),
    )
}

/// `GET /branch/efforts.csv`: the R29 view as a CSV file; every export is in the audit log
/// with its filter and how many rows it held.
pub async fn export(
    State(state): State<AppState>,
    auth: AuthSession,
    Query(filter): Query<EffortsFilter>,
) -> Response {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Redirect::to("/signin").into_response();
    };
    let now = state.clock.now();
    let view = match efforts::view_all(&state.db, &staff, &filter, now).await {
        Ok(view) => view,
        Err(error) => return unreadable(error, "efforts"),
    };
    let values =
        json!({ "from": view.from, "to": view.to, "coach": view.coach, "rows": view.rows.len() });
    let name = format!("efforts-without-dq-{}-to-{}.csv", view.from, view.to);
    audited(
        &state,
        &staff,
        "export.efforts_without_dq",
        values,
        &name,
        csv(&view),
    )
    .await
}

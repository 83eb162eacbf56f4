//! R29: every engagement contact and re-engagement effort of a period that did not end in a
//! disqualification, for one coach or the whole branch — the page (`/branch/efforts`) and its
//! CSV export (`/branch/efforts.csv`), both checked against the access table, the export
//! audited with what it held.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use reengage_app::backend::{EffortRow, EffortsFilter, EffortsView};
use reengage_core::episode::{effort_outcome, without_disqualification};
use reengage_core::parse_date_input;
use serde_json::json;

use crate::exports::{audited, field, table, unreadable};
use crate::services::ServiceError;
use crate::services::accounts::Staff;
use crate::services::episodes::read_many;
use crate::state::AppState;
use crate::web::sessions::AuthSession;

/// A branch's episodes missed in a period, newest first (index episodes_branch_missed).
pub const MISSED_IN_SQL: &str = "SELECT e.id, p.display_name, p.case_number, e.coach_id FROM episodes e \
         JOIN participants p ON p.id = e.participant_id \
         WHERE e.branch_id = $1 AND e.missed_on >= $2 AND e.missed_on <= $3 \
           AND ($4 = 0 OR e.coach_id = $4) \
         ORDER BY e.missed_on DESC, e.id DESC LIMIT $5";

/// The most efforts one view reads; a longer period is cut and says so.
const LIMIT: i64 = 1_000;

/// The period shown when none is chosen: the last 90 days.
pub const DEFAULT_DAYS: i64 = 90;

/// The filter as asked, with the defaults for what was left empty, and what could not be used.
struct Period {
    from: NaiveDate,
    to: NaiveDate,
    coach: Option<i64>,
    problem: Option<String>,
}

/// The period `from`..`to` as typed (empty: the last `DEFAULT_DAYS` days to today), with a
/// sentence for each part that could not be used.
pub fn period_of(from: &str, to: &str, today: NaiveDate) -> (NaiveDate, NaiveDate, Vec<String>) {
    let mut problems = Vec::new();
    let default_from = today - Duration::days(DEFAULT_DAYS);
    let mut day = |text: &str, default: NaiveDate| {
        if text.trim().is_empty() {
            return default;
        }
        parse_date_input(text).unwrap_or_else(|error| {
            problems.push(error.to_string());
            default
        })
    };
    let (mut start, mut end) = (day(from, default_from), day(to, today));
    if start > end {
        problems.push("The period starts after it ends.".to_owned());
        (start, end) = (default_from, today);
    }
    (start, end, problems)
}

fn period(filter: &EffortsFilter, today: NaiveDate, coaches: &[(i64, String)]) -> Period {
    let (from, to, mut problems) = period_of(&filter.from, &filter.to, today);
    let coach = match filter.coach.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) if coaches.iter().any(|(c, _)| *c == id) => Some(id),
            _ => {
                problems.push("Choose a coach from the list.".to_owned());
                None
            }
        },
    };
    let problem = (!problems.is_empty()).then(|| {
        format!(
            "{} What could not be used is left at its default: every coach, the last 90 days.",
            problems.join(" ")
        )
    });
    Period {
        from,
        to,
        coach,
        problem,
    }
}

/// A branch's episodes (open or closed) missed from `from` to `to`, for one coach or all,
/// newest first, at most `LIMIT` (and whether there were more). Served by
/// episodes_branch_missed (branch_id, missed_on, id).
pub async fn missed_in(
    state: &AppState,
    branch_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    coach: Option<i64>,
) -> Result<(Vec<(i64, String, String, Option<i64>)>, bool), ServiceError> {
    let mut found: Vec<(i64, String, String, Option<i64>)> = sqlx::query_as(MISSED_IN_SQL)
        .bind(branch_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(coach.unwrap_or(0))
        .bind(LIMIT + 1)
        .fetch_all(&state.db.pool)
        .await?;
    let more = found.len() as i64 > LIMIT;
    found.truncate(LIMIT as usize);
    Ok((found, more))
}

/// The R29 view of `staff`'s branch for `filter`.
pub async fn view(
    state: &AppState,
    staff: &Staff,
    filter: &EffortsFilter,
    now: DateTime<Utc>,
) -> Result<EffortsView, ServiceError> {
    let (branch_id, coaches) = crate::pages::supervised_branch(state, staff, now).await?;
    let today = crate::pages::office_today(state, staff, now).await?;
    let Period {
        from,
        to,
        coach,
        problem,
    } = period(filter, today, &coaches);
    let (found, truncated) = missed_in(state, branch_id, from, to, coach).await?;
    let mut rows = Vec::new();
    let ids: Vec<i64> = found.iter().map(|(id, ..)| *id).collect();
    let read = read_many(&state.db, &ids, now).await?;
    for ((id, participant, case_number, coach_id), (record, today, calendar)) in
        found.into_iter().zip(read)
    {
        let facts = &record.facts;
        if !without_disqualification(facts) {
            continue;
        }
        rows.push(EffortRow {
            episode_id: id,
            participant,
            case_number,
            coach: coach_id
                .and_then(|c| coaches.iter().find(|(id, _)| *id == c))
                .map(|(_, name)| name.clone()),
            missed_on: facts.trigger.on,
            missed: facts.trigger.what.clone(),
            attempts: facts.attempts.len(),
            outcome: effort_outcome(facts, today, &calendar),
        });
    }
    Ok(EffortsView {
        today,
        coaches,
        from,
        to,
        coach,
        rows,
        truncated,
        problem,
    })
}

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
    let view = match view(&state, &staff, &filter, now).await {
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

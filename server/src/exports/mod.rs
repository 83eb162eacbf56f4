//! CSV exports of what a supervisor's pages list: the R29 view (`/branch/efforts.csv`) and the
//! dashboard's open episodes (`/branch.csv`). Each is read through the page's own function
//! (so the access table and the filters are the page's), quoted so no spreadsheet runs a
//! cell as a formula, begun with a UTF-8 byte order mark, and sent as a stream of pieces of
//! [`CHUNK_ROWS`] lines (no file is built whole, so there is no row cap). Each is written to
//! the audit log with its filter before its first byte — an export that cannot be audited is
//! not sent — and with its row count: the open episodes are counted before they are sent
//! (the list is sorted over all of them), the R29 efforts before the last piece.

pub mod efforts;
pub mod ical;

use axum::{
    body::{Body, Bytes},
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use futures_util::{Stream, StreamExt, stream};
use reengage_app::backend::BranchRow;
use reengage_app::forms::branch::{BranchFilter, coach_name};
use serde_json::{Value, json};

use crate::services::ServiceError;
use crate::services::accounts::Staff;
use crate::store::audit;
use crate::store::db;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// One CSV field: quoted, quotes doubled, and a leading `=`, `+`, `-`, `@`, TAB or CR defused
/// so a spreadsheet never runs it as a formula (OWASP's CSV injection advice).
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The UTF-8 byte order mark a CSV file begins with: without it Excel reads the file in the
/// machine's code page and "Núñez" comes out as "NÃºÃ±ez".
pub const BOM: char = '\u{feff}';

/// How many rows a CSV export sends in one piece of its body.
pub const CHUNK_ROWS: usize = 500;

/// The start of a CSV file: the byte order mark and the header line.
pub fn head(header: &str) -> String {
    format!("{BOM}{header}\r\n")
}

/// CSV lines, one per row of fields (already quoted where text), each ended by CRLF.
pub fn lines(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A piece of a CSV body as it is sent, or why the rest could not be: the body then ends in
/// an error, so the download fails instead of looking complete.
pub type Piece = Result<Bytes, std::io::Error>;

/// The CSV file `name` sent as `pieces` come (`Transfer-Encoding: chunked`): no file is built
/// whole in memory, so an export has no row cap. The stream is fused: a layer that asks for
/// more after the end (gzip's, for one) is told the end again.
pub fn streamed(name: &str, pieces: impl Stream<Item = Piece> + Send + 'static) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(pieces.fuse()),
    )
        .into_response()
}

/// Why an export could not be read, as a short answer.
pub fn unreadable(error: ServiceError, what: &str) -> Response {
    crate::web::errors::denied(
        error,
        &format!("Re-engage could not read the {what}; try again."),
    )
}

/// Records the export in the audit trail (`action`, with `values`: its filter and row
/// count); the answer to send instead when the entry cannot be written (nothing leaves
/// unaudited).
pub async fn record_export(
    state: &AppState,
    staff: &Staff,
    action: &str,
    values: Value,
) -> Result<(), Response> {
    let entry = staff
        .actor()
        .entry(
            state.clock.now(),
            action,
            "branch",
            staff.branch_id.unwrap_or_default(),
        )
        .with_values(None, Some(values.to_string()));
    let written = async {
        let mut tx = db::begin_write(&state.db).await?;
        audit::append(&mut tx, state.db.backend, &entry).await?;
        tx.commit().await
    }
    .await;
    written.map_err(|error| {
        tracing::error!(%error, action, "export not audited: refused");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "Re-engage could not record the export; try again.",
        )
            .into_response()
    })
}

/// Audits the export (`action`, with `values`: its filter and row count) and sends `rows`
/// (read and ordered already) as the CSV file `name` under `header`, [`CHUNK_ROWS`] lines
/// a piece; refused when the audit entry cannot be written.
pub async fn audited<R: Send + 'static>(
    state: &AppState,
    staff: &Staff,
    (action, values): (&str, Value),
    (name, header): (&str, &'static str),
    rows: Vec<R>,
    fields: fn(R) -> Vec<String>,
) -> Response {
    if let Err(refused) = record_export(state, staff, action, values).await {
        return refused;
    }
    let mut rows = rows.into_iter();
    let first = stream::once(std::future::ready(Ok(Bytes::from(head(header)))));
    let rest = stream::iter(std::iter::from_fn(move || {
        let piece = lines(rows.by_ref().take(CHUNK_ROWS).map(fields));
        (!piece.is_empty()).then(|| Ok(Bytes::from(piece)))
    }));
    streamed(name, first.chain(rest))
}

/// `GET /branch.csv?coach=…&stage=…&due_by=…&sort=…&dir=…`: the dashboard's open episodes,
/// the rows and order the page lists for that filter, with each one's most urgent deadline
/// (R2–R17), appointment, missing information (R17) and whether a DQ1 waits for its
/// finalization (R26).
pub async fn branch(
    State(state): State<AppState>,
    auth: AuthSession,
    Query(filter): Query<BranchFilter>,
) -> Response {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Redirect::to("/signin").into_response();
    };
    let (rows, today) = match crate::pages::branch::every_open_row(&state, &staff).await {
        Ok(read) => read,
        Err(error) => return unreadable(error, "branch"),
    };
    let listed: Vec<BranchRow> = filter.listed(&rows).into_iter().cloned().collect();
    drop(rows);
    let values = json!({
        "coach": filter.coach, "stage": filter.stage, "due_by": filter.due_by,
        "sort": filter.sort, "dir": filter.dir, "rows": listed.len(),
    });
    let name = format!("open-episodes-{today}.csv");
    audited(
        &state,
        &staff,
        ("export.branch_episodes", values),
        (
            &name,
            "episode,participant,coach,stage,most_urgent,due_by,rule,why,appointment_on,missing_information,dq1_awaiting_finalization",
        ),
        listed,
        branch_fields,
    )
    .await
}

/// One open episode's CSV fields, as the dashboard lists it.
fn branch_fields(row: BranchRow) -> Vec<String> {
    let (urgency, due, rule, why) = match &row.work {
        Some(work) => (
            work.urgency.label(),
            work.deadline.due.to_string(),
            work.deadline.rule.to_string(),
            work.deadline.why.clone(),
        ),
        None => (
            "Nothing due".to_owned(),
            String::new(),
            String::new(),
            String::new(),
        ),
    };
    vec![
        row.episode_id.to_string(),
        field(&row.participant),
        field(&coach_name(&row)),
        field(row.stage.label()),
        field(&urgency),
        due,
        rule,
        field(&why),
        row.appointment_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        field(&row.missing_info.join("; ")),
        if row.awaiting_finalization {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn a_field_that_a_spreadsheet_would_run_is_defused() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"] {
            let written = field(formula);
            assert!(written.starts_with("\"'"), "{formula:?} → {written}");
        }
        assert_eq!(field("Dana \"DJ\" Example"), "\"Dana \"\"DJ\"\" Example\"");
        assert_eq!(field("plain"), "\"plain\"");
    }
}

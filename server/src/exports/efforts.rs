//! `GET /branch/efforts.csv`: the R29 view (`services::efforts`) as a CSV file, checked
//! against the access table. The period can span years, so the file is read and sent a page
//! of [`CHUNK_ROWS`] misses at a time, the pages the view's "Show more" walks: the export is
//! audited with its filter before its first byte, and with the number of rows it held before
//! its last.

use axum::{
    body::Bytes,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use futures_util::{StreamExt, stream};
use reengage_app::backend::{EffortRow, EffortsFilter, EffortsView};
use serde_json::json;

use crate::exports::{CHUNK_ROWS, Piece, field, head, lines, record_export, streamed, unreadable};
use crate::services::accounts::Staff;
use crate::services::efforts;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// The CSV header line.
pub const HEADER: &str = "episode,participant,case_number,coach,missed_on,missed,attempts,outcome";

/// One effort's CSV fields.
fn fields(row: &EffortRow) -> Vec<String> {
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
}

/// The rows of one page of the view as CSV lines.
pub fn csv_lines(view: &EffortsView) -> String {
    lines(view.rows.iter().map(fields))
}

/// Where the export stands between two pieces of its body.
enum Next {
    /// The page after the one sent, from this filter (`after` set to where it ends).
    Page(EffortsFilter),
    /// Every page is sent.
    Done,
}

/// `GET /branch/efforts.csv`: the R29 view as a CSV file, every miss of the period. The first
/// page is read before the answer starts, so a refusal is a refusal; the export is audited
/// (`export.efforts_without_dq`, its filter) before anything is sent, and its row count
/// (`export.efforts_without_dq.sent`) before the last piece goes — a download that ends
/// without an error was counted in the audit log. A page that cannot be read, or a count
/// that cannot be recorded, ends the body in an error, so the file never looks complete.
pub async fn export(
    State(state): State<AppState>,
    auth: AuthSession,
    Query(filter): Query<EffortsFilter>,
) -> Response {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Redirect::to("/signin").into_response();
    };
    let now = state.clock.now();
    let first = match efforts::page(&state.db, &staff, &filter, now, CHUNK_ROWS as i64).await {
        Ok(view) => view,
        Err(error) => return unreadable(error, "efforts"),
    };
    // Every later page reads the period and coach the first one settled on, even past midnight.
    let pinned = EffortsFilter {
        from: first.from.to_string(),
        to: first.to.to_string(),
        coach: first.coach.map(|id| id.to_string()).unwrap_or_default(),
        after: String::new(),
    };
    let values = json!({ "from": first.from, "to": first.to, "coach": first.coach });
    if let Err(refused) = record_export(&state, &staff, "export.efforts_without_dq", values).await {
        return refused;
    }
    let name = format!("efforts-without-dq-{}-to-{}.csv", first.from, first.to);
    let mut piece = head(HEADER);
    piece.push_str(&csv_lines(&first));
    let sent = first.rows.len();
    let next = following(&pinned, &first);
    // A period of one page is counted before anything is sent, so it is refused whole.
    if matches!(next, Next::Done)
        && let Err(refused) = record_sent(&state, &staff, sent).await
    {
        return refused;
    }
    let rest = stream::unfold(
        (state, staff, next, sent),
        move |(state, staff, next, sent)| async move {
            let Next::Page(filter) = next else {
                return None;
            };
            let now = state.clock.now();
            let view = match efforts::page(&state.db, &staff, &filter, now, CHUNK_ROWS as i64).await
            {
                Ok(view) => view,
                Err(error) => {
                    tracing::error!(%error, "efforts export: a page could not be read");
                    return Some((
                        Err(broken("a page could not be read")),
                        (state, staff, Next::Done, sent),
                    ));
                }
            };
            let sent = sent + view.rows.len();
            let next = following(&filter, &view);
            let piece: Piece = match finish_if_done(&state, &staff, &next, sent).await {
                Ok(()) => Ok(Bytes::from(csv_lines(&view))),
                Err(error) => Err(error),
            };
            let next = if piece.is_err() { Next::Done } else { next };
            Some((piece, (state, staff, next, sent)))
        },
    );
    let first: Piece = Ok(Bytes::from(piece));
    streamed(&name, stream::once(std::future::ready(first)).chain(rest))
}

/// What comes after `view`, read with `filter`: its next page, or nothing.
fn following(filter: &EffortsFilter, view: &EffortsView) -> Next {
    match &view.next {
        Some(after) => Next::Page(EffortsFilter {
            after: after.clone(),
            ..filter.clone()
        }),
        None => Next::Done,
    }
}

/// When every page is read (`next` is [`Next::Done`]), records how many rows the export
/// held; the error to end the body with when that cannot be recorded.
async fn finish_if_done(
    state: &AppState,
    staff: &Staff,
    next: &Next,
    rows: usize,
) -> Result<(), std::io::Error> {
    if matches!(next, Next::Page(_)) {
        return Ok(());
    }
    record_sent(state, staff, rows)
        .await
        .map_err(|_| broken("the row count could not be recorded"))
}

/// Records that the export held `rows` rows; the refusal to answer with when it cannot be.
async fn record_sent(state: &AppState, staff: &Staff, rows: usize) -> Result<(), Response> {
    record_export(
        state,
        staff,
        "export.efforts_without_dq.sent",
        json!({ "rows": rows }),
    )
    .await
}

/// The error a CSV body ends with, so the download fails instead of looking complete.
fn broken(why: &str) -> std::io::Error {
    std::io::Error::other(format!("the export stopped: {why}"))
}

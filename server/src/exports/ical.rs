//! `GET /calendar.ics`: the signed-in person's coming re-engagement appointments — where the
//! staffing's case review happens (R17) — as an iCalendar (RFC 5545) feed: a coach's or
//! aide's own caseload, a supervisor's whole branch. Each event names the participant, the
//! DHS 7869 notice's state (R15) and links to the episode.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{NaiveDate, NaiveTime};

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::store::lists;
use crate::web::sessions::AuthSession;
use crate::web::state::AppState;

/// How many coming appointments the feed holds at most.
const LIMIT: i64 = 500;

/// The office's time zone, as the feed names it.
const ZONE: &str = "America/Los_Angeles";

/// One coming re-engagement appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub episode_id: i64,
    pub participant: String,
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    pub notice_mailed_on: Option<NaiveDate>,
}

/// RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped — CRLF, LF and a bare
/// CR each one `\n`, so no typed text can end a content line — and the other control
/// characters RFC 5545 forbids in TEXT left out.
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect()
}

/// A content line folded at 75 octets (RFC 5545 §3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The feed for `events`, stamped `now` (`YYYYMMDDTHHMMSSZ`).
pub fn calendar(events: &[Event], stamp: &str) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Re-engage//Re-engagement appointments//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Re-engagement appointments",
    ] {
        out.push_str(&fold(line));
    }
    for event in events {
        let start = match event.at {
            Some(at) => format!(
                "DTSTART;TZID={ZONE}:{}T{}",
                event.on.format("%Y%m%d"),
                at.format("%H%M%S")
            ),
            None => format!("DTSTART;VALUE=DATE:{}", event.on.format("%Y%m%d")),
        };
        let notice = match event.notice_mailed_on {
            Some(day) => format!("DHS 7869 notice mailed on {day} (R15)."),
            None => "DHS 7869 notice not yet recorded as mailed (R15).".to_owned(),
        };
        let lines = [
            "BEGIN:VEVENT".to_owned(),
            format!(
                "UID:episode-{}-reengagement-appointment@reengage",
                event.episode_id
            ),
            format!("DTSTAMP:{stamp}"),
            start,
            if event.at.is_some() {
                "DURATION:PT1H".to_owned()
            } else {
                "DURATION:P1D".to_owned()
            },
            format!(
                "SUMMARY:{}",
                text(&format!(
                    "Re-engagement appointment — {}",
                    event.participant
                ))
            ),
            format!(
                "DESCRIPTION:{}",
                text(&format!(
                    "The staffing's case review happens at the appointment (R17). {notice} Episode /episodes/{}",
                    event.episode_id
                ))
            ),
            "END:VEVENT".to_owned(),
        ];
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

/// The coming appointments `staff` has: their own participants', or their branch's.
async fn events(state: &AppState, auth: AuthSession) -> Result<(Staff, Vec<Event>), Response> {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Err(Redirect::to("/signin").into_response());
    };
    let now = state.clock.now();
    let role = access::authorize(&state.db, &staff, Action::ListEpisodes, Record::None, now)
        .await
        .map_err(|error| crate::exports::unreadable(error, "calendar"))?;
    let today = crate::services::office::office_today(&state.db, &staff, now)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE.into_response())?;
    let scope = access::own_scope(role, &staff);
    let rows = lists::appointments(&state.db, scope, today, LIMIT)
        .await
        .map_err(|error| {
            tracing::error!(%error, "calendar feed could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        })?;
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let events = rows
        .into_iter()
        .filter_map(|(episode_id, participant, on, at, mailed)| {
            Some(Event {
                episode_id,
                participant,
                on: day(&on)?,
                at: at.and_then(|at| reengage_core::parse_time_input(&at).ok().flatten()),
                notice_mailed_on: mailed.as_deref().and_then(day),
            })
        })
        .collect();
    Ok((staff, events))
}

/// `GET /calendar.ics`: audited as an export (`calendar.exported`, with how many events), like
/// the CSV files — it names participants and their appointments.
pub async fn feed(State(state): State<AppState>, auth: AuthSession) -> Response {
    let (staff, events) = match events(&state, auth).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let values = serde_json::json!({ "events": events.len() });
    if let Err(refused) =
        crate::exports::record_export(&state, &staff, "calendar.exported", values).await
    {
        return refused;
    }
    let stamp = state.clock.now().format("%Y%m%dT%H%M%SZ").to_string();
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"reengagement-appointments.ics\"",
            ),
        ],
        calendar(&events, &stamp),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_typed_text_can_end_a_content_line() {
        for typed in [
            "a\rDTSTART:1",
            "a\nDTSTART:1",
            "a\r\nDTSTART:1",
            "a\u{0}\u{1b}b",
        ] {
            let escaped = text(typed);
            assert!(
                !escaped.contains(['\r', '\n']) && !escaped.chars().any(|c| c.is_control()),
                "{typed:?} → {escaped:?}"
            );
        }
        assert_eq!(text("a\rb"), "a\\nb");
        assert_eq!(text("a\r\nb"), "a\\nb");
    }

    #[test]
    fn events_are_escaped_folded_and_timed_in_the_office_zone() {
        let events = [
            Event {
                episode_id: 7,
                participant: "Dana Example, Jr.; \"DJ\"".into(),
                on: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                at: NaiveTime::from_hms_opt(10, 0, 0),
                notice_mailed_on: NaiveDate::from_ymd_opt(2026, 12, 1),
            },
            Event {
                episode_id: 8,
                participant: "Eden Sample".into(),
                on: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
                at: None,
                notice_mailed_on: None,
            },
        ];
        let feed = calendar(&events, "20261130T200000Z");
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        assert!(feed.contains("DTSTART;TZID=America/Los_Angeles:20261210T100000\r\n"));
        assert!(feed.contains("DTSTART;VALUE=DATE:20270104\r\n"));
        assert!(
            feed.contains("SUMMARY:Re-engagement appointment — Dana Example\\, Jr.\\; \"DJ\"\r\n")
        );
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
        // Every line fits 75 octets; a folded line goes on after a space.
        for line in feed.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = feed.replace("\r\n ", "");
        assert!(unfolded.contains("DHS 7869 notice mailed on 2026-12-01 (R15)."));
        assert!(unfolded.contains("DHS 7869 notice not yet recorded as mailed (R15)."));
    }
}

//! A person's coming re-engagement appointments — where the staffing's case review happens
//! (R17) — as an iCalendar (RFC 5545) feed: a coach's or aide's own caseload, a supervisor's
//! whole branch. Each event names the participant, the DHS 7869 notice's state (R15) and
//! links to the episode.
//!
//! Served two ways, rendered alike: `GET /calendar.ics` to the signed-in person (audited as
//! an export), and `GET /feeds/calendar/{secret}.ics` to the calendar app a person subscribed
//! with their secret feed address (`services::calendar_feeds`; every read audited).
//!
//! Times are written in UTC (`DTSTART:20261210T180000Z`), converted from the office's time
//! zone, so no VTIMEZONE is needed and every calendar app places them alike; a day without a
//! time is an all-day event (`VALUE=DATE`, with the next day as its end, as Outlook prefers).
//! The calendar carries the refresh hints Google Calendar and Outlook read
//! (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`), its name and the office's zone for display
//! (`X-WR-CALNAME`, `X-WR-TIMEZONE`).

use std::collections::HashMap;

use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::{calendar_feeds, office};
use crate::store::lists;
use crate::web::sessions::AuthSession;
use crate::web::signing::PeerAddress;
use crate::web::state::AppState;

/// How long an appointment with a time lasts in the calendar.
const APPOINTMENT_MINUTES: i64 = 60;

/// How often a subscribed calendar app should read the feed again.
const REFRESH: &str = "PT1H";

/// One coming re-engagement appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub episode_id: i64,
    /// The episode's version: the event's SEQUENCE, higher after every change.
    pub version: i64,
    pub participant: String,
    /// The day and time, in `zone`: the office's.
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    pub zone: Tz,
    pub notice_mailed_on: Option<NaiveDate>,
}

/// The calendar around the events.
#[derive(Debug, Clone, Copy)]
pub struct Calendar<'a> {
    /// The person's office's zone, named for display (`X-WR-TIMEZONE`).
    pub zone: Tz,
    /// Where Re-engage is reached (`REENGAGE_PUBLIC_URL`), for the episodes' links.
    pub public_url: &'a str,
    /// When the feed is made.
    pub stamp: DateTime<Utc>,
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

/// The instant `at` on `on` in `zone`. A time the clocks skip (spring forward) is taken an
/// hour later, as the wall clock then reads; a time they pass twice (fall back), the first.
pub fn instant_in(zone: Tz, on: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    let local = on.and_time(at);
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |found| found.with_timezone(&Utc))
}

/// A UTC instant as RFC 5545 writes it.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The feed of `events`.
pub fn calendar(events: &[Event], around: Calendar<'_>) -> String {
    let mut out = String::new();
    let header = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Re-engage//Re-engagement appointments//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "X-WR-CALNAME:Re-engagement appointments".to_owned(),
        format!(
            "X-WR-CALDESC:{}",
            text("Coming re-engagement appointments, from Re-engage.")
        ),
        format!("X-WR-TIMEZONE:{}", around.zone.name()),
        format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
        format!("X-PUBLISHED-TTL:{REFRESH}"),
    ];
    for line in header {
        out.push_str(&fold(&line));
    }
    let stamp = utc(around.stamp);
    for event in events {
        let (start, end) = match event.at {
            Some(at) => {
                let start = instant_in(event.zone, event.on, at);
                let end = start + Duration::minutes(APPOINTMENT_MINUTES);
                (
                    format!("DTSTART:{}", utc(start)),
                    format!("DTEND:{}", utc(end)),
                )
            }
            None => (
                format!("DTSTART;VALUE=DATE:{}", event.on.format("%Y%m%d")),
                format!(
                    "DTEND;VALUE=DATE:{}",
                    event.on.succ_opt().unwrap_or(event.on).format("%Y%m%d")
                ),
            ),
        };
        let notice = match event.notice_mailed_on {
            Some(day) => format!("DHS 7869 notice mailed on {day} (R15)."),
            None => "DHS 7869 notice not yet recorded as mailed (R15).".to_owned(),
        };
        let link = format!("{}/episodes/{}", around.public_url, event.episode_id);
        let lines = [
            "BEGIN:VEVENT".to_owned(),
            format!(
                "UID:episode-{}-reengagement-appointment@reengage",
                event.episode_id
            ),
            format!("DTSTAMP:{stamp}"),
            format!("SEQUENCE:{}", event.version.max(0)),
            start,
            end,
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
                    "The staffing's case review happens at the appointment (R17). {notice} Episode: {link}"
                ))
            ),
            format!("URL:{link}"),
            "END:VEVENT".to_owned(),
        ];
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

/// The coming appointments `staff` has — their own participants', or their branch's — each
/// in its office's zone, and the zone of `staff`'s own office.
async fn events(state: &AppState, staff: &Staff) -> Result<(Vec<Event>, Tz), Response> {
    let now = state.clock.now();
    let role = access::authorize(&state.db, staff, Action::ListEpisodes, Record::None, now)
        .await
        .map_err(|error| crate::exports::unreadable(error, "calendar"))?;
    let unavailable = |error: crate::services::ServiceError| {
        tracing::error!(%error, "calendar feed could not be read");
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    };
    let today = office::office_today(&state.db, staff, now)
        .await
        .map_err(unavailable)?;
    let own_zone = office::office_zone(&state.db, staff)
        .await
        .map_err(unavailable)?;
    let scope = access::own_scope(role, staff);
    let rows = lists::appointments(&state.db, scope, today)
        .await
        .map_err(|error| unavailable(error.into()))?;
    // A contractor's referrals may be of several offices: each event in its own.
    let mut zones = HashMap::new();
    if let Some(branch) = staff.branch_id {
        zones.insert(branch, own_zone);
    }
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let mut events = Vec::with_capacity(rows.len());
    for (episode_id, participant, on, at, mailed, branch, version) in rows {
        let zone = match zones.get(&branch) {
            Some(zone) => *zone,
            None => {
                let zone = office::branch_zone(&state.db, branch)
                    .await
                    .map_err(unavailable)?;
                zones.insert(branch, zone);
                zone
            }
        };
        let Some(on) = day(&on) else { continue };
        events.push(Event {
            episode_id,
            version,
            participant,
            on,
            at: at.and_then(|at| reengage_core::parse_time_input(&at).ok().flatten()),
            zone,
            notice_mailed_on: mailed.as_deref().and_then(day),
        });
    }
    Ok((events, own_zone))
}

/// The feed as a response.
fn answer(state: &AppState, events: &[Event], zone: Tz) -> Response {
    let around = Calendar {
        zone,
        public_url: &state.public_url,
        stamp: state.clock.now(),
    };
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"reengagement-appointments.ics\"",
            ),
        ],
        calendar(events, around),
    )
        .into_response()
}

/// `GET /calendar.ics`: audited as an export (`calendar.exported`, with how many events), like
/// the CSV files — it names participants and their appointments.
pub async fn feed(State(state): State<AppState>, auth: AuthSession) -> Response {
    let Some(staff) = auth.user.map(|user| user.staff) else {
        return Redirect::to("/signin").into_response();
    };
    let (events, zone) = match events(&state, &staff).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let values = serde_json::json!({ "events": events.len() });
    if let Err(refused) =
        crate::exports::record_export(&state, &staff, "calendar.exported", values).await
    {
        return refused;
    }
    answer(&state, &events, zone)
}

/// `GET /feeds/calendar/{secret}.ics`: a person's feed for their calendar app, without a
/// session. Each read is audited (`calendar.feed_read`, with how many events) before it is
/// sent. An address that names no live feed — never made, replaced, revoked, or its account
/// disabled — is answered 404 alike, and only counted (`calendar.feed_unknown`, aggregated
/// per network and window), never audited one entry each.
pub async fn subscribed(
    State(state): State<AppState>,
    PeerAddress(address): PeerAddress,
    Path(file): Path<String>,
) -> Response {
    let now = state.clock.now();
    let secret = file.strip_suffix(".ics").unwrap_or_default();
    let owner = match calendar_feeds::owner(&state.db, secret).await {
        Ok(owner) => owner,
        Err(error) => {
            tracing::error!(%error, "calendar feed could not be looked up");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Re-engage could not read the calendar; try again later.\n",
            )
                .into_response();
        }
    };
    let Some((feed_id, staff)) = owner else {
        // Never the address itself in the log: it is the secret.
        tracing::info!(%address, "a calendar feed address that names no live feed");
        calendar_feeds::count_unknown(&state.db, address, now);
        return (
            StatusCode::NOT_FOUND,
            "There is no calendar feed at this address.\n",
        )
            .into_response();
    };
    let (events, zone) = match events(&state, &staff).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Err(error) =
        calendar_feeds::record_read(&state.db, &staff, feed_id, events.len(), now).await
    {
        tracing::error!(%error, feed = feed_id, "calendar feed read not audited: refused");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "Re-engage could not record this read; try again later.\n",
        )
            .into_response();
    }
    answer(&state, &events, zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn around() -> Calendar<'static> {
        Calendar {
            zone: chrono_tz::America::Los_Angeles,
            public_url: "https://reengage.example.gov",
            stamp: DateTime::parse_from_rfc3339("2026-11-30T20:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        }
    }

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
    fn office_times_are_written_in_utc_across_the_change_of_clocks() {
        let la = chrono_tz::America::Los_Angeles;
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        // Pacific daylight time (UTC−7) before 1 November 2026, standard (UTC−8) after.
        assert_eq!(
            utc(instant_in(la, day(2026, 10, 30), ten)),
            "20261030T170000Z"
        );
        assert_eq!(
            utc(instant_in(la, day(2026, 11, 2), ten)),
            "20261102T180000Z"
        );
        // Mountain time (the Ontario office): an hour earlier in UTC.
        let boise = chrono_tz::America::Boise;
        assert_eq!(
            utc(instant_in(boise, day(2026, 11, 2), ten)),
            "20261102T170000Z"
        );
        // 2:30 on the morning the clocks spring forward does not exist: 3:30 PDT.
        let skipped = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            utc(instant_in(la, day(2027, 3, 14), skipped)),
            "20270314T103000Z"
        );
        // 1:30 on the morning they fall back happens twice: the first, PDT.
        let twice = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        assert_eq!(
            utc(instant_in(la, day(2026, 11, 1), twice)),
            "20261101T083000Z"
        );
    }

    #[test]
    fn events_are_escaped_folded_and_timed_in_utc() {
        let events = [
            Event {
                episode_id: 7,
                version: 4,
                participant: "Dana Example, Jr.; \"DJ\"".into(),
                on: day(2026, 12, 10),
                at: NaiveTime::from_hms_opt(10, 0, 0),
                zone: chrono_tz::America::Los_Angeles,
                notice_mailed_on: Some(day(2026, 12, 1)),
            },
            Event {
                episode_id: 8,
                version: 2,
                participant: "Eden Sample".into(),
                on: day(2027, 1, 4),
                at: None,
                zone: chrono_tz::America::Los_Angeles,
                notice_mailed_on: None,
            },
        ];
        let feed = calendar(&events, around());
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        for hint in [
            "METHOD:PUBLISH\r\n",
            "X-WR-CALNAME:Re-engagement appointments\r\n",
            "X-WR-TIMEZONE:America/Los_Angeles\r\n",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n",
            "X-PUBLISHED-TTL:PT1H\r\n",
        ] {
            assert!(feed.contains(hint), "{hint}");
        }
        // 10:00 Pacific standard time is 18:00 UTC; no zone is named on any time.
        assert!(feed.contains("DTSTART:20261210T180000Z\r\n"));
        assert!(feed.contains("DTEND:20261210T190000Z\r\n"));
        assert!(!feed.contains("TZID"));
        // A day without a time: all day, ending the next day.
        assert!(feed.contains("DTSTART;VALUE=DATE:20270104\r\nDTEND;VALUE=DATE:20270105\r\n"));
        assert!(feed.contains("SEQUENCE:4\r\n"));
        assert!(feed.contains("DTSTAMP:20261130T200000Z\r\n"));
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
        // The episode's link is absolute, in the description and as the event's URL.
        assert!(unfolded.contains("Episode: https://reengage.example.gov/episodes/7"));
        assert!(unfolded.contains("\r\nURL:https://reengage.example.gov/episodes/7\r\n"));
    }
}

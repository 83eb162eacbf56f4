//! The morning digest e-mail (docs/digest.md): at 7:00 office time on each business day of
//! the office, a coach or case aide gets what Today shows overdue, due today and at risk, and
//! a supervisor the staffings waiting for their confirmation, the DQ1 decisions waiting for
//! finalization and the branch's overdue count — read by the pages' own reads ([`compose`]),
//! sent over SMTP (`services::mail`).
//!
//! Once per person and office day, across restarts and server instances: each digest is
//! claimed in the sent-log (`store::digest`) before it is sent, and on PostgreSQL one
//! instance at a time sends (a transaction-scoped advisory lock). A failed send gives its
//! claim up, so a later tick retries; a claim whose instance died during the send is not
//! retried that day: a missed digest rather than a second one.
//!
//! [`send_due`] sends what is due at the application clock's now; [`run`] calls it every
//! tick until the server stops; [`preview`] says what would be sent, sending nothing.

pub mod compose;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use reengage_core::roles::Role;

use crate::services::ServiceError;
use crate::services::accounts::Staff;
use crate::services::mail::Mailer;
use crate::store::codes::{day as day_text, instant};

use crate::store::digest::{self as log, Outcome, RecipientRow};
use crate::web::state::{AppState, Clock};
use compose::{Content, Message, Reader};

/// The office hour from which the day's digest is sent (7:00 office time).
pub const SEND_FROM_HOUR: u32 = 7;

/// What one pass of [`send_due`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Digests the SMTP server accepted.
    pub sent: usize,
    /// People with nothing to report today: no e-mail, and no second look today.
    pub nothing: usize,
    /// Digests not sent (the SMTP server refused, or their content could not be read): their
    /// claims given up, for a later tick.
    pub failed: usize,
    /// Another instance was sending (PostgreSQL): this one sent nothing.
    pub busy: bool,
}

/// Sends every digest due at the application clock's now (`state.clock`) that the sent-log
/// does not hold yet, its links under `state.public_url`.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> Result<Report, ServiceError> {
    send_due_until(state, mailer, &|| false).await
}

/// Sends the digests due every `every` until `stop` turns true (or its sender is gone); a
/// pass under way finishes the digest it is sending, then stops.
pub async fn run(
    state: AppState,
    mailer: Mailer,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        let stopping = || *stop.borrow();
        let result = send_due_until(&state, &mailer, &stopping).await;
        if let Ok(report) = &result {
            use std::sync::atomic::Ordering;
            let counts = &state.metrics.digests;
            counts.sent.fetch_add(report.sent as u64, Ordering::Relaxed);
            counts
                .failed
                .fetch_add(report.failed as u64, Ordering::Relaxed);
            counts
                .waiting
                .store(report.failed as u64, Ordering::Relaxed);
        }
        match result {
            Ok(report) if report.sent + report.failed > 0 => tracing::info!(
                sent = report.sent,
                failed = report.failed,
                "morning digests sent"
            ),
            Ok(_) => {}
            Err(error) => {
                tracing::error!(%error, "morning digests not sent now; the next tick tries again");
            }
        }
    }
}

/// A staff member a digest may be made for, and their office's time zone.
struct Recipient {
    staff: Staff,
    name: String,
    time_zone: String,
}

impl Recipient {
    fn of(row: RecipientRow) -> Option<Self> {
        let (id, email, name, initials, role, branch_id, time_zone) = row;
        let staff = Staff::from_stored(id, email, initials, &role, Some(branch_id))?;
        Some(Self {
            staff,
            name,
            time_zone,
        })
    }

    fn branch_id(&self) -> i64 {
        self.staff.branch_id.unwrap_or_default()
    }
}

/// The office's date and hour at `now` (Pacific time for a zone that cannot be read, as the
/// office's day is counted).
fn office_clock(time_zone: &str, now: DateTime<Utc>) -> (NaiveDate, u32) {
    let zone = time_zone
        .parse::<chrono_tz::Tz>()
        .unwrap_or(chrono_tz::America::Los_Angeles);
    let local = now.with_timezone(&zone);
    (local.date_naive(), local.hour())
}

/// The state with its clock held at `now`: every read of one pass is of the same instant.
fn at(state: &AppState, now: DateTime<Utc>) -> AppState {
    let mut pinned = state.clone();
    pinned.clock = Clock::fixed(Arc::new(Mutex::new(now)));
    pinned
}

async fn send_due_until(
    state: &AppState,
    mailer: &Mailer,
    stopping: &(dyn Fn() -> bool + Sync),
) -> Result<Report, ServiceError> {
    let now = state.clock.now();
    let mut report = Report::default();
    let Some(turn) = log::take_turn(&state.db).await? else {
        report.busy = true;
        return Ok(report);
    };
    let result = send_each(&at(state, now), mailer, now, stopping, &mut report).await;
    turn.end().await;
    result.map(|()| report)
}

async fn send_each(
    state: &AppState,
    mailer: &Mailer,
    now: DateTime<Utc>,
    stopping: &(dyn Fn() -> bool + Sync),
    report: &mut Report,
) -> Result<(), ServiceError> {
    let db = &state.db;
    // The sent-log of each office day met, read once a pass.
    let mut logged: HashMap<NaiveDate, HashSet<i64>> = HashMap::new();
    for row in log::recipients(db).await? {
        if stopping() {
            break;
        }
        let Some(recipient) = Recipient::of(row) else {
            continue;
        };
        let (day, hour) = office_clock(&recipient.time_zone, now);
        if hour < SEND_FROM_HOUR {
            continue;
        }
        let text = day_text(day);
        let known = match logged.entry(day) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(day) => day.insert(log::logged(db, &text).await?.into_iter().collect()),
        };
        if known.contains(&recipient.staff.id) {
            continue;
        }
        // Weekends and the office's closure days bring no digest.
        let (_, calendar) =
            crate::services::episodes::office(db, recipient.branch_id(), now).await?;
        if !calendar.is_business_day(day) {
            continue;
        }
        if !log::claim(db, &text, recipient.staff.id, &instant(now)).await? {
            continue;
        }
        let id = recipient.staff.id;
        match deliver(state, mailer, &recipient).await {
            Ok(Some(subject)) => {
                report.sent += 1;
                log::finish(db, &text, id, Outcome::Sent, Some(&subject), &instant(now)).await?;
            }
            Ok(None) => {
                report.nothing += 1;
                log::finish(db, &text, id, Outcome::Nothing, None, &instant(now)).await?;
            }
            Err(error) => {
                report.failed += 1;
                tracing::warn!(staff = id, %error, "morning digest not sent; a later tick tries again");
                log::release(db, &text, id).await?;
            }
        }
    }
    Ok(())
}

/// Why one digest was not sent.
#[derive(Debug, thiserror::Error)]
enum NotSent {
    #[error(transparent)]
    Read(#[from] ServiceError),
    #[error(transparent)]
    Mail(#[from] crate::services::mail::MailError),
}

/// Makes and sends one person's digest; its subject, `None` when there was nothing to report.
async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    recipient: &Recipient,
) -> Result<Option<String>, NotSent> {
    let Some(message) = message(state, &recipient.staff, &recipient.name).await? else {
        return Ok(None);
    };
    mailer
        .send(&recipient.staff.email, &message.subject, message.body)
        .await?;
    Ok(Some(message.subject))
}

/// Whether `role` gets a supervisor's digest (the branch page's readers); a coach's and a case
/// aide's is their Today.
fn reads_branch(role: Role) -> bool {
    matches!(
        role,
        Role::EngagementSpecialist | Role::OperationsManager | Role::LeadWorker
    )
}

/// What `staff`'s digest reports at the state's clock, from the pages' own reads.
pub async fn content(state: &AppState, staff: &Staff) -> Result<Content, ServiceError> {
    let today = crate::pages::today::today(state, staff.clone()).await?;
    if reads_branch(staff.role) {
        let branch = crate::pages::branch::branch(state, staff.clone(), "", "", None, None).await?;
        Ok(Content::branch(today, branch))
    } else {
        Ok(Content::caseload(today))
    }
}

/// `staff`'s digest e-mail at the state's clock; `None` when there is nothing to report.
async fn message(
    state: &AppState,
    staff: &Staff,
    name: &str,
) -> Result<Option<Message>, ServiceError> {
    let content = content(state, staff).await?;
    let branch = match staff.branch_id {
        Some(branch) => crate::store::lookups::branch_name(&state.db, branch).await?,
        None => String::new(),
    };
    let reader = Reader {
        name: name.to_owned(),
        branch,
    };
    Ok(content.message(&reader, &state.public_url))
}

/// What [`preview`] found: the e-mail as it would be sent (or that none would be), and why
/// it would not be sent now, if so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub text: String,
    pub notes: Vec<String>,
}

/// The digest `email` would get at the state's clock — From, To, Subject and the body, as
/// sent — without sending it or writing to the sent-log; `from` is the configured From
/// address, if any. An account a digest is never made for is an `Invalid` error.
pub async fn preview(
    state: &AppState,
    from: Option<&str>,
    email: &str,
) -> Result<Preview, ServiceError> {
    let email = email.trim().to_lowercase();
    let db = &state.db;
    let now = state.clock.now();
    let state = at(state, now);
    let (row, on, active) = log::recipient_by_email(db, &email)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("staff member with the e-mail {email}")))?;
    let (id, email, name, initials, role, branch_id, time_zone) = row;
    if !log::DIGEST_ROLES.contains(&role.as_str()) {
        return Err(ServiceError::Invalid(format!(
            "{email} is a {role} account: the morning digest goes to family coaches, case aides \
             and supervisors only."
        )));
    }
    if time_zone.is_empty() {
        return Err(ServiceError::Invalid(format!(
            "{email} belongs to no branch: a digest is of an office's day. Ask an admin to set it."
        )));
    }
    let staff = Staff::from_stored(id, email.clone(), initials, &role, Some(branch_id))
        .ok_or_else(|| {
            ServiceError::Invalid(format!("{email} has a role Re-engage does not know."))
        })?;
    let (day, hour) = office_clock(&time_zone, now);
    let mut notes = Vec::new();
    if !active {
        notes.push(format!(
            "{email} is disabled: nothing is sent to a disabled account."
        ));
    }
    if !on {
        notes.push(format!(
            "{email} has turned the digest off (/account/email): nothing is sent until they turn it on."
        ));
    }
    let (_, calendar) = crate::services::episodes::office(db, branch_id, now).await?;
    if !calendar.is_business_day(day) {
        notes.push(format!(
            "{} is not a business day of the office: no digest is sent today.",
            reengage_core::long_date(day)
        ));
    } else if hour < SEND_FROM_HOUR {
        notes.push(format!(
            "It is before {SEND_FROM_HOUR}:00 office time: today's digest goes at {SEND_FROM_HOUR}:00, with what is due then."
        ));
    }
    if let Some(status) = log::status(db, &day_text(day), id).await? {
        notes.push(match status.as_str() {
            "sent" => "Today's digest was already sent: no second one is sent today.".to_owned(),
            "nothing" => "Today's digest had nothing to report when it was due: none is sent today.".to_owned(),
            _ => "Today's digest is being sent, or its sending was cut short: none more is sent today.".to_owned(),
        });
    }
    let text = match message(&state, &staff, &name).await? {
        Some(message) => format!(
            "From: {}\nTo: {email}\nSubject: {}\n\n{}",
            from.unwrap_or("(REENGAGE_SMTP_FROM is not set)"),
            message.subject,
            message.body
        ),
        None => format!(
            "Nothing to report for {email} on {}: no digest would be sent.\n",
            reengage_core::long_date(day)
        ),
    };
    Ok(Preview { text, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_office_hour_is_the_offices_own() {
        // 14:59 UTC is 6:59 in Oregon in winter; 15:00 is 7:00.
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            office_clock("America/Los_Angeles", at("2026-12-01T14:59:00Z")),
            (day, 6)
        );
        assert_eq!(
            office_clock("America/Los_Angeles", at("2026-12-01T15:00:00Z")),
            (day, 7)
        );
        assert_eq!(
            office_clock("America/Boise", at("2026-12-01T14:00:00Z")),
            (day, 7)
        );
        assert_eq!(
            office_clock("not a zone", at("2026-12-01T15:00:00Z")),
            (day, 7)
        );
    }
}

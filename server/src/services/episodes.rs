//! Opening an episode (R1) and every change to it, checked by `core` before anything is
//! written, with a version check against lost updates and an audit entry in the same
//! transaction.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use reengage_core::episode::{
    self, DeadlineStatus, EpisodeFacts, Refusal, ReportedBy, Stage, Transition, Trigger,
};
use reengage_core::{BusinessCalendar, MailPickup, parse_time_input};
use serde_json::json;
use sqlx::AnyConnection;

use super::{Actor, ServiceError};
use crate::store::audit;
use crate::store::cache::CalendarCache;
use crate::store::codes::{day, instant};
use crate::store::db::{self, Backend, Db};
use crate::store::episodes::{
    self as stored, EpisodeRecord, NewEpisode, branch_calendar, branch_office, load_many,
    releases_on_file,
};
use crate::store::{participants, staffing, tasks};

/// Where an episode stands after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub episode_id: i64,
    pub version: i64,
    pub stage: Stage,
}

/// The office's local date at `now` (docs/rules.md, Business days: date arithmetic in UTC moves deadlines).
pub fn local_today(time_zone: &str, now: DateTime<Utc>) -> NaiveDate {
    local_now(time_zone, now).0
}

/// The office's local date and time of day at `now`.
pub fn local_now(time_zone: &str, now: DateTime<Utc>) -> (NaiveDate, NaiveTime) {
    let zone = time_zone
        .parse::<chrono_tz::Tz>()
        .unwrap_or(chrono_tz::America::Los_Angeles);
    let local = now.with_timezone(&zone).naive_local();
    (local.date(), local.time())
}

/// The columns `core` derives and the lists sort by.
pub(crate) struct Derived {
    pub(crate) stage: Stage,
    pub(crate) closed: bool,
    pub(crate) next_due_on: Option<NaiveDate>,
}

impl Derived {
    pub(crate) fn due_column(&self) -> String {
        self.next_due_on
            .map_or_else(|| crate::store::lists::NOTHING_DUE.to_owned(), day)
    }
}

pub(crate) fn derive(
    facts: &EpisodeFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Derived {
    let open_due = episode::deadlines(facts, today, calendar)
        .into_iter()
        .filter(|d| !matches!(d.status, DeadlineStatus::Met { .. }))
        .map(|d| d.due)
        .min();
    Derived {
        stage: episode::stage(facts, today, calendar),
        closed: episode::is_closed(facts, calendar),
        next_due_on: open_due.or(episode::next_action(facts, today, calendar).due),
    }
}

/// Branch `branch_id`'s office's today and business calendar.
pub async fn office(
    db: &Db,
    branch_id: i64,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, BusinessCalendar), ServiceError> {
    let mut conn = db.pool.acquire().await?;
    office_day(&mut conn, &db.calendars, branch_id, now).await
}

/// The office's today and its business calendar: the time zone and the calendar's version in
/// one read, the closure days only when `calendars` does not hold that version.
async fn office_day(
    conn: &mut AnyConnection,
    calendars: &CalendarCache,
    branch_id: i64,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, BusinessCalendar), ServiceError> {
    let (zone, version, pickup) = branch_office(conn, branch_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("branch {branch_id}")))?;
    let calendar = match calendars.get(branch_id, version) {
        Some(calendar) => calendar,
        None => {
            // Read after the version: at least as new as it.
            let calendar = branch_calendar(conn, branch_id).await?;
            calendars.put(branch_id, version, calendar.clone());
            calendar
        }
    };
    let (today, time) = local_now(&zone, now);
    // R15: once today's mail pickup has gone, a notice mailed today leaves tomorrow.
    let pickup = pickup
        .as_deref()
        .and_then(|at| parse_time_input(at).ok().flatten());
    let calendar = calendar.with_mail_pickup(MailPickup::as_of(pickup, today, time));
    Ok((today, calendar))
}

/// A missed activity as reported: the trigger, and whether the participant called ahead about
/// it (R1: then no episode is opened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissReport {
    pub trigger: Trigger,
    pub called_ahead: bool,
}

impl From<Trigger> for MissReport {
    fn from(trigger: Trigger) -> Self {
        Self {
            trigger,
            called_ahead: false,
        }
    }
}

/// R1: records a missed activity and opens the participant's episode. Who reported it
/// follows from who is acting (R5 for a contractor), never from the request.
pub async fn record_missed_activity(
    db: &Db,
    actor: &Actor,
    participant_id: i64,
    report: impl Into<MissReport>,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let mut tx = db::begin_write(db).await?;
    let opened = open_in(&mut tx, db, actor, participant_id, report, now).await?;
    tx.commit().await?;
    Ok(Changed {
        episode_id: opened.id,
        version: opened.version,
        stage: opened.stage,
    })
}

/// An episode just opened, as [`record_change`] continues it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub id: i64,
    pub version: i64,
    pub stage: Stage,
    pub record: EpisodeRecord,
}

/// [`record_missed_activity`] inside the caller's write transaction.
pub async fn open_in(
    conn: &mut AnyConnection,
    db: &Db,
    actor: &Actor,
    participant_id: i64,
    report: impl Into<MissReport>,
    now: DateTime<Utc>,
) -> Result<Opened, ServiceError> {
    let MissReport {
        mut trigger,
        called_ahead,
    } = report.into();
    trigger.reported_by = if actor.role == reengage_core::roles::Role::Contractor {
        ReportedBy::Contractor
    } else {
        ReportedBy::Department
    };
    let (branch_id, coach_id, name) = participants::branch_coach_name(conn, participant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("participant {participant_id}")))?;
    if let Some(open) = stored::open_episode_of(conn, participant_id).await? {
        return Err(ServiceError::Invalid(format!(
            "{name} already has an open re-engagement episode (number {open}). Record this miss there."
        )));
    }
    let (today, calendar) = office_day(conn, &db.calendars, branch_id, now).await?;
    // R1, R5: the same check the missed-activity form's feedback is made of.
    reengage_core::episode::check_miss(&trigger, called_ahead, today)
        .map_err(ServiceError::Refused)?;
    let facts = EpisodeFacts::new(name, trigger.clone());
    let derived = derive(&facts, today, &calendar);
    let at = instant(now);
    let new = NewEpisode {
        participant_id,
        branch_id,
        coach_id,
        trigger: &trigger,
        stage: &derived.stage,
        closed: derived.closed,
        next_due_on: &derived.due_column(),
    };
    let id = stored::insert(conn, &new, &at).await?;
    let entry = actor
        .entry(now, "episode.opened", "episode", id)
        .with_values(
            None,
            Some(json!({ "trigger": trigger, "version": 1 }).to_string()),
        );
    audit::append(conn, db.backend, &entry).await?;
    Ok(Opened {
        id,
        version: 1,
        stage: derived.stage,
        record: EpisodeRecord {
            id,
            participant_id,
            branch_id,
            coach_id,
            version: 1,
            facts,
            missing_info_ids: Vec::new(),
            staffing_id: None,
            decision_id: None,
            earlier: Vec::new(),
        },
    })
}

/// Loads an episode with its office's calendar and local date.
pub async fn read(
    db: &Db,
    episode_id: i64,
    now: DateTime<Utc>,
) -> Result<(EpisodeRecord, NaiveDate, BusinessCalendar), ServiceError> {
    let mut conn = db.pool.acquire().await?;
    // From the record cache while the version on file is the one kept.
    let versions = crate::store::episodes::versions_of(&mut conn, &[episode_id]).await?;
    let record = cached_many(db, &mut conn, &[episode_id], &versions, |_| true)
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("episode {episode_id}")))?;
    let (today, calendar) = office_day(&mut conn, &db.calendars, record.branch_id, now).await?;
    Ok((record, today, calendar))
}

/// The episodes `ids`, in that order, as [`read`] gives each (not found if one is not
/// there), read together: their versions, then from the record cache those unchanged and a
/// batch of queries for the others, and one calendar per branch — not a round of queries per
/// episode (the branch page's timeliness figures, the R29 view).
pub async fn read_many(
    db: &Db,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<(EpisodeRecord, NaiveDate, BusinessCalendar)>, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    let versions = crate::store::episodes::versions_of(&mut conn, ids).await?;
    let records = cached_many(db, &mut conn, ids, &versions, |_| true).await?;
    with_day(&mut conn, &db.calendars, records, now).await
}

/// An episode as a worklist query has just given it (Today, the branch page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub version: i64,
    /// Whether its participant has an exemption on file (R23): the exemptions are not the
    /// episode's own, so a cached record takes them from a fresh read — needed only for these.
    pub has_exemptions: bool,
}

/// [`read_many`] of episodes a list query has just given with their versions: the versions
/// need not be read again, nor the exemptions of participants the list says have none.
pub async fn read_listed(
    db: &Db,
    listed: &[Listed],
    now: DateTime<Utc>,
) -> Result<Vec<(EpisodeRecord, NaiveDate, BusinessCalendar)>, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    let ids: Vec<i64> = listed.iter().map(|l| l.id).collect();
    let versions = listed.iter().map(|l| (l.id, l.version)).collect();
    let exempt: std::collections::HashSet<i64> = listed
        .iter()
        .filter(|l| l.has_exemptions)
        .map(|l| l.id)
        .collect();
    let records = cached_many(db, &mut conn, &ids, &versions, |id| exempt.contains(&id)).await?;
    with_day(&mut conn, &db.calendars, records, now).await
}

/// Each record with its office's today and calendar, read once per branch.
async fn with_day(
    conn: &mut AnyConnection,
    calendars: &CalendarCache,
    records: Vec<EpisodeRecord>,
    now: DateTime<Utc>,
) -> Result<Vec<(EpisodeRecord, NaiveDate, BusinessCalendar)>, ServiceError> {
    let mut days: std::collections::HashMap<i64, (NaiveDate, BusinessCalendar)> =
        std::collections::HashMap::new();
    let mut read = Vec::with_capacity(records.len());
    for record in records {
        let (today, calendar) = match days.get(&record.branch_id) {
            Some(day) => day.clone(),
            None => {
                let day = office_day(conn, calendars, record.branch_id, now).await?;
                days.insert(record.branch_id, day.clone());
                day
            }
        };
        read.push((record, today, calendar));
    }
    Ok(read)
}

/// Episodes `ids` as stored, in that order: from the cache those whose `versions` (as just
/// read) is the one kept — with their participants' exemptions read again where
/// `may_have_exemptions(id)` — and from the database the others; every id must exist.
async fn cached_many(
    db: &Db,
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
    versions: &std::collections::HashMap<i64, i64>,
    may_have_exemptions: impl Fn(i64) -> bool,
) -> Result<Vec<EpisodeRecord>, ServiceError> {
    if let Some(missing) = ids.iter().find(|id| !versions.contains_key(id)) {
        return Err(ServiceError::NotFound(format!("episode {missing}")));
    }
    let mut kept = std::collections::HashMap::with_capacity(ids.len());
    let mut misses = Vec::new();
    for id in ids {
        match db.records.get(*id, versions[id]) {
            Some(record) => {
                kept.insert(*id, record);
            }
            None => misses.push(*id),
        }
    }
    let mut participants: Vec<i64> = kept
        .values()
        .filter(|r| may_have_exemptions(r.id))
        .map(|r| r.participant_id)
        .collect();
    participants.sort_unstable();
    participants.dedup();
    let exemptions = if participants.is_empty() {
        Default::default()
    } else {
        crate::store::episodes::exemptions_of(conn, &participants).await?
    };
    let mut loaded: std::collections::HashMap<i64, EpisodeRecord> = load_many(conn, &misses)
        .await?
        .into_iter()
        .map(|record| (record.id, record))
        .collect();
    for record in loaded.values() {
        db.records.put(record.clone());
    }
    ids.iter()
        .map(|id| {
            if let Some(record) = loaded.remove(id) {
                return Ok(record);
            }
            let mut record = kept
                .get(id)
                .map(|r| EpisodeRecord::clone(r))
                // Removed between the two reads.
                .ok_or_else(|| ServiceError::NotFound(format!("episode {id}")))?;
            record.facts.exemptions = exemptions
                .get(&record.participant_id)
                .cloned()
                .unwrap_or_default();
            Ok(record)
        })
        .collect()
}

/// Applies `transition` to episode `episode_id`, which the person loaded at
/// `expected_version`. `core` decides whether it is allowed; nothing is written otherwise.
pub async fn change(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    expected_version: i64,
    transition: Transition,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let mut tx = db::begin_write(db).await?;
    let changed = change_in(
        &mut tx,
        db,
        actor,
        episode_id,
        expected_version,
        transition,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

/// [`change`] inside the caller's write transaction, so a form can make several changes that
/// stand or fall together; nothing is written if it is refused, and nothing is committed
/// until the caller commits.
pub async fn change_in(
    conn: &mut AnyConnection,
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    expected_version: i64,
    transition: Transition,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    // Inside the write transaction (SQLite's one writer waits on it): the record as stored
    // from the record cache when its version is the one on file — one query for the version
    // and one for the participant's exemptions, not a round for every table.
    let versions = crate::store::episodes::versions_of(conn, &[episode_id]).await?;
    let record = cached_many(db, conn, &[episode_id], &versions, |_| true)
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("episode {episode_id}")))?;
    if record.version != expected_version {
        return Err(conflict(conn, actor, &record, expected_version).await?);
    }
    let (today, calendar) = office_day(conn, &db.calendars, record.branch_id, now).await?;
    let mut record = record;
    record_change(
        conn,
        db.backend,
        actor,
        &mut record,
        transition,
        now,
        today,
        &calendar,
    )
    .await
}

/// Makes `transition` on `record` as loaded (its version the one expected) on the office's
/// `today`: `core` checks it, its rows are written, the derived columns and the version
/// follow, and the audit entry records it — all in the caller's transaction. `record` is left
/// as the change made it, so the next change can follow without reading it again.
#[allow(clippy::too_many_arguments)]
pub async fn record_change(
    conn: &mut AnyConnection,
    backend: Backend,
    actor: &Actor,
    record: &mut EpisodeRecord,
    transition: Transition,
    now: DateTime<Utc>,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Result<Changed, ServiceError> {
    let transition = with_releases_on_file(conn, record, transition).await?;
    episode::check(&record.facts, &transition, today, calendar).map_err(ServiceError::Refused)?;

    let at = instant(now);
    let after = episode::apply(&record.facts, &transition, today);
    // R10: an earlier attempt entered after a later one is audited as a late entry.
    let late_entry = matches!(&transition, Transition::LogAttempt(attempt)
        if record.facts.is_late_entry(attempt.on));
    write(conn, record, &after, &transition, actor, today, &at).await?;

    let expected_version = record.version;
    let episode_id = record.id;
    let derived = derive(&after, today, calendar);
    let before_stage = episode::stage(&record.facts, today, calendar);
    let updated = stored::set_derived(
        conn,
        episode_id,
        expected_version,
        &derived.stage,
        derived.closed,
        &derived.due_column(),
        &at,
    )
    .await?;
    if updated != 1 {
        return Err(conflict(conn, actor, record, expected_version).await?);
    }
    let version = expected_version + 1;
    let entry = actor
        .entry(now, action(&transition), "episode", episode_id)
        .with_values(
            Some(json!({ "version": expected_version, "stage": before_stage }).to_string()),
            Some({
                let mut values =
                    json!({ "version": version, "stage": derived.stage, "change": transition });
                if late_entry {
                    values["late_entry"] = json!(true);
                }
                values.to_string()
            }),
        );
    audit::append(conn, backend, &entry).await?;
    record.facts = after;
    record.version = version;
    Ok(Changed {
        episode_id,
        version,
        stage: derived.stage,
    })
}

/// R19: a staffing's partners as the record has them — each with the MCS 3010 release on
/// file for it, never a release the request claims.
async fn with_releases_on_file(
    conn: &mut AnyConnection,
    record: &EpisodeRecord,
    transition: Transition,
) -> Result<Transition, ServiceError> {
    let Transition::RecordStaffing(staffing) = transition else {
        return Ok(transition);
    };
    if staffing.partners.is_empty() {
        return Ok(Transition::RecordStaffing(staffing));
    }
    let on_file = releases_on_file(conn, record.participant_id).await?;
    Ok(Transition::RecordStaffing(
        staffing.with_releases_on_file(&on_file),
    ))
}

/// The audit action name of a change.
pub fn action(transition: &Transition) -> &'static str {
    match transition {
        Transition::LogAttempt(_) => "attempt.logged",
        Transition::RecordContact { .. } => "contact.recorded",
        Transition::ScheduleAppointment { .. } => "appointment.scheduled",
        Transition::RecordNoticeMailed { .. } => "notice.mailed",
        Transition::AddMissingInfo(_) => "missing_info.added",
        Transition::ResolveMissingInfo { .. } => "missing_info.resolved",
        Transition::RecordStaffing(_) => "staffing.recorded",
        Transition::ConfirmPresence { .. } => "staffing.presence_confirmed",
        Transition::Decide(_) => "decision.made",
        Transition::GiveGoodCause { .. } => "good_cause.given",
        Transition::FinalizeDq1 { .. } => "dq1.finalized",
        Transition::RequestNewStaffing { .. } => "staffing.requested",
        Transition::RecordPostDq1Steps(_) => "post_dq1.recorded",
    }
}

/// What changed since `expected_version`, from the audit trail — for department staff. A
/// contractor sees only that it changed: who did what on the department's side is not theirs
/// to read (R5).
async fn conflict(
    conn: &mut AnyConnection,
    actor: &Actor,
    record: &EpisodeRecord,
    expected_version: i64,
) -> Result<ServiceError, ServiceError> {
    let changes = if actor.role == reengage_core::roles::Role::Contractor {
        vec!["it was updated by someone else".to_owned()]
    } else {
        // Saturating: `expected_version` is whatever the request said.
        let newer = record.version.saturating_sub(expected_version).clamp(1, 20);
        let rows = audit::latest_of_episode(conn, record.id, newer).await?;
        rows.into_iter()
            .rev()
            .map(|(action, actor, at)| {
                format!("{} by {actor} at {at}", action.replace(['.', '_'], " "))
            })
            .collect()
    };
    Ok(ServiceError::Conflict {
        current_version: record.version,
        changes,
    })
}

/// The rows a change writes (`after`: the facts as `core` says the change leaves them);
/// `record`'s ids follow (a new staffing, decision or item).
async fn write(
    conn: &mut AnyConnection,
    record: &mut EpisodeRecord,
    after: &EpisodeFacts,
    transition: &Transition,
    actor: &Actor,
    today: NaiveDate,
    at: &str,
) -> Result<(), ServiceError> {
    let id = record.id;
    match transition {
        Transition::LogAttempt(attempt) => {
            stored::insert_attempt(conn, id, attempt, actor.staff_id, at).await?;
        }
        Transition::RecordContact { on, plan_adjusted } => {
            stored::set_contact(conn, id, *on, *plan_adjusted).await?;
        }
        Transition::ScheduleAppointment { on, at } => {
            stored::set_appointment(conn, id, *on, *at, today).await?;
        }
        Transition::RecordNoticeMailed { on } => {
            stored::set_notice_mailed(conn, id, *on).await?;
        }
        Transition::AddMissingInfo(item) => {
            let task = tasks::insert_missing_info(conn, id, item, at).await?;
            record.missing_info_ids.push(task);
        }
        Transition::ResolveMissingInfo { index, on } => {
            let task = record
                .missing_info_ids
                .get(*index)
                .copied()
                .ok_or_else(|| ServiceError::Refused(Refusal::NoSuchItem(*index)))?;
            tasks::resolve(conn, task, *on).await?;
        }
        Transition::RecordStaffing(_) => {
            // As `core` leaves it: the confirmations of an unchanged team carried over.
            let staffing = after
                .staffing
                .as_ref()
                .ok_or(ServiceError::Refused(Refusal::NoStaffing))?;
            if let Some(previous) = record.staffing_id {
                staffing::supersede(
                    conn,
                    previous,
                    at,
                    "replaced by a corrected staffing record",
                )
                .await?;
            }
            let staffing_id = staffing::insert(conn, id, staffing, at).await?;
            staffing::insert_findings(conn, staffing_id, &staffing.barrier_review)
                .await
                .map_err(|error| match error {
                    sqlx::Error::Database(e) if e.is_unique_violation() => ServiceError::Invalid(
                        "Each barrier area is reviewed once for the adult and once for the children."
                            .into(),
                    ),
                    other => other.into(),
                })?;
            record.staffing_id = Some(staffing_id);
        }
        Transition::ConfirmPresence { staff_id, on } => {
            let staffing_id = record
                .staffing_id
                .ok_or(ServiceError::Refused(Refusal::NoStaffing))?;
            staffing::confirm_presence(conn, staffing_id, *staff_id, *on, at).await?;
        }
        Transition::GiveGoodCause { on, reason } => {
            // R23: no staffing; the case manager's reason.
            let decision_id = staffing::insert_good_cause(conn, id, *on, reason.trim(), at).await?;
            record.decision_id = Some(decision_id);
        }
        Transition::Decide(decision) => {
            let staffing_id = record
                .staffing_id
                .ok_or(ServiceError::Refused(Refusal::NoStaffing))?;
            let decision_id = staffing::insert_decision(
                conn,
                id,
                staffing_id,
                &decision.outcome,
                decision.decided_on,
                at,
            )
            .await?;
            record.decision_id = Some(decision_id);
        }
        Transition::FinalizeDq1 { on, .. } => {
            stored::set_finalized(conn, id, *on).await?;
            if let Some(decision) = record.decision_id {
                staffing::finalize_decision(conn, decision, *on).await?;
            }
        }
        Transition::RecordPostDq1Steps(steps) => {
            stored::set_post_dq1(conn, id, steps).await?;
        }
        Transition::RequestNewStaffing { reason } => {
            // R24: the earlier decision and staffing stay in the history, marked superseded.
            staffing::supersede_current(conn, id, at, reason.trim()).await?;
            // The steps after a DQ1 follow the new decision (core's `apply` clears them too).
            stored::clear_post_dq1(conn, id).await?;
            record.staffing_id = None;
            record.decision_id = None;
        }
    }
    Ok(())
}

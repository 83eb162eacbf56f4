//! Opening an episode (R1) and every change to it, checked by `core` before anything is
//! written, with a version check against lost updates and an audit entry in the same
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};
use reengage_core::BusinessCalendar;
use reengage_core::episode::{
    self, DeadlineStatus, EpisodeFacts, Refusal, ReportedBy, Stage, Transition, Trigger,
};
use serde_json::json;
use sqlx::AnyConnection;

use super::{Actor, ServiceError};
use crate::db::{self, Backend, Db};
use crate::store::audit::{self, Entry};
use crate::store::cache::CalendarCache;
use crate::store::codes::{code, day, flag, instant, optional_flag, time};
use crate::store::episodes::{
    EpisodeRecord, branch_calendar, branch_office, load, load_many, releases_on_file,
};

/// An episode's latest changes, newest first (index audit_log_entity).
pub const CONFLICT_SQL: &str = "SELECT action, actor, at FROM audit_log WHERE entity = 'episode' AND entity_id = $1 \
         ORDER BY id DESC LIMIT $2";

/// Where an episode stands after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub episode_id: i64,
    pub version: i64,
    pub stage: Stage,
}

/// The office's local date at `now` (docs/rules.md, Business days: date arithmetic in UTC moves deadlines).
pub fn local_today(time_zone: &str, now: DateTime<Utc>) -> NaiveDate {
    let zone = time_zone
        .parse::<chrono_tz::Tz>()
        .unwrap_or(chrono_tz::America::Los_Angeles);
    now.with_timezone(&zone).date_naive()
}

/// `next_due_on` of an episode with nothing due: sorts after every date, so list queries
/// can page by `(next_due_on, id)` on both backends without NULL rules.
pub const NOTHING_DUE: &str = "9999-12-31";

/// The columns `core` derives and the lists sort by.
struct Derived {
    stage: Stage,
    closed: bool,
    next_due_on: Option<NaiveDate>,
}

impl Derived {
    fn due_column(&self) -> String {
        self.next_due_on.map_or_else(|| NOTHING_DUE.to_owned(), day)
    }
}

fn derive(facts: &EpisodeFacts, today: NaiveDate, calendar: &BusinessCalendar) -> Derived {
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
    let (zone, version) = branch_office(conn, branch_id)
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
    Ok((local_today(&zone, now), calendar))
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
    trigger.reported_by = if actor.role == "contractor" {
        ReportedBy::Contractor
    } else {
        ReportedBy::Department
    };
    let participant: Option<(i64, Option<i64>, String)> =
        sqlx::query_as("SELECT branch_id, coach_id, display_name FROM participants WHERE id = $1")
            .bind(participant_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (branch_id, coach_id, name) = participant
        .ok_or_else(|| ServiceError::NotFound(format!("participant {participant_id}")))?;
    let open: Option<i64> =
        sqlx::query_scalar("SELECT id FROM episodes WHERE participant_id = $1 AND closed = 0")
            .bind(participant_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(open) = open {
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
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO episodes (participant_id, branch_id, coach_id, trigger_kind, trigger_what, \
         missed_on, missed_at, reported_by, stage, closed, next_due_on, version, created_at, \
         updated_at, aware_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12, $13) RETURNING id",
    )
    .bind(participant_id)
    .bind(branch_id)
    .bind(coach_id)
    .bind(code(&trigger.kind))
    .bind(trigger.what.trim())
    .bind(day(trigger.on))
    .bind(trigger.at.map(time))
    .bind(code(&trigger.reported_by))
    .bind(code(&derived.stage))
    .bind(flag(derived.closed))
    .bind(derived.due_column())
    .bind(&at)
    .bind(trigger.aware_on.map(day))
    .fetch_one(&mut *conn)
    .await?;
    let entry = Entry::at(
        now,
        &actor.email,
        &actor.role,
        "episode.opened",
        "episode",
        &id.to_string(),
    )
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
    let record = load(&mut conn, episode_id)
        .await?
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
    let record = load(conn, episode_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("episode {episode_id}")))?;
    if record.version != expected_version {
        return Err(conflict(conn, &record, expected_version).await?);
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
    let updated = sqlx::query(
        "UPDATE episodes SET stage = $1, closed = $2, next_due_on = $3, version = version + 1, \
         updated_at = $4 WHERE id = $5 AND version = $6",
    )
    .bind(code(&derived.stage))
    .bind(flag(derived.closed))
    .bind(derived.due_column())
    .bind(&at)
    .bind(episode_id)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(conflict(conn, record, expected_version).await?);
    }
    let version = expected_version + 1;
    let entry = Entry::at(
        now,
        &actor.email,
        &actor.role,
        action(&transition),
        "episode",
        &episode_id.to_string(),
    )
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

/// What changed since `expected_version`, from the audit trail.
async fn conflict(
    conn: &mut AnyConnection,
    record: &EpisodeRecord,
    expected_version: i64,
) -> Result<ServiceError, ServiceError> {
    let newer = (record.version - expected_version).clamp(1, 20);
    let rows: Vec<(String, String, String)> = sqlx::query_as(CONFLICT_SQL)
        .bind(record.id.to_string())
        .bind(newer)
        .fetch_all(&mut *conn)
        .await?;
    let changes = rows
        .into_iter()
        .rev()
        .map(|(action, actor, at)| {
            format!("{} by {actor} at {at}", action.replace(['.', '_'], " "))
        })
        .collect();
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
            sqlx::query(
                "INSERT INTO attempts (episode_id, on_date, method, outcome, response_window, \
                 by_initials, note, created_at, by_staff_id, by_contractor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(day(attempt.on))
            .bind(code(&attempt.method))
            .bind(code(&attempt.outcome))
            .bind(
                attempt
                    .response_window
                    .map(|w| i64::from(w.business_days())),
            )
            .bind(&attempt.by_initials)
            .bind(attempt.note.as_deref())
            .bind(at)
            .bind(actor.staff_id)
            .bind(flag(attempt.by_contractor))
            .execute(&mut *conn)
            .await?;
        }
        Transition::RecordContact { on, plan_adjusted } => {
            sqlx::query("UPDATE episodes SET contact_on = $1, plan_adjusted = $2 WHERE id = $3")
                .bind(day(*on))
                .bind(flag(*plan_adjusted))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Transition::ScheduleAppointment { on, at } => {
            sqlx::query(
                "UPDATE episodes SET appointment_on = $1, appointment_at = $2, scheduled_on = $3, \
                 notice_mailed_on = NULL WHERE id = $4",
            )
            .bind(day(*on))
            .bind(at.map(time))
            .bind(day(today))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        Transition::RecordNoticeMailed { on } => {
            sqlx::query("UPDATE episodes SET notice_mailed_on = $1 WHERE id = $2")
                .bind(day(*on))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Transition::AddMissingInfo(item) => {
            let task: i64 = sqlx::query_scalar(
                "INSERT INTO tasks (episode_id, kind, blocks_decision, description, requested_on, \
                 resolved_on, created_at) VALUES ($1, $2, 1, $3, $4, $5, $6) RETURNING id",
            )
            .bind(id)
            .bind(code(&item.kind))
            .bind(&item.description)
            .bind(day(item.requested_on))
            .bind(item.resolved_on.map(day))
            .bind(at)
            .fetch_one(&mut *conn)
            .await?;
            record.missing_info_ids.push(task);
        }
        Transition::ResolveMissingInfo { index, on } => {
            let task = record
                .missing_info_ids
                .get(*index)
                .copied()
                .ok_or_else(|| ServiceError::Refused(Refusal::NoSuchItem(*index)))?;
            sqlx::query("UPDATE tasks SET resolved_on = $1 WHERE id = $2")
                .bind(day(*on))
                .bind(task)
                .execute(&mut *conn)
                .await?;
        }
        Transition::RecordStaffing(_) => {
            // As `core` leaves it: the confirmations of an unchanged team carried over.
            let staffing = after
                .staffing
                .as_ref()
                .ok_or(ServiceError::Refused(Refusal::NoStaffing))?;
            if let Some(previous) = record.staffing_id {
                sqlx::query(
                    "UPDATE staffings SET superseded_at = $1, superseded_reason = $2 WHERE id = $3",
                )
                .bind(at)
                .bind("replaced by a corrected staffing record")
                .bind(previous)
                .execute(&mut *conn)
                .await?;
            }
            let staffing_id: i64 = sqlx::query_scalar(
                "INSERT INTO staffings (episode_id, held_on, participant_attended, gc_exempt, \
                 gc_outside_control, gc_household_issue, gc_department_failed, strategies, \
                 next_steps, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(id)
            .bind(day(staffing.held_on))
            .bind(flag(staffing.participant_attended))
            .bind(optional_flag(staffing.good_cause.exempt))
            .bind(optional_flag(staffing.good_cause.outside_control))
            .bind(optional_flag(staffing.good_cause.household_issue))
            .bind(optional_flag(staffing.good_cause.department_failed))
            .bind(json!(staffing.recommended_strategies).to_string())
            .bind(json!(staffing.pdp_next_steps).to_string())
            .bind(at)
            .fetch_one(&mut *conn)
            .await?;
            for (position, member) in staffing.members.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO staffing_members (staffing_id, position, initials, role, staff_id, \
                     confirmed_on, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(staffing_id)
                .bind(position as i64)
                .bind(&member.initials)
                .bind(code(&member.role))
                .bind(member.staff_id)
                .bind(member.confirmed_on.map(day))
                .bind(member.confirmed_on.map(|_| at))
                .execute(&mut *conn)
                .await?;
            }
            for (position, partner) in staffing.partners.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO staffing_partners (staffing_id, position, name, signed_on, expires_on) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(staffing_id)
                .bind(position as i64)
                .bind(&partner.name)
                .bind(partner.release.as_ref().map(|r| day(r.signed_on)))
                .bind(partner.release.as_ref().and_then(|r| r.expires_on).map(day))
                .execute(&mut *conn)
                .await?;
            }
            for finding in &staffing.barrier_review {
                sqlx::query(
                    "INSERT INTO barrier_findings (staffing_id, area, who, present, \
                     accommodation_offered, affected_participation, notes) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(staffing_id)
                .bind(code(&finding.area))
                .bind(code(&finding.who))
                .bind(flag(finding.present))
                .bind(finding.accommodation_offered.as_deref())
                .bind(optional_flag(finding.affected_participation))
                .bind(finding.notes.as_deref())
                .execute(&mut *conn)
                .await
                .map_err(|error| match error {
                    sqlx::Error::Database(e) if e.is_unique_violation() => ServiceError::Invalid(
                        "Each barrier area is reviewed once for the adult and once for the children."
                            .into(),
                    ),
                    other => other.into(),
                })?;
            }
            record.staffing_id = Some(staffing_id);
        }
        Transition::ConfirmPresence { staff_id, on } => {
            let staffing_id = record
                .staffing_id
                .ok_or(ServiceError::Refused(Refusal::NoStaffing))?;
            sqlx::query(
                "UPDATE staffing_members SET confirmed_on = $1, confirmed_at = $2 \
                 WHERE staffing_id = $3 AND staff_id = $4",
            )
            .bind(day(*on))
            .bind(at)
            .bind(staffing_id)
            .bind(*staff_id)
            .execute(&mut *conn)
            .await?;
        }
        Transition::GiveGoodCause { on, reason } => {
            // R23: no staffing; the case manager's reason.
            let decision_id: i64 = sqlx::query_scalar(
                "INSERT INTO decisions (episode_id, staffing_id, outcome, decided_on, created_at, \
                 case_manager_reason) VALUES ($1, NULL, $2, $3, $4, $5) RETURNING id",
            )
            .bind(id)
            .bind(code(&reengage_core::episode::DecisionOutcome::GoodCause))
            .bind(day(*on))
            .bind(at)
            .bind(reason.trim())
            .fetch_one(&mut *conn)
            .await?;
            record.decision_id = Some(decision_id);
        }
        Transition::Decide(decision) => {
            let staffing_id = record
                .staffing_id
                .ok_or(ServiceError::Refused(Refusal::NoStaffing))?;
            let decision_id: i64 = sqlx::query_scalar(
                "INSERT INTO decisions (episode_id, staffing_id, outcome, decided_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(id)
            .bind(staffing_id)
            .bind(code(&decision.outcome))
            .bind(day(decision.decided_on))
            .bind(at)
            .fetch_one(&mut *conn)
            .await?;
            record.decision_id = Some(decision_id);
        }
        Transition::FinalizeDq1 { on, .. } => {
            sqlx::query("UPDATE episodes SET finalized_on = $1 WHERE id = $2")
                .bind(day(*on))
                .bind(id)
                .execute(&mut *conn)
                .await?;
            if let Some(decision) = record.decision_id {
                sqlx::query("UPDATE decisions SET finalized_on = $1 WHERE id = $2")
                    .bind(day(*on))
                    .bind(decision)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Transition::RecordPostDq1Steps(steps) => {
            sqlx::query(
                "UPDATE episodes SET re_step_recorded = $1, pdp_copy_to_participant = $2, \
                 dq1_selected_on_page = $3, one_case_note = $4, resources_offered = $5, \
                 tracs_page_finalized = $6 WHERE id = $7",
            )
            .bind(flag(steps.re_step_recorded))
            .bind(flag(steps.pdp_copy_to_participant))
            .bind(flag(steps.dq1_selected_on_page))
            .bind(flag(steps.one_case_note))
            .bind(flag(steps.resources_offered))
            .bind(flag(steps.page_finalized))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        Transition::RequestNewStaffing { reason } => {
            // R24: the earlier decision and staffing stay in the history, marked superseded.
            for table in ["decisions", "staffings"] {
                sqlx::query(&format!(
                    "UPDATE {table} SET superseded_at = $1, superseded_reason = $2 \
                     WHERE episode_id = $3 AND superseded_at IS NULL"
                ))
                .bind(at)
                .bind(reason.trim())
                .bind(id)
                .execute(&mut *conn)
                .await?;
            }
            // The steps after a DQ1 follow the new decision (core's `apply` clears them too).
            sqlx::query(
                "UPDATE episodes SET finalized_on = NULL, re_step_recorded = 0, \
                 pdp_copy_to_participant = 0, dq1_selected_on_page = 0, one_case_note = 0, \
                 resources_offered = 0, tracs_page_finalized = 0 WHERE id = $1",
            )
            .bind(id)
            .execute(&mut *conn)
            .await?;
            record.staffing_id = None;
            record.decision_id = None;
        }
    }
    Ok(())
}

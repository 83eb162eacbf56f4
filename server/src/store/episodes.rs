//! An episode's stored records, read back as `core`'s `EpisodeFacts`, and the rows of the
//! episode and its attempts as a change writes them.

use reengage_core::BusinessCalendar;
use reengage_core::calendar::Closure;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use sqlx::{AnyConnection, Row, any::AnyRow};

use super::StoreError;
use super::codes::{
    code, day, flag, from_code, parse_day, parse_optional_day, parse_optional_time, time,
};

/// A participant's MCS 3010 releases (index releases_participant).
pub const RELEASES_ON_FILE_SQL: &str = "SELECT partner, signed_on, expires_on FROM releases WHERE participant_id = $1 \
         ORDER BY partner, id";

/// A branch's closure days (primary key).
pub const CLOSURES_SQL: &str = "SELECT on_date, name FROM office_closures WHERE branch_id = $1";

/// `$1, $2, …, $n`: the placeholders of an `IN` list of `n` ids.
pub fn placeholders(n: usize) -> String {
    (1..=n.max(1))
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Episodes by id and their participants' names (primary keys).
pub fn episodes_sql(n: usize) -> String {
    format!(
        "SELECT e.*, p.display_name FROM episodes e JOIN participants p ON p.id = e.participant_id \
         WHERE e.id IN ({})",
        placeholders(n)
    )
}

/// The attempts of episodes (index attempts_episode); put in order by the reader — by their
/// days, an earlier one entered late among them (R10).
pub fn attempts_sql(n: usize) -> String {
    format!(
        "SELECT id, episode_id, on_date, method, outcome, response_window, by_initials, note, \
         by_contractor FROM attempts WHERE episode_id IN ({})",
        placeholders(n)
    )
}

/// The missing information of episodes (index tasks_episode).
pub fn missing_info_sql(n: usize) -> String {
    format!(
        "SELECT id, episode_id, kind, description, requested_on, resolved_on FROM tasks \
         WHERE episode_id IN ({}) AND blocks_decision = 1",
        placeholders(n)
    )
}

/// The exemptions of participants (index exemptions_participant).
pub fn exemptions_sql(n: usize) -> String {
    format!(
        "SELECT id, participant_id, from_on, to_on FROM exemptions WHERE participant_id IN ({})",
        placeholders(n)
    )
}

/// The decisions of episodes, current and superseded (index decisions_episode).
pub fn decisions_sql(n: usize) -> String {
    format!(
        "SELECT id, episode_id, outcome, decided_on, finalized_on, superseded_at, superseded_reason, \
         case_manager_reason FROM decisions WHERE episode_id IN ({})",
        placeholders(n)
    )
}

/// The current staffings of episodes (index staffings_episode).
pub fn staffings_sql(n: usize) -> String {
    format!(
        "SELECT * FROM staffings WHERE episode_id IN ({}) AND superseded_at IS NULL",
        placeholders(n)
    )
}

/// The members of staffings (primary key).
pub fn members_sql(n: usize) -> String {
    format!(
        "SELECT staffing_id, position, staff_id, initials, role, confirmed_on FROM staffing_members \
         WHERE staffing_id IN ({})",
        placeholders(n)
    )
}

/// The partners of staffings (primary key).
pub fn partners_sql(n: usize) -> String {
    format!(
        "SELECT staffing_id, position, name, signed_on, expires_on FROM staffing_partners \
         WHERE staffing_id IN ({})",
        placeholders(n)
    )
}

/// The barrier reviews of staffings (primary key).
pub fn findings_sql(n: usize) -> String {
    format!(
        "SELECT staffing_id, area, who, present, accommodation_offered, affected_participation, notes \
         FROM barrier_findings WHERE staffing_id IN ({})",
        placeholders(n)
    )
}

/// How many ids one batch binds (well under every backend's limit on parameters).
pub const BATCH: usize = 200;

/// An episode as stored: its facts for `core`, and the ids behind them.
#[derive(Debug, Clone)]
pub struct EpisodeRecord {
    pub id: i64,
    pub participant_id: i64,
    pub branch_id: i64,
    pub coach_id: Option<i64>,
    pub version: i64,
    pub facts: EpisodeFacts,
    /// The task id behind each `facts.missing_info` item, in the same order.
    pub missing_info_ids: Vec<i64>,
    /// The current (not superseded) staffing and decision.
    pub staffing_id: Option<i64>,
    pub decision_id: Option<i64>,
    /// R24: the decisions superseded by a new staffing, oldest first.
    pub earlier: Vec<SupersededDecision>,
}

impl EpisodeRecord {
    /// Which review of the episode this is: 1 for the first staffing, 2 after one new
    /// staffing was requested (R24), and so on.
    pub fn round(&self) -> usize {
        self.earlier.len() + 1
    }
}

/// R24: a decision superseded by a new staffing; it stays in the episode's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupersededDecision {
    pub outcome: DecisionOutcome,
    pub decided_on: chrono::NaiveDate,
    /// The DQ1 had been finalized on this day (R26).
    pub finalized_on: Option<chrono::NaiveDate>,
    /// When the new staffing was requested, and why.
    pub superseded_at: String,
    pub reason: String,
}

/// R19: the MCS 3010 releases on file for a participant, `(partner, release)` (index
/// releases_participant).
pub async fn releases_on_file(
    conn: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<(String, Release)>, StoreError> {
    let rows = sqlx::query(RELEASES_ON_FILE_SQL)
        .bind(participant_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut releases = Vec::with_capacity(rows.len());
    for row in rows {
        releases.push((
            get(&row, "partner")?,
            Release {
                signed_on: parse_day("releases.signed_on", &get::<String>(&row, "signed_on")?)?,
                expires_on: parse_optional_day("releases.expires_on", get(&row, "expires_on")?)?,
            },
        ));
    }
    Ok(releases)
}

fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(row.try_get(column)?)
}

fn optional_bool(row: &AnyRow, column: &str) -> Result<Option<bool>, StoreError> {
    Ok(get::<Option<i64>>(row, column)?.map(|v| v != 0))
}

fn bool_of(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    Ok(get::<i64>(row, column)? != 0)
}

/// The business calendar of a branch: Oregon's holidays and the office's own closures.
pub async fn branch_calendar(
    conn: &mut AnyConnection,
    branch_id: i64,
) -> Result<BusinessCalendar, StoreError> {
    let rows = sqlx::query(CLOSURES_SQL)
        .bind(branch_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut closures = Vec::with_capacity(rows.len());
    for row in rows {
        closures.push(Closure {
            date: parse_day("office_closures.on_date", &get::<String>(&row, "on_date")?)?,
            name: get(&row, "name")?,
        });
    }
    Ok(BusinessCalendar::oregon().with_closures(closures))
}

/// The branch's time zone (IANA name), the version of its calendar and its mail pickup time
/// (`HH:MM`, R15), by primary key.
pub async fn branch_office(
    conn: &mut AnyConnection,
    branch_id: i64,
) -> Result<Option<(String, i64, Option<String>)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT time_zone, calendar_version, mail_pickup FROM branches WHERE id = $1",
    )
    .bind(branch_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The branch's time zone (IANA name).
pub async fn branch_time_zone(
    conn: &mut AnyConnection,
    branch_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT time_zone FROM branches WHERE id = $1")
            .bind(branch_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Reads episode `id` with everything `core` needs, or `None` if there is none.
pub async fn load(conn: &mut AnyConnection, id: i64) -> Result<Option<EpisodeRecord>, StoreError> {
    Ok(load_many(conn, &[id]).await?.pop())
}

/// Reads the episodes `ids` with everything `core` needs, in the order of `ids` (an id with
/// no episode is left out): nine queries for each batch of up to [`BATCH`] episodes, not
/// nine for each episode.
pub async fn load_many(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<EpisodeRecord>, StoreError> {
    let mut records = Vec::with_capacity(ids.len());
    for batch in ids.chunks(BATCH) {
        records.extend(load_batch(conn, batch).await?);
    }
    Ok(records)
}

/// The rows `sql` finds for the ids, each bound in turn.
async fn rows_for(
    conn: &mut AnyConnection,
    sql: &str,
    ids: &[i64],
) -> Result<Vec<AnyRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query(sql);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&mut *conn).await?)
}

/// The rows `sql` finds for `ids`, each read by `read`, as `(owner, order, value)` sorted by
/// owner then order: `owner` and `order` are the row's columns that say whose it is (an
/// episode, a staffing) and where it goes among that one's rows.
async fn keyed<T>(
    conn: &mut AnyConnection,
    sql: &str,
    ids: &[i64],
    (owner, order): (&str, &str),
    read: impl Fn(&sqlx::any::AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<(i64, i64, T)>, StoreError> {
    let mut rows = Vec::new();
    for row in rows_for(conn, sql, ids).await? {
        rows.push((
            get::<i64>(&row, owner)?,
            get::<i64>(&row, order)?,
            read(&row)?,
        ));
    }
    rows.sort_by_key(|(owner, order, _)| (*owner, *order));
    Ok(rows)
}

async fn load_batch(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<EpisodeRecord>, StoreError> {
    use std::collections::HashMap;
    let n = ids.len();
    let mut found = HashMap::with_capacity(n);
    let mut participants = Vec::with_capacity(n);
    for row in rows_for(conn, &episodes_sql(n), ids).await? {
        let record = episode_of(&row)?;
        participants.push(record.participant_id);
        found.insert(record.id, record);
    }
    participants.sort_unstable();
    participants.dedup();

    let mut attempts = Vec::new();
    for row in rows_for(conn, &attempts_sql(n), ids).await? {
        let attempt = attempt_of(&row)?;
        attempts.push((
            (get::<i64>(&row, "episode_id")?, attempt.on),
            get::<i64>(&row, "id")?,
            attempt,
        ));
    }
    // R10: by their days; attempts of one day in the order they were entered.
    attempts.sort_by_key(|(by_day, id, _)| (*by_day, *id));
    for ((episode, _), _, attempt) in attempts {
        if let Some(record) = found.get_mut(&episode) {
            record.facts.attempts.push(attempt);
        }
    }

    let tasks = keyed(
        conn,
        &missing_info_sql(n),
        ids,
        ("episode_id", "id"),
        missing_info_of,
    )
    .await?;
    for (episode, id, item) in tasks {
        if let Some(record) = found.get_mut(&episode) {
            record.missing_info_ids.push(id);
            record.facts.missing_info.push(item);
        }
    }

    let mut exemptions = exemptions_of(conn, &participants).await?;
    for record in found.values_mut() {
        if let Some(list) = exemptions.remove(&record.participant_id) {
            record.facts.exemptions = list;
        }
    }

    // The current decision is the newest not superseded; the superseded ones in order (R24).
    let decisions = keyed(conn, &decisions_sql(n), ids, ("episode_id", "id"), |row| {
        Ok(row.clone())
    })
    .await?;
    for (episode, id, row) in decisions {
        let Some(record) = found.get_mut(&episode) else {
            continue;
        };
        let outcome = from_code("decisions.outcome", &get::<String>(&row, "outcome")?)?;
        let decided_on = parse_day("decisions.decided_on", &get::<String>(&row, "decided_on")?)?;
        // R23: good cause the case manager gave alone keeps its reason.
        let by = match get::<Option<String>>(&row, "case_manager_reason")? {
            Some(reason) => DecidedBy::CaseManager { reason },
            None => DecidedBy::Team,
        };
        match get::<Option<String>>(&row, "superseded_at")? {
            None => {
                record.decision_id = Some(id);
                record.facts.decision = Some(Decision {
                    outcome,
                    decided_on,
                    by,
                });
            }
            Some(superseded_at) => record.earlier.push(SupersededDecision {
                outcome,
                decided_on,
                finalized_on: parse_optional_day(
                    "decisions.finalized_on",
                    get(&row, "finalized_on")?,
                )?,
                superseded_at,
                reason: get::<Option<String>>(&row, "superseded_reason")?.unwrap_or_default(),
            }),
        }
    }

    // The current staffing of each, and its team, partners and barrier review.
    let staffings = keyed(
        conn,
        &staffings_sql(n),
        ids,
        ("episode_id", "id"),
        staffing_of,
    )
    .await?;
    let mut current: HashMap<i64, (i64, Staffing)> = HashMap::new();
    for (episode, id, staffing) in staffings {
        current.insert(episode, (id, staffing));
    }
    let mut of_staffing: HashMap<i64, &mut Staffing> = HashMap::new();
    for (id, staffing) in current.values_mut() {
        of_staffing.insert(*id, staffing);
    }
    let staffing_ids: Vec<i64> = {
        let mut list: Vec<i64> = of_staffing.keys().copied().collect();
        list.sort_unstable();
        list
    };
    let m = staffing_ids.len();
    let members = keyed(
        conn,
        &members_sql(m),
        &staffing_ids,
        ("staffing_id", "position"),
        |row| {
            Ok(StaffingMember {
                staff_id: get(row, "staff_id")?,
                initials: get(row, "initials")?,
                role: from_code("staffing_members.role", &get::<String>(row, "role")?)?,
                confirmed_on: parse_optional_day(
                    "staffing_members.confirmed_on",
                    get(row, "confirmed_on")?,
                )?,
            })
        },
    )
    .await?;
    for (staffing, _, member) in members {
        if let Some(staffing) = of_staffing.get_mut(&staffing) {
            staffing.members.push(member);
        }
    }
    let partners = keyed(
        conn,
        &partners_sql(m),
        &staffing_ids,
        ("staffing_id", "position"),
        partner_of,
    )
    .await?;
    for (staffing, _, partner) in partners {
        if let Some(staffing) = of_staffing.get_mut(&staffing) {
            staffing.partners.push(partner);
        }
    }
    let mut findings = Vec::new();
    for row in rows_for(conn, &findings_sql(m), &staffing_ids).await? {
        let area: String = get(&row, "area")?;
        let who: String = get(&row, "who")?;
        let finding = BarrierFinding {
            area: from_code("barrier_findings.area", &area)?,
            who: from_code("barrier_findings.who", &who)?,
            present: bool_of(&row, "present")?,
            accommodation_offered: get(&row, "accommodation_offered")?,
            affected_participation: optional_bool(&row, "affected_participation")?,
            notes: get(&row, "notes")?,
        };
        findings.push((get::<i64>(&row, "staffing_id")?, area, who, finding));
    }
    findings.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    for (staffing, _, _, finding) in findings {
        if let Some(staffing) = of_staffing.get_mut(&staffing) {
            staffing.barrier_review.push(finding);
        }
    }
    drop(of_staffing);
    for (episode, (id, staffing)) in current {
        if let Some(record) = found.get_mut(&episode) {
            record.staffing_id = Some(id);
            record.facts.staffing = Some(staffing);
        }
    }

    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The exemptions of participants (`participants`: sorted, without repeats), each one's in
/// order of its first day.
pub async fn exemptions_of(
    conn: &mut AnyConnection,
    participants: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Exemption>>, StoreError> {
    let mut found: std::collections::HashMap<i64, Vec<(chrono::NaiveDate, i64, Exemption)>> =
        std::collections::HashMap::new();
    for batch in participants.chunks(BATCH) {
        for row in rows_for(conn, &exemptions_sql(batch.len()), batch).await? {
            let exemption = Exemption {
                from: parse_day("exemptions.from_on", &get::<String>(&row, "from_on")?)?,
                to: parse_optional_day("exemptions.to_on", get(&row, "to_on")?)?,
            };
            found
                .entry(get(&row, "participant_id")?)
                .or_default()
                .push((exemption.from, get(&row, "id")?, exemption));
        }
    }
    Ok(found
        .into_iter()
        .map(|(participant, mut list)| {
            list.sort_by_key(|(from, id, _)| (*from, *id));
            (participant, list.into_iter().map(|(.., e)| e).collect())
        })
        .collect())
}

/// The stored version of each of the episodes `ids` that exists (primary key).
pub fn versions_sql(n: usize) -> String {
    format!(
        "SELECT id, version FROM episodes WHERE id IN ({})",
        placeholders(n)
    )
}

/// The stored version of each of the episodes `ids` that exists.
pub async fn versions_of(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
    let mut versions = std::collections::HashMap::with_capacity(ids.len());
    for batch in ids.chunks(BATCH) {
        for row in rows_for(conn, &versions_sql(batch.len()), batch).await? {
            versions.insert(get::<i64>(&row, "id")?, get::<i64>(&row, "version")?);
        }
    }
    Ok(versions)
}

/// An episode's own row, without the records that hang off it.
fn episode_of(row: &AnyRow) -> Result<EpisodeRecord, StoreError> {
    let trigger = Trigger {
        kind: from_code(
            "episodes.trigger_kind",
            &get::<String>(row, "trigger_kind")?,
        )?,
        what: get(row, "trigger_what")?,
        on: parse_day("episodes.missed_on", &get::<String>(row, "missed_on")?)?,
        at: parse_optional_time("episodes.missed_at", get(row, "missed_at")?)?,
        reported_by: from_code("episodes.reported_by", &get::<String>(row, "reported_by")?)?,
        aware_on: parse_optional_day("episodes.aware_on", get(row, "aware_on")?)?,
    };
    let mut facts = EpisodeFacts::new(get::<String>(row, "display_name")?, trigger);
    if let Some(on) = parse_optional_day("episodes.contact_on", get(row, "contact_on")?)? {
        facts.contact_made = Some(ContactMade {
            on,
            plan_adjusted: optional_bool(row, "plan_adjusted")?.unwrap_or(false),
        });
    }
    if let Some(on) = parse_optional_day("episodes.appointment_on", get(row, "appointment_on")?)? {
        facts.appointment = Some(Appointment {
            on,
            at: parse_optional_time("episodes.appointment_at", get(row, "appointment_at")?)?,
            scheduled_on: parse_optional_day("episodes.scheduled_on", get(row, "scheduled_on")?)?
                .unwrap_or(on),
            notice_mailed_on: parse_optional_day(
                "episodes.notice_mailed_on",
                get(row, "notice_mailed_on")?,
            )?,
        });
    }
    facts.post_dq1 = PostDq1Steps {
        re_step_recorded: bool_of(row, "re_step_recorded")?,
        pdp_copy_to_participant: bool_of(row, "pdp_copy_to_participant")?,
        dq1_selected_on_page: bool_of(row, "dq1_selected_on_page")?,
        one_case_note: bool_of(row, "one_case_note")?,
        resources_offered: bool_of(row, "resources_offered")?,
        page_finalized: bool_of(row, "tracs_page_finalized")?,
    };
    facts.finalized_on = parse_optional_day("episodes.finalized_on", get(row, "finalized_on")?)?;
    Ok(EpisodeRecord {
        id: get(row, "id")?,
        participant_id: get(row, "participant_id")?,
        branch_id: get(row, "branch_id")?,
        coach_id: get(row, "coach_id")?,
        version: get(row, "version")?,
        facts,
        missing_info_ids: Vec::new(),
        staffing_id: None,
        decision_id: None,
        earlier: Vec::new(),
    })
}

fn attempt_of(row: &AnyRow) -> Result<Attempt, StoreError> {
    let window = get::<Option<i64>>(row, "response_window")?
        .map(|days| {
            ResponseWindow::new(days).map_err(|_| StoreError::Corrupt {
                column: "attempts.response_window",
                value: days.to_string(),
            })
        })
        .transpose()?;
    Ok(Attempt {
        on: parse_day("attempts.on_date", &get::<String>(row, "on_date")?)?,
        method: from_code("attempts.method", &get::<String>(row, "method")?)?,
        outcome: from_code("attempts.outcome", &get::<String>(row, "outcome")?)?,
        response_window: window,
        by_initials: get(row, "by_initials")?,
        note: get(row, "note")?,
        by_contractor: bool_of(row, "by_contractor")?,
    })
}

fn missing_info_of(row: &AnyRow) -> Result<MissingInfo, StoreError> {
    Ok(MissingInfo {
        kind: from_code("tasks.kind", &get::<String>(row, "kind")?)?,
        description: get(row, "description")?,
        requested_on: parse_day("tasks.requested_on", &get::<String>(row, "requested_on")?)?,
        resolved_on: parse_optional_day("tasks.resolved_on", get(row, "resolved_on")?)?,
    })
}

/// A staffing's own row (R17–R23), without its team, partners and findings.
fn staffing_of(row: &AnyRow) -> Result<Staffing, StoreError> {
    let list = |column: &'static str, text: String| -> Result<Vec<String>, StoreError> {
        serde_json::from_str(&text).map_err(|_| StoreError::Corrupt {
            column,
            value: text,
        })
    };
    Ok(Staffing {
        held_on: parse_day("staffings.held_on", &get::<String>(row, "held_on")?)?,
        members: Vec::new(),
        participant_attended: bool_of(row, "participant_attended")?,
        partners: Vec::new(),
        barrier_review: Vec::new(),
        good_cause: GoodCauseAnswers {
            exempt: optional_bool(row, "gc_exempt")?,
            outside_control: optional_bool(row, "gc_outside_control")?,
            household_issue: optional_bool(row, "gc_household_issue")?,
            department_failed: optional_bool(row, "gc_department_failed")?,
        },
        recommended_strategies: list("staffings.strategies", get(row, "strategies")?)?,
        pdp_next_steps: list("staffings.next_steps", get(row, "next_steps")?)?,
    })
}

fn partner_of(row: &AnyRow) -> Result<Partner, StoreError> {
    let signed = parse_optional_day("staffing_partners.signed_on", get(row, "signed_on")?)?;
    Ok(Partner {
        name: get(row, "name")?,
        release: signed
            .map(|signed_on| -> Result<Release, StoreError> {
                Ok(Release {
                    signed_on,
                    expires_on: parse_optional_day(
                        "staffing_partners.expires_on",
                        get(row, "expires_on")?,
                    )?,
                })
            })
            .transpose()?,
    })
}

/// Whether episode `id` exists (primary key).
pub async fn exists(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM episodes WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// The branch and the participant of episode `id` (primary key).
pub async fn owner(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT branch_id, participant_id FROM episodes WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// The participant's open episode, if there is one (index episodes_one_open).
pub async fn open_episode_of(
    conn: &mut AnyConnection,
    participant_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM episodes WHERE participant_id = $1 AND closed = 0")
        .bind(participant_id)
        .fetch_optional(&mut *conn)
        .await
}

/// A new episode's row (R1): whose it is, what was missed, and the columns `core` derives.
#[derive(Debug, Clone, Copy)]
pub struct NewEpisode<'a> {
    pub participant_id: i64,
    pub branch_id: i64,
    pub coach_id: Option<i64>,
    pub trigger: &'a Trigger,
    pub stage: &'a Stage,
    pub closed: bool,
    pub next_due_on: &'a str,
}

/// Writes a new episode at version 1, created and updated `at`; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewEpisode<'_>,
    at: &str,
) -> Result<i64, sqlx::Error> {
    let trigger = new.trigger;
    sqlx::query_scalar(
        "INSERT INTO episodes (participant_id, branch_id, coach_id, trigger_kind, trigger_what, \
         missed_on, missed_at, reported_by, stage, closed, next_due_on, version, created_at, \
         updated_at, aware_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12, $13) RETURNING id",
    )
    .bind(new.participant_id)
    .bind(new.branch_id)
    .bind(new.coach_id)
    .bind(code(&trigger.kind))
    .bind(trigger.what.trim())
    .bind(day(trigger.on))
    .bind(trigger.at.map(time))
    .bind(code(&trigger.reported_by))
    .bind(code(new.stage))
    .bind(flag(new.closed))
    .bind(new.next_due_on)
    .bind(at)
    .bind(trigger.aware_on.map(day))
    .fetch_one(&mut *conn)
    .await
}

/// The columns `core` derives, and the next version, of episode `id` if it is still at
/// `expected_version`; returns how many rows changed (0: someone else's change came first).
pub async fn set_derived(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    stage: &Stage,
    closed: bool,
    next_due_on: &str,
    at: &str,
) -> Result<u64, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE episodes SET stage = $1, closed = $2, next_due_on = $3, version = version + 1, \
         updated_at = $4 WHERE id = $5 AND version = $6",
    )
    .bind(code(stage))
    .bind(flag(closed))
    .bind(next_due_on)
    .bind(at)
    .bind(id)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected())
}

/// The stage and next due day `core` derives of open episode `id` today, written again when
/// they moved with the days or the office's calendar, if it is still at `version` (a change
/// meanwhile wrote its own). The facts are the same, so the version stays: no one's open form
/// is overtaken by a new day. Returns how many rows changed.
pub async fn refresh_derived(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    stage: &Stage,
    next_due_on: &str,
) -> Result<u64, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE episodes SET stage = $1, next_due_on = $2 \
         WHERE id = $3 AND version = $4 AND closed = 0 AND (stage <> $1 OR next_due_on <> $2)",
    )
    .bind(code(stage))
    .bind(next_due_on)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected())
}

/// R7, R9, R10: a contact attempt on episode `episode_id`, entered `at` by `staff_id`.
pub async fn insert_attempt(
    conn: &mut AnyConnection,
    episode_id: i64,
    attempt: &Attempt,
    staff_id: Option<i64>,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO attempts (episode_id, on_date, method, outcome, response_window, \
         by_initials, note, created_at, by_staff_id, by_contractor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(episode_id)
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
    .bind(staff_id)
    .bind(flag(attempt.by_contractor))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// R8: contact made on `on`, and whether the plan was adjusted.
pub async fn set_contact(
    conn: &mut AnyConnection,
    id: i64,
    on: chrono::NaiveDate,
    plan_adjusted: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE episodes SET contact_on = $1, plan_adjusted = $2 WHERE id = $3")
        .bind(day(on))
        .bind(flag(plan_adjusted))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The appointment, scheduled on `scheduled_on`; its notice is not yet mailed.
pub async fn set_appointment(
    conn: &mut AnyConnection,
    id: i64,
    on: chrono::NaiveDate,
    at: Option<chrono::NaiveTime>,
    scheduled_on: chrono::NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE episodes SET appointment_on = $1, appointment_at = $2, scheduled_on = $3, \
         notice_mailed_on = NULL WHERE id = $4",
    )
    .bind(day(on))
    .bind(at.map(time))
    .bind(day(scheduled_on))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The day the appointment's notice was mailed.
pub async fn set_notice_mailed(
    conn: &mut AnyConnection,
    id: i64,
    on: chrono::NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE episodes SET notice_mailed_on = $1 WHERE id = $2")
        .bind(day(on))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// R26: the day the DQ1 was finalized.
pub async fn set_finalized(
    conn: &mut AnyConnection,
    id: i64,
    on: chrono::NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE episodes SET finalized_on = $1 WHERE id = $2")
        .bind(day(on))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// R27: the steps after a DQ1 as ticked.
pub async fn set_post_dq1(
    conn: &mut AnyConnection,
    id: i64,
    steps: &PostDq1Steps,
) -> Result<(), sqlx::Error> {
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
    Ok(())
}

/// R24: no DQ1 finalized and none of the steps after it: they follow the new decision.
pub async fn clear_post_dq1(conn: &mut AnyConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE episodes SET finalized_on = NULL, re_step_recorded = 0, \
         pdp_copy_to_participant = 0, dq1_selected_on_page = 0, one_case_note = 0, \
         resources_offered = 0, tracs_page_finalized = 0 WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

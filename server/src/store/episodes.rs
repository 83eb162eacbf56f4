//! An episode's stored records, read back as `core`'s `EpisodeFacts`.

use reengage_core::BusinessCalendar;
use reengage_core::calendar::Closure;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use sqlx::{AnyConnection, Row, any::AnyRow};

use super::StoreError;
use super::codes::{from_code, parse_day, parse_optional_day, parse_optional_time};

/// A participant's MCS 3010 releases (index releases_participant).
pub const RELEASES_ON_FILE_SQL: &str = "SELECT partner, signed_on, expires_on FROM releases WHERE participant_id = $1 \
         ORDER BY partner, id";

/// A branch's closure days (primary key).
pub const CLOSURES_SQL: &str = "SELECT on_date, name FROM office_closures WHERE branch_id = $1";

/// One episode and its participant's name (primary keys).
pub const EPISODE_SQL: &str = "SELECT e.*, p.display_name FROM episodes e JOIN participants p ON p.id = e.participant_id \
         WHERE e.id = $1";

/// An episode's attempts in order (index attempts_episode).
pub const ATTEMPTS_SQL: &str = "SELECT on_date, method, outcome, response_window, by_initials, note FROM attempts \
         WHERE episode_id = $1 ORDER BY id";

/// An episode's missing information (index tasks_episode).
pub const MISSING_INFO_SQL: &str = "SELECT id, kind, description, requested_on, resolved_on FROM tasks \
         WHERE episode_id = $1 AND blocks_decision = 1 ORDER BY id";

/// A participant's exemptions (index exemptions_participant).
pub const EXEMPTIONS_SQL: &str =
    "SELECT from_on, to_on FROM exemptions WHERE participant_id = $1 ORDER BY from_on";

/// An episode's current decision (index decisions_episode).
pub const DECISION_SQL: &str = "SELECT id, outcome, decided_on FROM decisions \
         WHERE episode_id = $1 AND superseded_at IS NULL ORDER BY id DESC LIMIT 1";

/// An episode's superseded decisions (index decisions_episode).
pub const EARLIER_SQL: &str = "SELECT outcome, decided_on, finalized_on, superseded_at, superseded_reason \
         FROM decisions WHERE episode_id = $1 AND superseded_at IS NOT NULL ORDER BY id";

/// An episode's current staffing (index staffings_episode).
pub const STAFFING_SQL: &str = "SELECT * FROM staffings WHERE episode_id = $1 AND superseded_at IS NULL \
         ORDER BY id DESC LIMIT 1";

/// A staffing's members (primary key).
pub const MEMBERS_SQL: &str =
    "SELECT initials, role FROM staffing_members WHERE staffing_id = $1 ORDER BY position";

/// A staffing's partners (primary key).
pub const PARTNERS_SQL: &str = "SELECT name, signed_on, expires_on FROM staffing_partners WHERE staffing_id = $1 \
         ORDER BY position";

/// A staffing's barrier review (primary key).
pub const FINDINGS_SQL: &str = "SELECT area, who, present, accommodation_offered, affected_participation, notes \
         FROM barrier_findings WHERE staffing_id = $1 ORDER BY area, who";

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
    let Some(row) = sqlx::query(EPISODE_SQL)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let participant_id: i64 = get(&row, "participant_id")?;
    let trigger = Trigger {
        kind: from_code(
            "episodes.trigger_kind",
            &get::<String>(&row, "trigger_kind")?,
        )?,
        what: get(&row, "trigger_what")?,
        on: parse_day("episodes.missed_on", &get::<String>(&row, "missed_on")?)?,
        at: parse_optional_time("episodes.missed_at", get(&row, "missed_at")?)?,
        reported_by: from_code("episodes.reported_by", &get::<String>(&row, "reported_by")?)?,
    };
    let mut facts = EpisodeFacts::new(get::<String>(&row, "display_name")?, trigger);
    if let Some(on) = parse_optional_day("episodes.contact_on", get(&row, "contact_on")?)? {
        facts.contact_made = Some(ContactMade {
            on,
            plan_adjusted: optional_bool(&row, "plan_adjusted")?.unwrap_or(false),
        });
    }
    if let Some(on) = parse_optional_day("episodes.appointment_on", get(&row, "appointment_on")?)? {
        facts.appointment = Some(Appointment {
            on,
            at: parse_optional_time("episodes.appointment_at", get(&row, "appointment_at")?)?,
            scheduled_on: parse_optional_day("episodes.scheduled_on", get(&row, "scheduled_on")?)?
                .unwrap_or(on),
            notice_mailed_on: parse_optional_day(
                "episodes.notice_mailed_on",
                get(&row, "notice_mailed_on")?,
            )?,
        });
    }
    facts.post_dq1 = PostDq1Steps {
        re_step_recorded: bool_of(&row, "re_step_recorded")?,
        pdp_copy_to_participant: bool_of(&row, "pdp_copy_to_participant")?,
        dq1_selected_on_page: bool_of(&row, "dq1_selected_on_page")?,
        one_case_note: bool_of(&row, "one_case_note")?,
        resources_offered: bool_of(&row, "resources_offered")?,
    };
    facts.finalized_on = parse_optional_day("episodes.finalized_on", get(&row, "finalized_on")?)?;

    for attempt in sqlx::query(ATTEMPTS_SQL)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    {
        let window = get::<Option<i64>>(&attempt, "response_window")?
            .map(|days| {
                ResponseWindow::new(days).map_err(|_| StoreError::Corrupt {
                    column: "attempts.response_window",
                    value: days.to_string(),
                })
            })
            .transpose()?;
        facts.attempts.push(Attempt {
            on: parse_day("attempts.on_date", &get::<String>(&attempt, "on_date")?)?,
            method: from_code("attempts.method", &get::<String>(&attempt, "method")?)?,
            outcome: from_code("attempts.outcome", &get::<String>(&attempt, "outcome")?)?,
            response_window: window,
            by_initials: get(&attempt, "by_initials")?,
            note: get(&attempt, "note")?,
        });
    }

    let mut missing_info_ids = Vec::new();
    for task in sqlx::query(MISSING_INFO_SQL)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    {
        missing_info_ids.push(get(&task, "id")?);
        facts.missing_info.push(MissingInfo {
            kind: from_code("tasks.kind", &get::<String>(&task, "kind")?)?,
            description: get(&task, "description")?,
            requested_on: parse_day("tasks.requested_on", &get::<String>(&task, "requested_on")?)?,
            resolved_on: parse_optional_day("tasks.resolved_on", get(&task, "resolved_on")?)?,
        });
    }

    for exemption in sqlx::query(EXEMPTIONS_SQL)
        .bind(participant_id)
        .fetch_all(&mut *conn)
        .await?
    {
        facts.exemptions.push(Exemption {
            from: parse_day("exemptions.from_on", &get::<String>(&exemption, "from_on")?)?,
            to: parse_optional_day("exemptions.to_on", get(&exemption, "to_on")?)?,
        });
    }

    let staffing_id = load_staffing(conn, id, &mut facts).await?;
    let mut decision_id = None;
    if let Some(decision) = sqlx::query(DECISION_SQL)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    {
        decision_id = Some(get(&decision, "id")?);
        facts.decision = Some(Decision {
            outcome: from_code("decisions.outcome", &get::<String>(&decision, "outcome")?)?,
            decided_on: parse_day(
                "decisions.decided_on",
                &get::<String>(&decision, "decided_on")?,
            )?,
        });
    }

    let mut earlier = Vec::new();
    for row in sqlx::query(EARLIER_SQL)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    {
        earlier.push(SupersededDecision {
            outcome: from_code("decisions.outcome", &get::<String>(&row, "outcome")?)?,
            decided_on: parse_day("decisions.decided_on", &get::<String>(&row, "decided_on")?)?,
            finalized_on: parse_optional_day("decisions.finalized_on", get(&row, "finalized_on")?)?,
            superseded_at: get(&row, "superseded_at")?,
            reason: get::<Option<String>>(&row, "superseded_reason")?.unwrap_or_default(),
        });
    }

    Ok(Some(EpisodeRecord {
        id,
        participant_id,
        branch_id: get(&row, "branch_id")?,
        coach_id: get(&row, "coach_id")?,
        version: get(&row, "version")?,
        facts,
        missing_info_ids,
        staffing_id,
        decision_id,
        earlier,
    }))
}

async fn load_staffing(
    conn: &mut AnyConnection,
    episode_id: i64,
    facts: &mut EpisodeFacts,
) -> Result<Option<i64>, StoreError> {
    let Some(row) = sqlx::query(STAFFING_SQL)
        .bind(episode_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let staffing_id: i64 = get(&row, "id")?;
    let list = |column: &'static str, text: String| -> Result<Vec<String>, StoreError> {
        serde_json::from_str(&text).map_err(|_| StoreError::Corrupt {
            column,
            value: text,
        })
    };
    let mut staffing = Staffing {
        held_on: parse_day("staffings.held_on", &get::<String>(&row, "held_on")?)?,
        members: Vec::new(),
        participant_attended: bool_of(&row, "participant_attended")?,
        partners: Vec::new(),
        barrier_review: Vec::new(),
        good_cause: GoodCauseAnswers {
            exempt: optional_bool(&row, "gc_exempt")?,
            outside_control: optional_bool(&row, "gc_outside_control")?,
            household_issue: optional_bool(&row, "gc_household_issue")?,
            department_failed: optional_bool(&row, "gc_department_failed")?,
        },
        recommended_strategies: list("staffings.strategies", get(&row, "strategies")?)?,
        pdp_next_steps: list("staffings.next_steps", get(&row, "next_steps")?)?,
    };
    for member in sqlx::query(MEMBERS_SQL)
        .bind(staffing_id)
        .fetch_all(&mut *conn)
        .await?
    {
        staffing.members.push(StaffingMember {
            initials: get(&member, "initials")?,
            role: from_code("staffing_members.role", &get::<String>(&member, "role")?)?,
        });
    }
    for partner in sqlx::query(PARTNERS_SQL)
        .bind(staffing_id)
        .fetch_all(&mut *conn)
        .await?
    {
        let signed =
            parse_optional_day("staffing_partners.signed_on", get(&partner, "signed_on")?)?;
        staffing.partners.push(Partner {
            name: get(&partner, "name")?,
            release: signed
                .map(|signed_on| -> Result<Release, StoreError> {
                    Ok(Release {
                        signed_on,
                        expires_on: parse_optional_day(
                            "staffing_partners.expires_on",
                            get(&partner, "expires_on")?,
                        )?,
                    })
                })
                .transpose()?,
        });
    }
    for finding in sqlx::query(FINDINGS_SQL)
        .bind(staffing_id)
        .fetch_all(&mut *conn)
        .await?
    {
        staffing.barrier_review.push(BarrierFinding {
            area: from_code("barrier_findings.area", &get::<String>(&finding, "area")?)?,
            who: from_code("barrier_findings.who", &get::<String>(&finding, "who")?)?,
            present: bool_of(&finding, "present")?,
            accommodation_offered: get(&finding, "accommodation_offered")?,
            affected_participation: optional_bool(&finding, "affected_participation")?,
            notes: get(&finding, "notes")?,
        });
    }
    facts.staffing = Some(staffing);
    Ok(Some(staffing_id))
}

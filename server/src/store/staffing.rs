//! Staffings (R17–R24): the branch's staff who may sit on one, a staffing with its team,
//! partners and barrier review, and the decisions made at it or without it (R23).

use chrono::NaiveDate;
use reengage_core::episode::{BarrierFinding, DecisionOutcome, Staffing};
use serde_json::json;
use sqlx::AnyConnection;

use super::codes::{code, day, flag, optional_flag};

/// A branch's staff who may sit on a staffing (index staff_branch): every active account but
/// an admin.
pub const TEAM_SQL: &str = "SELECT id, name, initials, role FROM staff WHERE branch_id = $1 AND active = 1 \
         AND role <> 'admin' ORDER BY name, id";

/// [`TEAM_SQL`]: `(staff id, name, initials, role)` of each.
pub async fn team(
    conn: &mut AnyConnection,
    branch_id: i64,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(TEAM_SQL)
        .bind(branch_id)
        .fetch_all(&mut *conn)
        .await
}

/// Marks staffing `id` superseded `at`, for `reason`.
pub async fn supersede(
    conn: &mut AnyConnection,
    id: i64,
    at: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staffings SET superseded_at = $1, superseded_reason = $2 WHERE id = $3")
        .bind(at)
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// R24: marks the episode's current decision and staffing superseded `at`, for `reason`; they
/// stay in its history.
pub async fn supersede_current(
    conn: &mut AnyConnection,
    episode_id: i64,
    at: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    for table in ["decisions", "staffings"] {
        sqlx::query(&format!(
            "UPDATE {table} SET superseded_at = $1, superseded_reason = $2 \
             WHERE episode_id = $3 AND superseded_at IS NULL"
        ))
        .bind(at)
        .bind(reason)
        .bind(episode_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Writes a staffing of episode `episode_id` with its team and partners, each in its
/// position, a member's confirmation stamped `at`; returns its id. Its barrier review is
/// [`insert_findings`].
pub async fn insert(
    conn: &mut AnyConnection,
    episode_id: i64,
    staffing: &Staffing,
    at: &str,
) -> Result<i64, sqlx::Error> {
    let staffing_id: i64 = sqlx::query_scalar(
        "INSERT INTO staffings (episode_id, held_on, participant_attended, gc_exempt, \
         gc_outside_control, gc_household_issue, gc_department_failed, strategies, \
         next_steps, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(episode_id)
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
    Ok(staffing_id)
}

/// R20: the barrier review of staffing `staffing_id`, one row per area and who (primary key:
/// a second review of the same cell is a unique violation).
pub async fn insert_findings(
    conn: &mut AnyConnection,
    staffing_id: i64,
    findings: &[BarrierFinding],
) -> Result<(), sqlx::Error> {
    for finding in findings {
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
        .await?;
    }
    Ok(())
}

/// R18: staff member `staff_id` confirms being present at staffing `staffing_id`, on `on`,
/// stamped `at`.
pub async fn confirm_presence(
    conn: &mut AnyConnection,
    staffing_id: i64,
    staff_id: i64,
    on: NaiveDate,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staffing_members SET confirmed_on = $1, confirmed_at = $2 \
         WHERE staffing_id = $3 AND staff_id = $4",
    )
    .bind(day(on))
    .bind(at)
    .bind(staffing_id)
    .bind(staff_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The team's decision at staffing `staffing_id`; returns its id.
pub async fn insert_decision(
    conn: &mut AnyConnection,
    episode_id: i64,
    staffing_id: i64,
    outcome: &DecisionOutcome,
    decided_on: NaiveDate,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO decisions (episode_id, staffing_id, outcome, decided_on, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(episode_id)
    .bind(staffing_id)
    .bind(code(outcome))
    .bind(day(decided_on))
    .bind(at)
    .fetch_one(&mut *conn)
    .await
}

/// R23: good cause the case manager gives alone, without a staffing, with its reason;
/// returns the decision's id.
pub async fn insert_good_cause(
    conn: &mut AnyConnection,
    episode_id: i64,
    on: NaiveDate,
    reason: &str,
    at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO decisions (episode_id, staffing_id, outcome, decided_on, created_at, \
         case_manager_reason) VALUES ($1, NULL, $2, $3, $4, $5) RETURNING id",
    )
    .bind(episode_id)
    .bind(code(&DecisionOutcome::GoodCause))
    .bind(day(on))
    .bind(at)
    .bind(reason)
    .fetch_one(&mut *conn)
    .await
}

/// R26: the day decision `id`'s DQ1 was finalized.
pub async fn finalize_decision(
    conn: &mut AnyConnection,
    id: i64,
    on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE decisions SET finalized_on = $1 WHERE id = $2")
        .bind(day(on))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

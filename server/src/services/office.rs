//! The office's day and calendar for a staff member, and a supervisor's branch: the day a
//! page or an export counts from (docs/rules.md, Business days).

use chrono::{DateTime, NaiveDate, Utc};
use reengage_app::backend::TeamMember;
use reengage_core::BusinessCalendar;

use crate::services::access::{self, Action, Record};
use crate::services::accounts::Staff;
use crate::services::episodes::local_today;
use crate::services::{ServiceError, actions};
use crate::store::db::Db;
use crate::store::lists;

/// The most business days `add-business-days` counts.
pub const MAX_BUSINESS_DAYS: u32 = 366;

/// The time zone of almost every office (docs/rules.md, Business days).
const DEFAULT_ZONE: &str = "America/Los_Angeles";

/// For a supervisor's view of the branch (`ViewBranch`): the branch and its coaches and
/// case aides `(id, name)` (index staff_branch).
pub async fn supervised_branch(
    db: &Db,
    staff: &Staff,
    now: DateTime<Utc>,
) -> Result<(i64, Vec<(i64, String)>), ServiceError> {
    access::authorize(db, staff, Action::ViewBranch, Record::None, now).await?;
    let branch_id = staff.branch_id.ok_or_else(|| {
        ServiceError::Forbidden("Your account belongs to no branch: ask an admin to set it.".into())
    })?;
    let coaches = lists::coaches(db, branch_id).await?;
    Ok((branch_id, coaches))
}

/// The staff member's office's date.
pub async fn office_today(
    db: &Db,
    staff: &Staff,
    now: DateTime<Utc>,
) -> Result<NaiveDate, ServiceError> {
    Ok(office_calendar(db, staff, now).await?.0)
}

/// The staff member's office's date and business calendar (Oregon's, on Pacific time, for an
/// account of no branch).
pub async fn office_calendar(
    db: &Db,
    staff: &Staff,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, BusinessCalendar), ServiceError> {
    match staff.branch_id {
        Some(branch) => crate::services::episodes::office(db, branch, now).await,
        None => Ok((local_today(DEFAULT_ZONE, now), BusinessCalendar::oregon())),
    }
}

/// The time zone of branch `branch_id`'s office (Pacific for a branch not found or a zone
/// name not known).
pub async fn branch_zone(db: &Db, branch_id: i64) -> Result<chrono_tz::Tz, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    let zone = crate::store::episodes::branch_time_zone(&mut conn, branch_id).await?;
    Ok(zone
        .and_then(|zone| zone.parse().ok())
        .unwrap_or(chrono_tz::America::Los_Angeles))
}

/// The time zone of the staff member's office (Pacific for an account of no branch).
pub async fn office_zone(db: &Db, staff: &Staff) -> Result<chrono_tz::Tz, ServiceError> {
    match staff.branch_id {
        Some(branch) => branch_zone(db, branch).await,
        None => Ok(chrono_tz::America::Los_Angeles),
    }
}

/// The branch's staff who may sit on a staffing team, each in the seat their role takes
/// (index staff_branch).
pub async fn staffing_team(db: &Db, branch_id: i64) -> Result<Vec<TeamMember>, ServiceError> {
    let mut conn = db.pool.acquire().await?;
    Ok(actions::branch_team(&mut conn, branch_id)
        .await?
        .into_iter()
        .map(|seat| TeamMember {
            staff_id: seat.staff_id,
            name: seat.name,
            initials: seat.initials,
            role: seat.role.staffing_role(),
        })
        .collect())
}

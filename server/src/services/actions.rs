//! One use case per user action that takes more than one step, called alike by the pages'
//! forms and the REST API, so neither surface does a step the other skips: an attempt that
//! finds the address invalid brings its ONE request (R11), contact made its agreed PDP step
//! (R8), the steps after a DQ1 the RE step on the PDP (R27), a staffing its team resolved to
//! the branch's staff accounts (R18). Each runs in one write transaction: all of it stands or
//! none of it does.

use chrono::{DateTime, NaiveDate, Utc};
use reengage_core::episode::{
    Attempt, PostDq1Steps, Staffing, StaffingMember, Transition, r11_request, re_step_day, stage,
};

use super::episodes::{Changed, change_in, read};
use super::participants::{self, Addition, PdpStep};
use super::{Actor, ServiceError};
use crate::services::access::Role;
use crate::store::db::{self, Db};
use crate::store::episodes::releases_on_file;
use crate::store::{episodes as stored, staffing};

/// Someone of the branch who may sit on a staffing team (R18), in the seat their role takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub staff_id: i64,
    pub name: String,
    pub initials: String,
    pub role: Role,
}

/// The branch's staff who may sit on a staffing team (index staff_branch).
pub async fn branch_team(
    conn: &mut sqlx::AnyConnection,
    branch_id: i64,
) -> Result<Vec<Seat>, ServiceError> {
    let rows = staffing::team(conn, branch_id).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(staff_id, name, initials, role)| {
            Some(Seat {
                staff_id,
                name,
                initials,
                role: Role::parse(&role)?,
            })
        })
        .collect())
}

/// R18: the staffing's members as the branch's records have them: a member named by a staff
/// account takes that account's initials and seat (never the request's), and must be one of
/// the branch's staff; a member without an account is a named row, which never counts.
fn with_team_on_file(mut staffing: Staffing, team: &[Seat]) -> Result<Staffing, ServiceError> {
    for member in &mut staffing.members {
        let Some(staff_id) = member.staff_id else {
            member.confirmed_on = None;
            continue;
        };
        let seat = team.iter().find(|s| s.staff_id == staff_id).ok_or_else(|| {
            ServiceError::Invalid(format!(
                "Staff member {staff_id} is not on this branch's staff list: pick each department member from the list (R18)."
            ))
        })?;
        *member =
            StaffingMember::account(staff_id, seat.initials.clone(), seat.role.staffing_role());
    }
    Ok(staffing)
}

/// The episode's branch and participant.
async fn owner(
    conn: &mut sqlx::AnyConnection,
    episode_id: i64,
) -> Result<(i64, i64), ServiceError> {
    stored::owner(conn, episode_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("episode {episode_id}")))
}

/// R7, R9, R10, R11: logs a contact attempt; one that finds the address invalid adds the ONE
/// missing-information request to verify it.
pub async fn log_attempt(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    version: i64,
    attempt: Attempt,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let (record, _, _) = read(db, episode_id, now).await?;
    let request = r11_request(&record.facts, &attempt);
    let mut tx = db::begin_write(db).await?;
    let mut changed = change_in(
        &mut tx,
        db,
        actor,
        episode_id,
        version,
        Transition::LogAttempt(attempt),
        now,
    )
    .await?;
    if let Some(request) = request {
        changed = change_in(
            &mut tx,
            db,
            actor,
            episode_id,
            changed.version,
            Transition::AddMissingInfo(request),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// R8: contact made — with the plan adjusted, the episode closes as re-engaged (at any time
/// before a decision), with the agreed PDP step added where there is one.
pub async fn record_contact(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    version: i64,
    (on, plan_adjusted): (NaiveDate, bool),
    step: Option<PdpStep>,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    if step.is_some() && !plan_adjusted {
        return Err(ServiceError::Invalid(
            "A new PDP step belongs to an adjusted plan: say the plan is adjusted, or add no new step (R8).".into(),
        ));
    }
    let mut tx = db::begin_write(db).await?;
    let changed = change_in(
        &mut tx,
        db,
        actor,
        episode_id,
        version,
        Transition::RecordContact { on, plan_adjusted },
        now,
    )
    .await?;
    if let Some(step) = step {
        let (_, participant) = owner(&mut tx, episode_id).await?;
        participants::add_in(
            &mut tx,
            db.backend,
            actor,
            participant,
            Addition::PdpStep(step),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// R17–R20, R23, R30: records the staffing, its team resolved to the branch's staff
/// accounts (R18) and its partners to the releases on file (R19). The staffing as it is
/// already recorded is not written again (a decision sent with the form it was saved with):
/// the episode stays as it is, its confirmations with it.
pub async fn record_staffing(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    version: i64,
    staffing: Staffing,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let (record, today, calendar) = read(db, episode_id, now).await?;
    let mut tx = db::begin_write(db).await?;
    let team = branch_team(&mut tx, record.branch_id).await?;
    let staffing = with_team_on_file(staffing, &team)?;
    let on_file = releases_on_file(&mut tx, record.participant_id).await?;
    let unconfirmed = |staffing: &Staffing| {
        let mut staffing = staffing.clone().with_releases_on_file(&on_file);
        staffing
            .members
            .iter_mut()
            .for_each(|m| m.confirmed_on = None);
        // The review as a set: stored cells come back in the order of their keys.
        staffing.barrier_review.sort_by_key(|f| (f.area, f.who));
        staffing
    };
    let unchanged = record.version == version
        && record.facts.decision.is_none()
        && record
            .facts
            .staffing
            .as_ref()
            .is_some_and(|saved| unconfirmed(saved) == unconfirmed(&staffing));
    if unchanged {
        return Ok(Changed {
            episode_id,
            version,
            stage: stage(&record.facts, today, &calendar),
        });
    }
    let changed = change_in(
        &mut tx,
        db,
        actor,
        episode_id,
        version,
        Transition::RecordStaffing(staffing),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

/// R18: the signed-in department member confirms "I was present" at the episode's current
/// staffing — their own account, never someone else's. Made on the episode as it stands:
/// others confirming at the same time do not make it stale.
pub async fn confirm_presence(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let staff_id = actor.staff_id.ok_or_else(|| {
        ServiceError::Forbidden("Only a staff member confirms their own presence.".into())
    })?;
    let (record, today, _) = read(db, episode_id, now).await?;
    let mut tx = db::begin_write(db).await?;
    let changed = change_in(
        &mut tx,
        db,
        actor,
        episode_id,
        record.version,
        Transition::ConfirmPresence {
            staff_id,
            on: today,
        },
        now,
    )
    .await;
    let changed = match changed {
        // Someone else's change came between the read and the write: once more, as it is now.
        Err(ServiceError::Conflict {
            current_version, ..
        }) => {
            change_in(
                &mut tx,
                db,
                actor,
                episode_id,
                current_version,
                Transition::ConfirmPresence {
                    staff_id,
                    on: today,
                },
                now,
            )
            .await?
        }
        other => other?,
    };
    tx.commit().await?;
    Ok(changed)
}

/// R23: the case manager gives good cause alone, with its reason; the episode closes with no
/// disqualification (narrated in an Engagement narrative, R25).
pub async fn give_good_cause(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    version: i64,
    (on, reason): (NaiveDate, String),
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let give = Transition::GiveGoodCause { on, reason };
    super::episodes::change(db, actor, episode_id, version, give, now).await
}

/// R26, R27: the steps after a DQ1 as ticked (`steps`; the RE step, once ticked, is added to
/// the PDP dated the re-engagement day with 1 hour attendance) and, with `finalize_on`, the
/// finalization by the acting account, which `core` checks sat on the staffing and confirmed
/// it. All of it stands or falls together.
pub async fn record_post_dq1(
    db: &Db,
    actor: &Actor,
    episode_id: i64,
    version: i64,
    steps: Option<PostDq1Steps>,
    finalize_on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Changed, ServiceError> {
    let (record, _, _) = read(db, episode_id, now).await?;
    let mut tx = db::begin_write(db).await?;
    let mut changed = None;
    // Unchanged steps are not written again before finalizing.
    if let Some(steps) = steps.filter(|s| finalize_on.is_none() || *s != record.facts.post_dq1) {
        let re_step_added = steps.re_step_recorded && !record.facts.post_dq1.re_step_recorded;
        changed = Some(
            change_in(
                &mut tx,
                db,
                actor,
                episode_id,
                version,
                Transition::RecordPostDq1Steps(steps),
                now,
            )
            .await?,
        );
        if let (true, Some(on)) = (re_step_added, re_step_day(&record.facts)) {
            add_re_step(&mut tx, db, actor, record.participant_id, on, now).await?;
        }
    }
    if let Some(on) = finalize_on {
        let staff_id = actor.staff_id.ok_or(ServiceError::Refused(
            reengage_core::episode::Refusal::NotAFinalizer,
        ))?;
        let version = changed.as_ref().map_or(version, |c: &Changed| c.version);
        changed = Some(
            change_in(
                &mut tx,
                db,
                actor,
                episode_id,
                version,
                Transition::FinalizeDq1 { on, staff_id },
                now,
            )
            .await?,
        );
    }
    let changed = changed
        .ok_or_else(|| ServiceError::Invalid("Tick the steps done, or finalize the DQ1.".into()))?;
    tx.commit().await?;
    Ok(changed)
}

/// R27: the PDP's RE step dated the re-engagement day with 1 hour attendance, unless the PDP
/// already shows it.
async fn add_re_step(
    conn: &mut sqlx::AnyConnection,
    db: &Db,
    actor: &Actor,
    participant: i64,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if crate::store::participants::re_step_on_file(conn, participant, on).await? {
        return Ok(());
    }
    participants::add_in(
        conn,
        db.backend,
        actor,
        participant,
        Addition::PdpStep(PdpStep {
            code: "RE".into(),
            starts_on: on,
            ends_on: Some(on),
            scheduled_time: None,
            attendance_hours: Some(1.0),
        }),
        now,
    )
    .await
}

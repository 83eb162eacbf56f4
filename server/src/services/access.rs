//! Who may see and do what (the README's Security section), in one place, checked on the server for every
//! record whichever way the request came (pages, server functions, REST).
//!
//! Two questions, both answered here:
//! 1. may this role do this kind of thing at all? — [`TABLE`], read like a table;
//! 2. may this person reach this record? — [`reaches`]: department staff reach their own
//!    branch's participants, a contractor reaches only participants referred to it, an admin
//!    reaches no case record.
//!
//! A refusal is answered 403 (the record is reachable but the action is not the role's) or
//! 404 (the record is out of reach: whether it exists is itself private), and every refusal is
//! written to the audit log.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::services::ServiceError;
use crate::services::accounts::Staff;
use crate::store::audit;
use crate::store::db::{self, Db};
use crate::store::lists::Scope;
use crate::store::owners::{self, Owned};
pub use reengage_core::roles::Role;

/// The episodes a person's own lists hold: a contractor's referrals, a coach's or aide's own
/// caseload, anyone else's branch (a coach's caseload for an account of no branch). The one
/// place a role becomes a list's scope, for Today, the missed-activity picker, the calendar
/// feed and the REST API's list.
pub fn own_scope(role: Role, staff: &Staff) -> Scope {
    match (role, staff.branch_id) {
        (Role::Contractor, _) => Scope::Contractor(staff.id),
        (Role::FamilyCoach | Role::CaseAide, _) | (_, None) => Scope::Coach(staff.id),
        (_, Some(branch)) => Scope::Branch(branch),
    }
}

/// Declares [`Action`] and [`Action::ALL`] from one list, so every action is in `ALL` (and
/// the test that each has a row of [`TABLE`] covers an action added later).
macro_rules! actions {
    ($($(#[$doc:meta])* $action:ident,)*) => {
        /// What someone asks to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $action,)*
        }

        impl Action {
            /// Every action, in the order declared.
            pub const ALL: &'static [Action] = &[$(Action::$action),*];
        }
    };
}

actions! {
    /// Lists of open episodes.
    ListEpisodes,
    /// The supervisor's view of the whole branch.
    ViewBranch,
    ReadParticipant,
    CreateParticipant,
    /// PDP steps, exemption periods (R23), MCS 3010 releases (R19); the record's contact
    /// details, language, coach and referral.
    ChangeParticipant,
    /// Search the branch's participants by name or case number.
    FindParticipant,
    /// Move a coach's caseload (or one participant of it) to another coach.
    MoveCaseload,
    /// R1; R5 for a contractor.
    RecordMissedActivity,
    ReadEpisode,
    /// R7, R9; a contractor's own engagement contact (R5).
    LogAttempt,
    /// R8.
    RecordContact,
    /// R12–R16.
    ScheduleAppointment,
    RecordNoticeMailed,
    /// R17: add or resolve missing information.
    MissingInformation,
    /// R21: the staffing preparation checklist (after DHS 7825V), read and printed.
    PrepareStaffing,
    /// R17–R27: the staffing workspace of an episode, read (the team, the missing
    /// information, the barrier review, good cause, the decision and its finalization).
    ViewStaffing,
    /// R18–R22.
    RecordStaffing,
    /// R18: a department member of a staffing confirms "I was present" — their own presence,
    /// with their own sign-in (`core` checks they sit on the team).
    ConfirmPresence,
    /// R23, R25, R30.
    Decide,
    /// R23: the case manager gives good cause alone, without a staffing (policy 004).
    GiveGoodCause,
    /// R26: the process-validity review (R18) by a manager or lead worker who sat on the
    /// staffing; `core` checks the seat and the guardrail.
    FinalizeDq1,
    /// R27.
    RecordPostDq1Steps,
    /// R24: anyone involved may ask for a new staffing.
    RequestNewStaffing,
    ReadNarratives,
    WriteNarrative,
    ReadTasks,
    ChangeTasks,
    /// Staff accounts, branches, office closure days.
    Administer,
}

use Role::{
    Admin as AD, CaseAide as CA, Contractor as CO, EngagementSpecialist as ES, FamilyCoach as FC,
    LeadWorker as LW, OperationsManager as OM,
};

/// Who may do what. A role not in an action's row is refused that action everywhere.
pub const TABLE: &[(Action, &[Role])] = &[
    (Action::ListEpisodes, &[FC, CA, ES, OM, LW, CO]),
    (Action::ViewBranch, &[ES, OM, LW]),
    (Action::ReadParticipant, &[FC, CA, ES, OM, LW, CO]),
    (Action::CreateParticipant, &[FC, CA, ES, OM, LW]),
    (Action::ChangeParticipant, &[FC, CA, ES, OM, LW]),
    (Action::FindParticipant, &[FC, CA, ES, OM, LW]),
    (Action::MoveCaseload, &[ES, OM, LW]),
    (Action::RecordMissedActivity, &[FC, CA, ES, OM, LW, CO]),
    (Action::ReadEpisode, &[FC, CA, ES, OM, LW, CO]),
    (Action::LogAttempt, &[FC, CA, ES, OM, LW, CO]),
    (Action::RecordContact, &[FC, CA, ES, OM, LW]),
    (Action::ScheduleAppointment, &[FC, CA, ES, OM, LW]),
    (Action::RecordNoticeMailed, &[FC, CA, ES, OM, LW]),
    (Action::MissingInformation, &[FC, CA, ES, OM, LW]),
    (Action::PrepareStaffing, &[FC, CA, ES, OM, LW]),
    (Action::ViewStaffing, &[FC, CA, ES, OM, LW]),
    (Action::RecordStaffing, &[ES, OM, LW]),
    (Action::ConfirmPresence, &[FC, CA, ES, OM, LW]),
    (Action::Decide, &[ES, OM, LW]),
    (Action::GiveGoodCause, &[FC, ES, OM, LW]),
    (Action::FinalizeDq1, &[OM, LW]),
    (Action::RecordPostDq1Steps, &[FC, CA, ES, OM, LW]),
    (Action::RequestNewStaffing, &[FC, CA, ES, OM, LW, CO]),
    (Action::ReadNarratives, &[FC, CA, ES, OM, LW, CO]),
    (Action::WriteNarrative, &[FC, CA, ES, OM, LW, CO]),
    (Action::ReadTasks, &[FC, CA, ES, OM, LW]),
    (Action::ChangeTasks, &[FC, CA, ES, OM, LW]),
    (Action::Administer, &[AD]),
];

/// Whether `role` may do `action` at all.
pub fn allows(role: Role, action: Action) -> bool {
    TABLE
        .iter()
        .any(|(row, roles)| *row == action && roles.contains(&role))
}

/// Whose a case record is: the participant's branch, the contractor it was referred to, and
/// (for a narrative) who wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub branch_id: i64,
    pub contractor_id: Option<i64>,
    pub author_id: Option<i64>,
}

/// Whether `staff` may reach a case record owned by `owner`.
pub fn reaches(staff: &Staff, role: Role, owner: Owner) -> bool {
    match role {
        Role::Admin => false,
        // Only participants referred to it, and of their narratives only its own.
        Role::Contractor => {
            owner.contractor_id == Some(staff.id)
                && owner.author_id.is_none_or(|author| author == staff.id)
        }
        _ => staff.branch_id == Some(owner.branch_id),
    }
}

/// The record a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Not one record: a list of one's own work, an admin action.
    None,
    Participant(i64),
    Episode(i64),
    Narrative(i64),
    Task(i64),
    /// A branch's records (its list, a new participant there).
    Branch(i64),
    /// A coach's caseload (its branch's).
    Coach(i64),
}

impl Record {
    fn entity(self) -> (&'static str, String) {
        match self {
            Record::None => ("none", String::new()),
            Record::Participant(id) => ("participant", id.to_string()),
            Record::Episode(id) => ("episode", id.to_string()),
            Record::Narrative(id) => ("narrative", id.to_string()),
            Record::Task(id) => ("task", id.to_string()),
            Record::Branch(id) => ("branch", id.to_string()),
            Record::Coach(id) => ("staff", id.to_string()),
        }
    }
}

/// What a refusal answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// 403: the role may not do this.
    Forbidden,
    /// 404: the record is out of reach (or does not exist).
    OutOfReach,
}

/// The owner of `record`, read with one indexed lookup; `None` when there is no such record.
async fn owner_of(db: &Db, record: Record) -> Result<Option<Owner>, sqlx::Error> {
    let (owned, id) = match record {
        Record::None => return Ok(None),
        Record::Branch(id) => {
            return Ok(Some(Owner {
                branch_id: id,
                contractor_id: None,
                author_id: None,
            }));
        }
        Record::Coach(id) => (Owned::Coach, id),
        Record::Participant(id) => (Owned::Participant, id),
        Record::Episode(id) => (Owned::Episode, id),
        Record::Narrative(id) => (Owned::Narrative, id),
        Record::Task(id) => (Owned::Task, id),
    };
    let row = owners::owner_of(db, owned, id).await?;
    Ok(row.map(|(branch_id, contractor_id, author_id)| Owner {
        branch_id,
        contractor_id,
        author_id,
    }))
}

/// The signed-in person's own branch once `action` there is allowed: the role first (403),
/// then the branch (404 for an account with none). The participant search, a new
/// participant and a caseload move are each about one's own branch.
pub async fn own_branch(
    db: &Db,
    staff: &Staff,
    action: Action,
    now: DateTime<Utc>,
) -> Result<i64, ServiceError> {
    let branch = staff.branch_id.unwrap_or(0);
    authorize(db, staff, action, Record::Branch(branch), now).await?;
    Ok(branch)
}

/// The decision alone, without the audit entry: what [`authorize`] decides. The role is
/// checked first, so a 403 is the same whatever the record and reveals nothing about it;
/// only then is the record's reach checked (404 when out of reach or absent).
pub fn decide(
    staff: &Staff,
    action: Action,
    owner: Option<Owner>,
    record: Record,
) -> Result<Role, Refused> {
    let role = staff.role;
    if !allows(role, action) {
        return Err(Refused::Forbidden);
    }
    let reachable = match record {
        Record::None => true,
        _ => owner.is_some_and(|owner| reaches(staff, role, owner)),
    };
    if !reachable {
        return Err(Refused::OutOfReach);
    }
    Ok(role)
}

/// May `staff` do `action` on `record`? On a refusal, writes an `access.denied` audit entry
/// and returns the error to answer with. Returns the acting role when allowed.
pub async fn authorize(
    db: &Db,
    staff: &Staff,
    action: Action,
    record: Record,
    now: DateTime<Utc>,
) -> Result<Role, ServiceError> {
    let owner = owner_of(db, record).await?;
    match decide(staff, action, owner, record) {
        Ok(role) => Ok(role),
        Err(refused) => {
            record_denial(db, staff, action, record, refused, now).await?;
            Err(match refused {
                Refused::Forbidden => ServiceError::Forbidden(
                    "Your role does not allow this. Ask your operations manager if you need it."
                        .into(),
                ),
                Refused::OutOfReach => {
                    let (entity, id) = record.entity();
                    ServiceError::NotFound(format!("{entity} {id}"))
                }
            })
        }
    }
}

async fn record_denial(
    db: &Db,
    staff: &Staff,
    action: Action,
    record: Record,
    refused: Refused,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let (entity, id) = record.entity();
    tracing::warn!(staff = staff.id, ?action, entity, id = %id, ?refused, "access denied");
    // Counted, and written as one entry per person and minute with examples of what was
    // refused (`store::tally`): a person's refusals, however many, cost no durable write each.
    let actor = staff.actor();
    db.tally.count(
        crate::store::tally::Key {
            action: "access.denied",
            actor: actor.email,
            role: actor.role.as_str().to_owned(),
            address: None,
        },
        Some(json!({
            "entity": entity,
            "id": id.to_string(),
            "action": format!("{action:?}"),
            "refused": format!("{refused:?}"),
        })),
        now,
    );
    Ok(())
}

/// Writes an audit entry that `staff` read something sensitive (barrier details, an export).
pub async fn record_view(
    db: &Db,
    staff: &Staff,
    action: &str,
    record: Record,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let (entity, id) = record.entity();
    let entry = staff.actor().entry(now, action, entity, id);
    let mut tx = db::begin_write(db).await?;
    audit::append(&mut tx, db.backend, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The read of episode `episode`'s facts by `staff`, acting as `role`: when they hold a
/// staffing and the reader is department staff (a contractor never receives one), the read
/// of its barrier review — domestic violence, mental health, substance use — is audited.
pub async fn record_barrier_read(
    db: &Db,
    staff: &Staff,
    role: Role,
    facts: &reengage_core::episode::EpisodeFacts,
    episode: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if role.is_department() && facts.staffing.is_some() {
        record_view(
            db,
            staff,
            "barrier_review.viewed",
            Record::Episode(episode),
            now,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(id: i64, role: Role, branch: Option<i64>) -> Staff {
        Staff {
            id,
            email: format!("{id}@example.test"),
            initials: "XX".into(),
            role,
            branch_id: branch,
        }
    }

    const HOME: Owner = Owner {
        branch_id: 1,
        contractor_id: Some(9),
        author_id: None,
    };

    #[test]
    fn every_role_is_parsed_back_from_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn every_action_has_a_row() {
        let all = Action::ALL;
        for &action in all {
            assert_eq!(
                TABLE.iter().filter(|(row, _)| *row == action).count(),
                1,
                "{action:?}"
            );
        }
        assert_eq!(TABLE.len(), all.len());
    }

    #[test]
    fn department_staff_reach_their_own_branch_only() {
        let coach = staff(1, Role::FamilyCoach, Some(1));
        let elsewhere = staff(2, Role::FamilyCoach, Some(2));
        let record = Record::Episode(5);
        assert_eq!(
            decide(&coach, Action::LogAttempt, Some(HOME), record),
            Ok(Role::FamilyCoach)
        );
        assert_eq!(
            decide(&elsewhere, Action::LogAttempt, Some(HOME), record),
            Err(Refused::OutOfReach)
        );
        assert_eq!(
            decide(&coach, Action::LogAttempt, None, record),
            Err(Refused::OutOfReach)
        );
    }

    #[test]
    fn a_contractor_reaches_only_participants_referred_to_it() {
        let referred = staff(9, Role::Contractor, Some(1));
        let other = staff(8, Role::Contractor, Some(1));
        let record = Record::Participant(3);
        assert!(decide(&referred, Action::ReadParticipant, Some(HOME), record).is_ok());
        assert_eq!(
            decide(&other, Action::ReadParticipant, Some(HOME), record),
            Err(Refused::OutOfReach)
        );
        // R5: a contractor records a miss and its own engagement contact; nothing else.
        assert!(decide(&referred, Action::RecordMissedActivity, Some(HOME), record).is_ok());
        assert!(decide(&referred, Action::LogAttempt, Some(HOME), record).is_ok());
        for action in [
            Action::PrepareStaffing,
            Action::ViewStaffing,
            Action::RecordStaffing,
            Action::ConfirmPresence,
            Action::Decide,
            Action::GiveGoodCause,
            Action::ReadTasks,
            Action::ScheduleAppointment,
        ] {
            assert_eq!(
                decide(&referred, action, Some(HOME), record),
                Err(Refused::Forbidden)
            );
        }
    }

    #[test]
    fn a_contractor_reaches_only_the_narratives_it_wrote() {
        let contractor = staff(9, Role::Contractor, Some(1));
        let record = Record::Narrative(4);
        let own = Owner {
            author_id: Some(9),
            ..HOME
        };
        let department = Owner {
            author_id: Some(1),
            ..HOME
        };
        assert!(decide(&contractor, Action::WriteNarrative, Some(own), record).is_ok());
        assert_eq!(
            decide(
                &contractor,
                Action::WriteNarrative,
                Some(department),
                record
            ),
            Err(Refused::OutOfReach)
        );
        let coach = staff(1, Role::FamilyCoach, Some(1));
        assert!(decide(&coach, Action::WriteNarrative, Some(own), record).is_ok());
    }

    #[test]
    fn r18_only_a_manager_or_lead_worker_finalizes_and_only_specialists_and_up_decide() {
        let record = Record::Episode(5);
        for role in Role::ALL {
            let person = staff(1, role, Some(1));
            let finalize = decide(&person, Action::FinalizeDq1, Some(HOME), record).is_ok();
            assert_eq!(
                finalize,
                matches!(role, Role::OperationsManager | Role::LeadWorker),
                "{role:?}"
            );
            let decides = decide(&person, Action::Decide, Some(HOME), record).is_ok();
            assert_eq!(
                decides,
                matches!(
                    role,
                    Role::EngagementSpecialist | Role::OperationsManager | Role::LeadWorker
                ),
                "{role:?}"
            );
        }
    }

    #[test]
    fn an_admin_administers_and_reaches_no_case_record() {
        let admin = staff(1, Role::Admin, Some(1));
        assert!(decide(&admin, Action::Administer, None, Record::None).is_ok());
        assert_eq!(
            decide(&admin, Action::ReadEpisode, Some(HOME), Record::Episode(5)),
            Err(Refused::Forbidden)
        );
        assert_eq!(
            decide(&admin, Action::ListEpisodes, None, Record::None),
            Err(Refused::Forbidden)
        );
        let coach = staff(2, Role::FamilyCoach, Some(1));
        assert_eq!(
            decide(&coach, Action::Administer, None, Record::None),
            Err(Refused::Forbidden)
        );
    }

    #[test]
    fn an_unknown_stored_role_makes_no_staff_member_so_nothing_is_allowed() {
        let odd = Staff::from_stored(
            1,
            "1@example.test".into(),
            "XX".into(),
            "superuser",
            Some(1),
        );
        assert_eq!(odd, None);
        let known = Staff::from_stored(1, "1@example.test".into(), "XX".into(), "admin", Some(1));
        assert_eq!(known, Some(staff(1, Role::Admin, Some(1))));
    }
}

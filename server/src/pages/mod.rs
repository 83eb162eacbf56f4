//! The server's side of the pages (`reengage_app::backend::Backend`): who is asking comes
//! from the session, what they may see from `access`, every rule from `core`.

use axum::http::request::Parts;
use reengage_app::backend::{
    Answer, Backend, BranchRow, BranchView, ChecklistLine, DraftLine, EffortsFilter, EffortsView,
    EpisodePage, MissChoices, NarrativeLine, NoticeContacts, PageError, ParticipantCard,
    ParticipantChoice, PdpLine, Purpose, StaffingPage, ToConfirm, TodayRow, TodayView, Viewer,
};
use reengage_core::episode::{self, TimelinessFigures, most_urgent_first, work_item};

use crate::services::access::{self, Action, Record, Role};
use crate::services::accounts::Staff;
use crate::services::episodes::{Listed, local_today, read, read_listed, read_many};
use crate::services::{ServiceError, narratives, participants};
use crate::state::AppState;
use crate::store::lists::{Scope, WorkRow, open_work};
use crate::web::sessions::AuthSession;

/// A branch's coaches and case aides (index staff_branch).
pub const COACHES_SQL: &str = "SELECT id, name FROM staff WHERE branch_id = $1 AND role IN ('family_coach', 'case_aide') \
         ORDER BY name, id";

/// The time zone of almost every office (docs/rules.md, Business days).
const DEFAULT_ZONE: &str = "America/Los_Angeles";

/// How many open episodes the Today list shows at most.
const TODAY_LIMIT: i64 = 200;

/// How many staffings waiting for confirmation Today lists at most.
const TO_CONFIRM_LIMIT: i64 = 50;

/// The pages' backend over the app's state.
pub struct PageBackend(pub AppState);

fn signed_in(request: &Parts) -> Result<Staff, PageError> {
    request
        .extensions
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .map(|user| user.staff.clone())
        .ok_or(PageError::SignedOut)
}

fn page_error(error: ServiceError) -> PageError {
    match error {
        ServiceError::Forbidden(message) => PageError::Forbidden(message),
        ServiceError::NotFound(what) => PageError::NotFound(format!("There is no {what}.")),
        ServiceError::Store(cause) => {
            // The cause goes to the log only, never to the page.
            tracing::error!(error = %cause, "page data could not be read");
            PageError::Unavailable
        }
        other => {
            tracing::error!(error = %other, "page data could not be read");
            PageError::Unavailable
        }
    }
}

impl Backend for PageBackend {
    fn today(&self, request: &Parts) -> Answer<TodayView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { today(&state, staff?).await.map_err(page_error) })
    }

    fn episode(&self, request: &Parts, id: i64, purpose: Purpose) -> Answer<EpisodePage> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            episode_page(&state, staff?, id, purpose)
                .await
                .map_err(page_error)
        })
    }

    fn branch(&self, request: &Parts, from: String, to: String) -> Answer<BranchView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { branch(&state, staff?, &from, &to).await.map_err(page_error) })
    }

    fn efforts(&self, request: &Parts, filter: EffortsFilter) -> Answer<EffortsView> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            let now = state.clock.now();
            crate::exports::efforts::view(&state, &staff?, &filter, now)
                .await
                .map_err(page_error)
        })
    }

    fn staffing(&self, request: &Parts, id: i64) -> Answer<StaffingPage> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move {
            crate::forms::staffing::page(&state, staff?, id)
                .await
                .map_err(page_error)
        })
    }

    fn missed_form(&self, request: &Parts) -> Answer<MissChoices> {
        let state = self.0.clone();
        let staff = signed_in(request);
        Box::pin(async move { missed_form(&state, staff?).await.map_err(page_error) })
    }
}

/// The action a page's purpose needs beyond reading the episode.
fn purpose_action(purpose: Purpose) -> Option<Action> {
    match purpose {
        Purpose::Read => None,
        Purpose::LogAttempt => Some(Action::LogAttempt),
        Purpose::RecordContact => Some(Action::RecordContact),
        Purpose::ScheduleAppointment => Some(Action::ScheduleAppointment),
        Purpose::RecordNoticeMailed => Some(Action::RecordNoticeMailed),
        Purpose::PrepareStaffing => Some(Action::PrepareStaffing),
        Purpose::GiveGoodCause => Some(Action::GiveGoodCause),
    }
}

/// For a supervisor's view of the branch (`ViewBranch`): the branch and its coaches and
/// case aides `(id, name)` (index staff_branch).
pub(crate) async fn supervised_branch(
    state: &AppState,
    staff: &Staff,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(i64, Vec<(i64, String)>), ServiceError> {
    access::authorize(&state.db, staff, Action::ViewBranch, Record::None, now).await?;
    let branch_id = staff.branch_id.ok_or_else(|| {
        ServiceError::Forbidden("Your account belongs to no branch: ask an admin to set it.".into())
    })?;
    let coaches = sqlx::query_as(COACHES_SQL)
        .bind(branch_id)
        .fetch_all(&state.db.pool)
        .await?;
    Ok((branch_id, coaches))
}

/// How many open episodes the branch page lists at most.
const BRANCH_LIMIT: i64 = 500;

/// The branch of a supervisor at a glance: each open episode with its stage and most urgent
/// deadline from `core` on the office's today, its coach, appointment and missing information.
pub(crate) async fn branch(
    state: &AppState,
    staff: Staff,
    from: &str,
    to: &str,
) -> Result<BranchView, ServiceError> {
    let now = state.clock.now();
    let (branch_id, coaches) = supervised_branch(state, &staff, now).await?;
    let (name,): (String,) = sqlx::query_as("SELECT name FROM branches WHERE id = $1")
        .bind(branch_id)
        .fetch_one(&state.db.pool)
        .await?;
    let mut conn = state.db.pool.acquire().await?;
    let (episodes, more) = open_work(&mut conn, Scope::Branch(branch_id), BRANCH_LIMIT).await?;
    drop(conn);
    let mut rows = Vec::with_capacity(episodes.len());
    let mut listed_today = None;
    let read = read_listed(&state.db, &listed(&episodes), now).await?;
    for (listed, (record, today, calendar)) in episodes.into_iter().zip(read) {
        listed_today.get_or_insert(today);
        let facts = &record.facts;
        rows.push(BranchRow {
            episode_id: record.id,
            participant: listed.participant,
            coach_id: listed.coach_id,
            coach: listed
                .coach_id
                .and_then(|id| coaches.iter().find(|(c, _)| *c == id))
                .map(|(_, name)| name.clone()),
            stage: episode::stage(facts, today, &calendar),
            work: work_item(facts, today, &calendar),
            appointment_on: facts.appointment.as_ref().map(|a| a.on),
            missing_info: facts
                .outstanding_missing_info()
                .map(|item| item.description.clone())
                .collect(),
            awaiting_finalization: episode::awaiting_finalization(facts),
        });
    }
    let today = match listed_today {
        Some(day) => day,
        None => office_today(state, &staff, now).await?,
    };
    // Timeliness over every episode missed in the period, open or closed (R2, R15).
    let (from, to, problems) = crate::exports::efforts::period_of(from, to, today);
    let (missed, cut) =
        crate::exports::efforts::missed_in(state, branch_id, from, to, None).await?;
    let mut timeliness = TimelinessFigures::default();
    let ids: Vec<i64> = missed.iter().map(|(id, ..)| *id).collect();
    for (record, today, calendar) in read_many(&state.db, &ids, now).await? {
        timeliness.add(episode::timeliness(&record.facts, today, &calendar));
    }
    let mut problem = problems.join(" ");
    if cut {
        problem
            .push_str(" The period holds more episodes than are measured: choose a shorter one.");
    }
    let problem = (!problem.trim().is_empty()).then(|| problem.trim().to_owned());
    Ok(BranchView {
        today,
        branch: name,
        coaches,
        rows,
        truncated: more,
        from,
        to,
        timeliness,
        problem,
    })
}

/// The participants of a coach (`p.coach_id`), a contractor (`p.contractor_id`) or a branch
/// (`p.branch_id`) with no open episode, by name: indexes participants_coach_name,
/// participants_contractor_name and participants_branch_name; the open-episode test uses the
/// partial unique index episodes_one_open.
pub fn missed_form_sql(column: &str) -> String {
    format!(
        "SELECT p.id, p.display_name, p.case_number FROM participants p WHERE {column} = $1 \
         AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.participant_id = p.id AND e.closed = 0) \
         ORDER BY p.display_name, p.id LIMIT $2"
    )
}

/// How many participants the missed-activity form offers at most.
const MISSED_FORM_LIMIT: i64 = 500;

/// The participants `staff` may record a miss for that have no open episode: a coach's or
/// aide's caseload, a contractor's referrals, a supervisor's branch.
async fn missed_form(state: &AppState, staff: Staff) -> Result<MissChoices, ServiceError> {
    let now = state.clock.now();
    let role = access::authorize(
        &state.db,
        &staff,
        Action::RecordMissedActivity,
        Record::None,
        now,
    )
    .await?;
    let (column, key) = match (role, staff.branch_id) {
        (Role::Contractor, _) => ("p.contractor_id", staff.id),
        (Role::FamilyCoach | Role::CaseAide, _) | (_, None) => ("p.coach_id", staff.id),
        (_, Some(branch)) => ("p.branch_id", branch),
    };
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&missed_form_sql(column))
        .bind(key)
        .bind(MISSED_FORM_LIMIT)
        .fetch_all(&state.db.pool)
        .await?;
    let (today, calendar) = office_calendar(state, &staff, now).await?;
    Ok(MissChoices {
        closures: calendar.office_closures(),
        today,
        contractor: role == Role::Contractor,
        participants: rows
            .into_iter()
            .map(|(id, name, case_number)| ParticipantChoice {
                id,
                name,
                case_number,
            })
            .collect(),
    })
}

/// The staff member's office's date.
pub(crate) async fn office_today(
    state: &AppState,
    staff: &Staff,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::NaiveDate, ServiceError> {
    Ok(office_calendar(state, staff, now).await?.0)
}

/// The staff member's office's date and business calendar (Oregon's, on Pacific time, for an
/// account of no branch).
pub(crate) async fn office_calendar(
    state: &AppState,
    staff: &Staff,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(chrono::NaiveDate, reengage_core::BusinessCalendar), ServiceError> {
    match staff.branch_id {
        Some(branch) => crate::services::episodes::office(&state.db, branch, now).await,
        None => Ok((
            local_today(DEFAULT_ZONE, now),
            reengage_core::BusinessCalendar::oregon(),
        )),
    }
}

/// The office and the family coach as the DHS 7869 notice names them.
async fn notice_contacts(
    state: &AppState,
    branch_id: i64,
    coach_id: Option<i64>,
) -> Result<NoticeContacts, ServiceError> {
    let (office, office_address, office_phone): (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT name, address, phone FROM branches WHERE id = $1")
            .bind(branch_id)
            .fetch_one(&state.db.pool)
            .await?;
    let coach: Option<(String, Option<String>, String)> = match coach_id {
        Some(id) => {
            sqlx::query_as("SELECT name, phone, email FROM staff WHERE id = $1")
                .bind(id)
                .fetch_optional(&state.db.pool)
                .await?
        }
        None => None,
    };
    let (coach, coach_phone, coach_email) = match coach {
        Some((name, phone, email)) => (Some(name), phone, Some(email)),
        None => (None, None, None),
    };
    Ok(NoticeContacts {
        office,
        office_address,
        office_phone,
        coach,
        coach_phone,
        coach_email,
    })
}

/// Episode `id` for `staff`: what a contractor receives passes through `redact`, as in the
/// REST API; a department read of a staffing is audited.
async fn episode_page(
    state: &AppState,
    staff: Staff,
    id: i64,
    purpose: Purpose,
) -> Result<EpisodePage, ServiceError> {
    let now = state.clock.now();
    let role = access::authorize(
        &state.db,
        &staff,
        Action::ReadEpisode,
        Record::Episode(id),
        now,
    )
    .await?;
    if let Some(action) = purpose_action(purpose) {
        access::authorize(&state.db, &staff, action, Record::Episode(id), now).await?;
    }
    let contractor = role == Role::Contractor;
    let (record, today, calendar) = read(&state.db, id, now).await?;
    access::record_barrier_read(&state.db, &staff, role, &record.facts, id, now).await?;
    let mut person = participants::get(&state.db, record.participant_id).await?;
    let mut saved = narratives::list(&state.db, id).await?;
    if contractor {
        person = crate::services::redact::participant(person);
        saved = crate::services::redact::narratives(saved, staff.id);
    }
    let facts = &record.facts;
    let next_action = (!contractor).then(|| episode::next_action(facts, today, &calendar));
    let checklist = if contractor {
        Vec::new()
    } else {
        episode::staffing_preparation_checklist(facts)
            .into_iter()
            .map(|item| ChecklistLine {
                label: item.label.to_owned(),
                rule: item.rule,
                done: item.done,
            })
            .collect()
    };
    let (drafts, contacts) = if contractor {
        (Vec::new(), None)
    } else {
        let drafts = narratives::unsaved_drafts(facts, &calendar, record.round(), &saved)
            .into_iter()
            .map(|(key, draft)| DraftLine {
                key,
                kind: draft.kind,
                text: draft.text,
            })
            .collect();
        let contacts = notice_contacts(state, person.branch_id, person.coach_id).await?;
        (drafts, Some(contacts))
    };
    let attempts = if contractor {
        crate::services::redact::facts(facts.clone()).attempts
    } else {
        facts.attempts.clone()
    };
    // R9, R13: what a DQ1 will need of the attempts — the scheduling form's warnings.
    let dq1_will_need = if contractor {
        Vec::new()
    } else {
        reengage_app::live::hint_lines(episode::scheduling_warnings(facts, &calendar))
    };
    Ok(EpisodePage {
        id,
        version: record.version,
        today,
        stage: episode::stage(facts, today, &calendar),
        closed: episode::is_closed(facts, &calendar),
        trigger: facts.trigger.clone(),
        appointment_on: facts.appointment.as_ref().map(|a| a.on),
        appointment_at: facts.appointment.as_ref().and_then(|a| a.at),
        notice_mailed_on: facts.appointment.as_ref().and_then(|a| a.notice_mailed_on),
        deadlines: episode::deadlines(facts, today, &calendar),
        next_action,
        attempts,
        narratives: saved
            .into_iter()
            .map(|n| NarrativeLine {
                id: n.id,
                kind: n.kind,
                body: n.body,
                updated_at: n.updated_at,
            })
            .collect(),
        participant: ParticipantCard {
            name: person.display_name,
            case_number: person.case_number,
            phone: person.phone,
            phone_in_service: person.phone_in_service,
            email: person.email,
            address: person.address,
            pdp_steps: person
                .pdp_steps
                .into_iter()
                .map(|step| PdpLine {
                    code: step.code,
                    starts_on: step.starts_on,
                    ends_on: step.ends_on,
                    scheduled_time: step.scheduled_time,
                })
                .collect(),
        },
        drafts,
        contacts,
        checklist,
        dq1_will_need,
        may_give_good_cause: access::allows(role, Action::GiveGoodCause),
        closures: calendar.office_closures(),
    })
}

/// The rows of a worklist as the record cache is asked for them.
fn listed(rows: &[WorkRow]) -> Vec<Listed> {
    rows.iter()
        .map(|row| Listed {
            id: row.id,
            version: row.version,
            has_exemptions: row.has_exemptions,
        })
        .collect()
}

/// The open work of `staff`: a coach's or aide's own caseload, a contractor's referrals, a
/// supervisor's branch — each row the episode's most urgent deadline (`core`).
async fn today(state: &AppState, staff: Staff) -> Result<TodayView, ServiceError> {
    let now = state.clock.now();
    let role =
        access::authorize(&state.db, &staff, Action::ListEpisodes, Record::None, now).await?;
    let scope = match (role, staff.branch_id) {
        (Role::Contractor, _) => Scope::Contractor(staff.id),
        (Role::FamilyCoach | Role::CaseAide, _) | (_, None) => Scope::Coach(staff.id),
        (_, Some(branch)) => Scope::Branch(branch),
    };
    let mut conn = state.db.pool.acquire().await?;
    let (episodes, _) = open_work(&mut conn, scope, TODAY_LIMIT).await?;
    // R18: the staffings waiting for this person's confirmation of presence.
    let to_confirm = if role.is_department() {
        crate::store::lists::to_confirm(&mut conn, staff.id, TO_CONFIRM_LIMIT)
            .await?
            .into_iter()
            .filter_map(|(episode_id, participant, held_on)| {
                Some(ToConfirm {
                    episode_id,
                    participant,
                    held_on: held_on.parse().ok()?,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    drop(conn);
    let mut rows = Vec::with_capacity(episodes.len());
    let mut listed_today = None;
    let read = read_listed(&state.db, &listed(&episodes), now).await?;
    for (episode, (record, today, calendar)) in episodes.into_iter().zip(read) {
        listed_today.get_or_insert(today);
        let Some(work) = work_item(&record.facts, today, &calendar) else {
            continue;
        };
        rows.push(TodayRow {
            episode_id: record.id,
            participant: episode.participant,
            phone: episode.phone,
            phone_in_service: episode.phone_in_service,
            work,
        });
    }
    rows.sort_by(|a, b| most_urgent_first(&a.work, &b.work));
    // With nothing listed, today is the staff member's office's date.
    let today = match listed_today {
        Some(day) => day,
        None => office_today(state, &staff, now).await?,
    };
    Ok(TodayView {
        viewer: Viewer {
            initials: staff.initials,
            role: staff.role,
        },
        today,
        rows,
        to_confirm,
    })
}

//! An episode's page: everything `core` derives from its record, for the page's purpose
//! (reading, or one of the forms), what a contractor receives passing through `redact`, and
//! the contacts the DHS 7869 notice names.

use reengage_app::backend::{
    ChecklistLine, DraftLine, EpisodePage, NarrativeLine, NoticeContacts, ParticipantCard, PdpLine,
    Purpose,
};
use reengage_core::episode;

use crate::services::access::{self, Action, Record, Role};
use crate::services::accounts::Staff;
use crate::services::episodes::read;
use crate::services::{ServiceError, narratives, participants};
use crate::store::lookups;
use crate::web::state::AppState;

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

/// The office and the family coach as the DHS 7869 notice names them.
async fn notice_contacts(
    state: &AppState,
    branch_id: i64,
    coach_id: Option<i64>,
) -> Result<NoticeContacts, ServiceError> {
    let (office, office_address, office_phone) =
        lookups::office_contacts(&state.db, branch_id).await?;
    let coach = match coach_id {
        Some(id) => lookups::staff_contacts(&state.db, id).await?,
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
pub(super) async fn episode_page(
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
        reengage_app::checks::said::hint_lines(episode::scheduling_warnings(facts, &calendar))
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
                author: n.author.unwrap_or_default(),
            })
            .collect(),
        participant: ParticipantCard {
            name: person.display_name,
            case_number: person.case_number,
            phone: person.phone,
            phone_in_service: person.phone_in_service,
            email: person.email,
            address: person.address,
            language: person.language,
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
        mail: calendar.mail_pickup(),
    })
}

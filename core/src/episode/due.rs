//! Every deadline of an episode with its status on a given day (met, due in N business days,
//! due today, overdue by N), and the at-risk flag one business day before it is due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::{EpisodeFacts, ReportedBy, TriggerKind};
use super::progress::{contact_target, first_message, follow_up_after, invite_on};
use super::stage::{Stage, is_closed, stage};
use crate::calendar::BusinessCalendar;
use crate::deadlines::{contractor_contact_due, first_contact_due, noncooperation_contact_due};
use crate::notice::{notice_mail_by, notice_on_time};
use crate::rules::{R2, R5, R6, R8, R9, R12, R15, R17, RuleId};

/// Which deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeadlineKind {
    /// R2 (R5 for a contractor's report, R6 for a pattern of noncooperation).
    FirstContact,
    /// R8: the timeliness target for contact (2 business days after the miss; R6's 5 for a
    /// pattern of noncooperation) — met or late, never a gate.
    AdjustPlan,
    /// R9: the follow-up attempt after a message's response window.
    FollowUp,
    /// R12: invite to a re-engagement appointment.
    Invite,
    /// R15: mail the DHS 7869 notice.
    NoticeMailing,
    /// R17: the case review at the appointment.
    CaseReview,
}

/// Where a deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeadlineStatus {
    /// Done on `on`; `late` when that was after the due date.
    Met {
        on: NaiveDate,
        late: bool,
    },
    DueIn(u32),
    DueToday,
    Overdue(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub rule: RuleId,
    pub due: NaiveDate,
    pub status: DeadlineStatus,
    /// Due on the next business day and not yet met.
    pub at_risk: bool,
    /// Why it is due, in plain words: "first contact — 1 business day after the missed
    /// orientation".
    pub why: String,
}

impl Deadline {
    fn new(
        kind: DeadlineKind,
        rule: RuleId,
        due: NaiveDate,
        met_on: Option<NaiveDate>,
        why: String,
        today: NaiveDate,
        calendar: &BusinessCalendar,
    ) -> Self {
        let status = deadline_status(due, met_on, today, calendar);
        Self {
            kind,
            rule,
            due,
            status,
            at_risk: status == DeadlineStatus::DueIn(1),
            why,
        }
    }

    pub fn is_open(&self) -> bool {
        !matches!(self.status, DeadlineStatus::Met { .. })
    }
}

/// The status on `today` of something due on `due` and done on `met_on`.
pub fn deadline_status(
    due: NaiveDate,
    met_on: Option<NaiveDate>,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> DeadlineStatus {
    if let Some(on) = met_on {
        return DeadlineStatus::Met { on, late: on > due };
    }
    if due < today {
        let late = calendar.business_days_between(due, today).max(1);
        DeadlineStatus::Overdue(u32::try_from(late).unwrap_or(u32::MAX))
    } else {
        match calendar.business_days_between(today, due) {
            0 => DeadlineStatus::DueToday,
            n => DeadlineStatus::DueIn(u32::try_from(n).unwrap_or(u32::MAX)),
        }
    }
}

/// An open deadline a change of the office's calendar moves (docs/rules.md, Business days: a
/// closure day is not a business day, so what was due on or after it moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedDeadline {
    pub kind: DeadlineKind,
    pub rule: RuleId,
    /// Where `before` put it.
    pub from: NaiveDate,
    /// Where `after` puts it.
    pub to: NaiveDate,
}

/// The open deadlines of the episode that moving from the calendar `before` to `after` (an
/// office closure added or removed) moves, each with its day before and after. Met deadlines
/// never move: what was done on time stays on time.
pub fn moved_deadlines(
    facts: &EpisodeFacts,
    today: NaiveDate,
    before: &BusinessCalendar,
    after: &BusinessCalendar,
) -> Vec<MovedDeadline> {
    let was = deadlines(facts, today, before);
    let now = deadlines(facts, today, after);
    was.iter()
        .filter(|d| d.is_open())
        .filter_map(|old| {
            let new = now.iter().find(|n| n.kind == old.kind && n.is_open())?;
            (new.due != old.due).then_some(MovedDeadline {
                kind: old.kind,
                rule: old.rule,
                from: old.due,
                to: new.due,
            })
        })
        .collect()
}

/// Every deadline that applies to the episode on `today`, in the order of the process. A
/// closed episode keeps only the deadlines that were met.
pub fn deadlines(
    facts: &EpisodeFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Vec<Deadline> {
    let mut list = Vec::new();
    let trigger = &facts.trigger;
    let missed = format!("the missed {}", trigger.what);
    let first_done = facts
        .attempts
        .first()
        .map(|a| a.on)
        .into_iter()
        .chain(facts.contact_made.as_ref().map(|c| c.on))
        .min();
    let current = stage(facts, today, calendar);

    // R2, R5, R6: the first contact.
    let (rule, due, why) = match (trigger.kind, trigger.reported_by) {
        (TriggerKind::PatternOfNoncooperation, _) => (
            R6,
            noncooperation_contact_due(trigger.on, calendar),
            "contact — no more than 5 business days after a pattern of noncooperation came to light".to_owned(),
        ),
        (_, ReportedBy::Contractor) => (
            R5,
            contractor_contact_due(trigger.aware_on(), calendar),
            format!("engagement contact — 1 business day after the contractor learned of {missed}"),
        ),
        _ => (
            R2,
            first_contact_due(trigger.on, calendar),
            format!("first contact — 1 business day after {missed}"),
        ),
    };
    if let Ok(due) = due {
        list.push(Deadline::new(
            DeadlineKind::FirstContact,
            rule,
            due,
            first_done,
            why,
            today,
            calendar,
        ));
    }

    // R8: the timeliness target for contact — shown while it can still be met, and once
    // contact came, as met or late. Contact later still lets the plan be adjusted.
    if let Some(due) = contact_target(facts, calendar) {
        let contact = facts.contact_made.as_ref().map(|c| c.on);
        if contact.is_some() || today <= due {
            let why = match trigger.kind {
                TriggerKind::PatternOfNoncooperation => "contact within 5 business days of the pattern coming to light — the target for adjusting the plan".to_owned(),
                _ => format!("contact within 2 business days of {missed} — the target for adjusting the plan"),
            };
            list.push(Deadline::new(
                DeadlineKind::AdjustPlan,
                R8,
                due,
                contact,
                why,
                today,
                calendar,
            ));
        }
    }

    // R9: after the first message left, its response window, then one follow-up attempt on or
    // after the window's end (another channel used inside the window is not it).
    if let Some((message, due)) = first_message(facts, calendar) {
        let contact = facts.contact_made.as_ref().map(|c| c.on);
        let met = follow_up_after(facts, due).map(|a| a.on).or(contact);
        let window = message.response_window.map_or(0, |w| w.business_days());
        let why = format!(
            "follow-up attempt — on or after the end of the {} response window of the message of {}",
            crate::words::business_days(i64::from(window)),
            crate::words::long_date(message.on)
        );
        list.push(Deadline::new(
            DeadlineKind::FollowUp,
            R9,
            due,
            met,
            why,
            today,
            calendar,
        ));
    }

    // R12: no reply three business days after the second attempt → invite.
    if facts.contact_made.is_none()
        && let Some(due) = invite_on(facts, calendar)
    {
        let met = facts.appointment.as_ref().map(|a| a.scheduled_on);
        let why = "invitation to a re-engagement appointment — no reply 3 business days after the second attempt".to_owned();
        list.push(Deadline::new(
            DeadlineKind::Invite,
            R12,
            due,
            met,
            why,
            today,
            calendar,
        ));
    }

    // R15: the notice; R17: the case review at the appointment.
    if let Some(appointment) = &facts.appointment {
        if let Ok(due) = notice_mail_by(appointment.on, calendar) {
            let why = format!(
                "DHS 7869 notice — at least 7 calendar days before the appointment on {}",
                crate::words::long_date(appointment.on)
            );
            let mut deadline = Deadline::new(
                DeadlineKind::NoticeMailing,
                R15,
                due,
                appointment.notice_mailed_on,
                why,
                today,
                calendar,
            );
            // R15, recording: due is the planning day; a mailing meets R15 when it is on or
            // before the appointment minus 7, whatever weekday.
            if let DeadlineStatus::Met { on, .. } = deadline.status {
                deadline.status = DeadlineStatus::Met {
                    on,
                    late: !notice_on_time(on, appointment.on),
                };
            }
            list.push(deadline);
        }
        let held = facts.staffing.as_ref().map(|s| s.held_on);
        let why = "case review by the staffing team at the re-engagement appointment".to_owned();
        list.push(Deadline::new(
            DeadlineKind::CaseReview,
            R17,
            appointment.on,
            held,
            why,
            today,
            calendar,
        ));
    }

    if is_closed(facts, calendar) || current == Stage::Finalized {
        list.retain(|deadline| !deadline.is_open());
    }
    list
}

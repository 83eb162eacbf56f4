//! What the contact-made form says for the contact day (R8): whether the contact met the
//! 2-business-day target (R6's 5 for a pattern) or was late, and what follows if no plan is
//! agreed (a re-engagement appointment and its notice, R12, R15) — from
//! `reengage_core::episode::contact_advice`, made of the check the server runs.

use chrono::NaiveDate;
use reengage_core::episode::{EpisodeFacts, Trigger, contact_advice};
use reengage_core::{BusinessCalendar, parse_date_input};

use super::said::{Block, Group, Region, Said, hint_lines};
use crate::forms::contact::ContactForm;
use crate::forms::fields::Fields;

/// What the form says for the contact day: `core`'s advice (R8, R12, R15); the plan's fields
/// are off only while the day itself is refused.
pub fn said(
    today: NaiveDate,
    participant: &str,
    trigger: &Trigger,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> Said {
    let facts = EpisodeFacts::new(participant, trigger.clone());
    let advice = parse_date_input(fields.get(ContactForm::ON))
        .map_err(|problem| problem.to_string())
        .and_then(|day| {
            contact_advice(&facts, day, today, calendar).map_err(|refusal| refusal.to_string())
        });
    let refused = advice.is_err();
    let said = advice.map(|advice| hint_lines(advice.hints));
    Said::default()
        .with(Region::Answer, vec![Block::feedback(said)])
        .off_when(Group::PlanAdjusted, refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reengage_core::episode::{ReportedBy, TriggerKind};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn on(text: &str) -> Fields {
        let mut fields = Fields::default();
        fields.push(ContactForm::ON, text);
        fields
    }

    /// R8 is a target, not a gate: the plan can be adjusted for contact on any day the server
    /// accepts, met or late; only a refused day turns it off.
    #[test]
    fn r8_the_plan_applies_to_any_contact_the_server_accepts() {
        let trigger = Trigger {
            kind: TriggerKind::MissedCoachAppointment,
            what: "orientation".into(),
            on: day("2026-11-02"),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        };
        let calendar = BusinessCalendar::oregon();
        let today = day("2026-11-20");
        let in_time = said(today, "Ms. Example", &trigger, &calendar, &on("2026-11-04"));
        assert!(!in_time.is_off(Group::PlanAdjusted), "{in_time:?}");
        let late = said(today, "Ms. Example", &trigger, &calendar, &on("2026-11-05"));
        assert!(!late.is_off(Group::PlanAdjusted), "{late:?}");
        assert!(
            matches!(late.blocks(Region::Answer), [Block::List { items, .. }] if items[0].text.contains("counts as late")),
            "{late:?}"
        );
        let before = said(today, "Ms. Example", &trigger, &calendar, &on("2026-10-30"));
        assert!(before.is_off(Group::PlanAdjusted));
        assert!(
            matches!(before.blocks(Region::Answer), [Block::Text { class: "alert alert-error", text }] if text.contains("before the miss")),
            "{before:?}"
        );
    }
}

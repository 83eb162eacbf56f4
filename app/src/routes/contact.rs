//! Contact made with the participant (R8). At any time before the team's decision the coach
//! adjusts the plan with the participant (optionally adding the agreed PDP step) and the
//! episode closes as re-engaged; the form says whether the contact met the 2-business-day
//! target (R6's 5 for a pattern) or was late, and what follows if no plan is agreed (a
//! re-engagement appointment and its notice, R12, R15) — from
//! `reengage_core::episode::contact_advice`, made of the check the server runs. A plain POST;
//! a refusal comes back here with everything typed and the reason.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::episode::{EpisodeFacts, Trigger, contact_advice};
use reengage_core::{BusinessCalendar, long_date, parse_date_input};

use super::episode::WithEpisode;
use super::forms::{Query, Refused};
use crate::backend::{EpisodePage, Purpose};
use crate::live::{
    Block, Check, Group, LiveFieldset, LiveForm, LiveState, Region, Said, Says, hint_lines,
};
use crate::staffing_form::Fields;

/// The PDP step codes a coach most often adds when adjusting the plan.
const STEP_CODES: [&str; 6] = ["SW", "WE", "JO", "PE", "LS", "OT"];

#[component]
pub fn ContactRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Record contact made"
            purpose=Purpose::RecordContact
            show=|page| view! {
                <Title text="Record contact made" />
                <ContactForm page query=Query::current() />
            }.into_any()
        />
    }
}

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
    let advice = parse_date_input(fields.get("on"))
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

/// The form, as plain HTML: the advice and the plan's fields are the island's ([`LiveForm`]).
#[component]
fn ContactForm(page: EpisodePage, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed("error");
    let on = typed("on").unwrap_or_else(|| page.today.to_string());
    let adjusted = typed("plan_adjusted").is_some() || error.is_none();
    let step_code = typed("step_code").unwrap_or_default();
    let step_on = typed("step_on").unwrap_or_default();
    let today = page.today;
    let participant = page.participant.name;
    let mut fields = Fields::default();
    fields.push("on", on.clone());
    let check = Check::Contact {
        today,
        participant: participant.clone(),
        trigger: page.trigger.clone(),
    };
    let state = LiveState::new(check, page.closures.clone(), fields).encode();
    let codes = STEP_CODES
        .into_iter()
        .map(|c| view! { <option value=c selected=c == step_code>{c}</option> })
        .collect_view();
    let action = format!("/episodes/{}/contact", page.id);
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {participant}")}</a></p>
        <h1>"Record contact made"</h1>
        <p class="lead">
            {format!(
                "{} — missed the {} on {}",
                participant,
                page.trigger.what,
                long_date(page.trigger.on)
            )}
        </p>
        <Refused error kept="Your entries are kept below: correct them and save again." />
        <LiveForm state>
            <form method="post" action=action class="stack">
                <input type="hidden" name="version" value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Date contact was made"</label>
                    <input type="date" id="on" name="on" required
                        value=on max=today.to_string() />
                </div>
                <Says region=Region::Answer />
                <LiveFieldset group=Group::PlanAdjusted legend="The plan (R8)".to_owned()>
                    <div class="choice">
                        <input type="checkbox" id="plan_adjusted" name="plan_adjusted" value="yes"
                            checked=adjusted />
                        <label for="plan_adjusted">"The plan is adjusted with the participant: close as re-engaged"</label>
                    </div>
                    <div class="field">
                        <label for="step_code">"Add the agreed PDP step (optional)"</label>
                        <select id="step_code" name="step_code">
                            <option value="">"No new step"</option>
                            {codes}
                        </select>
                    </div>
                    <div class="field">
                        <label for="step_on">"The new step starts on"</label>
                        <input type="date" id="step_on" name="step_on" value=step_on min=today.to_string() />
                    </div>
                </LiveFieldset>
                <button type="submit" class="button">"Save contact"</button>
            </form>
        </LiveForm>
    }
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
        fields.push("on", text);
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

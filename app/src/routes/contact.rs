//! Contact made with the participant (R8). Within two business days of the miss, the coach
//! adjusts the plan with the participant (optionally adding the agreed PDP step) and the
//! episode closes as re-engaged; later, the form says what the policy requires instead (a
//! re-engagement appointment and its notice, R12, R15) — from
//! `reengage_core::episode::contact_advice`, made of the check the server runs. A plain POST;
//! a refusal comes back here with everything typed and the reason.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::episode::{EpisodeFacts, contact_advice};
use reengage_core::{BusinessCalendar, long_date, parse_date_input};

use super::episode::WithEpisode;
use super::forms::{Feedback, Query, Refused};
use crate::backend::{EpisodeForm, Purpose};

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
                <ContactForm page=EpisodeForm::from(&page) query=Query::current() />
            }.into_any()
        />
    }
}

/// An island: the advice is recomputed in the browser as the day changes.
#[island]
fn ContactForm(page: EpisodeForm, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed("error");
    let on = RwSignal::new(typed("on").unwrap_or_else(|| page.today.to_string()));
    let adjusted = RwSignal::new(typed("plan_adjusted").is_some() || error.is_none());
    let step_code = typed("step_code").unwrap_or_default();
    let step_on = typed("step_on").unwrap_or_default();
    let today = page.today;
    let facts = EpisodeFacts::new(page.participant.clone(), page.trigger.clone());
    let advice = Memo::new(move |_| {
        let day = parse_date_input(&on.get()).map_err(|e| e.to_string())?;
        contact_advice(&facts, day, today, &BusinessCalendar::oregon())
            .map_err(|refusal| refusal.to_string())
    });
    let in_time = move || advice.get().is_ok_and(|a| a.in_time);
    let said = Signal::derive(move || {
        advice.get().map(|a| {
            a.hints
                .into_iter()
                .map(|hint| format!("{} ({})", hint.text, hint.rule))
                .collect()
        })
    });
    let codes = STEP_CODES
        .into_iter()
        .map(|c| view! { <option value=c selected=c == step_code>{c}</option> })
        .collect_view();
    let action = format!("/episodes/{}/contact", page.id);
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {}", page.participant)}</a></p>
        <h1>"Record contact made"</h1>
        <p class="lead">
            {format!(
                "{} — missed the {} on {}",
                page.participant,
                page.trigger.what,
                long_date(page.trigger.on)
            )}
        </p>
        <Refused error kept="Your entries are kept below: correct them and save again." />
        <form method="post" action=action class="stack">
            <input type="hidden" name="version" value=page.version.to_string() />
            <div class="field">
                <label for="on">"Date contact was made"</label>
                <input type="date" id="on" name="on" required
                    value=on.get_untracked() max=today.to_string()
                    on:input=move |ev| on.set(event_target_value(&ev)) />
            </div>
            <Feedback said />
            <fieldset class="choices" disabled=move || !in_time()>
                <legend>"The plan (R8)"</legend>
                <div class="choice">
                    <input type="checkbox" id="plan_adjusted" name="plan_adjusted" value="yes"
                        checked=adjusted.get_untracked()
                        prop:checked=move || adjusted.get()
                        on:change=move |ev| adjusted.set(event_target_checked(&ev)) />
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
            </fieldset>
            <button type="submit" class="button">"Save contact"</button>
        </form>
    }
}

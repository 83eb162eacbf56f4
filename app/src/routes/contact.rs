//! Contact made with the participant (R8). At any time before the team's decision the coach
//! adjusts the plan with the participant (optionally adding the agreed PDP step) and the
//! episode closes as re-engaged; the form says whether the contact met the 2-business-day
//! target (R6's 5 for a pattern) or was late, and what follows if no plan is agreed (a
//! re-engagement appointment and its notice, R12, R15) — from
//! `reengage_core::episode::contact_advice`, made of the check the server runs. A plain POST;
//! a refusal comes back here with everything typed and the reason.
//!
//! What the form sends: [`crate::forms::contact`]; what it says as it is filled in:
//! [`crate::checks::contact`].

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::long_date;

use crate::backend::{EpisodePage, Purpose};
use crate::checks::Check;
use crate::checks::said::{Group, Region};
use crate::components::refused::Refused;
use crate::components::with_episode::WithEpisode;
use crate::forms::contact::ContactForm;
use crate::forms::fields::{Fields, YES};
use crate::forms::query::{ERROR, Query};
use crate::live::form::{LiveFieldset, LiveForm, Says};
use crate::live::state::LiveState;

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
                <ContactFormView page query=Query::current() />
            }.into_any()
        />
    }
}

/// The form, as plain HTML: the advice and the plan's fields are the island's ([`LiveForm`]).
#[component]
fn ContactFormView(page: EpisodePage, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed(ERROR);
    let on = typed(ContactForm::ON).unwrap_or_else(|| page.today.to_string());
    let adjusted = typed(ContactForm::PLAN_ADJUSTED).is_some() || error.is_none();
    let step_code = typed(ContactForm::STEP_CODE).unwrap_or_default();
    let step_on = typed(ContactForm::STEP_ON).unwrap_or_default();
    let today = page.today;
    let participant = page.participant.name;
    let mut fields = Fields::default();
    fields.push(ContactForm::ON, on.clone());
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
                <input type="hidden" name=ContactForm::VERSION value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Date contact was made"</label>
                    <input type="date" id="on" name=ContactForm::ON required
                        value=on max=today.to_string() />
                </div>
                <Says region=Region::Answer />
                <LiveFieldset group=Group::PlanAdjusted legend="The plan (R8)".to_owned()>
                    <div class="choice">
                        <input type="checkbox" id="plan_adjusted" name=ContactForm::PLAN_ADJUSTED value=YES
                            checked=adjusted />
                        <label for="plan_adjusted">"The plan is adjusted with the participant: close as re-engaged"</label>
                    </div>
                    <div class="field">
                        <label for="step_code">"Add the agreed PDP step (optional)"</label>
                        <select id="step_code" name=ContactForm::STEP_CODE>
                            <option value="">"No new step"</option>
                            {codes}
                        </select>
                    </div>
                    <div class="field">
                        <label for="step_on">"The new step starts on"</label>
                        <input type="date" id="step_on" name=ContactForm::STEP_ON value=step_on min=today.to_string() />
                    </div>
                </LiveFieldset>
                <button type="submit" class="button">"Save contact"</button>
            </form>
        </LiveForm>
    }
}

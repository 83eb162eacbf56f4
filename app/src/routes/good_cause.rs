//! Good cause given by the case manager alone (R23, policy 004: "when the Case Manager … gives
//! good cause for noncooperation"): at any stage before a decision, no staffing needed, with
//! its reason. The episode closes with no disqualification; the decision narrative is drafted
//! as an Engagement narrative (R25). A plain POST; a refusal comes back here with what was
//! typed and the reason.
//!
//! What the form sends: [`crate::forms::good_cause`].

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::episode::MAX_REASON_CHARS;
use reengage_core::long_date;

use crate::backend::{EpisodePage, Purpose};
use crate::components::refused::Refused;
use crate::components::with_episode::WithEpisode;
use crate::forms::good_cause::GoodCauseForm;
use crate::forms::query::{ERROR, Query};

#[component]
pub fn GoodCauseRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Give good cause"
            purpose=Purpose::GiveGoodCause
            show=|page| view! {
                <Title text="Give good cause" />
                <GoodCauseFormView page query=Query::current() />
            }.into_any()
        />
    }
}

#[component]
fn GoodCauseFormView(page: EpisodePage, query: Query) -> impl IntoView {
    let error = query.typed(ERROR);
    let on = query
        .typed(GoodCauseForm::ON)
        .unwrap_or_else(|| page.today.to_string());
    let reason = query.typed(GoodCauseForm::REASON).unwrap_or_default();
    let action = format!("/episodes/{}/good-cause", page.id);
    let participant = page.participant.name;
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {participant}")}</a></p>
        <h1>"Give good cause"</h1>
        <p class="lead">
            {format!(
                "{} — missed the {} on {}",
                participant,
                page.trigger.what,
                long_date(page.trigger.on)
            )}
        </p>
        <p>
            "As the case manager you may give good cause alone, at any stage before a decision, without a staffing (R23): for example an exemption, a situation outside the participant's control, an ongoing household issue, or the department not providing assistance or an accommodation. The episode closes with no disqualification; the reason is recorded and goes into the Engagement narrative (R25)."
        </p>
        <Refused error kept="What you entered is kept below: correct it and save again." />
        <form method="post" action=action class="stack">
            <input type="hidden" name=GoodCauseForm::VERSION value=page.version.to_string() />
            <div class="field">
                <label for="on">"Day good cause is given"</label>
                <input type="date" id="on" name=GoodCauseForm::ON required value=on
                    min=page.trigger.on.to_string() max=page.today.to_string() />
            </div>
            <div class="field">
                <label for="reason">"The reason for good cause"</label>
                <p class="hint" id="reason-hint">{format!("What prevented engagement, in a few sentences (at most {MAX_REASON_CHARS} characters).")}</p>
                <textarea id="reason" name=GoodCauseForm::REASON rows="4" required
                    maxlength=MAX_REASON_CHARS.to_string() aria-describedby="reason-hint">{reason}</textarea>
            </div>
            <button type="submit" class="button">"Give good cause and close the episode"</button>
        </form>
    }
}

//! The contact-attempt form (R7, R9, R10, R11), phone first: how, what happened, the response
//! window (default 2 business days) — two taps and an optional note. The feedback ("Follow-up
//! due by …", the offsite-visit suggestion, the ONE request) comes from
//! `reengage_core::episode::attempt_hints`: rendered by the server for what is picked, and
//! recomputed in the browser on every change once the wasm has loaded ([`crate::live`]). The
//! form is a plain POST; when the server refuses, it comes back here with everything typed and
//! the reason.
//!
//! What the form sends: [`crate::forms::attempt`]; what it says as it is filled in:
//! [`crate::checks::attempt`].

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{AttemptOutcome, ContactMethod};
use reengage_core::words::business_days;

use crate::backend::{EpisodePage, Purpose};
use crate::checks::Check;
use crate::checks::said::{Group, Region};
use crate::components::choices::radio_choices;
use crate::components::with_episode::WithEpisode;
use crate::forms::attempt::{AttemptForm, MAX_NOTE_CHARS};
use crate::forms::fields::{Fields, code, from_code};
use crate::forms::query::{ERROR, Query};
use crate::live::form::{LiveFieldset, LiveForm, Says};
use crate::live::state::LiveState;

const OUTCOMES: [AttemptOutcome; 6] = [
    AttemptOutcome::MessageLeft,
    AttemptOutcome::NoAnswer,
    AttemptOutcome::Reached,
    AttemptOutcome::PhoneNotInService,
    AttemptOutcome::NobodyHome,
    AttemptOutcome::AddressInvalid,
];

#[component]
pub fn AttemptRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Log a contact attempt"
            purpose=Purpose::LogAttempt
            show=|page| view! {
                <Title text="Log a contact attempt" />
                <AttemptFormView page query=Query::current() />
            }.into_any()
        />
    }
}

/// The form, as plain HTML: its hints are the island's ([`LiveForm`]).
#[component]
fn AttemptFormView(page: EpisodePage, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed(ERROR);
    let on = typed(AttemptForm::ON).unwrap_or_else(|| page.today.to_string());
    let method = typed(AttemptForm::METHOD)
        .and_then(|m| from_code(&m))
        .unwrap_or(ContactMethod::Phone);
    let outcome = typed(AttemptForm::OUTCOME)
        .and_then(|o| from_code(&o))
        .unwrap_or(AttemptOutcome::MessageLeft);
    let window = typed(AttemptForm::WINDOW)
        .and_then(|w| w.parse::<u8>().ok())
        .unwrap_or(u8::from(ResponseWindow::DEFAULT));
    let note = typed(AttemptForm::NOTE).unwrap_or_default();
    let mut fields = Fields::default();
    fields.push(AttemptForm::ON, on.clone());
    fields.push(AttemptForm::METHOD, code(method));
    fields.push(AttemptForm::OUTCOME, code(outcome));
    fields.push(AttemptForm::WINDOW, window.to_string());
    let check = Check::Attempt {
        phone_in_service: page.participant.phone_in_service,
    };
    let state = LiveState::new(check, page.closures.clone(), fields).encode();
    let methods = radio_choices(
        AttemptForm::METHOD,
        ContactMethod::ALL.map(|m| (code(m), m.label().to_owned())),
        &code(method),
    );
    let outcomes = radio_choices(
        AttemptForm::OUTCOME,
        OUTCOMES.map(|o| (code(o), o.label().to_owned())),
        &code(outcome),
    );
    let windows = radio_choices(
        AttemptForm::WINDOW,
        (ResponseWindow::MIN..=ResponseWindow::MAX)
            .map(|days| (days.to_string(), business_days(i64::from(days)))),
        &window.to_string(),
    );
    let action = format!("/episodes/{}/attempt", page.id);
    let back = format!("/episodes/{}", page.id);
    let participant = page.participant.name;
    view! {
        <p><a href=back>{format!("← {participant}")}</a></p>
        <h1>"Log a contact attempt"</h1>
        <p class="lead">{participant.clone()}</p>
        {error.map(|error| view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>"Your entries are kept below: correct them and save again."</p>
            </div>
        })}
        <LiveForm state>
            <form method="post" action=action class="stack">
                <input type="hidden" name=AttemptForm::VERSION value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Date of the attempt"</label>
                    <input type="date" id="on" name=AttemptForm::ON required value=on max=page.today.to_string() />
                </div>
                <fieldset class="choices">
                    <legend>"How"</legend>
                    {methods}
                </fieldset>
                <fieldset class="choices">
                    <legend>"What happened"</legend>
                    {outcomes}
                </fieldset>
                <LiveFieldset group=Group::ResponseWindow legend="Time to reply before the follow-up (R9)".to_owned()>
                    {windows}
                </LiveFieldset>
                <div class="field">
                    <label for="note">"Note (optional)"</label>
                    <textarea id="note" name=AttemptForm::NOTE rows="3" maxlength=MAX_NOTE_CHARS.to_string()>{note}</textarea>
                </div>
                <Says region=Region::Answer />
                <button type="submit" class="button">"Save attempt"</button>
            </form>
        </LiveForm>
    }
}

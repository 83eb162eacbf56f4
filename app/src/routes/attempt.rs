//! The contact-attempt form (R7, R9, R10, R11), phone first: how, what happened, the response
//! window (default 2 business days) — two taps and an optional note. The feedback ("Follow-up
//! due by …", the offsite-visit suggestion, the ONE request) comes from
//! `reengage_core::episode::attempt_hints`: rendered by the server for what is picked, and
//! recomputed in the browser on every change once the wasm has loaded. The form is a plain
//! POST; when the server refuses, it comes back here with everything typed and the reason.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{AttemptOutcome, ContactMethod, asks_for_window, attempt_hints};
use reengage_core::parse_date_input;
use reengage_core::words::business_days;

use super::episode::WithEpisode;
use super::forms::{Query, code, from_code, radio_choices};
use crate::backend::{EpisodeForm, Purpose};

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
                <AttemptForm page=EpisodeForm::from(&page) query=Query::current() />
            }.into_any()
        />
    }
}

/// An island: the hints are recomputed in the browser as the form changes.
#[island]
fn AttemptForm(page: EpisodeForm, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed("error");
    let on = RwSignal::new(typed("on").unwrap_or_else(|| page.today.to_string()));
    let method = RwSignal::new(
        typed("method")
            .and_then(|m| from_code(&m))
            .unwrap_or(ContactMethod::Phone),
    );
    let outcome = RwSignal::new(
        typed("outcome")
            .and_then(|o| from_code(&o))
            .unwrap_or(AttemptOutcome::MessageLeft),
    );
    let window = RwSignal::new(
        typed("window")
            .and_then(|w| w.parse::<u8>().ok())
            .unwrap_or(u8::from(ResponseWindow::DEFAULT)),
    );
    let note = typed("note").unwrap_or_default();
    let in_service = page.phone_in_service;
    let asks = move || asks_for_window(method.get(), outcome.get());
    let hints = move || {
        let Ok(day) = parse_date_input(&on.get()) else {
            return vec!["Enter the date of the attempt.".to_owned()];
        };
        let chosen = asks()
            .then(|| ResponseWindow::new(i64::from(window.get())).ok())
            .flatten();
        attempt_hints(
            day,
            method.get(),
            outcome.get(),
            chosen,
            in_service,
            &BusinessCalendar::oregon(),
        )
        .into_iter()
        .map(|hint| format!("{} ({})", hint.text, hint.rule))
        .collect::<Vec<_>>()
    };
    let methods = radio_choices(
        "method",
        ContactMethod::ALL.map(|m| (m, code(m), m.label().to_owned())),
        method,
    );
    let outcomes = radio_choices(
        "outcome",
        OUTCOMES.map(|o| (o, code(o), o.label().to_owned())),
        outcome,
    );
    let windows = radio_choices(
        "window",
        (ResponseWindow::MIN..=ResponseWindow::MAX)
            .map(|days| (days, days.to_string(), business_days(i64::from(days)))),
        window,
    );
    let action = format!("/episodes/{}/attempt", page.id);
    let back = format!("/episodes/{}", page.id);
    view! {
        <p><a href=back.clone()>{format!("← {}", page.participant)}</a></p>
        <h1>"Log a contact attempt"</h1>
        <p class="lead">{page.participant.clone()}</p>
        {error.map(|error| view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>"Your entries are kept below: correct them and save again."</p>
            </div>
        })}
        <form method="post" action=action class="stack">
            <input type="hidden" name="version" value=page.version.to_string() />
            <div class="field">
                <label for="on">"Date of the attempt"</label>
                <input type="date" id="on" name="on" required
                    value=on.get_untracked() max=page.today.to_string()
                    on:input=move |ev| on.set(event_target_value(&ev)) />
            </div>
            <fieldset class="choices">
                <legend>"How"</legend>
                {methods}
            </fieldset>
            <fieldset class="choices">
                <legend>"What happened"</legend>
                {outcomes}
            </fieldset>
            <fieldset class="choices" prop:disabled=move || !asks()>
                <legend>"Time to reply before the follow-up (R9)"</legend>
                {windows}
            </fieldset>
            <div class="field">
                <label for="note">"Note (optional)"</label>
                <textarea id="note" name="note" rows="3" maxlength="2000">{note}</textarea>
            </div>
            <div class="answer" role="status" aria-live="polite">
                <ul class="hints">
                    {move || hints().into_iter().map(|hint| view! { <li>{hint}</li> }).collect_view()}
                </ul>
            </div>
            <button type="submit" class="button">"Save attempt"</button>
        </form>
    }
}

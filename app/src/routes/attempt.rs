//! The contact-attempt form (R7, R9, R10, R11), phone first: how, what happened, the response
//! window (default 2 business days) — two taps and an optional note. The feedback ("Follow-up
//! due by …", the offsite-visit suggestion, the ONE request) comes from
//! `reengage_core::episode::attempt_hints`: rendered by the server for what is picked, and
//! recomputed in the browser on every change once the wasm has loaded ([`crate::live`]). The
//! form is a plain POST; when the server refuses, it comes back here with everything typed and
//! the reason.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::BusinessCalendar;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{AttemptOutcome, ContactMethod, asks_for_window, attempt_hints};
use reengage_core::parse_date_input;
use reengage_core::words::business_days;

use super::episode::WithEpisode;
use super::forms::{Query, code, from_code, radio_choices};
use crate::backend::{EpisodePage, Purpose};
use crate::live::{
    Block, Check, Group, LiveFieldset, LiveForm, LiveState, Region, Said, Says, hint_lines,
};
use crate::staffing_form::Fields;

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
                <AttemptForm page query=Query::current() />
            }.into_any()
        />
    }
}

/// What the form says for its fields: `core`'s hints (R7, R9, R11), and whether a response
/// window applies (R9: only to a message left).
pub fn said(phone_in_service: bool, calendar: &BusinessCalendar, fields: &Fields) -> Said {
    let method = from_code(fields.get("method")).unwrap_or(ContactMethod::Phone);
    let outcome = from_code(fields.get("outcome")).unwrap_or(AttemptOutcome::MessageLeft);
    let asks = asks_for_window(method, outcome);
    let hints = match parse_date_input(fields.get("on")) {
        Err(_) => vec!["Enter the date of the attempt.".to_owned()],
        Ok(day) => {
            let window = fields
                .get("window")
                .parse::<i64>()
                .ok()
                .and_then(|days| ResponseWindow::new(days).ok())
                .unwrap_or(ResponseWindow::DEFAULT);
            hint_lines(attempt_hints(
                day,
                method,
                outcome,
                asks.then_some(window),
                phone_in_service,
                calendar,
            ))
        }
    };
    Said::default()
        .with(Region::Answer, vec![Block::hints(hints)])
        .off_when(Group::ResponseWindow, !asks)
}

/// The form, as plain HTML: its hints are the island's ([`LiveForm`]).
#[component]
fn AttemptForm(page: EpisodePage, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed("error");
    let on = typed("on").unwrap_or_else(|| page.today.to_string());
    let method = typed("method")
        .and_then(|m| from_code(&m))
        .unwrap_or(ContactMethod::Phone);
    let outcome = typed("outcome")
        .and_then(|o| from_code(&o))
        .unwrap_or(AttemptOutcome::MessageLeft);
    let window = typed("window")
        .and_then(|w| w.parse::<u8>().ok())
        .unwrap_or(u8::from(ResponseWindow::DEFAULT));
    let note = typed("note").unwrap_or_default();
    let mut fields = Fields::default();
    fields.push("on", on.clone());
    fields.push("method", code(method));
    fields.push("outcome", code(outcome));
    fields.push("window", window.to_string());
    let check = Check::Attempt {
        phone_in_service: page.participant.phone_in_service,
    };
    let state = LiveState::new(check, page.closures.clone(), fields).encode();
    let methods = radio_choices(
        "method",
        ContactMethod::ALL.map(|m| (code(m), m.label().to_owned())),
        &code(method),
    );
    let outcomes = radio_choices(
        "outcome",
        OUTCOMES.map(|o| (code(o), o.label().to_owned())),
        &code(outcome),
    );
    let windows = radio_choices(
        "window",
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
                <input type="hidden" name="version" value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Date of the attempt"</label>
                    <input type="date" id="on" name="on" required value=on max=page.today.to_string() />
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
                    <textarea id="note" name="note" rows="3" maxlength="2000">{note}</textarea>
                </div>
                <Says region=Region::Answer />
                <button type="submit" class="button">"Save attempt"</button>
            </form>
        </LiveForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::Item;
    use reengage_core::calendar::Closure;

    fn fields(on: &str, method: ContactMethod, outcome: AttemptOutcome, window: &str) -> Fields {
        let mut fields = Fields::default();
        fields.push("on", on);
        fields.push("method", code(method));
        fields.push("outcome", code(outcome));
        fields.push("window", window);
        fields
    }

    fn hints(said: &Said) -> Vec<String> {
        match said.blocks(Region::Answer) {
            [Block::List { items, .. }] => {
                items.iter().map(|Item { text, .. }| text.clone()).collect()
            }
            other => panic!("not a hints list: {other:?}"),
        }
    }

    #[test]
    fn r9_the_follow_up_is_counted_on_the_offices_calendar() {
        let oregon = BusinessCalendar::oregon();
        let tuesday = fields(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::MessageLeft,
            "2",
        );
        let said = said(true, &oregon, &tuesday);
        assert!(
            hints(&said)
                .iter()
                .any(|h| h.contains("Follow-up due by Monday, November 30, 2026")),
            "{said:?}"
        );
        // The office is closed on the Monday too: the follow-up moves to Tuesday.
        let iced = oregon.with_closures([Closure {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            name: "Ice storm".into(),
        }]);
        let said = super::said(true, &iced, &tuesday);
        assert!(
            hints(&said)
                .iter()
                .any(|h| h.contains("Follow-up due by Tuesday, December 1, 2026")),
            "{said:?}"
        );
    }

    #[test]
    fn r9_a_response_window_applies_only_to_a_message_left() {
        let calendar = BusinessCalendar::oregon();
        let left = fields(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::MessageLeft,
            "2",
        );
        assert!(!said(true, &calendar, &left).is_off(Group::ResponseWindow));
        // A disabled group is not sent: no window at all.
        let unanswered = fields(
            "2026-11-24",
            ContactMethod::Phone,
            AttemptOutcome::NoAnswer,
            "",
        );
        assert!(said(true, &calendar, &unanswered).is_off(Group::ResponseWindow));
        let undated = fields("", ContactMethod::Phone, AttemptOutcome::MessageLeft, "2");
        assert_eq!(
            hints(&said(true, &calendar, &undated)),
            vec!["Enter the date of the attempt.".to_owned()]
        );
    }
}

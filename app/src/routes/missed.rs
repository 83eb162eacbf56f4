//! Record a missed activity and open the re-engagement episode (R1). As the miss is entered
//! the page says when first contact is due (R2; R5 for a contractor's report, R6 for a pattern
//! of noncooperation), for a missed JOBS appointment "Call by 9:10 am" (R3), and the last day
//! contact lets the plan be adjusted (R8) — from `reengage_core::episode::miss_hints`, made of
//! the check the server runs before it stores the miss. A plain POST; a refusal comes back
//! here with everything typed and the reason.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use reengage_core::episode::{ReportedBy, Trigger, TriggerKind, miss_hints};
use reengage_core::{BusinessCalendar, parse_date_input, parse_time_input};

use super::forms::{Feedback, Query, Refused, code, from_code, radio_choices};
use crate::backend::{MissChoices, PageError, missed_form};

/// What coaches most often name as missed; any words may be typed.
const USUAL: [&str; 8] = [
    "JOBS appointment (PE)",
    "orientation",
    "family coach appointment",
    "SW step",
    "WE step",
    "JO step",
    "contractor appointment",
    "Life Skills class",
];

#[component]
pub fn MissedRoute() -> impl IntoView {
    let form = Resource::new(|| (), |_| missed_form());
    view! {
        <Suspense fallback=|| view! {
            <Title text="Record a missed activity" />
            <p role="status">"Loading: Record a missed activity…"</p>
        }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => EitherOf3::A(view! {
                        <Title text="Record a missed activity" />
                        <MissedFormView form query=Query::current() />
                    }),
                    Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
                    Err(error) => EitherOf3::C(view! {
                        <Title text="Record a missed activity" />
                        <h1>"Record a missed activity"</h1>
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        <p><a href="/today">"Back to Today"</a></p>
                    }),
                }
            })}
        </Suspense>
    }
}

/// An island: the hints are recomputed in the browser as the miss is entered.
#[island]
fn MissedFormView(form: MissChoices, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed("error");
    let participant = typed("participant").unwrap_or_default();
    let kind = RwSignal::new(
        typed("kind")
            .and_then(|k| from_code(&k))
            .unwrap_or(TriggerKind::MissedJobsAppointment),
    );
    let what = RwSignal::new(typed("what").unwrap_or_default());
    let on = RwSignal::new(typed("on").unwrap_or_else(|| form.today.to_string()));
    let at = RwSignal::new(typed("at").unwrap_or_default());
    let today = form.today;
    let reported_by = if form.contractor {
        ReportedBy::Contractor
    } else {
        ReportedBy::Department
    };
    let said = Signal::derive(move || {
        let day = parse_date_input(&on.get()).map_err(|e| e.to_string())?;
        let at = parse_time_input(&at.get()).map_err(|e| e.to_string())?;
        let what = what.get();
        let trigger = Trigger {
            kind: kind.get(),
            // The sentence needs words; until some are typed, name the kind of miss.
            what: if what.trim().is_empty() {
                "activity".to_owned()
            } else {
                what
            },
            on: day,
            at,
            reported_by,
        };
        miss_hints(&trigger, today, &BusinessCalendar::oregon())
            .map(|hints| {
                hints
                    .into_iter()
                    .map(|hint| format!("{} ({})", hint.text, hint.rule))
                    .collect()
            })
            .map_err(|refusal| refusal.to_string())
    });
    let none = form.participants.is_empty();
    let people = form
        .participants
        .into_iter()
        .map(|p| {
            let value = p.id.to_string();
            let selected = value == participant;
            view! {
                <option value=value selected=selected>
                    {format!("{} — case {}", p.name, p.case_number)}
                </option>
            }
        })
        .collect_view();
    let kinds = radio_choices(
        "kind",
        TriggerKind::ALL.map(|k| (k, code(k), k.label().to_owned())),
        kind,
    );
    let usual = USUAL
        .into_iter()
        .map(|what| view! { <option value=what></option> })
        .collect_view();
    view! {
        <p><a href="/today">"← Today"</a></p>
        <h1>"Record a missed activity"</h1>
        <Refused error kept="Your entries are kept below: correct them and save again." />
        {none.then(|| view! {
            <p class="alert alert-info" role="status">
                "Everyone on your list already has an open re-engagement episode: record a new miss on that episode."
            </p>
        })}
        <form method="post" action="/missed" class="stack">
            <div class="field">
                <label for="participant">"Participant"</label>
                <select id="participant" name="participant" required>
                    <option value="">"Choose a participant"</option>
                    {people}
                </select>
            </div>
            <fieldset class="choices">
                <legend>"What happened (R1)"</legend>
                {kinds}
            </fieldset>
            <div class="field">
                <label for="what">"What was missed"</label>
                <p class="hint" id="what-hint">"The PDP step or appointment, in a few words."</p>
                <input type="text" id="what" name="what" list="usual-misses" maxlength="200"
                    autocomplete="off" aria-describedby="what-hint" required
                    value=what.get_untracked()
                    on:input=move |ev| what.set(event_target_value(&ev)) />
                <datalist id="usual-misses">{usual}</datalist>
            </div>
            <div class="field">
                <label for="on">"Date of the miss"</label>
                <input type="date" id="on" name="on" required
                    value=on.get_untracked() max=today.to_string()
                    on:input=move |ev| on.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="at">"Appointment time (optional)"</label>
                <p class="hint" id="at-hint">"For a missed JOBS appointment: the call is due 10 minutes after it (R3)."</p>
                <input type="time" id="at" name="at" aria-describedby="at-hint"
                    value=at.get_untracked()
                    on:input=move |ev| at.set(event_target_value(&ev)) />
            </div>
            <Feedback said />
            <button type="submit" class="button">"Record the miss"</button>
        </form>
    }
}

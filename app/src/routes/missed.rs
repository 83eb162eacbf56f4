//! Record a missed activity and open the re-engagement episode (R1). As the miss is entered
//! the page says when first contact is due (R2; R5 for a contractor's report, counted from the
//! day it became aware; R6 for a pattern of noncooperation), for a missed appointment with a
//! time "Call by 9:10 am" (R3), and the last day of R8's target for contact — or, for a miss
//! the participant called ahead about, that it opens no episode (R1) — from
//! `reengage_core::episode::miss_hints`, made of the check the server runs before it stores
//! the miss. A plain POST; a refusal comes back here with everything typed and the reason.
//!
//! What the form sends: [`crate::forms::missed`]; what it says as it is filled in:
//! [`crate::checks::missed`].

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use reengage_core::episode::TriggerKind;

use crate::backend::{MissChoices, PageError, missed_form};
use crate::checks::Check;
use crate::checks::said::Region;
use crate::components::choices::radio_choices;
use crate::components::refused::Refused;
use crate::forms::fields::{Fields, YES, code, from_code};
use crate::forms::missed::MissedForm;
use crate::forms::query::{ERROR, Query};
use crate::live::form::{LiveForm, Says};
use crate::live::state::LiveState;

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

/// The form, as plain HTML: its hints are the island's ([`LiveForm`]).
#[component]
fn MissedFormView(form: MissChoices, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed(ERROR);
    let participant = typed(MissedForm::PARTICIPANT).unwrap_or_default();
    let kind = typed(MissedForm::KIND)
        .and_then(|k| from_code(&k))
        .unwrap_or(TriggerKind::MissedJobsAppointment);
    let what = typed(MissedForm::WHAT).unwrap_or_default();
    let on = typed(MissedForm::ON).unwrap_or_else(|| form.today.to_string());
    let at = typed(MissedForm::AT).unwrap_or_default();
    let aware_on = typed(MissedForm::AWARE_ON).unwrap_or_default();
    let called_ahead = typed(MissedForm::CALLED_AHEAD).as_deref() == Some(YES);
    let today = form.today;
    let contractor = form.contractor;
    let mut fields = Fields::default();
    fields.push(MissedForm::PARTICIPANT, participant.clone());
    fields.push(MissedForm::KIND, code(kind));
    fields.push(MissedForm::WHAT, what.clone());
    fields.push(MissedForm::ON, on.clone());
    fields.push(MissedForm::AT, at.clone());
    fields.push(MissedForm::AWARE_ON, aware_on.clone());
    if called_ahead {
        fields.push(MissedForm::CALLED_AHEAD, YES);
    }
    let check = Check::Miss {
        today,
        contractor: form.contractor,
    };
    let state = LiveState::new(check, form.closures.clone(), fields).encode();
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
        MissedForm::KIND,
        TriggerKind::ALL.map(|k| (code(k), k.label().to_owned())),
        &code(kind),
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
        <LiveForm state>
            <form method="post" action="/missed" class="stack">
                <div class="field">
                    <label for="participant">"Participant"</label>
                    <select id="participant" name=MissedForm::PARTICIPANT required>
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
                    <input type="text" id="what" name=MissedForm::WHAT list="usual-misses" maxlength="200"
                        autocomplete="off" aria-describedby="what-hint" required value=what />
                    <datalist id="usual-misses">{usual}</datalist>
                </div>
                <div class="field">
                    <label for="on">"Date of the miss"</label>
                    <input type="date" id="on" name=MissedForm::ON required value=on max=today.to_string() />
                </div>
                <div class="field">
                    <label for="at">"Appointment time (optional)"</label>
                    <p class="hint" id="at-hint">"For a missed appointment: the call is due 10 minutes after it (R3)."</p>
                    <input type="time" id="at" name=MissedForm::AT aria-describedby="at-hint" value=at />
                </div>
                {contractor.then(|| view! {
                    <div class="field">
                        <label for="aware_on">"The day you learned of the miss (optional)"</label>
                        <p class="hint" id="aware_on-hint">"The date of your report, if later than the miss: your engagement contact is due 1 business day after it (R5)."</p>
                        <input type="date" id="aware_on" name=MissedForm::AWARE_ON aria-describedby="aware_on-hint"
                            value=aware_on.clone() max=today.to_string() />
                    </div>
                })}
                <div class="choice">
                    <input type="checkbox" id="called_ahead" name=MissedForm::CALLED_AHEAD value=YES
                        checked=called_ahead aria-describedby="called_ahead-hint" />
                    <label for="called_ahead">"The participant called ahead about this miss"</label>
                </div>
                <p class="hint" id="called_ahead-hint">"A miss called ahead about opens no re-engagement episode (R1)."</p>
                <Says region=Region::Answer />
                <button type="submit" class="button">"Record the miss"</button>
            </form>
        </LiveForm>
    }
}

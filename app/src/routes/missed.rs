//! Record a missed activity and open the re-engagement episode (R1). As the miss is entered
//! the page says when first contact is due (R2; R5 for a contractor's report, counted from the
//! day it became aware; R6 for a pattern of noncooperation), for a missed appointment with a
//! time "Call by 9:10 am" (R3), and the last day of R8's target for contact — or, for a miss
//! the participant called ahead about, that it opens no episode (R1) — from
//! `reengage_core::episode::miss_hints`, made of the check the server runs before it stores
//! the miss. A plain POST; a refusal comes back here with everything typed and the reason.

use chrono::NaiveDate;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use reengage_core::episode::{ReportedBy, Trigger, TriggerKind, miss_hints};
use reengage_core::{BusinessCalendar, parse_date_input, parse_time_input};

use super::forms::{Query, Refused, code, from_code, radio_choices};
use crate::backend::{MissChoices, PageError, missed_form};
use crate::live::{Block, Check, LiveForm, LiveState, Region, Said, Says, hint_lines};
use crate::staffing_form::Fields;

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

/// What the form says for the miss as entered: when first contact is due (R2, R5, R6), the
/// call-by time of an appointment (R3), the last day of the contact target (R8); or that a
/// miss called ahead about opens no episode (R1).
pub fn said(
    today: NaiveDate,
    contractor: bool,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> Said {
    let said = (|| {
        let day = parse_date_input(fields.get("on")).map_err(|e| e.to_string())?;
        let at = parse_time_input(fields.get("at")).map_err(|e| e.to_string())?;
        let aware_on = match fields.get("aware_on").trim() {
            "" => None,
            text => Some(
                parse_date_input(text)
                    .map_err(|e| format!("The day you learned of the miss: {e}"))?,
            ),
        };
        let what = fields.get("what");
        let trigger = Trigger {
            kind: from_code(fields.get("kind")).unwrap_or(TriggerKind::MissedJobsAppointment),
            // The sentence needs words; until some are typed, name the kind of miss.
            what: if what.trim().is_empty() {
                "activity".to_owned()
            } else {
                what.to_owned()
            },
            on: day,
            at,
            reported_by: if contractor {
                ReportedBy::Contractor
            } else {
                ReportedBy::Department
            },
            aware_on: aware_on.filter(|_| contractor),
        };
        miss_hints(&trigger, fields.has("called_ahead", "yes"), today, calendar)
            .map(hint_lines)
            .map_err(|refusal| refusal.to_string())
    })();
    Said::default().with(Region::Answer, vec![Block::feedback(said)])
}

/// The form, as plain HTML: its hints are the island's ([`LiveForm`]).
#[component]
fn MissedFormView(form: MissChoices, query: Query) -> impl IntoView {
    let typed = |name: &str| query.typed(name);
    let error = typed("error");
    let participant = typed("participant").unwrap_or_default();
    let kind = typed("kind")
        .and_then(|k| from_code(&k))
        .unwrap_or(TriggerKind::MissedJobsAppointment);
    let what = typed("what").unwrap_or_default();
    let on = typed("on").unwrap_or_else(|| form.today.to_string());
    let at = typed("at").unwrap_or_default();
    let aware_on = typed("aware_on").unwrap_or_default();
    let called_ahead = typed("called_ahead").as_deref() == Some("yes");
    let today = form.today;
    let contractor = form.contractor;
    let mut fields = Fields::default();
    fields.push("participant", participant.clone());
    fields.push("kind", code(kind));
    fields.push("what", what.clone());
    fields.push("on", on.clone());
    fields.push("at", at.clone());
    fields.push("aware_on", aware_on.clone());
    if called_ahead {
        fields.push("called_ahead", "yes");
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
        "kind",
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
                        autocomplete="off" aria-describedby="what-hint" required value=what />
                    <datalist id="usual-misses">{usual}</datalist>
                </div>
                <div class="field">
                    <label for="on">"Date of the miss"</label>
                    <input type="date" id="on" name="on" required value=on max=today.to_string() />
                </div>
                <div class="field">
                    <label for="at">"Appointment time (optional)"</label>
                    <p class="hint" id="at-hint">"For a missed appointment: the call is due 10 minutes after it (R3)."</p>
                    <input type="time" id="at" name="at" aria-describedby="at-hint" value=at />
                </div>
                {contractor.then(|| view! {
                    <div class="field">
                        <label for="aware_on">"The day you learned of the miss (optional)"</label>
                        <p class="hint" id="aware_on-hint">"The date of your report, if later than the miss: your engagement contact is due 1 business day after it (R5)."</p>
                        <input type="date" id="aware_on" name="aware_on" aria-describedby="aware_on-hint"
                            value=aware_on.clone() max=today.to_string() />
                    </div>
                })}
                <div class="choice">
                    <input type="checkbox" id="called_ahead" name="called_ahead" value="yes"
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

//! Schedule the re-engagement appointment (R12–R16). Only business days can be picked (R16);
//! as a day is picked the page says when the DHS 7869 notice must be mailed, or that the day
//! is too soon and which is the earliest (R15) — from `reengage_core::appointment_mail_by`,
//! the function the server's check uses. A plain POST; a refusal comes back here with the
//! day that was picked and the reason.
//!
//! What the form sends: [`crate::forms::appointment`]; what it says as it is filled in:
//! [`crate::checks::appointment`].

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::{earliest_appointment_for_mailing, long_date};

use crate::backend::{EpisodePage, Purpose};
use crate::checks::Check;
use crate::checks::said::Region;
use crate::components::with_episode::WithEpisode;
use crate::forms::appointment::AppointmentForm;
use crate::forms::fields::Fields;
use crate::forms::query::{ERROR, Query};
use crate::live::form::{LiveForm, Says};
use crate::live::state::LiveState;

/// How many business days ahead the form offers.
const DAYS_OFFERED: u32 = 30;

#[component]
pub fn AppointmentRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Schedule the re-engagement appointment"
            purpose=Purpose::ScheduleAppointment
            show=|page| view! {
                <Title text="Schedule the re-engagement appointment" />
                <AppointmentFormView page query=Query::current() />
            }.into_any()
        />
    }
}

/// The form, as plain HTML: the days offered are the office's business days (R16); the
/// mailing day is the island's ([`LiveForm`]).
#[component]
fn AppointmentFormView(page: EpisodePage, query: Query) -> impl IntoView {
    let calendar = page.calendar();
    let error = query.typed(ERROR);
    let today = page.today;
    let earliest = earliest_appointment_for_mailing(today, &calendar).unwrap_or(today);
    let picked = query
        .typed(AppointmentForm::ON)
        .unwrap_or_else(|| earliest.to_string());
    let at = query
        .typed(AppointmentForm::AT)
        .unwrap_or_else(|| "10:00".to_owned());
    let days = (1..=DAYS_OFFERED)
        .filter_map(|n| calendar.add_business_days(today, n).ok())
        .map(|day| {
            let value = day.to_string();
            let selected = value == picked;
            view! { <option value=value selected=selected>{long_date(day)}</option> }
        })
        .collect_view();
    let mut fields = Fields::default();
    fields.push(AppointmentForm::ON, picked);
    let state = LiveState::new(Check::Appointment { today }, page.closures.clone(), fields)
        .with_mail(page.mail)
        .encode();
    let action = format!("/episodes/{}/appointment", page.id);
    let participant = page.participant.name;
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {participant}")}</a></p>
        <h1>"Schedule the re-engagement appointment"</h1>
        <p class="lead">{participant.clone()}</p>
        {error.map(|error| view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>"The day you picked is kept below: choose another and save again."</p>
            </div>
        })}
        // R13 at scheduling is a warning, not a refusal: what a DQ1 will need.
        {(!page.dq1_will_need.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="note">
                <p>"You can schedule the appointment. Before a DQ1 could be imposed:"</p>
                <ul>{page.dq1_will_need.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <LiveForm state>
            <form method="post" action=action class="stack">
                <input type="hidden" name=AppointmentForm::VERSION value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Appointment day"</label>
                    <p class="hint" id="on-hint">"Business days only (R16)."</p>
                    <select id="on" name=AppointmentForm::ON aria-describedby="on-hint">
                        {days}
                    </select>
                </div>
                <div class="field">
                    <label for="at">"Time (optional)"</label>
                    <p class="hint" id="at-hint">"Printed on the DHS 7869 notice."</p>
                    <input type="time" id="at" name=AppointmentForm::AT aria-describedby="at-hint" value=at />
                </div>
                <Says region=Region::Answer />
                <button type="submit" class="button">"Schedule appointment"</button>
            </form>
        </LiveForm>
    }
}

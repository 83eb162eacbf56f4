//! Schedule the re-engagement appointment (R12–R16). Only business days can be picked (R16);
//! as a day is picked the page says when the DHS 7869 notice must be mailed, or that the day
//! is too soon and which is the earliest (R15) — from `reengage_core::appointment_mail_by`,
//! the function the server's check uses. A plain POST; a refusal comes back here with the
//! day that was picked and the reason.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::{
    BusinessCalendar, appointment_mail_by, earliest_appointment_for_mailing, long_date,
    parse_date_input,
};

use super::episode::WithEpisode;
use super::forms::Query;
use crate::backend::{EpisodeForm, Purpose};

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
                <AppointmentForm page=EpisodeForm::from(&page) query=Query::current() />
            }.into_any()
        />
    }
}

/// An island: the mailing day is recomputed in the browser as a day is picked.
#[island]
fn AppointmentForm(page: EpisodeForm, query: Query) -> impl IntoView {
    let calendar = BusinessCalendar::oregon();
    let error = query.get("error").filter(|e| !e.is_empty());
    let today = page.today;
    let earliest = earliest_appointment_for_mailing(today, &calendar).unwrap_or(today);
    let picked = RwSignal::new(
        query
            .get("on")
            .filter(|on| !on.is_empty())
            .unwrap_or_else(|| earliest.to_string()),
    );
    let answer = move || match parse_date_input(&picked.get()) {
        Err(problem) => (false, problem.to_string()),
        Ok(day) => match appointment_mail_by(day, today, &BusinessCalendar::oregon()) {
            Ok(mail_by) => (
                true,
                format!(
                    "Notice DHS 7869 must be mailed by {} (R15).",
                    long_date(mail_by)
                ),
            ),
            Err(problem) => (false, problem.to_string()),
        },
    };
    let days = (1..=DAYS_OFFERED)
        .filter_map(|n| calendar.add_business_days(today, n).ok())
        .map(|day| {
            let value = day.to_string();
            let selected = value == picked.get_untracked();
            view! { <option value=value selected=selected>{long_date(day)}</option> }
        })
        .collect_view();
    let action = format!("/episodes/{}/appointment", page.id);
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {}", page.participant)}</a></p>
        <h1>"Schedule the re-engagement appointment"</h1>
        <p class="lead">{page.participant.clone()}</p>
        {error.map(|error| view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>"The day you picked is kept below: choose another and save again."</p>
            </div>
        })}
        <form method="post" action=action class="stack">
            <input type="hidden" name="version" value=page.version.to_string() />
            <div class="field">
                <label for="on">"Appointment day"</label>
                <p class="hint" id="on-hint">"Business days only (R16)."</p>
                <select id="on" name="on" aria-describedby="on-hint"
                    on:change=move |ev| picked.set(event_target_value(&ev))>
                    {days}
                </select>
            </div>
            <div class="field">
                <label for="at">"Time (optional)"</label>
                <p class="hint" id="at-hint">"Printed on the DHS 7869 notice."</p>
                <input type="time" id="at" name="at" aria-describedby="at-hint"
                    value=query.get("at").filter(|at| !at.is_empty()).unwrap_or_else(|| "10:00".to_owned()) />
            </div>
            <div class="answer" role="status" aria-live="polite">
                {move || {
                    let (ok, text) = answer();
                    view! { <p class=if ok { "alert alert-info" } else { "alert alert-error" }>{text}</p> }
                }}
            </div>
            <button type="submit" class="button">"Schedule appointment"</button>
        </form>
    }
}

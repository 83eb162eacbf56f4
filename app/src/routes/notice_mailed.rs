//! Record that the DHS 7869 notice was mailed (R15). As the mailing day is picked the page
//! says whether it is in time for the appointment, or late and what to do (reschedule) —
//! from `reengage_core::notice_mailing`, the function the server's check uses. A plain POST;
//! a refusal comes back with the day that was entered and the reason.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::{BusinessCalendar, long_date, notice_mailing, parse_date_input};

use super::episode::WithEpisode;
use super::forms::Query;
use crate::backend::{EpisodeForm, Purpose};

#[component]
pub fn NoticeMailedRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Record the notice mailed"
            purpose=Purpose::RecordNoticeMailed
            show=|page| view! {
                <Title text="Record the notice mailed" />
                <NoticeMailedForm page=EpisodeForm::from(&page) query=Query::current() />
            }.into_any()
        />
    }
}

/// An island: whether the day is in time is recomputed in the browser as it changes.
#[island]
fn NoticeMailedForm(page: EpisodeForm, query: Query) -> impl IntoView {
    let error = query.get("error").filter(|e| !e.is_empty());
    let mailed = RwSignal::new(
        query
            .get("on")
            .filter(|on| !on.is_empty())
            .unwrap_or_else(|| page.today.to_string()),
    );
    let appointment = page.appointment_on;
    let answer = move || {
        let Some(appointment) = appointment else {
            return (
                false,
                "There is no appointment yet. Schedule it before recording the notice (R15)."
                    .to_owned(),
            );
        };
        match parse_date_input(&mailed.get()) {
            Err(problem) => (false, problem.to_string()),
            Ok(day) => match notice_mailing(day, appointment, &BusinessCalendar::oregon()) {
                Ok(due) => (
                    true,
                    format!(
                        "In time: at least 7 days before the appointment on {} (mail by {}, R15).",
                        long_date(appointment),
                        long_date(due)
                    ),
                ),
                Err(problem) => (false, problem.to_string()),
            },
        }
    };
    let action = format!("/episodes/{}/notice", page.id);
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {}", page.participant)}</a></p>
        <h1>"Record the notice mailed"</h1>
        <p class="lead">
            {page.participant.clone()}
            {appointment.map(|day| format!(" — appointment on {}", long_date(day)))}
        </p>
        {error.map(|error| view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>"The day you entered is kept below."</p>
            </div>
        })}
        <form method="post" action=action class="stack">
            <input type="hidden" name="version" value=page.version.to_string() />
            <div class="field">
                <label for="on">"Day the DHS 7869 notice was mailed"</label>
                <input type="date" id="on" name="on" required
                    value=mailed.get_untracked() max=page.today.to_string()
                    on:input=move |ev| mailed.set(event_target_value(&ev)) />
            </div>
            <div class="answer" role="status" aria-live="polite">
                {move || {
                    let (ok, text) = answer();
                    view! { <p class=if ok { "alert alert-info" } else { "alert alert-error" }>{text}</p> }
                }}
            </div>
            <button type="submit" class="button">"Save mailing"</button>
        </form>
    }
}

//! Record that the DHS 7869 notice was mailed (R15). As the mailing day is picked the page
//! says whether it is in time for the appointment, or late and what to do (reschedule) —
//! from `reengage_core::notice_mailing`, the function the server's check uses. A plain POST;
//! a refusal comes back with the day that was entered and the reason.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::{BusinessCalendar, long_date, notice_mailing, parse_date_input};

use super::episode::WithEpisode;
use super::forms::Query;
use crate::backend::{EpisodePage, Purpose};
use crate::live::{Block, Check, LiveForm, LiveState, Region, Said, Says};
use crate::staffing_form::Fields;

#[component]
pub fn NoticeMailedRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Record the notice mailed"
            purpose=Purpose::RecordNoticeMailed
            show=|page| view! {
                <Title text="Record the notice mailed" />
                <NoticeMailedForm page query=Query::current() />
            }.into_any()
        />
    }
}

/// What the form says for the day entered: in time for the appointment, or late and what to do
/// (R15).
pub fn said(
    today: NaiveDate,
    appointment: Option<NaiveDate>,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> Said {
    let answer = match appointment {
        None => Err(
            "There is no appointment yet. Schedule it before recording the notice (R15)."
                .to_owned(),
        ),
        Some(appointment) => parse_date_input(fields.get("on"))
            .map_err(|problem| problem.to_string())
            .and_then(|day| {
                notice_mailing(day, appointment, today, calendar)
                    .map_err(|problem| problem.to_string())
            })
            .map(|due| {
                format!(
                    "In time: at least 7 days before the appointment on {} (mail by {}, R15).",
                    long_date(appointment),
                    long_date(due)
                )
            }),
    };
    let block = match answer {
        Ok(text) => Block::text("alert alert-info", text),
        Err(problem) => Block::text("alert alert-error", problem),
    };
    Said::default().with(Region::Answer, vec![block])
}

/// The form, as plain HTML: whether the day is in time is the island's ([`LiveForm`]).
#[component]
fn NoticeMailedForm(page: EpisodePage, query: Query) -> impl IntoView {
    let error = query.typed("error");
    let mailed = query.typed("on").unwrap_or_else(|| page.today.to_string());
    let appointment = page.appointment_on;
    let mut fields = Fields::default();
    fields.push("on", mailed.clone());
    let state = LiveState::new(
        Check::NoticeMailed {
            today: page.today,
            appointment,
        },
        page.closures.clone(),
        fields,
    )
    .encode();
    let action = format!("/episodes/{}/notice", page.id);
    let participant = page.participant.name;
    view! {
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {participant}")}</a></p>
        <h1>"Record the notice mailed"</h1>
        <p class="lead">
            {participant.clone()}
            {appointment.map(|day| format!(" — appointment on {}", long_date(day)))}
        </p>
        {error.map(|error| view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>"The day you entered is kept below."</p>
            </div>
        })}
        <LiveForm state>
            <form method="post" action=action class="stack">
                <input type="hidden" name="version" value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Day the DHS 7869 notice was mailed"</label>
                    <input type="date" id="on" name="on" required
                        value=mailed max=page.today.to_string() />
                </div>
                <Says region=Region::Answer />
                <button type="submit" class="button">"Save mailing"</button>
            </form>
        </LiveForm>
    }
}

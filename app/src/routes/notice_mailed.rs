//! Record that the DHS 7869 notice was mailed (R15). As the mailing day is picked the page
//! says whether it is in time for the appointment, or late and what to do (reschedule) —
//! from `reengage_core::notice_mailing`, the function the server's check uses. A plain POST;
//! a refusal comes back with the day that was entered and the reason.
//!
//! What the form sends: [`crate::forms::notice_mailed`]; what it says as it is filled in:
//! [`crate::checks::notice_mailed`].

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::long_date;

use crate::backend::{EpisodePage, Purpose};
use crate::checks::Check;
use crate::checks::said::Region;
use crate::components::with_episode::WithEpisode;
use crate::forms::fields::Fields;
use crate::forms::notice_mailed::NoticeMailedForm;
use crate::forms::query::{ERROR, Query};
use crate::live::form::{LiveForm, Says};
use crate::live::state::LiveState;

#[component]
pub fn NoticeMailedRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Record the notice mailed"
            purpose=Purpose::RecordNoticeMailed
            show=|page| view! {
                <Title text="Record the notice mailed" />
                <NoticeMailedFormView page query=Query::current() />
            }.into_any()
        />
    }
}

/// The form, as plain HTML: whether the day is in time is the island's ([`LiveForm`]).
#[component]
fn NoticeMailedFormView(page: EpisodePage, query: Query) -> impl IntoView {
    let error = query.typed(ERROR);
    let mailed = query
        .typed(NoticeMailedForm::ON)
        .unwrap_or_else(|| page.today.to_string());
    let appointment = page.appointment_on;
    let mut fields = Fields::default();
    fields.push(NoticeMailedForm::ON, mailed.clone());
    let state = LiveState::new(
        Check::NoticeMailed {
            today: page.today,
            appointment,
        },
        page.closures.clone(),
        fields,
    )
    .with_mail(page.mail)
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
                <input type="hidden" name=NoticeMailedForm::VERSION value=page.version.to_string() />
                <div class="field">
                    <label for="on">"Day the DHS 7869 notice was mailed"</label>
                    <input type="date" id="on" name=NoticeMailedForm::ON required
                        value=mailed max=page.today.to_string() />
                </div>
                <Says region=Region::Answer />
                <button type="submit" class="button">"Save mailing"</button>
            </form>
        </LiveForm>
    }
}

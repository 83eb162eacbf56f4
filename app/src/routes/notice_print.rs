//! The DHS 7869 re-engagement appointment notice, ready to print on one page: the participant
//! and their address, the appointment's day, time and place, and the family coach and how to
//! reach them. The mail-by day (R15) is printed for the file copy. Department staff only (the
//! server checks the notice-mailed action).

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::{long_date, notice_mail_by};

use crate::backend::{EpisodePage, Purpose};
use crate::components::with_episode::WithEpisode;
use crate::live::buttons::PrintButton;

#[component]
pub fn NoticePrintRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="DHS 7869 notice"
            purpose=Purpose::RecordNoticeMailed
            show=|page| view! { <NoticeSheet page /> }.into_any()
        />
    }
}

/// "10:00 am", or what to write in by hand.
fn time_words(page: &EpisodePage) -> String {
    page.appointment_at
        .map(|at| at.format("%-I:%M %P").to_string())
        .unwrap_or_else(|| "(time to be written in)".to_owned())
}

#[component]
fn NoticeSheet(page: EpisodePage) -> impl IntoView {
    let back = format!("/episodes/{}", page.id);
    let Some(on) = page.appointment_on else {
        return view! {
            <Title text="DHS 7869 notice" />
            <h1>"DHS 7869 notice"</h1>
            <p class="alert alert-error" role="alert">
                "There is no re-engagement appointment yet: schedule it first (R12)."
            </p>
            <p><a href=back>"Back to the episode"</a></p>
        }
        .into_any();
    };
    let contacts = page
        .contacts
        .clone()
        .unwrap_or_else(|| crate::backend::NoticeContacts {
            office: "the Self-Sufficiency office".into(),
            office_address: None,
            office_phone: None,
            coach: None,
            coach_phone: None,
            coach_email: None,
        });
    // R15 on the office's own calendar, with its closure days.
    let calendar = page.calendar();
    let mail_by = notice_mail_by(on, &calendar)
        .map(long_date)
        .unwrap_or_default();
    let person = page.participant.clone();
    let coach = contacts
        .coach
        .clone()
        .unwrap_or_else(|| "Your family coach".into());
    let reach = [contacts.coach_phone.clone(), contacts.coach_email.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let place = [
        Some(contacts.office.clone()),
        contacts.office_address.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <Title text=format!("DHS 7869 notice — {}", person.name) />
        <p class="no-print"><a href=back.clone()>{format!("← {}", person.name)}</a></p>
        <p class="no-print actions">
<PrintButton label="Print the notice".to_owned() />
            <span class="hint">"One page; your browser's Print command prints it too."</span>
        </p>
        <article class="notice-sheet" aria-labelledby="notice-title">
            <header>
                <p class="form-id">"DHS 7869 · Oregon Department of Human Services · Self-Sufficiency Programs"</p>
                <h1 id="notice-title">"Re-engagement appointment notice"</h1>
            </header>
            <dl class="facts">
                <dt>"To"</dt>
                <dd>
                    {person.name.clone()}
                    {person.address.clone().map(|a| view! { <br /> {a} })}
                </dd>
                <dt>"Case number"</dt>
                <dd>{person.case_number.clone()}</dd>
            </dl>
            <p>
                {format!(
                    "You missed the {} on {}. We want to help you take part in your plan again. Please come to a re-engagement appointment:",
                    page.trigger.what,
                    long_date(page.trigger.on)
                )}
            </p>
            <dl class="facts appointment">
                <dt>"Date"</dt>
                <dd>{long_date(on)}</dd>
                <dt>"Time"</dt>
                <dd>{time_words(&page)}</dd>
                <dt>"Place"</dt>
                <dd>{place}</dd>
            </dl>
            <p>
                "At the appointment we will talk about what got in the way, whether you had good cause, and the supports that can help. If you cannot come, call us before the appointment."
            </p>
            <dl class="facts">
                <dt>"Your family coach"</dt>
                <dd>{coach}</dd>
                <dt>"How to reach them"</dt>
                <dd>{if reach.is_empty() { contacts.office_phone.clone().unwrap_or_default() } else { reach }}</dd>
                {contacts.office_phone.clone().map(|phone| view! { <dt>"Office phone"</dt> <dd>{phone}</dd> })}
            </dl>
            <p class="file-copy">
                {format!("For the file: mail this notice by {mail_by} — at least 7 days before the appointment (R15).")}
                {page.notice_mailed_on.map(|day| format!(" Mailed on {}.", long_date(day)))}
            </p>
        </article>
    }
    .into_any()
}

//! The DHS 7869 re-engagement appointment notice, ready to print on one page: the participant
//! and their address, the appointment's day, time and place, and the family coach and how to
//! reach them. The mail-by day (R15) is printed for the file copy. Department staff only (the
//! server checks the notice-mailed action).
//!
//! Printed in the participant's language (their record's; `notice_text` has each language's
//! words), or in another one staff ask for (`?lang=en`, a language code and nothing typed);
//! the file-copy line stays in English for the office.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use reengage_core::{long_date, notice_mail_by};

use crate::backend::{EpisodePage, Purpose};
use crate::components::with_episode::WithEpisode;
use crate::live::buttons::PrintButton;
use crate::notice_text::{language, language_or_english, languages};

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
    // The participant's language, unless staff asked for another copy (`?lang=en`).
    let asked = use_query_map()
        .get_untracked()
        .get("lang")
        .filter(|code| language(code).is_some());
    let preferred = language_or_english(&page.participant.language);
    let text = asked.as_deref().map_or(preferred, language_or_english);
    let contacts = page
        .contacts
        .clone()
        .unwrap_or_else(|| crate::backend::NoticeContacts {
            office: text.get("the_office").into(),
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
        .unwrap_or_else(|| text.get("your_coach").into());
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
    let time = page
        .appointment_at
        .map(|at| text.clock(at))
        .unwrap_or_else(|| text.get("time_to_write").to_owned());
    let missed = text.fill(
        "missed",
        &[
            ("what", &page.trigger.what),
            ("missed_on", &text.long_date(page.trigger.on)),
        ],
    );
    let in_language = if text.code == preferred.code {
        format!(
            "Printed in {} ({}), {}'s language.",
            text.name_in_english(),
            text.name(),
            person.name
        )
    } else {
        format!(
            "Printed in {} ({}); {} reads {}.",
            text.name_in_english(),
            text.name(),
            person.name,
            preferred.name_in_english()
        )
    };
    let others = languages()
        .iter()
        .filter(|other| other.code != text.code)
        .map(|other| {
            let href = format!("/episodes/{}/notice/print?lang={}", page.id, other.code);
            view! { <a href=href hreflang=other.code>{format!("Print in {} instead", other.name_in_english())}</a> }
        })
        .collect_view();
    view! {
        <Title text=format!("DHS 7869 notice — {}", person.name) />
        <p class="no-print"><a href=back.clone()>{format!("← {}", person.name)}</a></p>
        <p class="no-print actions">
            <PrintButton label="Print the notice".to_owned() />
            <span class="hint">"One page; your browser's Print command prints it too."</span>
        </p>
        <p class="no-print notice-language">
            <strong data-testid="notice-language">{in_language}</strong>
            " "
            {others}
        </p>
        <article class="notice-sheet" aria-labelledby="notice-title" lang=text.code>
            <header>
                <p class="form-id">{text.get("form_line")}</p>
                <h1 id="notice-title">{text.get("title")}</h1>
            </header>
            <dl class="facts">
                <dt>{text.get("to")}</dt>
                <dd>
                    {person.name.clone()}
                    {person.address.clone().map(|a| view! { <br /> {a} })}
                </dd>
                <dt>{text.get("case_number")}</dt>
                <dd>{person.case_number.clone()}</dd>
            </dl>
            <p>{missed}</p>
            <dl class="facts appointment">
                <dt>{text.get("date")}</dt>
                <dd>{text.long_date(on)}</dd>
                <dt>{text.get("time")}</dt>
                <dd>{time}</dd>
                <dt>{text.get("place")}</dt>
                <dd>{place}</dd>
            </dl>
            <p>{text.get("talk")}</p>
            <dl class="facts">
                <dt>{text.get("your_coach")}</dt>
                <dd>{coach}</dd>
                <dt>{text.get("reach")}</dt>
                <dd>{if reach.is_empty() { contacts.office_phone.clone().unwrap_or_default() } else { reach }}</dd>
                {contacts.office_phone.clone().map(|phone| view! { <dt>{text.get("office_phone")}</dt> <dd>{phone}</dd> })}
            </dl>
            // For the office's file, in English whatever the participant's language.
            <p class="file-copy" lang="en">
                {format!("For the file: mail this notice by {mail_by} — at least 7 days before the appointment (R15).")}
                {page.notice_mailed_on.map(|day| format!(" Mailed on {}.", long_date(day)))}
                {format!(" Printed in {}.", text.name_in_english())}
            </p>
        </article>
    }
    .into_any()
}

//! The staffing preparation checklist (R21, after the voluntary form DHS 7825V), for the
//! coach and the team before the re-engagement staffing, and printable on one page. What the
//! record answers (attempts R13, the notice R15, missing information R17, partners' releases
//! R19) is ticked by `core`; the rest are reminders a person ticks off on paper.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::long_date;

use crate::backend::{ChecklistLine, EpisodePage, Purpose};
use crate::components::with_episode::WithEpisode;
use crate::live::buttons::PrintButton;

#[component]
pub fn ChecklistRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Staffing preparation checklist"
            purpose=Purpose::PrepareStaffing
            show=|page| view! { <Checklist page /> }.into_any()
        />
    }
}

/// "Done", "Not yet", or a box to tick by hand.
fn state(line: &ChecklistLine) -> (&'static str, &'static str) {
    match line.done {
        Some(true) => ("check done", "Done"),
        Some(false) => ("check missing", "Not yet"),
        None => ("check manual", "To check"),
    }
}

#[component]
fn Checklist(page: EpisodePage) -> impl IntoView {
    let open = page
        .checklist
        .iter()
        .filter(|l| l.done == Some(false))
        .count();
    let lines = page
        .checklist
        .iter()
        .map(|line| {
            let (class, words) = state(line);
            view! {
                <li class=class>
                    <span class="check-state">{words}</span>
                    {format!(" {} ({})", line.label, line.rule)}
                </li>
            }
        })
        .collect_view();
    let summary = match open {
        0 => "Everything the record can show is done; check the reminders by hand.".to_owned(),
        1 => "1 item the record shows is not done yet.".to_owned(),
        n => format!("{n} items the record shows are not done yet."),
    };
    view! {
        <Title text=format!("Staffing preparation checklist — {}", page.participant.name) />
        <p class="no-print"><a href=format!("/episodes/{}", page.id)>{format!("← {}", page.participant.name)}</a></p>
        <h1>"Staffing preparation checklist"</h1>
        <p class="lead">
            {format!("{} — case {}", page.participant.name, page.participant.case_number)}
            {page.appointment_on.map(|on| format!(" — re-engagement appointment on {}", long_date(on)))}
        </p>
        <p class="form-id">"After DHS 7825V (voluntary), R21"</p>
        <div class="summary-box"><p>{summary}</p></div>
        <ul class="checklist">{lines}</ul>
        <p class="no-print actions">
            <PrintButton label="Print the checklist".to_owned() />
        </p>
    }
}

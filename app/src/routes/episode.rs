//! The participant and the episode: who (phone with its in-service status, e-mail, the address
//! for department staff), the PDP steps, the episode as a step indicator through its stages
//! (docs/rules.md), every deadline from `core` with its status, the next action, and the
//! history of attempts and narratives. Rendered whole on the server (works without
//! JavaScript); the server answers only for a record the signed-in person may reach.

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::episode::{Deadline, DeadlineStatus, Stage, Urgency};
use reengage_core::long_date;

use crate::backend::{EpisodePage, Purpose};
use crate::components::narratives::{Narratives, Returned};
use crate::components::new_staffing::NewStaffingRequest;
use crate::components::with_episode::WithEpisode;
use crate::forms::narrative::NarrativeForm;
use crate::forms::query::{ERROR, Query};

#[component]
pub fn EpisodeRoute() -> impl IntoView {
    view! {
        <WithEpisode
            title="Episode"
            purpose=Purpose::Read
            show=|page| view! { <EpisodeView page /> }.into_any()
        />
    }
}

/// "Met on Monday, November 30, 2026", "Overdue by 2 business days", …
fn status_words(deadline: &Deadline) -> String {
    match (deadline.status, Urgency::of(deadline.status)) {
        (DeadlineStatus::Met { on, late: false }, _) => format!("Met on {}", long_date(on)),
        (DeadlineStatus::Met { on, late: true }, _) => format!("Met late, on {}", long_date(on)),
        (_, Some(urgency)) => urgency.label(),
        (_, None) => String::new(),
    }
}

#[component]
fn EpisodeView(page: EpisodePage) -> impl IntoView {
    let person = page.participant.clone();
    // After a form: what was saved.
    let query = Query::current();
    let saved = query.get("saved").and_then(|what| {
        Some(match what.as_str() {
            "miss" => "The missed activity is recorded and the episode is open.",
            "attempt" => "The attempt is saved.",
            "contact" => "The contact is saved.",
            "appointment" => "The appointment is saved.",
            "notice" => "The notice is saved.",
            "good-cause" => {
                "Good cause is recorded: the episode is closed with no disqualification (R23)."
            }
            "narrative" => "The narrative is saved.",
            "new-staffing" => "A new staffing is requested: the episode is back at staffing (R24).",
            _ => return None,
        })
    });
    // A refused narrative save comes back with the text typed.
    let typed = |name: &str| query.get(name).filter(|v| !v.is_empty());
    let returned = Returned {
        draft: typed("draft"),
        narrative: typed("narrative").and_then(|n| n.parse().ok()),
        body: query.get(NarrativeForm::BODY),
        error: typed(ERROR),
    };
    let department = page.contacts.is_some();
    let reviewable = matches!(page.stage, Stage::Decided | Stage::Finalized);
    let new_staffing_error = (query.get("form").as_deref() == Some("new-staffing"))
        .then(|| typed(ERROR))
        .flatten();
    let workspace = department
        && matches!(
            page.stage,
            Stage::AppointmentScheduled | Stage::Staffing | Stage::Decided | Stage::Finalized
        );
    // R8: contact at any time before the decision lets the plan be adjusted.
    let undecided = !matches!(page.stage, Stage::Decided | Stage::Finalized);
    let contact_open = department && undecided;
    let path = page.stage.path();
    let current = path
        .iter()
        .position(|stage| *stage == page.stage)
        .unwrap_or(0);
    let steps = path
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            let (class, state) = match index.cmp(&current) {
                std::cmp::Ordering::Less => ("step complete", "completed"),
                std::cmp::Ordering::Equal => ("step current", "current"),
                std::cmp::Ordering::Greater => ("step", "not completed"),
            };
            view! {
                <li class=class aria-current=(index == current).then_some("step")>
                    {stage.label()}
                    <span class="visually-hidden">{format!(" ({state})")}</span>
                </li>
            }
        })
        .collect_view()
        .into_any();
    let phone = match (person.phone.clone(), person.phone_in_service) {
        (Some(phone), true) => view! {
            <a href=format!("tel:{phone}")>{phone.clone()}</a>
            " (in service)"
        }
        .into_any(),
        (Some(phone), false) => view! {
            {phone}
            " — not in service: consider an offsite visit (R7)"
        }
        .into_any(),
        (None, _) => view! { "none on file" }.into_any(),
    };
    let deadlines = page
        .deadlines
        .iter()
        .map(|deadline| {
            view! {
                <tr>
                    <td>{deadline.why.clone()}</td>
                    <td>{deadline.rule.to_string()}</td>
                    <td>{long_date(deadline.due)}</td>
                    <td>{status_words(deadline)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let attempts = page
        .attempts
        .iter()
        .map(|attempt| {
            view! {
                <li>
                    <strong>{long_date(attempt.on)}</strong>
                    {format!(
                        " — {}, {}, by {}",
                        attempt.method.label(),
                        attempt.outcome.label().to_lowercase(),
                        attempt.by_initials,
                    )}
                    {attempt.note.clone().map(|note| view! { <br /> <span class="hint">{note}</span> })}
                </li>
            }
        })
        .collect_view()
        .into_any();
    let pdp = person
        .pdp_steps
        .iter()
        .map(|step| {
            let until = step.ends_on.map(|end| format!(" to {}", long_date(end))).unwrap_or_default();
            let at = step.scheduled_time.map(|time| format!(" at {}", time.format("%-I:%M %p"))).unwrap_or_default();
            view! { <li>{format!("{} — from {}{until}{at}", step.code, long_date(step.starts_on))}</li> }
        })
        .collect_view()
        .into_any();
    let no_attempts = page.attempts.is_empty();
    let no_pdp = person.pdp_steps.is_empty();
    view! {
        <Title text=person.name.clone() />
        <p><a href="/today">"← Today"</a></p>
        <h1>{person.name.clone()}</h1>
        <dl class="facts">
            <dt>"Case number"</dt>
            <dd>{person.case_number.clone()}</dd>
            <dt>"Phone"</dt>
            <dd>{phone}</dd>
            <dt>"E-mail"</dt>
            <dd>{person.email.clone().unwrap_or_else(|| "none on file".into())}</dd>
            {person.address.clone().map(|address| view! { <dt>"Address"</dt> <dd>{address}</dd> })}
        </dl>
        <p class="lead">
            {format!("Missed the {} on {}", page.trigger.what, long_date(page.trigger.on))}
            {page.trigger.at.map(|at| format!(" at {}", at.format("%-I:%M %P")))}
        </p>
        {saved.map(|said| view! { <p class="alert alert-success" role="status">{said}</p> })}
        {(!page.closed).then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/episodes/{}/attempt", page.id)>
                    "Log a contact attempt"
                </a>
                {contact_open.then(|| view! {
                    <a class="button" href=format!("/episodes/{}/contact", page.id)>
                        "Record contact made"
                    </a>
                })}
                {(department && matches!(page.stage, Stage::InviteToReengagement | Stage::ContactMade)).then(|| view! {
                    <a class="button" href=format!("/episodes/{}/appointment", page.id)>
                        "Schedule the re-engagement appointment"
                    </a>
                })}
                {(department && page.stage == Stage::AppointmentScheduled).then(|| view! {
                    <a class="button button-secondary" href=format!("/episodes/{}/appointment", page.id)>
                        "Reschedule the appointment"
                    </a>
                })}
                {(department && page.stage == Stage::AppointmentScheduled && page.notice_mailed_on.is_none()).then(|| view! {
                    <a class="button" href=format!("/episodes/{}/notice", page.id)>
                        "Record the notice mailed"
                    </a>
                })}
                {(department && matches!(page.stage, Stage::InviteToReengagement | Stage::AppointmentScheduled | Stage::Staffing)).then(|| view! {
                    <a class="button button-secondary" href=format!("/episodes/{}/checklist", page.id)>
                        "Staffing preparation checklist"
                    </a>
                })}
                {(department && page.appointment_on.is_some()).then(|| view! {
                    <a class="button button-secondary" href=format!("/episodes/{}/notice/print", page.id)>
                        "Print the DHS 7869 notice"
                    </a>
                })}
                {(page.may_give_good_cause && undecided).then(|| view! {
                    <a class="button button-secondary" href=format!("/episodes/{}/good-cause", page.id)>
                        "Give good cause (case manager)"
                    </a>
                })}
            </p>
        })}
        {workspace.then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/episodes/{}/staffing", page.id)>"Staffing workspace"</a>
            </p>
        })}
        <h2>"Where the episode stands"</h2>
        <ol class="step-indicator" aria-label="Re-engagement stages">{steps}</ol>
        {page
            .next_action
            .clone()
            .map(|next| {
                view! {
                    <div class="summary-box">
                        <p>
                            <span class="visually-hidden">"Next action: "</span>
                            {format!("{} ({})", next.text, next.rule)}
                        </p>
                    </div>
                }
            })}
        {page.closed.then(|| view! { <p class="lead">"This episode is closed."</p> })}
        <table class="deadlines">
            <caption>{format!("Deadlines on {}", long_date(page.today))}</caption>
            <thead>
                <tr>
                    <th scope="col">"What"</th>
                    <th scope="col">"Rule"</th>
                    <th scope="col">"Due by"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{deadlines}</tbody>
        </table>
        <h2>"Personal Development Plan"</h2>
        {no_pdp.then(|| view! { <p class="empty">"No PDP steps on file."</p> })}
        <ul class="history">{pdp}</ul>
        <h2>"Contact attempts"</h2>
        {no_attempts.then(|| view! { <p class="empty">"No attempt logged yet."</p> })}
        <ol class="history">{attempts}</ol>
        {reviewable.then(|| view! {
            <NewStaffingRequest episode_id=page.id version=page.version back="" error=new_staffing_error />
        })}
        <Narratives episode_id=page.id drafts=page.drafts.clone() saved=page.narratives.clone() returned />
    }
}

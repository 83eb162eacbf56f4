//! R29: every engagement contact and re-engagement effort of a period that did not end in a
//! disqualification, for one coach or the whole branch, with where each stands (`core`'s
//! `effort_outcome`) and a CSV download of the same rows. The filter is a plain GET form.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use reengage_core::long_date;

use crate::backend::{EffortsFilter, EffortsView, PageError, efforts};
use crate::components::paging::Paging;

const TITLE: &str = "Efforts without disqualification (R29)";

#[component]
pub fn EffortsRoute() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let query = query.read();
        let get = |name: &str| query.get(name).unwrap_or_default();
        EffortsFilter {
            coach: get("coach"),
            from: get("from"),
            to: get("to"),
            after: get("after"),
        }
    };
    let view = Resource::new(filter, |f| efforts(f.coach, f.from, f.to, Some(f.after)));
    view! {
        <Suspense fallback=|| view! {
            <Title text=TITLE />
            <p role="status">"Loading the efforts…"</p>
        }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => EitherOf3::A(view! { <Efforts view /> }),
                    Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
                    Err(error) => EitherOf3::C(view! {
                        <Title text=TITLE />
                        <h1>{TITLE}</h1>
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        <p><a href="/today">"Back to Today"</a></p>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Efforts(view: EffortsView) -> impl IntoView {
    let coach = view.coach.map(|c| c.to_string()).unwrap_or_default();
    let download = format!(
        "/branch/efforts.csv?coach={coach}&from={}&to={}",
        view.from, view.to
    );
    let count = view.rows.len();
    // The misses of the period page by keyset, the newest first: never a silent cut.
    let paging = (view.later || view.next.is_some()).then(|| {
        let here = format!(
            "/branch/efforts?coach={coach}&from={}&to={}",
            view.from, view.to
        );
        let said = if view.next.is_some() {
            "The period has older misses after these."
        } else {
            "These are the period's oldest misses."
        };
        view! {
            <Paging
                label="More efforts"
                said=said.to_owned()
                next=view.next.clone().map(|next| format!("{here}&after={next}"))
                first=view.later.then(|| here.clone())
                first_label="Back to the newest"
            />
        }
    });
    let rows = view
        .rows
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <th scope="row">
                        <a href=format!("/episodes/{}", row.episode_id)>{row.participant.clone()}</a>
                    </th>
                    <td>{row.case_number.clone()}</td>
                    <td>{row.coach.clone().unwrap_or_else(|| "No coach".into())}</td>
                    <td>{long_date(row.missed_on)}</td>
                    <td>{row.missed.clone()}</td>
                    <td>{row.attempts}</td>
                    <td>{row.outcome.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let coaches = view
        .coaches
        .iter()
        .map(|(id, name)| {
            view! { <option value=id.to_string() selected=view.coach == Some(*id)>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <Title text=TITLE />
        <p><a href="/branch">"← Branch at a glance"</a></p>
        <h1>{TITLE}</h1>
        <p class="lead">
            {format!("Misses from {} to {}", long_date(view.from), long_date(view.to))}
        </p>
        {view.problem.clone().map(|problem| view! {
            <p class="alert alert-error" role="alert">{problem}</p>
        })}
        {(view.truncated && !view.later).then(|| view! {
            <p class="alert alert-info" role="status">
                "The period has more misses than this page measures (the newest 1,000): Show more, at the end of the list, measures the next; the CSV download holds every one."
            </p>
        })}
        {view.later.then(|| view! {
            <p class="alert alert-info" role="status">"These efforts are of older misses of the period, after the newest."</p>
        })}
        <form method="get" action="/branch/efforts" class="filters">
            <div class="field">
                <label for="coach">"Coach"</label>
                <select id="coach" name="coach">
                    <option value="">"Every coach"</option>
                    {coaches}
                </select>
            </div>
            <div class="field">
                <label for="from">"Missed from"</label>
                <input type="date" id="from" name="from" value=view.from.to_string() />
            </div>
            <div class="field">
                <label for="to">"Missed to"</label>
                <input type="date" id="to" name="to" value=view.to.to_string() />
            </div>
            <button type="submit" class="button">"Show"</button>
        </form>
        <p class="actions">
            // `download` and `rel="external"`: the browser fetches the file, not the router.
            <a class="button button-secondary" href=download download rel="external">
                "Download CSV"
            </a>
        </p>
        <table class="data episodes">
            <caption>{format!("Efforts without disqualification ({count})")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Participant"</th>
                    <th scope="col">"Case"</th>
                    <th scope="col">"Coach"</th>
                    <th scope="col">"Missed on"</th>
                    <th scope="col">"What was missed"</th>
                    <th scope="col">"Attempts"</th>
                    <th scope="col">"Where it stands"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {paging}
    }
    .into_any()
}

//! The staffing workspace of an episode (R17–R27, R30), for the department staff of its
//! branch on a desktop (and a phone): the missing information that blocks a determination,
//! each resolvable in place; the staffing — the team (R18), partners with an MCS 3010 (R19),
//! the barrier review (R20), good cause (R23) and the team's strategies and next steps (R30);
//! the decision, with `core`'s DQ1 readiness list live while a DQ1 is considered (R26); the
//! finalization with the steps after a DQ1 (R27), read-only once finalized; a new staffing on
//! new information (R24); and the staffing and decision narratives (R22, R25).
//!
//! Every form is a plain POST that works before the wasm has loaded; the server re-checks
//! everything with the same `core` functions and answers a refusal here, with what was typed.

mod decided;
mod missing;
mod presence;
mod team_form;

use leptos::prelude::*;
use leptos_meta::Title;
use reengage_core::long_date;

use crate::backend::{StaffingPage, staffing};
use crate::components::narratives::{Narratives, Returned};
use crate::components::with_episode::load_episode_page;
use crate::forms::narrative::NarrativeForm;
use crate::forms::query::{ERROR, Query};

#[component]
pub fn StaffingRoute() -> impl IntoView {
    load_episode_page("Staffing", staffing, |page| {
        view! { <StaffingView page /> }.into_any()
    })
}

fn saved_words(what: &str) -> Option<&'static str> {
    Some(match what {
        "staffing" => "The staffing is saved.",
        "decision" => "The staffing and the decision are saved.",
        "missing" => "The missing information is added.",
        "gathered" => "The information is marked gathered.",
        "steps" => "The steps after the DQ1 are saved.",
        "finalized" => "The DQ1 is finalized. The decision is now read-only.",
        "new-staffing" => "A new staffing is requested: the episode is back at staffing.",
        "presence" => "Your presence at the staffing is confirmed (R18).",
        "narrative" => "The narrative is saved.",
        _ => return None,
    })
}

#[component]
fn StaffingView(page: StaffingPage) -> impl IntoView {
    let query = Query::current();
    let typed = |name: &str| query.typed(name);
    let saved = typed("saved").and_then(|what| saved_words(&what));
    // A refusal names the form it came back to; the others show as they are.
    let form = typed("form").unwrap_or_default();
    let error = typed(ERROR);
    let returned = |name: &str| (form == name).then(|| error.clone()).flatten();
    let narratives_returned = Returned {
        draft: typed("draft"),
        narrative: typed("narrative").and_then(|n| n.parse().ok()),
        body: query.get(NarrativeForm::BODY),
        error: (form.is_empty() || form == "narrative")
            .then(|| error.clone())
            .flatten(),
    };
    let title = format!("Staffing — {}", page.participant);
    let decided = page.facts.decision.is_some();
    let earlier = (!page.earlier.is_empty()).then(|| {
        let items = page
            .earlier
            .iter()
            .map(|d| {
                let finalized = d
                    .finalized_on
                    .map(|on| format!(", finalized {}", long_date(on)))
                    .unwrap_or_default();
                view! {
                    <li>
                        <strong>{d.outcome.label()}</strong>
                        {format!(
                            " — decided {}{finalized}; superseded {} by a new staffing: {} (R24)",
                            long_date(d.decided_on),
                            long_date(d.superseded_on),
                            d.reason
                        )}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>"Earlier decisions"</h2>
            <ol class="history superseded">{items}</ol>
        }
    });
    let form_shown = !(decided || page.closed) && page.may.record;
    let body = if page.closed && !decided {
        view! { <p class="lead">"This episode is closed: there is no staffing to hold."</p> }
            .into_any()
    } else if decided {
        view! { <decided::Decided page=page.clone() returned=returned("finalization") reason_error=returned("new-staffing") /> }.into_any()
    } else if page.may.record {
        view! { <team_form::TeamForm page=page.clone() error=returned("staffing") query=Query::current() /> }.into_any()
    } else {
        view! {
            {page.facts.staffing.clone().map(|staffing| view! { <decided::StaffingSummary staffing /> })}
            <p class="alert alert-info">
                "The staffing is recorded by an engagement specialist, an operations manager or a lead worker."
            </p>
        }
        .into_any()
    };
    view! {
        <Title text=title.clone() />
        <p><a href=format!("/episodes/{}", page.id)>{format!("← {}", page.participant)}</a></p>
        <h1>{title}</h1>
        <p class="lead">
            {format!(
                "Case {} — {}; missed the {} on {}",
                page.case_number,
                page.stage.label(),
                page.facts.trigger.what,
                long_date(page.facts.trigger.on)
            )}
            {page.facts.appointment.as_ref().map(|a| format!("; re-engagement appointment {}", long_date(a.on)))}
        </p>
        {saved.map(|said| view! { <p class="alert alert-success" role="status">{said}</p> })}
        // A refusal of a form the page no longer shows (the staffing form once decided) is
        // said at the top.
        {(form.is_empty() || (form == "staffing" && (decided || page.closed))).then(|| error.clone()).flatten().map(|error| view! {
            <p class="alert alert-error" role="alert">{error}</p>
        })}
        <missing::MissingInfo page=page.clone() error=returned("missing") with_form=form_shown.then_some(team_form::STAFFING_FORM) />
        <presence::Presence page=page.clone() error=returned("presence") />
        {body}
        {earlier}
        <Narratives episode_id=page.id drafts=page.drafts.clone() saved=page.narratives.clone() returned=narratives_returned back=NarrativeForm::TO_STAFFING />
    }
    .into_any()
}

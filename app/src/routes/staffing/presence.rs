//! R18 — no one person can impose a DQ1: who of the staffing's department members confirmed
//! "I was present" with their own sign-in, who has not, and for the signed-in person, if they
//! sat on the team and have not yet, the button that confirms it. A named row (someone without
//! an account of the branch) is listed and never counts toward the three.

use leptos::prelude::*;
use reengage_core::episode::{MIN_DEPARTMENT_STAFF, confirmations_needed};
use reengage_core::long_date;

use crate::backend::StaffingPage;

#[component]
pub fn Presence(page: StaffingPage, error: Option<String>) -> impl IntoView {
    let Some(staffing) = page.facts.staffing.clone() else {
        return ().into_any();
    };
    let name_of = |staff_id: i64| {
        page.team
            .iter()
            .find(|m| m.staff_id == staff_id)
            .map(|m| m.name.clone())
    };
    let rows = staffing
        .members
        .iter()
        .map(|member| {
            let who = match member.staff_id.and_then(name_of) {
                Some(name) => format!("{name} ({}), {}", member.initials, member.role.label()),
                None => format!("{}, {}", member.initials, member.role.label()),
            };
            let status = match (member.counts_toward_three(), member.confirmed_on) {
                (true, Some(on)) => format!("confirmed being present on {}", long_date(on)),
                (true, None) => "not yet confirmed".to_owned(),
                (false, _) if member.staff_id.is_none() => {
                    "named only (no account of the branch): does not count".to_owned()
                }
                (false, _) => "attends; does not count toward the three".to_owned(),
            };
            view! { <li><strong>{who}</strong>{format!(" — {status}")}</li> }
        })
        .collect_view();
    let waiting = confirmations_needed(&staffing);
    let mine = staffing
        .members
        .iter()
        .find(|m| m.staff_id == Some(page.viewer_id) && m.counts_toward_three());
    let may_confirm = mine.is_some_and(|m| m.confirmed_on.is_none())
        && !page.closed
        && page.facts.finalized_on.is_none();
    let summary = if waiting == 0 {
        format!(
            "{} department members confirmed: enough for a DQ1 (R18).",
            staffing.confirmed_department_staff()
        )
    } else {
        format!(
            "{} of the at least {MIN_DEPARTMENT_STAFF} department members a DQ1 needs confirmed ({waiting} more, R18).",
            staffing.confirmed_department_staff()
        )
    };
    let id = page.id;
    view! {
        <section aria-labelledby="presence" class="stack">
            <h2 id="presence">"Who confirmed being present (R18)"</h2>
            <p class="hint">
                "Each department member of the team confirms “I was present” with their own sign-in. A DQ1 and its finalization need three who did; a change to the team or its day clears the confirmations."
            </p>
            {error.map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })}
            <ul class="presence">{rows}</ul>
            <p class="alert alert-info" role="status">{summary}</p>
            {may_confirm.then(|| view! {
                <form method="post" action=format!("/episodes/{id}/staffing/presence")>
                    <button type="submit" class="button">
                        {format!("I was present at this staffing ({})", long_date(staffing.held_on))}
                    </button>
                </form>
            })}
        </section>
    }
    .into_any()
}

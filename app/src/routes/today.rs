//! Today: the signed-in coach's open work, most urgent first — overdue (by how many business
//! days), due today, at risk (due the next business day), upcoming. Each row is one line:
//! who (one tap opens the episode), what is due, by when, and why (the rule in plain
//! words), with a call button.
//!
//! The grouping and the order come from `reengage_core::episode::worklist`; the server
//! answers for the signed-in person only (its access table), and renders the whole page
//! before sending it, so it reads the same with JavaScript off.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use reengage_core::episode::Urgency;
use reengage_core::long_date;

use crate::backend::{PageError, TodayRow, TodayView, today};
use crate::components::paging::Paging;

#[component]
pub fn TodayPage() -> impl IntoView {
    let work = Resource::new(|| (), |_| today());
    view! {
        <Title text="Today" />
        <Suspense fallback=|| view! {
            <Title text="Today" />
            <p role="status">"Loading your work…"</p>
        }>
            {move || Suspend::new(async move {
                match work.await {
                    Ok(view) => EitherOf3::A(view! { <TodayList view /> }),
                    Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
                    Err(error) => {
                        // An admin has no list of their own: their work is the admin pages.
                        let refused = matches!(error, PageError::Forbidden(_));
                        EitherOf3::C(view! {
                            <h1>"Today"</h1>
                            <p class="alert alert-error" role="alert">{error.to_string()}</p>
                            {refused.then(|| view! {
                                <p><a href="/admin">"Offices and staff (admin)"</a></p>
                            })}
                        })
                    }
                }
            })}
        </Suspense>
    }
}

/// The four groups, most urgent first, with their headings.
const GROUPS: [(u8, &str); 4] = [
    (0, "Overdue"),
    (1, "Due today"),
    (2, "At risk — due next business day"),
    (3, "Upcoming"),
];

#[component]
fn TodayList(view: TodayView) -> impl IntoView {
    let count = |group: u8| {
        view.rows
            .iter()
            .filter(|row| row.work.urgency.group() == group)
            .count()
    };
    let counts = GROUPS.map(|(group, _)| count(group));
    let summary = format!(
        "{} overdue · {} due today · {} at risk · {} upcoming{}",
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        if view.later || view.next.is_some() {
            " on this page"
        } else {
            ""
        }
    );
    // The list pages by urgency, a page at a time: it never stops without saying so.
    let paging = (view.later || view.next.is_some()).then(|| {
        let shown = view.rows.len();
        let said = match (view.later, view.next.is_some()) {
            (false, _) => format!("These are your {shown} most urgent; there is more after them."),
            (true, true) => {
                format!("{shown} more, after the most urgent; there is more after them.")
            }
            (true, false) => format!("The last {shown}, after the most urgent."),
        };
        view! {
            <Paging
                label="More of your work"
                said
                next=view.next.clone().map(|next| format!("/today?after={next}"))
                first=view.later.then(|| "/today".to_owned())
                first_label="Back to the most urgent"
            />
        }
    });
    let empty = view.rows.is_empty() && view.to_confirm.is_empty();
    // R18: the staffings the signed-in person sat on and has not yet confirmed.
    let to_confirm = (!view.to_confirm.is_empty()).then(|| {
        let items = view
            .to_confirm
            .iter()
            .map(|row| {
                view! {
                    <li>
                        <a href=format!("/episodes/{}/staffing#presence", row.episode_id)>
                            {row.participant.clone()}
                        </a>
                        {format!(" — staffing of {}", long_date(row.held_on))}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="to-confirm">
                <h2 id="to-confirm">"Staffings waiting for your confirmation"</h2>
                <p class="hint">"Confirm you were present with your own sign-in: a DQ1 needs three department staff who did (R18)."</p>
                <ul class="history">{items}</ul>
            </section>
        }
    });
    // Supervisors also have the whole branch (the server checks it again).
    let supervisor = matches!(
        view.viewer.role.as_str(),
        "engagement_specialist" | "operations_manager" | "lead_worker"
    );
    let groups = GROUPS
        .into_iter()
        .filter(|(group, _)| count(*group) > 0)
        .map(|(group, heading)| {
            let rows: Vec<TodayRow> = view
                .rows
                .iter()
                .filter(|row| row.work.urgency.group() == group)
                .cloned()
                .collect();
            let heading_id = format!("group-{group}");
            let labelled_by = heading_id.clone();
            view! {
                <section aria-labelledby=labelled_by>
                    <h2 id=heading_id>{heading}</h2>
                    <ul class="work-list">
                        {rows.into_iter().map(|row| view! { <WorkRow row /> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="page-heading">
            <h1>"Today"</h1>
            <form method="post" action="/signout">
                <a href="/account/password">"Change password"</a>
                " "
                <a href="/account/email">"E-mail digest"</a>
                " "
                <button type="submit" class="button button-secondary">
                    "Sign out " {view.viewer.initials.clone()}
                </button>
            </form>
        </div>
        {(crate::forms::query::Query::current().typed("saved").as_deref() == Some("password")).then(|| view! {
            <p class="alert alert-success" role="status">"Your password is changed."</p>
        })}
        <p class="lead">{long_date(view.today)}</p>
        <div class="summary-box" role="status">
            <p>{summary}</p>
        </div>
        <p class="actions">
            <a class="button" href="/missed">"Record a missed activity"</a>
            {supervisor.then(|| view! {
                <a class="button button-secondary" href="/branch">"Branch at a glance"</a>
            })}
            {view.viewer.role.is_department().then(|| view! {
                <a class="button button-secondary" href="/participants">"Participants"</a>
            })}
        </p>
        {to_confirm}
        {empty
            .then(|| {
                view! {
                    <p class="empty">
                        "Nothing is due. When a participant misses an activity, the first contact will appear here."
                    </p>
                }
            })}
        {groups}
        {paging}
        <p class="hint">
            // `rel="external"`: the browser fetches the file, not the router.
            <a href="/calendar.ics" rel="external">"Your coming re-engagement appointments as a calendar (.ics)"</a>
            " · "
            <a href="/account/calendar">"Subscribe in your calendar app"</a>
        </p>
    }
}

#[component]
fn WorkRow(row: TodayRow) -> impl IntoView {
    let deadline = &row.work.deadline;
    let urgent = matches!(row.work.urgency, Urgency::Overdue(_) | Urgency::DueToday);
    let what = format!(
        "{} by {}",
        row.work.urgency.label(),
        long_date(deadline.due)
    );
    let why = format!("{} ({})", deadline.why, deadline.rule);
    let call = match (&row.phone, row.phone_in_service) {
        (Some(phone), true) => Some(
            view! {
                <a class="button" href=format!("tel:{phone}")>
                    "Call " <span class="visually-hidden">{row.participant.clone()}</span>
                </a>
            }
            .into_any(),
        ),
        // R7: a phone number not in service suggests an offsite visit.
        (Some(_), false) => Some(
            view! {
                <span class="hint">"Phone not in service — consider an offsite visit (R7)"</span>
            }
            .into_any(),
        ),
        (None, _) => None,
    };
    view! {
        <li class=if urgent { "work-row urgent" } else { "work-row" }>
            <div class="work-text">
                <a class="work-who" href=format!("/episodes/{}", row.episode_id)>
                    {row.participant.clone()}
                </a>
                <span class="work-what">{what}</span>
                <span class="work-why">{why}</span>
            </div>
            <div class="work-actions">
                {call}
                <a class="button button-secondary" href=format!("/episodes/{}/attempt", row.episode_id)>
                    "Log attempt " <span class="visually-hidden">{row.participant.clone()}</span>
                </a>
            </div>
        </li>
    }
}

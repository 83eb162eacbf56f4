//! The branch at a glance, for supervisors on a desktop: open episodes by stage, overdue and
//! at-risk work by coach, DQ1 decisions waiting for finalization (R26), this week's
//! re-engagement appointments — where the case review happens (R17) — and missing information
//! outstanding (R17), then every open episode with its most urgent deadline. Filters by
//! coach, stage and a due-by day are a plain GET form, so the page works before the wasm has
//! loaded; the list sorts by its column headers (links) and downloads as CSV with the same
//! filter (`crate::forms::branch`).
//! Every stage and deadline comes from `core`, on the office's today.

use chrono::{Datelike, Duration};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use reengage_core::episode::{Stage, Urgency};
use reengage_core::long_date;

use crate::backend::{BranchRow, BranchView, PageError, branch};
use crate::components::paging::Paging;
use crate::forms::branch::{BranchFilter, CoachSort, SortBy, coach_name};
use crate::forms::fields::code;

#[component]
pub fn BranchRoute() -> impl IntoView {
    let query = use_query_map();
    let period = move || {
        let query = query.read();
        (
            query.get("from").unwrap_or_default(),
            query.get("to").unwrap_or_default(),
        )
    };
    let view = Resource::new(period, |(from, to)| branch(from, to));
    // The filters and the order are read as the address changes (a column header is a link
    // the router follows in the page), over the rows already loaded.
    let filter = move || {
        let query = query.read();
        let get = |name: &str| query.get(name).unwrap_or_default();
        BranchFilter {
            coach: get("coach"),
            stage: get("stage"),
            due_by: get("due_by"),
            sort: get("sort"),
            dir: get("dir"),
            csort: get("csort"),
            cdir: get("cdir"),
        }
    };
    view! {
        <Suspense fallback=|| view! {
            <Title text="Branch at a glance" />
            <p role="status">"Loading the branch…"</p>
        }>
            {move || {
                let filter = filter();
                Suspend::new(async move {
                match view.await {
                    Ok(view) => EitherOf3::A(view! { <Dashboard view filter /> }),
                    Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
                    Err(error) => EitherOf3::C(view! {
                        <Title text="Branch at a glance" />
                        <h1>"Branch at a glance"</h1>
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        <p><a href="/today">"Back to Today"</a></p>
                    }),
                }
            })
            }}
        </Suspense>
    }
}

fn episode_link(row: &BranchRow) -> AnyView {
    view! { <a href=format!("/episodes/{}", row.episode_id)>{row.participant.clone()}</a> }
        .into_any()
}

/// A column header that sorts its table by its column (a link: works by keyboard and
/// without JavaScript), saying how the table is sorted now: `sorted` is `Some(descending)`
/// for the column sorted.
fn sort_header(label: &'static str, sorted: Option<bool>, href: String) -> AnyView {
    let order = sorted.map(|descending| {
        if descending {
            "descending"
        } else {
            "ascending"
        }
    });
    let arrow = match sorted {
        Some(false) => " ▲",
        Some(true) => " ▼",
        None => "",
    };
    let hint = match order {
        Some(order) => format!(", sorted {order}; select to reverse"),
        None => ", select to sort".to_owned(),
    };
    view! {
        <th scope="col" aria-sort=order>
            <a href=href>{label}<span aria-hidden="true">{arrow}</span><span class="visually-hidden">{hint}</span></a>
        </th>
    }
    .into_any()
}

/// The header of the open-episode list's column `by`.
fn episodes_header(
    filter: &BranchFilter,
    by: SortBy,
    label: &'static str,
) -> impl IntoView + use<> {
    let (now, descending) = filter.sort();
    sort_header(
        label,
        (now == by).then_some(descending),
        filter.sorted_by("/branch", by),
    )
}

/// The header of the work-by-coach table's column `by`.
fn coaches_header(
    filter: &BranchFilter,
    by: CoachSort,
    label: &'static str,
) -> impl IntoView + use<> {
    let (now, descending) = filter.coach_sort();
    sort_header(
        label,
        (now == by).then_some(descending),
        filter.coaches_sorted_by("/branch", by),
    )
}

#[component]
fn Dashboard(view: BranchView, filter: BranchFilter) -> impl IntoView {
    let coach_filter = filter.coach_id();
    let stage_filter = filter.stage();
    let due_by_problem = filter.due_by().err();
    let today = view.today;
    // The coach filter narrows everything; the stage and due-by filters the episode list.
    let mine: Vec<&BranchRow> = filter.mine(&view.rows);

    let stage_counts = Stage::ALL
        .into_iter()
        .map(|stage| {
            let n = mine.iter().filter(|row| row.stage == stage).count();
            view! { <tr><th scope="row">{stage.label()}</th><td>{n}</td></tr> }
        })
        .collect_view()
        .into_any();

    // Overdue, due today and at risk, per coach (R2–R17 deadlines from core).
    let by_coach = filter
        .coach_loads(&view.rows)
        .into_iter()
        .map(|load| {
            view! {
                <tr>
                    <th scope="row">{load.name}</th>
                    <td>{load.overdue}</td>
                    <td>{load.due_today}</td>
                    <td>{load.at_risk}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();

    let waiting: Vec<&BranchRow> = mine
        .iter()
        .copied()
        .filter(|row| row.awaiting_finalization)
        .collect();
    let no_waiting = waiting.is_empty();
    let waiting = waiting
        .into_iter()
        .map(|row| view! {
            <li>
                {episode_link(row)}
                {format!(" — {} — ", coach_name(row))}
                <a href=format!("/episodes/{}/staffing#finalization", row.episode_id)>
                    "Finalize"
                    <span class="visually-hidden">{format!(" the DQ1 of {}", row.participant)}</span>
                </a>
            </li>
        })
        .collect_view()
        .into_any();

    // This week, Monday to Friday of the office's today.
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let friday = monday + Duration::days(4);
    let mut this_week: Vec<&BranchRow> = mine
        .iter()
        .copied()
        .filter(|row| {
            row.appointment_on
                .is_some_and(|on| monday <= on && on <= friday)
        })
        .collect();
    this_week.sort_by_key(|row| row.appointment_on);
    let no_appointments = this_week.is_empty();
    let this_week = this_week
        .into_iter()
        .map(|row| {
            let on = row.appointment_on.map(long_date).unwrap_or_default();
            view! { <li>{format!("{on} — ")}{episode_link(row)}{format!(" ({})", coach_name(row))}</li> }
        })
        .collect_view()
        .into_any();

    let missing: Vec<&BranchRow> = mine
        .iter()
        .copied()
        .filter(|row| !row.missing_info.is_empty())
        .collect();
    let no_missing = missing.is_empty();
    let missing = missing
        .into_iter()
        .map(|row| {
            view! { <li>{episode_link(row)}{format!(": {}", row.missing_info.join("; "))}</li> }
        })
        .collect_view()
        .into_any();

    let listed = filter.listed(&view.rows);
    let listed_count = listed.len();
    let episodes = listed
        .into_iter()
        .map(|row| {
            let (due, why) = match &row.work {
                Some(work) => (
                    format!(
                        "{} — {}",
                        work.urgency.label(),
                        long_date(work.deadline.due)
                    ),
                    format!("{} ({})", work.deadline.why, work.deadline.rule),
                ),
                None => ("Nothing due".to_owned(), String::new()),
            };
            let urgent = row
                .work
                .as_ref()
                .is_some_and(|w| matches!(w.urgency, Urgency::Overdue(_) | Urgency::DueToday));
            view! {
                <tr class=urgent.then_some("urgent")>
                    <th scope="row">{episode_link(row)}</th>
                    <td>{coach_name(row)}</td>
                    <td>{row.stage.label()}</td>
                    <td>{due}</td>
                    <td>{why}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();

    let coach_options = view
        .coaches
        .iter()
        .map(|(id, name)| {
            view! { <option value=id.to_string() selected=coach_filter == Some(*id)>{name.clone()}</option> }
        })
        .collect_view()
        .into_any();
    let stage_options = Stage::ALL
        .into_iter()
        .map(|stage| view! { <option value=code(stage) selected=stage_filter == Some(stage)>{stage.label()}</option> })
        .collect_view()
        .into_any();

    let caption = if view.later {
        format!("Open episodes after the most urgent ({listed_count})")
    } else {
        format!("Open episodes ({listed_count})")
    };
    // The list pages by keyset, the most urgent first: never a silent cut.
    let paging = (view.later || view.next.is_some()).then(|| {
        let said = if view.next.is_some() {
            "There are more open episodes after these."
        } else {
            "These are the last open episodes."
        };
        view! {
            <Paging
                label="More open episodes"
                said=said.to_owned()
                next=view.next.clone().map(|next| format!("{}&after={next}", filter.address("/branch")))
                first=view.later.then(|| filter.address("/branch"))
                first_label="Back to the most urgent"
            />
        }
    });
    let summaries = (!view.later).then(|| {
        summaries_view(
            &view,
            &filter,
            stage_counts,
            by_coach,
            no_waiting,
            waiting,
            no_appointments,
            this_week,
            no_missing,
            missing,
        )
    });
    view! {
        <Title text="Branch at a glance" />
        <div class="page-heading">
            <h1>"Branch at a glance"</h1>
            <p class="actions">
                <a class="button button-secondary" href="/branch/efforts">"Efforts without DQ (R29)"</a>
                <a class="button button-secondary" href="/today">"Today"</a>
            </p>
        </div>
        <p class="lead">{format!("{} — {}", view.branch, long_date(today))}</p>
        {(view.truncated && !view.later).then(|| view! {
            <p class="alert alert-info" role="status">
                {if coach_filter.is_some() {
                    "This coach has more open episodes than the most urgent listed here, and the summaries count these only: Show more, at the end of the list, lists the next; the CSV download holds every one."
                } else {
                    "The branch has more open episodes than the most urgent listed here, and the summaries count these only: Show more, at the end of the list, lists the next; the CSV download holds every one."
                }}
            </p>
        })}
        {view.later.then(|| view! {
            <p class="alert alert-info" role="status">
                "These open episodes come after the most urgent; the summaries are on the first page."
            </p>
        })}
        <form method="get" action="/branch" class="filters">
            <div class="field">
                <label for="coach">"Coach"</label>
                <select id="coach" name="coach">
                    <option value="">"Every coach"</option>
                    {coach_options}
                </select>
            </div>
            <div class="field">
                <label for="stage">"Stage"</label>
                <select id="stage" name="stage">
                    <option value="">"Every stage"</option>
                    {stage_options}
                </select>
            </div>
            <div class="field">
                <label for="due_by">"Due by"</label>
                <input type="date" id="due_by" name="due_by" value=filter.due_by.clone() />
            </div>
            <input type="hidden" name="sort" value=filter.sort.clone() />
            <input type="hidden" name="dir" value=filter.dir.clone() />
            <input type="hidden" name="csort" value=filter.csort.clone() />
            <input type="hidden" name="cdir" value=filter.cdir.clone() />
            <div class="field">
                <label for="from">"Timeliness: missed from"</label>
                <input type="date" id="from" name="from" value=view.from.to_string() />
            </div>
            <div class="field">
                <label for="to">"to"</label>
                <input type="date" id="to" name="to" value=view.to.to_string() />
            </div>
            <button type="submit" class="button">"Show"</button>
        </form>
        {view.problem.clone().map(|problem| view! {
            <p class="alert alert-error" role="alert">{problem}</p>
        })}
        {due_by_problem.map(|problem| view! {
            <p class="alert alert-error" role="alert">{problem}</p>
        })}
        {summaries}
        <p class="actions">
            <a class="button button-secondary" href=format!("/branch.csv?{}", filter.query()) download>
                "Download the open episodes (CSV)"
            </a>
        </p>
        <table class="data episodes">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    {episodes_header(&filter, SortBy::Participant, "Participant")}
                    {episodes_header(&filter, SortBy::Coach, "Coach")}
                    {episodes_header(&filter, SortBy::Stage, "Stage")}
                    {episodes_header(&filter, SortBy::Due, "Most urgent")}
                    <th scope="col">"Why"</th>
                </tr>
            </thead>
            <tbody>{episodes}</tbody>
        </table>
        {paging}
    }
    .into_any()
}

/// What only the first page of the branch shows: the timeliness figures and the summaries
/// of its most urgent episodes.
#[allow(clippy::too_many_arguments)]
fn summaries_view(
    view: &BranchView,
    filter: &BranchFilter,
    stage_counts: AnyView,
    by_coach: AnyView,
    no_waiting: bool,
    waiting: AnyView,
    no_appointments: bool,
    this_week: AnyView,
    no_missing: bool,
    missing: AnyView,
) -> AnyView {
    view! {
        <div class="summary-box timeliness">
            <p>{format!("Timeliness of the misses from {} to {}", long_date(view.from), long_date(view.to))}</p>
            <p>{format!("First contacts within 1 business day (R2): {}", view.timeliness.first_contact.words())}</p>
            <p>{format!("Contacts made within the 2-business-day target (R8, a target: later contact still re-engages): {}", view.timeliness.contact.words())}</p>
            <p>{format!("DHS 7869 notices mailed at least 7 days before (R15): {}", view.timeliness.notice.words())}</p>
        </div>
        <div class="dashboard">
            <table class="data">
                <caption>"Open episodes by stage"</caption>
                <thead><tr><th scope="col">"Stage"</th><th scope="col">"Open"</th></tr></thead>
                <tbody>{stage_counts}</tbody>
            </table>
            <table class="data">
                <caption>"Overdue and at-risk work by coach"</caption>
                <thead>
                    <tr>
                        {coaches_header(filter, CoachSort::Coach, "Coach")}
                        {coaches_header(filter, CoachSort::Overdue, "Overdue")}
                        {coaches_header(filter, CoachSort::DueToday, "Due today")}
                        {coaches_header(filter, CoachSort::AtRisk, "At risk")}
                    </tr>
                </thead>
                <tbody>{by_coach}</tbody>
            </table>
        </div>
        <h2>"DQ1 decisions waiting for finalization (R26)"</h2>
        {no_waiting.then(|| view! { <p class="empty">"None."</p> })}
        <ul class="history">{waiting}</ul>
        <h2>"Staffings this week: the re-engagement appointments (R17)"</h2>
        {no_appointments.then(|| view! { <p class="empty">"None this week."</p> })}
        <ul class="history">{this_week}</ul>
        <h2>"Missing information outstanding (R17)"</h2>
        {no_missing.then(|| view! { <p class="empty">"None."</p> })}
        <ul class="history">{missing}</ul>
    }
    .into_any()
}

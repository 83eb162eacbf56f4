//! The end of a list that pages by keyset (Today, the branch's open episodes, the R29 view):
//! what this page is, "Show more" to the next page, and the way back to the first. A list
//! never stops without saying so.

use leptos::prelude::*;

/// The paging of a list: `said` (which page this is), the next page's address when there is
/// more, and the first page's address on a later page. `label` names the list for a screen
/// reader's landmarks ("More of your work").
#[component]
pub fn Paging(
    label: &'static str,
    said: String,
    next: Option<String>,
    first: Option<String>,
    first_label: &'static str,
) -> impl IntoView {
    let more = next.map(|href| {
        view! { <a class="button button-secondary" href=href>"Show more"</a> }
    });
    let first = first.map(|href| view! { <a href=href>{first_label}</a> });
    view! {
        <nav class="paging" aria-label=label>
            <p>{said}</p>
            <p class="actions">{more} {first}</p>
        </nav>
    }
}

//! The frame of every page: skip link, header, main landmark.

use leptos::prelude::*;

use crate::forms::query::{ERROR, Query, SECTION};

/// Given to every render when the database is the demo's: each page says so at its top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoData;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let demo = use_context::<DemoData>().map(|_| {
        view! {
            <p class="demo-banner">
                <strong>"Demo"</strong>
                " — fictional people and records only. Do not enter real case information here."
            </p>
        }
    });
    // A refused form is answered with its page rendered again: at the top, a link down to
    // the form and its reason (the page cannot be opened at the form's section).
    let sent_back = Query::current();
    let refused = sent_back
        .typed(SECTION)
        .filter(|_| sent_back.typed(ERROR).is_some())
        .map(|section| {
            view! {
                <p class="alert alert-error refused-summary">
                    "Not saved. "
                    <a href=format!("#{section}") rel="external">"Go to the form and its reason"</a>
                </p>
            }
        });
    view! {
        // `rel="external"` leaves the jump to the browser, which also moves keyboard focus;
        // the client-side router would only scroll.
        <a class="skip-link" href="#main" rel="external">
            "Skip to main content"
        </a>
        {demo}
        <header class="site-header">
            <a class="site-name" href="/">
                "Re-engage"
            </a>
        </header>
        <main id="main" class="page" tabindex="-1">
            {refused}
            {children()}
        </main>
    }
}

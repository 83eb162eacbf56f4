//! The frame of every page: skip link, header, main landmark.

use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        // `rel="external"` leaves the jump to the browser, which also moves keyboard focus;
        // the client-side router would only scroll.
        <a class="skip-link" href="#main" rel="external">
            "Skip to main content"
        </a>
        <header class="site-header">
            <a class="site-name" href="/">
                "Re-engage"
            </a>
        </header>
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
    }
}

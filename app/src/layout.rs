//! The frame of every page: skip link, header, main landmark.

use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
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

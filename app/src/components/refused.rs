//! The server's refusal of a form, shown at the top of the form it refused.

use leptos::prelude::*;

/// The server's refusal, shown at the top of the form it refused, with what to do.
#[component]
pub fn Refused(error: Option<String>, kept: &'static str) -> impl IntoView {
    error.map(|error| {
        view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>{kept}</p>
            </div>
        }
    })
}

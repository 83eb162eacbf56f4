use leptos::prelude::*;
use leptos_meta::Title;

/// The start page: where each piece of work begins.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Start" />
        <h1>"Re-engage"</h1>
        <p class="lead">
            "Plan and record each step of TANF/JOBS re-engagement, on time and in order."
        </p>
        <ul class="link-list">
            <li>
                <a href="/notice">"When must the DHS 7869 notice be mailed?"</a>
            </li>
            <li>
                <a href="/signin">"Sign in"</a>
            </li>
        </ul>
    }
}

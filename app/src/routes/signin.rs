//! The sign-in page: a plain form posted to the server, so it works before the wasm loads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let failed = query.get("failed").is_some();
    let throttled = query.get("throttled").is_some();
    let expired = query.get("expired").is_some();
    view! {
        <Title text="Sign in" />
        <h1>"Sign in"</h1>
        {failed
            .then(|| {
                view! {
                    <p class="alert alert-error" role="alert">
                        "That e-mail and password do not match an active account. Check both and try again."
                    </p>
                }
            })}
        {throttled
            .then(|| {
                view! {
                    <p class="alert alert-error" role="alert">
                        "Too many sign-in attempts. Wait 15 minutes and try again, or ask an admin to reset your password."
                    </p>
                }
            })}
        {expired
            .then(|| {
                view! {
                    <p class="alert alert-info" role="status">
                        "That sign-in was not finished within five minutes. Sign in again."
                    </p>
                }
            })}
        <form method="post" action="/signin" class="stack">
            <div class="field">
                <label for="email">"E-mail"</label>
                <input type="email" id="email" name="email" autocomplete="username" required />
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input
                    type="password"
                    id="password"
                    name="password"
                    autocomplete="current-password"
                    required
                />
            </div>
            <button type="submit" class="button">
                "Sign in"
            </button>
        </form>
    }
}

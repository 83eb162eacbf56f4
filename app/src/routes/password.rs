//! `/account/password`: a signed-in person chooses their own password, giving their current
//! one (ASVS 6.2.2). An admin-set password leads here at the next sign-in, before anything else.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::forms::password::PasswordForm;
use crate::forms::query::{ERROR, Query};

#[component]
pub fn PasswordPage() -> impl IntoView {
    let query = Query::current();
    let required = query.typed("required").is_some();
    let error = query.typed(ERROR);
    view! {
        <Title text="Change your password" />
        <h1>"Change your password"</h1>
        {required.then(|| view! {
            <p class="alert alert-info">
                "An admin set your password. Choose your own before you go on."
            </p>
        })}
        {error.map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })}
        <form method="post" action="/account/password" class="stack">
            <div class="field">
                <label for="current">"Current password"</label>
                <input type="password" id="current" name=PasswordForm::CURRENT autocomplete="current-password" required />
            </div>
            <div class="field">
                <label for="new">"New password"</label>
                <p class="hint" id="new-hint">
                    "At least 15 characters. A few words you will remember are best; common passwords are refused."
                </p>
                <input type="password" id="new" name=PasswordForm::NEW autocomplete="new-password"
                    minlength="15" maxlength="256" required aria-describedby="new-hint" />
            </div>
            <div class="field">
                <label for="again">"New password again"</label>
                <input type="password" id="again" name=PasswordForm::AGAIN autocomplete="new-password"
                    minlength="15" maxlength="256" required />
            </div>
            <button type="submit" class="button">"Change password"</button>
        </form>
        <p>"Your other signed-in devices are signed out, and your API tokens stop working."</p>
    }
}

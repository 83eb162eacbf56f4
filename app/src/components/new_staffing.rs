//! R24: the request for a new staffing on new information, on the episode page and in the
//! staffing workspace.

use crate::forms::query::Query;
use leptos::prelude::*;

use crate::forms::new_staffing::{MAX_REASON_CHARS, NewStaffingForm};

/// R24: anyone allowed may ask for a new staffing with the new information; the decision
/// stays in the history, superseded.
#[component]
pub fn NewStaffingRequest(
    episode_id: i64,
    version: i64,
    /// Where the form returns: [`NewStaffingForm::TO_STAFFING`] (the workspace) or "" (the
    /// episode page).
    back: &'static str,
    error: Option<String>,
) -> impl IntoView {
    let typed = Query::current()
        .get(NewStaffingForm::REASON)
        .filter(|_| error.is_some())
        .unwrap_or_default();
    view! {
        <section aria-labelledby="new-staffing">
            <h2 id="new-staffing">"New information (R24)"</h2>
            <p>"If information came to light after the decision, the team reviews it: request a new staffing. The decision stays in the history, marked superseded."</p>
            {error.map(|error| view! { <p class="alert alert-error" role="alert">{error}</p> })}
            <form method="post" action=format!("/episodes/{episode_id}/new-staffing") class="stack">
                <input type="hidden" name=NewStaffingForm::VERSION value=version.to_string() />
                <input type="hidden" name=NewStaffingForm::BACK value=back />
                <div class="field">
                    <label for="reason">"What came to light"</label>
                    <textarea id="reason" name=NewStaffingForm::REASON rows="3" required maxlength=MAX_REASON_CHARS.to_string()>{typed}</textarea>
                </div>
                <button type="submit" class="button button-secondary">"Request a new staffing"</button>
            </form>
        </section>
    }
    .into_any()
}

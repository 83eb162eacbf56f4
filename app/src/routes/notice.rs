//! "When must the notice be mailed?" — the DHS 7869 mailing deadline for an appointment
//! date (R15, R16), shown as the coach picks the date.
//!
//! The server renders the answer for the date in the URL (`/notice?appointment=2026-12-08`),
//! so the form works before the wasm has loaded; once live, the answer follows the input with
//! no round trip ([`crate::live`]). Both come from the same `reengage_core::notice_mail_by`.
//!
//! What the form sends: [`crate::forms::notice`]; what it says as it is filled in:
//! [`crate::checks::notice`].

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::checks::Check;
use crate::checks::said::Region;
use crate::forms::fields::Fields;
use crate::forms::notice::NoticeDateForm;
use crate::live::form::{LiveForm, Says};
use crate::live::state::LiveState;

#[component]
pub fn NoticePage() -> impl IntoView {
    let initial = use_query_map()
        .read_untracked()
        .get(NoticeDateForm::APPOINTMENT)
        .unwrap_or_default();
    let mut fields = Fields::default();
    fields.push(NoticeDateForm::APPOINTMENT, initial.clone());
    // Oregon's legal holidays and the day after Thanksgiving: the calculator is no office's.
    let state = LiveState::new(Check::NoticeDate, Vec::new(), fields).encode();
    view! {
        <Title text="Notice mailing date" />
        <h1>"When must the notice be mailed?"</h1>
        <LiveForm state>
            <form method="get" action="/notice" class="stack">
                <div class="field">
                    <label for="appointment">"Re-engagement appointment date"</label>
                    <p class="hint" id="appointment-hint">
                        "The DHS 7869 notice must be mailed at least 7 calendar days before the appointment. Oregon's holidays count here; an office's own closure days (a snow day) count on each episode's pages."
                    </p>
                    <input
                        type="date"
                        id="appointment"
                        name=NoticeDateForm::APPOINTMENT
                        aria-describedby="appointment-hint notice-answer"
                        value=initial
                    />
                </div>
                <button type="submit" class="button">
                    "Show mailing date"
                </button>
            </form>
            <Says region=Region::NoticeAnswer />
        </LiveForm>
    }
}

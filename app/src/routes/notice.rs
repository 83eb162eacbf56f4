//! "When must the notice be mailed?" — the DHS 7869 mailing deadline for an appointment
//! date (R15, R16), shown as the coach picks the date.
//!
//! The server renders the answer for the date in the URL (`/notice?appointment=2026-12-08`),
//! so the form works before the wasm has loaded; once live, the answer follows the input with
//! no round trip ([`crate::live`]). Both come from the same `reengage_core::notice_mail_by`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use reengage_core::{BusinessCalendar, long_date, notice_mail_by, parse_date_input};

use crate::live::{Block, Check, LiveForm, LiveState, Region, Said, Says};
use crate::staffing_form::Fields;

/// What the page says about the date typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAnswer {
    /// Nothing entered yet.
    Prompt,
    /// R15: the sentence with the latest mailing day.
    MailBy(String),
    /// A date that cannot be used, and what to do about it.
    Problem(String),
}

impl NoticeAnswer {
    /// The answer for `typed`, computed by the policy core.
    pub fn for_input(typed: &str, calendar: &BusinessCalendar) -> Self {
        if typed.trim().is_empty() {
            return Self::Prompt;
        }
        match parse_date_input(typed) {
            Err(problem) => Self::Problem(problem.to_string()),
            Ok(appointment) => match notice_mail_by(appointment, calendar) {
                Ok(day) => Self::MailBy(format!(
                    "The DHS 7869 notice must be mailed by {}",
                    long_date(day)
                )),
                Err(problem) => Self::Problem(problem.to_string()),
            },
        }
    }
}

/// What the calculator says for the date in its form (R15, R16).
pub fn said(calendar: &BusinessCalendar, fields: &Fields) -> Said {
    let block = match NoticeAnswer::for_input(fields.get("appointment"), calendar) {
        NoticeAnswer::Prompt => {
            Block::text("answer-prompt", "Pick a date to see the mailing deadline.")
        }
        NoticeAnswer::MailBy(sentence) => Block::text("alert alert-info answer-deadline", sentence),
        NoticeAnswer::Problem(message) => Block::text("alert alert-error answer-problem", message),
    };
    Said::default().with(Region::NoticeAnswer, vec![block])
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let initial = use_query_map()
        .read_untracked()
        .get("appointment")
        .unwrap_or_default();
    let mut fields = Fields::default();
    fields.push("appointment", initial.clone());
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
                        name="appointment"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r15_sentence_for_a_tuesday_appointment() {
        assert_eq!(
            NoticeAnswer::for_input("2026-12-08", &BusinessCalendar::oregon()),
            NoticeAnswer::MailBy(
                "The DHS 7869 notice must be mailed by Tuesday, December 1, 2026".into()
            )
        );
    }

    #[test]
    fn r15_mailing_day_moves_back_past_thanksgiving() {
        assert_eq!(
            NoticeAnswer::for_input("2026-12-04", &BusinessCalendar::oregon()),
            NoticeAnswer::MailBy(
                "The DHS 7869 notice must be mailed by Wednesday, November 25, 2026".into()
            )
        );
    }

    #[test]
    fn empty_input_prompts_and_bad_input_explains() {
        let calendar = BusinessCalendar::oregon();
        assert_eq!(
            NoticeAnswer::for_input(" ", &calendar),
            NoticeAnswer::Prompt
        );
        assert!(matches!(
            NoticeAnswer::for_input("next week", &calendar),
            NoticeAnswer::Problem(message) if message.contains("for example 2026-12-08")
        ));
        assert!(matches!(
            NoticeAnswer::for_input("2026-12-05", &calendar),
            NoticeAnswer::Problem(message) if message.contains("(R16)")
        ));
    }
}

//! "When must the notice be mailed?" — the DHS 7869 mailing deadline for an appointment
//! date (R15, R16), from `reengage_core::notice_mail_by`, on Oregon's calendar.

use reengage_core::{BusinessCalendar, long_date, notice_mail_by, parse_date_input};

use super::said::{Block, Region, Said};
use crate::forms::fields::Fields;
use crate::forms::notice::NoticeDateForm;

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
    let block = match NoticeAnswer::for_input(fields.get(NoticeDateForm::APPOINTMENT), calendar) {
        NoticeAnswer::Prompt => {
            Block::text("answer-prompt", "Pick a date to see the mailing deadline.")
        }
        NoticeAnswer::MailBy(sentence) => Block::text("alert alert-info answer-deadline", sentence),
        NoticeAnswer::Problem(message) => Block::text("alert alert-error answer-problem", message),
    };
    Said::default().with(Region::NoticeAnswer, vec![block])
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

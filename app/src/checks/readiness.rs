//! The DQ1 readiness list (R26) as the staffing and finalization forms say it: each unmet
//! item with its rule and a link to where it is fixed.

use reengage_core::episode::{FixAt, ReadinessItem};

use super::said::{Block, Item, Link};

/// Where an unmet item of the DQ1 readiness list is fixed: the words and the address.
pub fn fix_at(episode: i64, fix: FixAt) -> (&'static str, String) {
    match fix {
        FixAt::Attempts => (
            "log a contact attempt",
            format!("/episodes/{episode}/attempt"),
        ),
        FixAt::Appointment => (
            "the appointment and its notice",
            format!("/episodes/{episode}"),
        ),
        FixAt::Staffing => ("the team", "#team".to_owned()),
        FixAt::MissingInfo => ("the missing information", "#missing-info".to_owned()),
        FixAt::BarrierReview => ("the barrier review", "#barriers".to_owned()),
        FixAt::GoodCause => ("the good-cause questions", "#good-cause".to_owned()),
        FixAt::NextSteps => ("strategies and next steps", "#next-steps".to_owned()),
        FixAt::PostDq1 => ("the steps after the DQ1", "#finalization".to_owned()),
    }
}

/// The unmet items of the DQ1 guardrail (R26), each with its rule and a link to where it is
/// fixed.
pub fn unmet_list(episode: i64, items: &[ReadinessItem]) -> Block {
    Block::List {
        class: "unmet",
        items: items
            .iter()
            .map(|item| {
                let (words, href) = fix_at(episode, item.fix_at);
                Item {
                    text: format!("{} ({}) ", item.problem, item.rule),
                    link: Some(Link {
                        href,
                        words: format!("Fix: {words}"),
                    }),
                }
            })
            .collect(),
    }
}

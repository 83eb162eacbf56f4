//! What a check answers, as plain data: the blocks each region of the page shows and the
//! groups of fields turned off. The server renders it for the fields as they first stand, and
//! the island `crate::live::LiveForm` again on every change; one small renderer draws every
//! form's answer.

use serde::{Deserialize, Serialize};

/// A place on the page where a form's answer shows: each is a status region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    /// A quick form's answer.
    Answer,
    /// The notice calculator's answer, which its date field names as its description.
    NoticeAnswer,
    /// The staffing form: the team (R18), partners (R19), good cause (R23), and the decision
    /// with the DQ1 readiness list (R26).
    Team,
    Partners,
    Cause,
    Decision,
}

/// A group of fields that applies only to some answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    /// R9: the response window, only for a message left.
    ResponseWindow,
    /// R8: the plan adjusted with the participant — at any time before a decision; off only
    /// while the contact day itself is refused.
    PlanAdjusted,
}

/// A link in an answer: where something is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub words: String,
}

/// A line of a list in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub link: Option<Link>,
}

impl Item {
    pub fn text(text: impl Into<String>) -> Self {
        Item {
            text: text.into(),
            link: None,
        }
    }
}

/// A piece of an answer, as plain data: one small renderer draws every form's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `<p class>`
    Text { class: &'static str, text: String },
    /// `<ul class>` with an item per line.
    List {
        class: &'static str,
        items: Vec<Item>,
    },
    /// `<div class>` with an `<h3>` heading and the blocks under it.
    Section {
        class: &'static str,
        heading: &'static str,
        blocks: Vec<Block>,
    },
    /// A block shown only until the page runs in the browser: a page that cannot follow the
    /// form says everything the form may need.
    UntilLive(Box<Block>),
}

impl Block {
    pub fn text(class: &'static str, text: impl Into<String>) -> Self {
        Block::Text {
            class,
            text: text.into(),
        }
    }

    /// `core`'s answer to a quick form: its hints, or the problem to fix.
    pub fn feedback(said: Result<Vec<String>, String>) -> Self {
        match said {
            Ok(lines) => Block::hints(lines),
            Err(problem) => Block::text("alert alert-error", problem),
        }
    }

    /// `lines` as the hints list of a quick form.
    pub fn hints(lines: impl IntoIterator<Item = String>) -> Self {
        Block::List {
            class: "hints",
            items: lines.into_iter().map(Item::text).collect(),
        }
    }
}

/// `core`'s hints as a page says them: each sentence with its rule.
pub fn hint_lines(hints: impl IntoIterator<Item = reengage_core::episode::Hint>) -> Vec<String> {
    hints
        .into_iter()
        .map(|hint| format!("{} ({})", hint.text, hint.rule))
        .collect()
}

/// What a form says: the blocks of each region, and the groups of fields turned off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    regions: Vec<(Region, Vec<Block>)>,
    off: Vec<Group>,
}

impl Said {
    /// `blocks` in `region`.
    pub fn with(mut self, region: Region, blocks: Vec<Block>) -> Self {
        self.regions.push((region, blocks));
        self
    }

    /// `group` turned off when `off`.
    pub fn off_when(mut self, group: Group, off: bool) -> Self {
        if off {
            self.off.push(group);
        }
        self
    }

    pub fn blocks(&self, region: Region) -> &[Block] {
        self.regions
            .iter()
            .find(|(r, _)| *r == region)
            .map_or(&[], |(_, blocks)| blocks.as_slice())
    }

    pub fn is_off(&self, group: Group) -> bool {
        self.off.contains(&group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_shows_only_in_its_region_and_a_group_is_off_only_when_said() {
        let said = Said::default()
            .with(Region::Team, vec![Block::text("alert", "3 on the team")])
            .off_when(Group::ResponseWindow, true)
            .off_when(Group::PlanAdjusted, false);
        assert_eq!(said.blocks(Region::Team).len(), 1);
        assert!(said.blocks(Region::Cause).is_empty());
        assert!(said.is_off(Group::ResponseWindow));
        assert!(!said.is_off(Group::PlanAdjusted));
    }
}

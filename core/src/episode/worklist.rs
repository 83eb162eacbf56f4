//! The coach's Today list: for each open episode the most urgent deadline not yet met, in one
//! of four groups — overdue (by how many business days), due today, at risk (due the next
//! business day), upcoming — most urgent first.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::due::{Deadline, DeadlineStatus, deadlines};
use super::facts::EpisodeFacts;
use crate::calendar::BusinessCalendar;

/// How urgent a piece of work is on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Urgency {
    /// Past its due date by this many business days.
    Overdue(u32),
    DueToday,
    /// Due the next business day.
    AtRisk,
    /// Due in this many business days (two or more).
    Upcoming(u32),
}

impl Urgency {
    /// The group of a deadline's status; `None` when it is met.
    pub fn of(status: DeadlineStatus) -> Option<Self> {
        match status {
            DeadlineStatus::Met { .. } => None,
            DeadlineStatus::Overdue(days) => Some(Self::Overdue(days)),
            DeadlineStatus::DueToday => Some(Self::DueToday),
            DeadlineStatus::DueIn(1) => Some(Self::AtRisk),
            DeadlineStatus::DueIn(days) => Some(Self::Upcoming(days)),
        }
    }

    /// 0 for the most urgent group.
    pub fn group(self) -> u8 {
        match self {
            Self::Overdue(_) => 0,
            Self::DueToday => 1,
            Self::AtRisk => 2,
            Self::Upcoming(_) => 3,
        }
    }

    /// "Overdue by 2 business days", "Due today", "Due tomorrow"-style words for a row.
    pub fn label(self) -> String {
        match self {
            Self::Overdue(1) => "Overdue by 1 business day".to_owned(),
            Self::Overdue(days) => format!("Overdue by {days} business days"),
            Self::DueToday => "Due today".to_owned(),
            Self::AtRisk => "Due next business day".to_owned(),
            Self::Upcoming(days) => format!("Due in {days} business days"),
        }
    }
}

/// One row of the Today list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkItem {
    pub urgency: Urgency,
    pub deadline: Deadline,
}

/// The most urgent deadline of an episode not yet met on `today`, if any: the earliest due,
/// so an overdue step comes before one merely due.
pub fn work_item(
    facts: &EpisodeFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Option<WorkItem> {
    deadlines(facts, today, calendar)
        .into_iter()
        .filter_map(|deadline| {
            Urgency::of(deadline.status).map(|urgency| WorkItem { urgency, deadline })
        })
        .min_by_key(|item| item.deadline.due)
}

/// The order of the Today list: by group, then the longest overdue or the soonest due first.
pub fn most_urgent_first(a: &WorkItem, b: &WorkItem) -> Ordering {
    a.urgency
        .group()
        .cmp(&b.urgency.group())
        .then(a.deadline.due.cmp(&b.deadline.due))
}

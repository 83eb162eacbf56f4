//! How a branch meets the deadlines and targets it is measured on: first contact within one
//! business day of the miss (R2; R5 for a contractor's report, R6 for noncooperation), contact
//! made within the 2 business days of R8's target (R6's 5 for a pattern), and the DHS 7869
//! notice mailed at least seven days before the appointment (R15). Each comes from the
//! episode's own deadlines, so the figures say what the pages said.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::due::{DeadlineKind, DeadlineStatus, deadlines};
use super::facts::EpisodeFacts;
use crate::calendar::BusinessCalendar;

/// How one episode met each measured deadline: `Some(true)` in time, `Some(false)` late or
/// past due, `None` not yet due (or never due).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeliness {
    pub first_contact: Option<bool>,
    /// R8: of an episode where contact was made, whether it met the target (met or late).
    pub contact: Option<bool>,
    pub notice: Option<bool>,
}

fn in_time(status: DeadlineStatus) -> Option<bool> {
    match status {
        DeadlineStatus::Met { late, .. } => Some(!late),
        DeadlineStatus::Overdue(_) => Some(false),
        DeadlineStatus::DueToday | DeadlineStatus::DueIn(_) => None,
    }
}

/// How `facts` met the first-contact (R2, R5, R6) and notice (R15) deadlines as of `today`.
pub fn timeliness(
    facts: &EpisodeFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Timeliness {
    let mut result = Timeliness::default();
    for deadline in deadlines(facts, today, calendar) {
        match deadline.kind {
            DeadlineKind::FirstContact => result.first_contact = in_time(deadline.status),
            // R8 is a target: measured once contact was made.
            DeadlineKind::AdjustPlan => {
                if let DeadlineStatus::Met { late, .. } = deadline.status {
                    result.contact = Some(!late);
                }
            }
            DeadlineKind::NoticeMailing => result.notice = in_time(deadline.status),
            _ => {}
        }
    }
    result
}

/// The share of a deadline met in time among those measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub in_time: u32,
    pub measured: u32,
}

impl Share {
    fn add(&mut self, outcome: Option<bool>) {
        if let Some(in_time) = outcome {
            self.measured += 1;
            self.in_time += u32::from(in_time);
        }
    }

    /// "13 of 15 (87%)", or "none measured".
    pub fn words(self) -> String {
        if self.measured == 0 {
            return "none measured yet".to_owned();
        }
        let percent = (f64::from(self.in_time) * 100.0 / f64::from(self.measured)).round();
        format!("{} of {} ({percent}%)", self.in_time, self.measured)
    }
}

/// The branch's figures over a set of episodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinessFigures {
    /// R2, R5, R6.
    pub first_contact: Share,
    /// R8: contact made within the target (met) or after it (late).
    pub contact: Share,
    /// R15.
    pub notice: Share,
}

impl TimelinessFigures {
    pub fn add(&mut self, one: Timeliness) {
        self.first_contact.add(one.first_contact);
        self.contact.add(one.contact);
        self.notice.add(one.notice);
    }
}

//! Facts about the attempts that several rules share (R8, R9, R12, R13).

use chrono::NaiveDate;

use super::facts::{AttemptOutcome, EpisodeFacts};
use crate::calendar::BusinessCalendar;
use crate::deadlines::{contact_in_time_to_adjust, invite_to_reengagement_on};

/// R13: the index of the attempt with which there are at least two attempts, one in writing
/// and one in another format — "the second attempt" of R12. `None` while R13 is unmet.
pub fn qualifying_attempt(facts: &EpisodeFacts) -> Option<usize> {
    let mut written = false;
    let mut other = false;
    for (index, attempt) in facts.attempts.iter().enumerate() {
        if attempt.method.is_written() {
            written = true;
        } else {
            other = true;
        }
        if index >= 1 && written && other {
            return Some(index);
        }
    }
    None
}

/// R12: the day the invitation to a re-engagement appointment is due, once R13 is met.
pub fn invite_on(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Option<NaiveDate> {
    let attempt = &facts.attempts[qualifying_attempt(facts)?];
    if attempt.outcome == AttemptOutcome::Reached {
        return None;
    }
    invite_to_reengagement_on(attempt.on, calendar).ok()
}

/// R8: whether contact on `contact_on` came within two business days of the miss.
pub fn adjust_plan_in_time(
    facts: &EpisodeFacts,
    contact_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> bool {
    contact_in_time_to_adjust(facts.trigger.on, contact_on, calendar).unwrap_or(false)
}

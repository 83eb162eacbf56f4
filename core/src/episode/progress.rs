//! Facts about the attempts that several rules share (R8, R9, R12, R13, R14). Each is read
//! from the attempts' days and outcomes alone, never from the order they were entered in
//! (R10: an earlier attempt may be entered late), so no DQ1 guardrail item depends on it.

use chrono::NaiveDate;

use super::facts::{Attempt, AttemptOutcome, EpisodeFacts, TriggerKind};
use crate::calendar::BusinessCalendar;
use crate::deadlines::{
    adjust_plan_contact_by, follow_up_due, invite_to_reengagement_on, noncooperation_contact_due,
};

/// R14: the day of the second attempt that did not reach the participant — "the second
/// attempt" of R12. `None` while there are fewer than two. Attempts of one day are alike
/// here, so the order they were entered in does not matter.
pub fn second_unsuccessful_on(facts: &EpisodeFacts) -> Option<NaiveDate> {
    let mut days: Vec<NaiveDate> = facts
        .attempts
        .iter()
        .filter(|a| a.unsuccessful())
        .map(|a| a.on)
        .collect();
    days.sort_unstable();
    days.get(1).copied()
}

/// R13: at least two unsuccessful attempts, one in writing and one in another format (phone,
/// visit, e-mail).
pub fn written_and_other(facts: &EpisodeFacts) -> bool {
    let unsuccessful = || facts.attempts.iter().filter(|a| a.unsuccessful());
    unsuccessful().any(|a| a.method.is_written()) && unsuccessful().any(|a| !a.method.is_written())
}

/// R12: the day the invitation to a re-engagement appointment is due: three business days
/// after the second unsuccessful attempt (R14).
pub fn invite_on(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Option<NaiveDate> {
    invite_to_reengagement_on(second_unsuccessful_on(facts)?, calendar).ok()
}

/// R9: the first message left that waits for a reply, and the day its response window ends
/// (the follow-up attempt is due on or after it). Of messages left the same first day, the
/// one whose window ends last, so the order they were entered in does not matter.
pub fn first_message<'a>(
    facts: &'a EpisodeFacts,
    calendar: &BusinessCalendar,
) -> Option<(&'a Attempt, NaiveDate)> {
    let messages = || {
        facts.attempts.iter().filter_map(|a| match a {
            Attempt {
                outcome: AttemptOutcome::MessageLeft,
                response_window: Some(window),
                ..
            } => follow_up_due(a.on, *window, calendar)
                .ok()
                .map(|due| (a, due)),
            _ => None,
        })
    };
    let first_day = messages().map(|(a, _)| a.on).min()?;
    messages()
        .filter(|(a, _)| a.on == first_day)
        .max_by_key(|(_, due)| *due)
}

/// R9: the follow-up attempt after the first message's window: the first attempt on or after
/// the window's end. Another channel used inside the window (a letter mailed the same day as
/// a voicemail) is not the follow-up and never blocks anything.
pub fn follow_up_after(facts: &EpisodeFacts, window_end: NaiveDate) -> Option<&Attempt> {
    facts
        .attempts
        .iter()
        .filter(|a| a.on >= window_end)
        .min_by_key(|a| a.on)
}

/// R8 (with R6 for a pattern of noncooperation): the last day of the *timeliness target* for
/// contact — 2 business days after the miss, or R6's 5 business days after the pattern came
/// to light. A target, not a gate: contact later still lets the plan be adjusted.
pub fn contact_target(facts: &EpisodeFacts, calendar: &BusinessCalendar) -> Option<NaiveDate> {
    let trigger = &facts.trigger;
    match trigger.kind {
        TriggerKind::PatternOfNoncooperation => noncooperation_contact_due(trigger.on, calendar),
        _ => adjust_plan_contact_by(trigger.on, calendar),
    }
    .ok()
}

/// R8: whether contact on `contact_on` met the timeliness target.
pub fn contact_on_target(
    facts: &EpisodeFacts,
    contact_on: NaiveDate,
    calendar: &BusinessCalendar,
) -> bool {
    contact_target(facts, calendar).is_some_and(|by| contact_on <= by)
}

/// R8: the plan was adjusted with the participant after contact: the episode is re-engaged
/// (whenever the contact came, as long as no decision was made first).
pub fn plan_adjusted(facts: &EpisodeFacts) -> bool {
    facts.contact_made.as_ref().is_some_and(|c| c.plan_adjusted)
}

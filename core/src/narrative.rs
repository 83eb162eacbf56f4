//! Narrative drafts (R4, R10, R22, R25, R27), written from recorded facts alone, in the plain
//! style of the policy's examples, ready to paste into TRACS. A draft never states a fact
//! that is not recorded.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;
use crate::deadlines::follow_up_due;
use crate::episode::{
    AttemptOutcome, BarrierArea, BarrierFinding, ContactMethod, DecisionOutcome, EpisodeFacts,
    TriggerKind, good_cause_dated,
};
use crate::words::business_days;

/// R4, R25: the TRACS narrative type a draft belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NarrativeType {
    /// Engagement contacts and attempts; good cause or a decision not to disqualify.
    Engagement,
    /// Only when the team's decision is to disqualify (R25).
    ReengagementPage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub kind: NarrativeType,
    pub text: String,
}

/// "11/24/2026", as TRACS narratives write dates: the one date style of every draft.
pub fn tracs_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.month(), date.day(), date.year())
}

fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn trigger_sentence(facts: &EpisodeFacts) -> String {
    let (who, what, on) = (
        &facts.participant,
        &facts.trigger.what,
        tracs_date(facts.trigger.on),
    );
    match facts.trigger.kind {
        TriggerKind::StoppedParticipating => {
            format!("{who} stopped participating in {what} as of {on}.")
        }
        TriggerKind::LowAttendance => {
            format!("{who} had low or no attendance in {what} as of {on}.")
        }
        TriggerKind::PatternOfNoncooperation => {
            format!("A pattern of noncooperation by {who} ({what}) was noted on {on}.")
        }
        _ => format!("{who} missed {what} on {on}."),
    }
}

fn method_words(method: ContactMethod) -> &'static str {
    match method {
        ContactMethod::Phone => "by phone",
        ContactMethod::Email => "by e-mail",
        ContactMethod::FaceToFace => "face to face in the community",
        ContactMethod::OffsiteVisit => "with an in-person offsite visit",
        ContactMethod::Written => "in writing",
    }
}

/// R10: the key a narrative saved from the draft of the attempt at `index` keeps — its day and
/// its place among that day's attempts (`attempt-2026-11-24-1`), which an earlier attempt
/// entered late does not change.
pub fn attempt_key(facts: &EpisodeFacts, index: usize) -> Option<String> {
    let attempt = facts.attempts.get(index)?;
    let of_day = facts.attempts[..=index]
        .iter()
        .filter(|a| a.on == attempt.on)
        .count();
    Some(format!("attempt-{}-{of_day}", attempt.on))
}

/// R4, R10: the Engagement narrative for the attempt at `index`.
pub fn attempt_narrative(
    facts: &EpisodeFacts,
    index: usize,
    calendar: &BusinessCalendar,
) -> Option<Draft> {
    let attempt = facts.attempts.get(index)?;
    let who = &facts.participant;
    // Who the participant is asked to contact: whoever made the attempt.
    let whom = if attempt.by_contractor {
        "the JOBS contractor"
    } else {
        "the family coach"
    };
    let mut text = format!(
        "{} {} attempted contact {} on {}",
        trigger_sentence(facts),
        attempt.by_initials,
        method_words(attempt.method),
        tracs_date(attempt.on)
    );
    text.push_str(&match attempt.outcome {
        AttemptOutcome::Reached => format!("; contact made with {who}."),
        AttemptOutcome::MessageLeft => match attempt.method {
            ContactMethod::Phone => format!("; left a voicemail for {who} to contact {whom}."),
            ContactMethod::Email => format!("; sent an e-mail asking {who} to contact {whom}."),
            ContactMethod::Written => format!("; sent a written request for {who} to contact {whom}."),
            _ => format!("; left a message for {who} to contact {whom}."),
        },
        AttemptOutcome::NoAnswer => "; no answer and no message could be left.".to_owned(),
        AttemptOutcome::PhoneNotInService => {
            "; phone number not in service, unable to make contact. An in-person offsite visit is to be considered.".to_owned()
        }
        AttemptOutcome::NobodyHome => format!("; {who} was not at home."),
        AttemptOutcome::AddressInvalid => {
            "; the address of record was found invalid. A missing information request in ONE is needed to verify the physical address.".to_owned()
        }
    });
    if let Some(window) = attempt.response_window {
        let days = business_days(i64::from(window.business_days()));
        match follow_up_due(attempt.on, window, calendar) {
            Ok(due) => text.push_str(&format!(
                " Response window: {days}; follow-up attempt due {}.",
                tracs_date(due)
            )),
            Err(_) => text.push_str(&format!(" Response window: {days}.")),
        }
    }
    if let Some(note) = attempt
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        text.push(' ');
        text.push_str(note);
    }
    Some(Draft {
        kind: NarrativeType::Engagement,
        text,
    })
}

fn finding_words(finding: &BarrierFinding) -> String {
    let mut words = format!("{} ({})", finding.area.label(), finding.who.label());
    if let Some(offered) = finding
        .accommodation_offered
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        words.push_str(&format!(", offered: {}", offered.trim()));
    }
    match finding.affected_participation {
        Some(true) => words.push_str(", affected the ability to participate"),
        Some(false) => words.push_str(", did not affect the ability to participate"),
        None => {}
    }
    words
}

fn outcome_words(outcome: DecisionOutcome) -> &'static str {
    match outcome {
        DecisionOutcome::ReengagedNewPlan => "re-engaged with a new plan; no disqualification",
        DecisionOutcome::GoodCause => "good cause found; no disqualification",
        DecisionOutcome::Dq1 => "DQ1 – JOBS Disqualification",
    }
}

/// R22: the staffing narrative — who was present (initials and role), what was reviewed,
/// the outcome and next steps. On the Re-engagement page only for a DQ1 (R25).
pub fn staffing_narrative(facts: &EpisodeFacts) -> Option<Draft> {
    let staffing = facts.staffing.as_ref()?;
    let who = &facts.participant;
    let mut lines = vec![format!(
        "Re-engagement staffing on {}.",
        tracs_date(staffing.held_on)
    )];
    let present: Vec<String> = staffing
        .members
        .iter()
        .map(|m| format!("{}: {}", m.role.abbreviation(), m.initials))
        .collect();
    lines.push(format!("Present at staffing: {}.", present.join(", ")));
    lines.push(if staffing.participant_attended {
        format!("{who} attended.")
    } else {
        format!("{who} did not attend.")
    });
    let partners: Vec<String> = staffing
        .partners
        .iter()
        .map(|p| p.named_on(staffing.held_on))
        .collect();
    if !partners.is_empty() {
        lines.push(format!("Community partners: {}.", list(&partners)));
    }
    // R20: only cells answered are "present" or "no concerns"; a cell not answered is said
    // to be not reviewed.
    let (present_findings, clear): (Vec<_>, Vec<_>) =
        staffing.barrier_review.iter().partition(|f| f.present);
    if !present_findings.is_empty() {
        let words: Vec<String> = present_findings.iter().map(|f| finding_words(f)).collect();
        lines.push(format!(
            "Team reviewed challenges present: {}.",
            words.join("; ")
        ));
    }
    if !clear.is_empty() {
        let words: Vec<String> = clear
            .iter()
            .map(|f| format!("{} ({})", f.area.label(), f.who.label()))
            .collect();
        lines.push(format!("Reviewed with no concerns: {}.", list(&words)));
    }
    let not_reviewed: Vec<String> = BarrierArea::cells()
        .filter(|(area, who)| {
            !staffing
                .barrier_review
                .iter()
                .any(|f| f.area == *area && f.who == *who)
        })
        .map(|(area, who)| format!("{} ({})", area.label(), who.label()))
        .collect();
    if !not_reviewed.is_empty() {
        lines.push(format!("Not reviewed: {}.", list(&not_reviewed)));
    }
    let outstanding: Vec<String> = facts
        .outstanding_missing_info()
        .map(|m| m.description.clone())
        .collect();
    if !outstanding.is_empty() {
        lines.push(format!(
            "Missing information still to gather: {}.",
            list(&outstanding)
        ));
    }
    let gathered: Vec<String> = facts
        .missing_info
        .iter()
        .filter(|m| m.resolved_on.is_some())
        .map(|m| m.description.clone())
        .collect();
    if !gathered.is_empty() {
        lines.push(format!("Information gathered: {}.", list(&gathered)));
    }
    if let Some(decision) = &facts.decision {
        lines.push(format!("Outcome: {}.", outcome_words(decision.outcome)));
    }
    if !staffing.recommended_strategies.is_empty() {
        lines.push(format!(
            "Recommended engagement strategies: {}.",
            staffing.recommended_strategies.join("; ")
        ));
    }
    if !staffing.pdp_next_steps.is_empty() {
        lines.push(format!(
            "Next steps: {}.",
            staffing.pdp_next_steps.join("; ")
        ));
    }
    let kind = match facts.decision.as_ref().map(|d| d.outcome) {
        Some(DecisionOutcome::Dq1) => NarrativeType::ReengagementPage,
        _ => NarrativeType::Engagement,
    };
    Some(Draft {
        kind,
        text: lines.join("\n"),
    })
}

/// R4, R8: the Engagement narrative for the contact made — the plan adjusted with the
/// participant (at any time before a decision), or not yet.
pub fn contact_narrative(facts: &EpisodeFacts) -> Option<Draft> {
    let contact = facts.contact_made.as_ref()?;
    let who = &facts.participant;
    let next = if contact.plan_adjusted {
        "The case plan was adjusted with the agreed updated plan; no re-engagement appointment is needed."
    } else {
        "The case plan is to be adjusted with the agreed updated plan."
    };
    Some(Draft {
        kind: NarrativeType::Engagement,
        text: format!(
            "{} Contact made with {who} on {}. {next}",
            trigger_sentence(facts),
            tracs_date(contact.on)
        ),
    })
}

/// R4, R15: the Engagement narrative for the re-engagement appointment and its DHS 7869
/// notice — mailed on the day recorded, or still to be mailed.
pub fn appointment_narrative(facts: &EpisodeFacts) -> Option<Draft> {
    let appointment = facts.appointment.as_ref()?;
    let who = &facts.participant;
    let at = appointment
        .at
        .map(|time| format!(" at {}", time.format("%-I:%M %P")))
        .unwrap_or_default();
    let notice = match appointment.notice_mailed_on {
        Some(on) => format!(
            "The re-engagement appointment notice (DHS 7869) was mailed on {}.",
            tracs_date(on)
        ),
        None => "The re-engagement appointment notice (DHS 7869) is to be mailed at least 7 days before the appointment.".to_owned(),
    };
    Some(Draft {
        kind: NarrativeType::Engagement,
        text: format!(
            "{} {who} was scheduled for a re-engagement appointment on {}{at}. {notice}",
            trigger_sentence(facts),
            tracs_date(appointment.on)
        ),
    })
}

/// R25, R27: the decision narrative — good cause or no disqualification in an Engagement
/// narrative (the team's, or the case manager's alone, R23); a DQ1 on the Re-engagement page.
/// It states only what is recorded: the appointment's day for a no-show, the Re-engagement
/// page finalized only once that step is.
pub fn decision_narrative(facts: &EpisodeFacts) -> Option<Draft> {
    let decision = facts.decision.as_ref()?;
    let who = &facts.participant;
    if let Some(reason) = decision.case_manager_reason() {
        return Some(Draft {
            kind: NarrativeType::Engagement,
            text: format!(
                "On {} the case manager gave {who} good cause for not engaging: {}. No disqualification will be imposed.",
                tracs_date(decision.decided_on),
                reason.trim().trim_end_matches('.')
            ),
        });
    }
    let staffed_on = facts.staffing.as_ref().map(|s| tracs_date(s.held_on));
    let staffed = staffed_on
        .as_ref()
        .map(|on| format!("The re-engagement team staffed the case on {on}."))
        .unwrap_or_default();
    match decision.outcome {
        DecisionOutcome::GoodCause => {
            let cause = good_cause_dated(facts, decision.decided_on, tracs_date);
            let why = if cause.reasons.is_empty() {
                String::new()
            } else {
                format!(": {}", list(&cause.reasons))
            };
            Some(Draft {
                kind: NarrativeType::Engagement,
                text: format!(
                    "{staffed} The team determined {who} had good cause for not engaging{why}. No disqualification will be imposed."
                )
                .trim_start()
                .to_owned(),
            })
        }
        DecisionOutcome::ReengagedNewPlan => Some(Draft {
            kind: NarrativeType::Engagement,
            text: format!(
                "{staffed} {who} engaged in a new plan. No disqualification was imposed as {who} has engaged in a new plan."
            )
            .trim_start()
            .to_owned(),
        }),
        DecisionOutcome::Dq1 => {
            let mut lines = Vec::new();
            if let Some(staffing) = &facts.staffing {
                // The appointment's day, where there was one: the staffing may be held later.
                let (event, on) = match &facts.appointment {
                    Some(appointment) => ("re-engagement appointment", appointment.on),
                    None => ("re-engagement staffing", staffing.held_on),
                };
                lines.push(if staffing.participant_attended {
                    format!("{who} attended the {event} on {}.", tracs_date(on))
                } else {
                    format!("{who} no-showed to the {event} on {}.", tracs_date(on))
                });
                lines.push(format!(
                    "The team staffed the case on {} and determined {who} did not have good cause at this time for non-engagement in services.",
                    tracs_date(staffing.held_on)
                ));
            }
            lines.push("A DQ1 JOBS disqualification will be applied.".to_owned());
            lines.push(format!(
                "The Family Coach will continue to reach out to {who} and encourage engagement with the JOBS program."
            ));
            if facts.post_dq1.resources_offered {
                lines.push(
                    "The State Family Pre-SSI Program and Family Support and Connections were offered."
                        .to_owned(),
                );
            }
            if facts.post_dq1.page_finalized {
                lines.push("The Re-engagement Page was updated and finalized.".to_owned());
            } else if facts.post_dq1.dq1_selected_on_page {
                lines.push(
                    "The Re-engagement Page was updated: DQ1 – JOBS Disqualification selected."
                        .to_owned(),
                );
            }
            Some(Draft { kind: NarrativeType::ReengagementPage, text: lines.join("\n") })
        }
    }
}

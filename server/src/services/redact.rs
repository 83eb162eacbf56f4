//! What a contractor never receives (the README's Security section): barrier-review details, good-cause
//! answers, addresses, exemption and release records, missing-information requests, and
//! anything the department wrote (narratives, attempt notes, staffing narratives). Every
//! response a contractor can get passes through one of these functions.

use reengage_core::episode::EpisodeFacts;

use crate::services::narratives::Narrative;
use crate::services::participants::Participant;

/// An episode's facts as a contractor may see them: the miss, the attempts without notes,
/// the appointment and the decision's outcome; no staffing, exemptions or missing information.
pub fn facts(mut facts: EpisodeFacts) -> EpisodeFacts {
    facts.staffing = None;
    facts.exemptions.clear();
    facts.missing_info.clear();
    for attempt in &mut facts.attempts {
        attempt.note = None;
    }
    facts
}

/// A participant's file as a contractor may see it: no address, exemptions or releases.
pub fn participant(mut participant: Participant) -> Participant {
    participant.address = None;
    participant.exemptions.clear();
    participant.releases.clear();
    participant
}

/// Of an episode's saved narratives, only those `contractor_id` wrote.
pub fn narratives(saved: Vec<Narrative>, contractor_id: i64) -> Vec<Narrative> {
    saved
        .into_iter()
        .filter(|narrative| narrative.author_id == Some(contractor_id))
        .collect()
}

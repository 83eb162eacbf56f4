//! Rule ids of the catalogue in `docs/rules.md`, for citing in errors, deadlines and checks.
//!
//! Where each rule is computed (grep the id to find the code and its tests):
//!
//! | rule | in `core` |
//! |---|---|
//! | R1 | `episode::TriggerKind` — what opens an episode; `episode::check_miss` (a miss called ahead opens none) |
//! | R2, R5, R6 | `deadlines::{first_contact_due, contractor_contact_due, noncooperation_contact_due}`; R5 from `Trigger::aware_on` |
//! | R3 | `deadlines::missed_pe_call_by` for any missed appointment with a time (`TriggerKind::is_appointment`), shown by `episode::next_action` and `episode::miss_hints` |
//! | R4, R10 | `narrative::attempt_narrative`; attempts in any order, kept by their days (`EpisodeFacts::attempt_position`, `is_late_entry`) |
//! | R7 | `episode::ContactMethod`; a phone not in service → offsite visit (`next_action`) |
//! | R8 | `episode::progress::{contact_target, contact_on_target}` — a target, met or late (`DeadlineKind::AdjustPlan`, `Timeliness::contact`), never a gate; `episode::contact_advice` |
//! | R9 | `deadlines::{ResponseWindow, follow_up_due}`; `episode::progress::{first_message, follow_up_after}` |
//! | R11 | `next_action`: an invalid address → ONE missing-information request (`episode::r11_request`) |
//! | R12 | `deadlines::invite_to_reengagement_on`, `episode::invite_on`, `Refusal::InviteTooEarly` |
//! | R13, R14 | `episode::progress::{written_and_other, second_unsuccessful_on}`, `Refusal::NotEnoughAttempts`, `episode::scheduling_warnings` |
//! | R15, R16 | `notice::{notice_mail_by (planning), notice_on_time (recording), earliest_appointment_for_mailing, first_mailing_day}` |
//! | R17 | missing information blocks a decision; the case review deadline |
//! | R18 | `readiness::MIN_DEPARTMENT_STAFF`, `StaffingMember::{counts_toward_three, confirmed}`, `Transition::ConfirmPresence`, `episode::confirmations_needed`; who may finalize a DQ1 |
//! | R19 | `Release::covers`, `Partner::with_release_on_file`, `Refusal::PartnerWithoutRelease` |
//! | R20 | `BarrierArea` × `HouseholdMember`, each answered, accommodations for each present; checked by `dq1_readiness` |
//! | R21 | `episode::staffing_preparation_checklist` |
//! | R22 | `narrative::staffing_narrative` |
//! | R23 | `episode::good_cause`; a good-cause decision names its cause (`Refusal::NoGoodCauseFound`); the case manager alone (`Transition::GiveGoodCause`) |
//! | R24 | `Transition::RequestNewStaffing`; a decision stands until then (`Refusal::AlreadyDecided`) |
//! | R25 | `narrative::NarrativeType` chosen by outcome |
//! | R26 | `episode::dq1_decision_readiness` (a DQ1 decision), `episode::dq1_readiness` (its finalization), `Transition::FinalizeDq1` |
//! | R27 | `episode::post_dq1_checklist`, `episode::re_step_day`; a finalized DQ1 keeps its steps |
//! | R28 | `episode::enhanced_case_management` |
//! | R29 | `episode::without_disqualification` |
//! | R30 | `Refusal::NoNextSteps` |

use std::fmt;

use serde::{Deserialize, Serialize};

/// A rule of the re-engagement policy, R1–R30; written "R15" in JSON as on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "String", try_from = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "R15"))]
pub struct RuleId(pub u8);

impl From<RuleId> for String {
    fn from(rule: RuleId) -> String {
        rule.to_string()
    }
}

impl TryFrom<String> for RuleId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.strip_prefix('R')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=30).contains(n))
            .map(RuleId)
            .ok_or_else(|| format!("“{text}” is not a rule id (R1–R30)"))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{}", self.0)
    }
}

pub const R1: RuleId = RuleId(1);
pub const R2: RuleId = RuleId(2);
pub const R3: RuleId = RuleId(3);
pub const R4: RuleId = RuleId(4);
pub const R5: RuleId = RuleId(5);
pub const R6: RuleId = RuleId(6);
pub const R7: RuleId = RuleId(7);
pub const R8: RuleId = RuleId(8);
pub const R9: RuleId = RuleId(9);
pub const R10: RuleId = RuleId(10);
pub const R11: RuleId = RuleId(11);
pub const R12: RuleId = RuleId(12);
pub const R13: RuleId = RuleId(13);
pub const R14: RuleId = RuleId(14);
pub const R15: RuleId = RuleId(15);
pub const R16: RuleId = RuleId(16);
pub const R17: RuleId = RuleId(17);
pub const R18: RuleId = RuleId(18);
pub const R19: RuleId = RuleId(19);
pub const R20: RuleId = RuleId(20);
pub const R21: RuleId = RuleId(21);
pub const R22: RuleId = RuleId(22);
pub const R23: RuleId = RuleId(23);
pub const R24: RuleId = RuleId(24);
pub const R25: RuleId = RuleId(25);
pub const R26: RuleId = RuleId(26);
pub const R27: RuleId = RuleId(27);
pub const R28: RuleId = RuleId(28);
pub const R29: RuleId = RuleId(29);
pub const R30: RuleId = RuleId(30);

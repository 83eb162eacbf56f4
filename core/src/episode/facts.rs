//! What has been recorded about one re-engagement episode. `core` derives everything else
//! (stage, deadlines, next action, readiness) from these facts.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::deadlines::ResponseWindow;

/// R1: what started the episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TriggerKind {
    /// Missed the first planned activity or appointment of the PDP.
    MissedFirstActivity,
    /// Stopped participating in an ongoing planned step.
    StoppedParticipating,
    /// Missed an appointment with the family coach (e.g. orientation).
    MissedCoachAppointment,
    /// Missed a JOBS appointment (PE step) — R3's 10-minute call applies.
    MissedJobsAppointment,
    /// Missed an appointment with the JOBS contractor.
    MissedContractorAppointment,
    /// Low or no attendance in a JOBS activity or step.
    LowAttendance,
    /// R6: a pattern of noncooperation the case manager became aware of.
    PatternOfNoncooperation,
}

impl TriggerKind {
    pub const ALL: [TriggerKind; 7] = [
        Self::MissedJobsAppointment,
        Self::MissedCoachAppointment,
        Self::MissedFirstActivity,
        Self::StoppedParticipating,
        Self::MissedContractorAppointment,
        Self::LowAttendance,
        Self::PatternOfNoncooperation,
    ];

    /// R1: what started the episode, as a coach names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::MissedFirstActivity => "Missed the first planned activity or appointment",
            Self::StoppedParticipating => "Stopped participating in a planned step",
            Self::MissedCoachAppointment => "Missed an appointment with the family coach",
            Self::MissedJobsAppointment => "Missed a JOBS appointment (PE step)",
            Self::MissedContractorAppointment => "Missed an appointment with the JOBS contractor",
            Self::LowAttendance => "Low or no attendance in a JOBS activity",
            Self::PatternOfNoncooperation => "A pattern of noncooperation",
        }
    }
}

/// Who learned of the miss first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportedBy {
    Department,
    /// R5: the JOBS contractor, with no call-ahead from the participant.
    Contractor,
}

/// R1: the trigger, and when the miss happened (the office's local date and time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trigger {
    pub kind: TriggerKind,
    /// What was missed, in the coach's words: "orientation", "SW step", "JOBS appointment".
    pub what: String,
    /// The day of the miss (or, for R6, the day the case manager became aware).
    pub on: NaiveDate,
    /// The scheduled time of a missed appointment, where known (R3).
    pub at: Option<NaiveTime>,
    pub reported_by: ReportedBy,
}

/// R7: how contact was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContactMethod {
    Phone,
    Email,
    /// Face to face in the community.
    FaceToFace,
    /// An in-person offsite (home) visit.
    OffsiteVisit,
    /// Letter, note or postcard.
    Written,
}

impl ContactMethod {
    /// R13: a written attempt (letter, note, postcard).
    pub fn is_written(self) -> bool {
        matches!(self, Self::Written)
    }
}

/// What came of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AttemptOutcome {
    /// Spoke with the participant: contact made.
    Reached,
    /// Left a voicemail, sent an e-mail or mailed a note, and wait for a reply (R9).
    MessageLeft,
    /// No answer and no way to leave a message.
    NoAnswer,
    /// R7: the phone number is not in service — consider an offsite visit.
    PhoneNotInService,
    /// Offsite visit: nobody there.
    NobodyHome,
    /// R11: offsite visit found the address invalid — send a ONE missing-information request.
    AddressInvalid,
}

/// R7, R9, R10: one contact attempt, as logged.
impl ContactMethod {
    pub const ALL: [ContactMethod; 5] = [
        Self::Phone,
        Self::Email,
        Self::FaceToFace,
        Self::OffsiteVisit,
        Self::Written,
    ];

    /// R7: the method as a coach names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Phone => "Phone",
            Self::Email => "E-mail",
            Self::FaceToFace => "Face to face in the community",
            Self::OffsiteVisit => "Offsite visit",
            Self::Written => "Letter, note or postcard",
        }
    }
}

impl AttemptOutcome {
    /// The outcome as a coach names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Reached => "Reached",
            Self::MessageLeft => "Message left",
            Self::NoAnswer => "No answer",
            Self::PhoneNotInService => "Phone not in service",
            Self::NobodyHome => "Nobody home",
            Self::AddressInvalid => "Address invalid",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attempt {
    pub on: NaiveDate,
    pub method: ContactMethod,
    pub outcome: AttemptOutcome,
    /// R9: the reply window chosen when a message was left.
    pub response_window: Option<ResponseWindow>,
    /// Initials of who made it.
    pub by_initials: String,
    /// Anything else worth narrating, in the coach's words.
    pub note: Option<String>,
}

/// R8: contact made with the participant, and whether the plan was adjusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactMade {
    pub on: NaiveDate,
    pub plan_adjusted: bool,
}

/// R12–R16: the re-engagement appointment and its DHS 7869 notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub on: NaiveDate,
    pub at: Option<NaiveTime>,
    /// The day it was scheduled (the invitation, R12).
    pub scheduled_on: NaiveDate,
    pub notice_mailed_on: Option<NaiveDate>,
}

/// R11, R17: information the team needs before a determination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MissingInfoKind {
    ChildSafetyCheck,
    OffsiteVisitOutcome,
    /// R11: ONE missing-information request to verify the address.
    AddressVerification,
    Other,
}

impl MissingInfoKind {
    pub const ALL: [MissingInfoKind; 4] = [
        Self::ChildSafetyCheck,
        Self::OffsiteVisitOutcome,
        Self::AddressVerification,
        Self::Other,
    ];

    /// R17: the kind as a coach names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::ChildSafetyCheck => "Child safety check",
            Self::OffsiteVisitOutcome => "Outcome of an offsite visit",
            Self::AddressVerification => "Address verification (ONE request)",
            Self::Other => "Other information",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingInfo {
    pub kind: MissingInfoKind,
    pub description: String,
    pub requested_on: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
}

/// R18: who sits on a staffing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StaffingRole {
    FamilyCoach,
    CaseAide,
    OperationsManager,
    LeadWorker,
    EngagementSpecialist,
    /// Another department staff member or designee.
    OtherDepartmentStaff,
    ChildWelfare,
    Contractor,
}

impl StaffingRole {
    pub const ALL: [StaffingRole; 8] = [
        Self::FamilyCoach,
        Self::CaseAide,
        Self::OperationsManager,
        Self::LeadWorker,
        Self::EngagementSpecialist,
        Self::OtherDepartmentStaff,
        Self::ChildWelfare,
        Self::Contractor,
    ];

    /// R18: the role on the team, as a supervisor names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::FamilyCoach => "Family coach",
            Self::CaseAide => "Case aide",
            Self::OperationsManager => "Operations manager",
            Self::LeadWorker => "Lead worker",
            Self::EngagementSpecialist => "Engagement specialist",
            Self::OtherDepartmentStaff => "Other department staff or designee",
            Self::ChildWelfare => "Child welfare (optional)",
            Self::Contractor => "JOBS contractor (optional)",
        }
    }

    /// R18: counts toward the three department staff or designees.
    pub fn is_department(self) -> bool {
        !matches!(self, Self::ChildWelfare | Self::Contractor)
    }

    /// The abbreviation used in narratives ("FC: RH").
    pub fn abbreviation(self) -> &'static str {
        match self {
            Self::FamilyCoach => "FC",
            Self::CaseAide => "CA",
            Self::OperationsManager => "Manager",
            Self::LeadWorker => "Lead Worker",
            Self::EngagementSpecialist => "Engagement Specialist",
            Self::OtherDepartmentStaff => "Department",
            Self::ChildWelfare => "Child Welfare",
            Self::Contractor => "Contractor",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffingMember {
    pub initials: String,
    pub role: StaffingRole,
}

/// R19: an MCS 3010 release of information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Release {
    pub signed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

impl Release {
    /// Whether the release is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.signed_on <= date && self.expires_on.is_none_or(|end| date <= end)
    }
}

/// R19: a community partner invited to the staffing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    pub name: String,
    pub release: Option<Release>,
}

impl Partner {
    /// R19: the partner `name` with the MCS 3010 release on file for it — of `on_file`
    /// (`(partner, release)`), the one in force on `date`, else the latest signed — never a
    /// release the request claims. Names match without regard to case or spaces around.
    pub fn with_release_on_file(
        name: &str,
        on_file: &[(String, Release)],
        date: NaiveDate,
    ) -> Self {
        let name = name.trim();
        let mut releases: Vec<&Release> = on_file
            .iter()
            .filter(|(partner, _)| partner.trim().eq_ignore_ascii_case(name))
            .map(|(_, release)| release)
            .collect();
        releases.sort_by_key(|r| r.signed_on);
        let release = releases
            .iter()
            .rev()
            .find(|r| r.covers(date))
            .or(releases.last())
            .map(|r| (*r).clone());
        Self {
            name: name.to_owned(),
            release,
        }
    }

    /// R19: whether an MCS 3010 release is in force on `date`.
    pub fn cleared_on(&self, date: NaiveDate) -> bool {
        self.release.as_ref().is_some_and(|r| r.covers(date))
    }

    /// R19: the partner as a staffing record names it, with its release on `date`:
    /// "Community Action (MCS 3010 on file)", "Food bank (no MCS 3010 on file)".
    pub fn named_on(&self, date: NaiveDate) -> String {
        if self.cleared_on(date) {
            format!("{} (MCS 3010 on file)", self.name)
        } else {
            format!("{} (no MCS 3010 on file)", self.name)
        }
    }
}

/// R20: the areas the team reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BarrierArea {
    /// Domestic violence in the last 6 months.
    DomesticViolence,
    MentalHealth,
    DrugAlcohol,
    LearningNeeds,
    PhysicalHealth,
    ChildcareTransportation,
}

impl BarrierArea {
    pub const ALL: [BarrierArea; 6] = [
        Self::DomesticViolence,
        Self::MentalHealth,
        Self::DrugAlcohol,
        Self::LearningNeeds,
        Self::PhysicalHealth,
        Self::ChildcareTransportation,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::DomesticViolence => "domestic violence (last 6 months)",
            Self::MentalHealth => "mental health",
            Self::DrugAlcohol => "relationship to drugs or alcohol",
            Self::LearningNeeds => "learning needs or disability",
            Self::PhysicalHealth => "physical health",
            Self::ChildcareTransportation => "childcare or transportation",
        }
    }
}

/// R20: whom in the household a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HouseholdMember {
    Adult,
    Children,
}

impl HouseholdMember {
    pub const ALL: [HouseholdMember; 2] = [Self::Adult, Self::Children];

    pub fn label(self) -> &'static str {
        match self {
            Self::Adult => "adult",
            Self::Children => "children in the household",
        }
    }
}

/// R20: the team's finding for one area and one household member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BarrierFinding {
    pub area: BarrierArea,
    pub who: HouseholdMember,
    pub present: bool,
    /// Accommodations and resources the department offered, if the barrier is present.
    pub accommodation_offered: Option<String>,
    /// Whether it affected the ability to participate (answered when present).
    pub affected_participation: Option<bool>,
    pub notes: Option<String>,
}

impl BarrierFinding {
    /// R20: the whole review grid — every area for the adult and for the children — with
    /// nothing found yet; the staffing form starts from it.
    pub fn grid() -> Vec<BarrierFinding> {
        BarrierArea::ALL
            .iter()
            .flat_map(|area| {
                HouseholdMember::ALL.iter().map(move |who| BarrierFinding {
                    area: *area,
                    who: *who,
                    present: false,
                    accommodation_offered: None,
                    affected_participation: None,
                    notes: None,
                })
            })
            .collect()
    }
}

/// R23: the good-cause questions. `None` is a question not yet answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoodCauseAnswers {
    /// Exempt at any time before or during the process.
    pub exempt: Option<bool>,
    /// A situation outside the participant's control prevented engagement.
    pub outside_control: Option<bool>,
    /// An ongoing household issue in the R20 areas (active DV in the last 6 months…).
    pub household_issue: Option<bool>,
    /// The department failed to provide assistance or reasonable accommodation.
    pub department_failed: Option<bool>,
}

/// R17–R22: the staffing (case review).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staffing {
    pub held_on: NaiveDate,
    pub members: Vec<StaffingMember>,
    pub participant_attended: bool,
    pub partners: Vec<Partner>,
    pub barrier_review: Vec<BarrierFinding>,
    pub good_cause: GoodCauseAnswers,
    /// R30: the team's recommended engagement strategies.
    pub recommended_strategies: Vec<String>,
    /// R30: PDP next steps and supports.
    pub pdp_next_steps: Vec<String>,
}

impl Staffing {
    /// R18: how many members are department staff or designees.
    pub fn department_staff(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.role.is_department())
            .count()
    }

    /// R19: partners without an MCS 3010 release in force on the staffing day.
    pub fn partners_without_release(&self) -> impl Iterator<Item = &Partner> {
        self.partners.iter().filter(|p| !p.cleared_on(self.held_on))
    }
}

/// R23–R25: what the team decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecisionOutcome {
    /// Re-engaged with a new plan.
    ReengagedNewPlan,
    /// R23: good cause — no disqualification.
    GoodCause,
    /// DQ1 — JOBS disqualification.
    Dq1,
}

impl DecisionOutcome {
    pub const ALL: [DecisionOutcome; 3] = [Self::ReengagedNewPlan, Self::GoodCause, Self::Dq1];

    /// The outcome as the team names it (R23, R25).
    pub fn label(self) -> &'static str {
        match self {
            Self::ReengagedNewPlan => "Re-engaged with a new plan",
            Self::GoodCause => "Good cause — no disqualification",
            Self::Dq1 => "DQ1 — JOBS disqualification",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub outcome: DecisionOutcome,
    pub decided_on: NaiveDate,
}

/// R27: the steps after a DQ1, as a checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostDq1Steps {
    /// PDP shows an RE step dated the re-engagement day with 1 hour attendance.
    pub re_step_recorded: bool,
    /// A copy of the updated PDP given to the participant.
    pub pdp_copy_to_participant: bool,
    /// "DQ1 – JOBS Disqualification" selected on the TRACS Re-engagement page.
    pub dq1_selected_on_page: bool,
    /// ONE updated with a case note documenting the DQ1.
    pub one_case_note: bool,
    /// State Family Pre-SSI Program and Family Support and Connections offered.
    pub resources_offered: bool,
}

impl PostDq1Steps {
    /// Whether every step recorded in `before` is still recorded here (steps are added, never
    /// taken back, once a DQ1 is finalized).
    pub fn keeps(&self, before: &PostDq1Steps) -> bool {
        let pairs = [
            (before.re_step_recorded, self.re_step_recorded),
            (before.pdp_copy_to_participant, self.pdp_copy_to_participant),
            (before.dq1_selected_on_page, self.dq1_selected_on_page),
            (before.one_case_note, self.one_case_note),
            (before.resources_offered, self.resources_offered),
        ];
        pairs.into_iter().all(|(was, now)| !was || now)
    }
}

/// R23: an exemption period (the end open while it lasts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exemption {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Exemption {
    /// Whether the exemption covers any day from `start` to `end`, both included.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.from <= end && self.to.is_none_or(|to| to >= start)
    }
}

/// Everything recorded about one episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpisodeFacts {
    /// How the participant is named in next actions and narratives ("Ms. Smith", "Amy").
    pub participant: String,
    pub trigger: Trigger,
    pub attempts: Vec<Attempt>,
    pub contact_made: Option<ContactMade>,
    pub appointment: Option<Appointment>,
    pub missing_info: Vec<MissingInfo>,
    pub staffing: Option<Staffing>,
    pub exemptions: Vec<Exemption>,
    pub decision: Option<Decision>,
    pub post_dq1: PostDq1Steps,
    pub finalized_on: Option<NaiveDate>,
}

impl EpisodeFacts {
    /// A new episode: the trigger and nothing else yet.
    pub fn new(participant: impl Into<String>, trigger: Trigger) -> Self {
        Self {
            participant: participant.into(),
            trigger,
            attempts: Vec::new(),
            contact_made: None,
            appointment: None,
            missing_info: Vec::new(),
            staffing: None,
            exemptions: Vec::new(),
            decision: None,
            post_dq1: PostDq1Steps::default(),
            finalized_on: None,
        }
    }

    /// Missing information not yet gathered (R17).
    pub fn outstanding_missing_info(&self) -> impl Iterator<Item = &MissingInfo> {
        self.missing_info
            .iter()
            .filter(|item| item.resolved_on.is_none())
    }
}

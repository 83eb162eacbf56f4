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
    /// R3: a missed appointment, whose time (where known) calls for a call within ten minutes
    /// — the coach's own, the JOBS (PE) appointment, the contractor's, or the first planned
    /// activity or appointment. Not an ongoing step, low attendance or a pattern.
    pub fn is_appointment(self) -> bool {
        matches!(
            self,
            Self::MissedFirstActivity
                | Self::MissedCoachAppointment
                | Self::MissedJobsAppointment
                | Self::MissedContractorAppointment
        )
    }

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
    /// R5: the day a JOBS contractor became aware of the miss (the date on its report), when
    /// that was after the miss; `None` is the day of the miss. Only a contractor's report has
    /// one.
    #[serde(default)]
    pub aware_on: Option<NaiveDate>,
}

impl Trigger {
    /// R5: the day the one who reported the miss became aware of it.
    pub fn aware_on(&self) -> NaiveDate {
        self.aware_on.unwrap_or(self.on)
    }
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
    /// R5: made by the JOBS contractor (its engagement contact), not by the department. Set
    /// by the server from who is signed in, never from a request.
    #[serde(default)]
    pub by_contractor: bool,
}

impl Attempt {
    /// R14: an attempt that did not reach the participant.
    pub fn unsuccessful(&self) -> bool {
        self.outcome != AttemptOutcome::Reached
    }
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

/// R18: one member of a staffing team. A department member is a staff account of the branch
/// (`staff_id`), picked from its list, who confirms "I was present" with their own sign-in;
/// child welfare, contractors, partners and designees without an account are named rows
/// (`staff_id` is `None`) that never count toward the three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffingMember {
    /// The staff account, for a member of the branch's staff.
    #[serde(default)]
    pub staff_id: Option<i64>,
    pub initials: String,
    pub role: StaffingRole,
    /// The day the member confirmed "I was present" with their own sign-in.
    #[serde(default)]
    pub confirmed_on: Option<NaiveDate>,
}

impl StaffingMember {
    /// A staff account of the branch on the team, not yet confirmed.
    pub fn account(staff_id: i64, initials: impl Into<String>, role: StaffingRole) -> Self {
        Self {
            staff_id: Some(staff_id),
            initials: initials.into(),
            role,
            confirmed_on: None,
        }
    }

    /// A named row: someone without an account of the branch (child welfare, a contractor,
    /// a designee). Never counts toward the three (R18).
    pub fn named(initials: impl Into<String>, role: StaffingRole) -> Self {
        Self {
            staff_id: None,
            initials: initials.into(),
            role,
            confirmed_on: None,
        }
    }

    /// R18: counts toward the three department staff: a department seat held by a staff
    /// account.
    pub fn counts_toward_three(&self) -> bool {
        self.staff_id.is_some() && self.role.is_department()
    }

    /// R18, R26: counts toward the three *confirmed* department staff a DQ1 needs.
    pub fn confirmed(&self) -> bool {
        self.counts_toward_three() && self.confirmed_on.is_some()
    }

    /// Whether `other` is the same seat: the same account, or the same named row.
    fn same_seat(&self, other: &StaffingMember) -> bool {
        self.staff_id == other.staff_id
            && self.role == other.role
            && (self.staff_id.is_some() || self.initials.eq_ignore_ascii_case(&other.initials))
    }
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

/// R20: the areas the team reviews (policy 002). Mental health, drugs or alcohol, learning
/// needs and physical health are reviewed for the adult and for the children in the
/// household; domestic violence (last 6 months) and childcare or transportation for the
/// household, as the policy lists them.
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

    /// R20: whom in the household the area is reviewed for, as policy 002 lists it.
    pub fn members(self) -> &'static [HouseholdMember] {
        match self {
            Self::DomesticViolence | Self::ChildcareTransportation => &[HouseholdMember::Household],
            _ => &[HouseholdMember::Adult, HouseholdMember::Children],
        }
    }

    /// R20: every cell of the review, in order: each area for whom it is reviewed.
    pub fn cells() -> impl Iterator<Item = (BarrierArea, HouseholdMember)> {
        Self::ALL
            .into_iter()
            .flat_map(|area| area.members().iter().map(move |who| (area, *who)))
    }

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
    /// The household as a whole (domestic violence, childcare or transportation).
    Household,
}

impl HouseholdMember {
    pub fn label(self) -> &'static str {
        match self {
            Self::Adult => "adult",
            Self::Children => "children in the household",
            Self::Household => "household",
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
    /// R20: a cell answered "no concerns" for `area` and `who`.
    pub fn none_found(area: BarrierArea, who: HouseholdMember) -> Self {
        BarrierFinding {
            area,
            who,
            present: false,
            accommodation_offered: None,
            affected_participation: None,
            notes: None,
        }
    }

    /// R20: whether the accommodations and resources offered are recorded (a barrier present
    /// needs them).
    pub fn accommodation_recorded(&self) -> bool {
        self.accommodation_offered
            .as_deref()
            .is_some_and(|text| !text.trim().is_empty())
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
    /// R18: how many members count toward the three department staff: department seats held
    /// by staff accounts of the branch (a named row never counts).
    pub fn department_staff(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.counts_toward_three())
            .count()
    }

    /// R18, R26: how many of them confirmed "I was present" with their own sign-in.
    pub fn confirmed_department_staff(&self) -> usize {
        self.members.iter().filter(|m| m.confirmed()).count()
    }

    /// Whether `other` has the same team on the same day: every seat the same, in any order.
    /// Confirmations of presence stand only while it does.
    pub fn same_team(&self, other: &Staffing) -> bool {
        self.held_on == other.held_on
            && self.members.len() == other.members.len()
            && self
                .members
                .iter()
                .all(|m| other.members.iter().any(|o| m.same_seat(o)))
            && other
                .members
                .iter()
                .all(|o| self.members.iter().any(|m| m.same_seat(o)))
    }

    /// R19: each partner with the MCS 3010 release on file for it (`on_file`, as
    /// [`Partner::with_release_on_file`] reads it), never a release the request claims.
    pub fn with_releases_on_file(mut self, on_file: &[(String, Release)]) -> Self {
        for partner in &mut self.partners {
            *partner = Partner::with_release_on_file(&partner.name, on_file, self.held_on);
        }
        self
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

/// Who made a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecidedBy {
    /// The staffing team (R18–R23).
    #[default]
    Team,
    /// R23: the case manager alone, without a staffing, giving good cause with its reason
    /// (policy 004: "when the Case Manager … gives good cause for noncooperation").
    CaseManager { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub outcome: DecisionOutcome,
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub by: DecidedBy,
}

impl Decision {
    /// A decision of the staffing team.
    pub fn by_team(outcome: DecisionOutcome, decided_on: NaiveDate) -> Self {
        Self {
            outcome,
            decided_on,
            by: DecidedBy::Team,
        }
    }

    /// R23: the case manager's reason for good cause given alone, if it was.
    pub fn case_manager_reason(&self) -> Option<&str> {
        match &self.by {
            DecidedBy::CaseManager { reason } => Some(reason),
            DecidedBy::Team => None,
        }
    }
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
    /// The TRACS Re-engagement page finalized (policy 003: once every step is complete).
    #[serde(default)]
    pub page_finalized: bool,
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
            (before.page_finalized, self.page_finalized),
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

    /// R10: where an attempt on `on` goes among the attempts, kept in the order of their days:
    /// after every attempt of that day or before, so an earlier attempt entered late takes its
    /// place by its date.
    pub fn attempt_position(&self, on: NaiveDate) -> usize {
        self.attempts.partition_point(|a| a.on <= on)
    }

    /// R10: whether an attempt on `on` is entered after an attempt of a later day (a late
    /// entry).
    pub fn is_late_entry(&self, on: NaiveDate) -> bool {
        self.attempts.last().is_some_and(|last| on < last.on)
    }
}

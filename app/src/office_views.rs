//! What the admin pages (offices, staff) and the participant pages (search, record, caseload
//! move) are rendered with, as the server's side gives it (`crate::backend`'s server
//! functions). Plain data: no view here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An office as the admin pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeLine {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// IANA name.
    pub time_zone: String,
    /// `HH:MM`, office time (R15).
    pub mail_pickup: Option<String>,
}

/// A closure day of an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureLine {
    pub on: NaiveDate,
    pub name: String,
}

/// `/admin/offices/{id}`: an office, its closure days and the time zones to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeView {
    pub office: OfficeLine,
    pub closures: Vec<ClosureLine>,
    pub time_zones: Vec<String>,
}

/// A staff account as the admin pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub initials: String,
    /// As stored (`family_coach`).
    pub role: String,
    /// In words ("Family coach").
    pub role_label: String,
    pub office_id: Option<i64>,
    pub office: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
}

/// A role to choose: as stored, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub code: String,
    pub label: String,
}

/// `/admin`: every office and every staff account, and what a new account can be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    pub offices: Vec<OfficeLine>,
    pub staff: Vec<StaffLine>,
    pub roles: Vec<RoleChoice>,
    /// The time zones a new office can be in, the first the usual one.
    pub time_zones: Vec<String>,
}

/// An API token as an admin sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenLine {
    pub id: i64,
    pub created: String,
    pub expires: Option<String>,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

/// `/admin/staff/{id}`: one account, what it can be given, its tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMemberView {
    pub member: StaffLine,
    pub offices: Vec<OfficeLine>,
    pub roles: Vec<RoleChoice>,
    pub tokens: Vec<TokenLine>,
    /// The admin's own account: another admin changes its role, office or access.
    pub yourself: bool,
    /// An API token just made for this account, shown this once.
    pub new_token: Option<String>,
}

/// A participant a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundLine {
    pub id: i64,
    pub name: String,
    pub case_number: String,
    pub coach: Option<String>,
}

/// What a search answered: what was looked for, what was found, whether there is more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Searched {
    pub query: String,
    pub found: Vec<FoundLine>,
    /// More match than are listed: type more of the name.
    pub more: bool,
    /// The search was refused (empty, too long): why, and what to do.
    pub error: Option<String>,
}

/// `/participants`: the search, with its answer when one was asked (in place, never in the
/// URL), and what else the person may do here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantsView {
    pub searched: Option<Searched>,
    pub can_move: bool,
}

/// Someone to choose: a coach or a contractor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonChoice {
    pub id: i64,
    pub name: String,
}

/// A participant's record as its form shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantFields {
    pub case_number: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub phone: String,
    pub phone_in_service: bool,
    pub email: String,
    pub address: String,
    pub address_verified: bool,
    pub language: String,
    pub coach_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub contractor_until: Option<NaiveDate>,
}

/// A notice language to choose: its code and its name in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageChoice {
    pub code: String,
    pub name: String,
}

/// `/participants/new` and `/participants/{id}`: the record (empty when new), and who and
/// what can be chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantFormView {
    /// `None` for a new participant.
    pub id: Option<i64>,
    pub fields: ParticipantFields,
    pub coaches: Vec<PersonChoice>,
    pub contractors: Vec<PersonChoice>,
    pub languages: Vec<LanguageChoice>,
    /// The open episode, if any (it follows a new coach).
    pub open_episode: Option<i64>,
}

/// `/participants/move`: the branch's coaches, each with the size of their caseload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadView {
    pub coaches: Vec<PersonChoice>,
}

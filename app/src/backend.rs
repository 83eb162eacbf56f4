//! What the pages show, as plain data, and the server's side of it. The server crate
//! implements [`Backend`] over its services and its access table; pages reach it through
//! server functions, so every page request is checked on the server like the REST API.

use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use reengage_core::calendar::Closure;
use reengage_core::episode::{
    Attempt, Deadline, DecisionOutcome, EpisodeFacts, NextAction, Release, StaffingRole, Stage,
    Trigger, WorkItem,
};
use reengage_core::narrative::NarrativeType;
use serde::{Deserialize, Serialize};

/// The signed-in staff member, as a page names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub initials: String,
    pub role: reengage_core::roles::Role,
}

/// One open episode on the Today list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayRow {
    pub episode_id: i64,
    pub participant: String,
    pub phone: Option<String>,
    pub phone_in_service: bool,
    /// The most urgent deadline not yet met, from `core` (R2–R17).
    pub work: WorkItem,
}

/// A staffing the signed-in person sat on and has not yet confirmed being present at (R18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToConfirm {
    pub episode_id: i64,
    pub participant: String,
    pub held_on: NaiveDate,
}

/// The signed-in person's open work on the office's today, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayView {
    pub viewer: Viewer,
    pub today: NaiveDate,
    pub rows: Vec<TodayRow>,
    /// R18: the staffings waiting for the signed-in person's confirmation of presence.
    pub to_confirm: Vec<ToConfirm>,
    /// Where the next page of the list starts (`/today?after=…`), when there is more.
    pub next: Option<String>,
    /// This page starts after the most urgent ones (a "Show more" page).
    pub later: bool,
}

/// The signed-in person's e-mail settings, as `/account/email` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailView {
    pub email: String,
    /// Whether they get the morning digest.
    pub digest: bool,
    /// Whether their role gets one at all (coaches, case aides and supervisors).
    pub for_role: bool,
    /// Whether this server sends e-mail (an SMTP server is configured).
    pub sending: bool,
}

/// A step of the participant's Personal Development Plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdpLine {
    pub code: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub scheduled_time: Option<NaiveTime>,
}

/// Who the episode is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantCard {
    pub name: String,
    pub case_number: String,
    pub phone: Option<String>,
    pub phone_in_service: bool,
    pub email: Option<String>,
    /// Department staff only (absent for a contractor).
    pub address: Option<String>,
    pub pdp_steps: Vec<PdpLine>,
    /// The language the participant reads: their notice is printed in it (`notice_text`).
    pub language: String,
}

/// A saved narrative, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NarrativeLine {
    pub id: i64,
    pub kind: NarrativeType,
    pub body: String,
    pub updated_at: String,
    /// Who wrote it: "Name (role)"; empty when the account is gone.
    pub author: String,
}

/// A narrative `core` drafted from the recorded facts (R4, R10, R22, R25), not yet saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    /// Which draft: `attempt-2026-11-24-1` (an attempt by its day), `staffing`, `decision`.
    pub key: String,
    pub kind: NarrativeType,
    pub text: String,
}

/// Who and where, as the DHS 7869 notice names them (department staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeContacts {
    pub office: String,
    pub office_address: Option<String>,
    pub office_phone: Option<String>,
    pub coach: Option<String>,
    pub coach_phone: Option<String>,
    pub coach_email: Option<String>,
}

/// Why an episode is loaded: to read it, or for one of its forms. The server checks the
/// form's own action too, so a page offers a form only to who may send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    Read,
    LogAttempt,
    RecordContact,
    ScheduleAppointment,
    /// The notice-mailed form and the printable DHS 7869 notice.
    RecordNoticeMailed,
    /// The staffing preparation checklist (R21).
    PrepareStaffing,
    /// R23: good cause given by the case manager alone.
    GiveGoodCause,
}

/// One line of the staffing preparation checklist (R21), from `core`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistLine {
    pub label: String,
    pub rule: reengage_core::RuleId,
    /// `Some` where the record answers it; `None` for a reminder a person ticks off.
    pub done: Option<bool>,
}

/// One episode as its page shows it: every deadline and the stage from `core`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpisodePage {
    pub id: i64,
    pub version: i64,
    pub today: NaiveDate,
    pub participant: ParticipantCard,
    /// What was missed and when (R1).
    pub trigger: Trigger,
    pub stage: Stage,
    pub closed: bool,
    /// The re-engagement appointment, once scheduled, and when its notice was mailed.
    pub appointment_on: Option<NaiveDate>,
    pub appointment_at: Option<NaiveTime>,
    pub notice_mailed_on: Option<NaiveDate>,
    pub deadlines: Vec<Deadline>,
    /// The department's next step (absent for a contractor).
    pub next_action: Option<NextAction>,
    pub attempts: Vec<Attempt>,
    pub narratives: Vec<NarrativeLine>,
    /// Drafts not yet saved (absent for a contractor).
    pub drafts: Vec<DraftLine>,
    /// For the DHS 7869 notice (absent for a contractor).
    pub contacts: Option<NoticeContacts>,
    /// The staffing preparation checklist (R21; empty for a contractor).
    pub checklist: Vec<ChecklistLine>,
    /// R9, R13: what a DQ1 will need that the contact attempts have not done yet — the
    /// scheduling form's warnings, from `core` (empty for a contractor).
    pub dq1_will_need: Vec<String>,
    /// R23: whether the signed-in person may give good cause alone (the case manager).
    pub may_give_good_cause: bool,
    /// The office's own closure days: its forms answer on the calendar the server checks with.
    pub closures: Vec<Closure>,
    /// The office's mail pickup as the page was drawn (R15).
    pub mail: reengage_core::MailPickup,
}

impl EpisodePage {
    /// The office's business calendar with its mail pickup, as the server builds it.
    pub fn calendar(&self) -> reengage_core::BusinessCalendar {
        reengage_core::BusinessCalendar::oregon()
            .with_closures(self.closures.clone())
            .with_mail_pickup(self.mail)
    }
}

/// Someone of the branch who may sit on a staffing team (R18), as the workspace offers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub staff_id: i64,
    pub name: String,
    pub initials: String,
    /// The seat their role takes on the team.
    pub role: StaffingRole,
}

/// R24: a decision superseded by a new staffing, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierDecision {
    pub outcome: DecisionOutcome,
    pub decided_on: NaiveDate,
    pub finalized_on: Option<NaiveDate>,
    /// The office's day the new staffing was requested, and why.
    pub superseded_on: NaiveDate,
    pub reason: String,
}

/// What the signed-in person may do in the staffing workspace (the server checks each again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffingRights {
    /// R18–R23, R30: record the staffing and the decision.
    pub record: bool,
    /// R17: add and resolve missing information.
    pub missing_info: bool,
    /// R27: record the steps after a DQ1.
    pub post_dq1: bool,
    /// R26: finalize a DQ1 (an operations manager or lead worker; `core` checks the seat).
    pub finalize: bool,
}

/// The staffing workspace of one episode (department staff only): everything `core` needs
/// to answer in the browser as the server will — the facts, the office's closure days, the
/// branch's team and the releases on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffingPage {
    pub id: i64,
    pub version: i64,
    pub today: NaiveDate,
    pub participant: String,
    pub case_number: String,
    pub stage: Stage,
    pub closed: bool,
    pub facts: EpisodeFacts,
    /// The office's own closure days (the calendar is Oregon's with these).
    pub closures: Vec<Closure>,
    /// The branch's staff who may sit on the team.
    pub team: Vec<TeamMember>,
    /// R19: the MCS 3010 releases on file, `(partner, release)`.
    pub releases: Vec<(String, Release)>,
    /// The participant's family coach and the signed-in person (staff ids), offered as
    /// members of a new staffing; the signed-in person confirms their own presence (R18) and,
    /// a manager or lead worker who confirmed it, finalizes a DQ1 by this account (R26).
    pub coach_id: Option<i64>,
    pub viewer_id: i64,
    pub may: StaffingRights,
    /// R24: decisions superseded by a new staffing, oldest first.
    pub earlier: Vec<EarlierDecision>,
    /// The staffing and decision narratives (R22, R25): drafts not yet saved, and saved ones.
    pub drafts: Vec<DraftLine>,
    pub narratives: Vec<NarrativeLine>,
}

impl StaffingPage {
    /// The office's business calendar, as the server builds it.
    pub fn calendar(&self) -> reengage_core::BusinessCalendar {
        reengage_core::BusinessCalendar::oregon().with_closures(self.closures.clone())
    }
}

/// One open episode of the branch, as the supervisor's dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRow {
    pub episode_id: i64,
    pub participant: String,
    pub coach_id: Option<i64>,
    pub coach: Option<String>,
    /// From `core`, on the office's today (not the stored column).
    pub stage: Stage,
    /// The most urgent deadline not yet met (`core`'s worklist).
    pub work: Option<WorkItem>,
    pub appointment_on: Option<NaiveDate>,
    /// Missing information not yet gathered (R17).
    pub missing_info: Vec<String>,
    /// A DQ1 decision waiting for its finalization (R26).
    pub awaiting_finalization: bool,
}

/// The branch at a glance: its open episodes, with who may be filtered on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchView {
    pub today: NaiveDate,
    pub branch: String,
    /// The branch's coaches and case aides: `(id, name)`.
    pub coaches: Vec<(i64, String)>,
    pub rows: Vec<BranchRow>,
    /// More open episodes than the page lists.
    pub truncated: bool,
    /// Where the next page of the open-episode list starts (`…&after=…`), when there is more.
    pub next: Option<String>,
    /// This page starts after the most urgent ones (a "Show more" page).
    pub later: bool,
    /// The period the timeliness figures cover (by the day of the miss).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// First contacts within one business day (R2) and notices mailed on time (R15), from
    /// `core`, over every episode missed in the period.
    pub timeliness: reengage_core::episode::TimelinessFigures,
    /// What in the period could not be used, and what is shown instead.
    pub problem: Option<String>,
}

/// One effort that did not end in a disqualification (R29).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffortRow {
    pub episode_id: i64,
    pub participant: String,
    pub case_number: String,
    pub coach: Option<String>,
    pub missed_on: NaiveDate,
    pub missed: String,
    pub attempts: usize,
    /// `core`'s words for where it stands.
    pub outcome: String,
}

/// The R29 view: engagement contacts and re-engagement efforts of a period that did not end
/// in a disqualification, for a coach or the whole branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffortsView {
    pub today: NaiveDate,
    pub coaches: Vec<(i64, String)>,
    /// The period read: the misses from `from` to `to`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub coach: Option<i64>,
    pub rows: Vec<EffortRow>,
    /// More misses in the period than this page measured.
    pub truncated: bool,
    /// Where the next page starts (`…&after=…`), when there is more.
    pub next: Option<String>,
    /// This page starts after the newest misses (a "Show more" page).
    pub later: bool,
    /// What in the filter could not be used, and what is shown instead.
    pub problem: Option<String>,
}

/// What the R29 view is asked for, as typed in its form (empty: the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffortsFilter {
    #[serde(default)]
    pub coach: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Where the page starts: the `next` of the page before (empty: the newest misses).
    #[serde(default)]
    pub after: String,
}

/// Someone a miss can be recorded for: no open episode, within the signed-in person's reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantChoice {
    pub id: i64,
    pub name: String,
    pub case_number: String,
}

/// What the missed-activity form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissChoices {
    pub today: NaiveDate,
    /// A contractor's report (R5) rather than the department's.
    pub contractor: bool,
    pub participants: Vec<ParticipantChoice>,
    /// The office's own closure days (the calendar the server checks the miss with).
    pub closures: Vec<Closure>,
}

/// The second step of a password sign-in: the account, and when it has not enrolled yet,
/// what its authenticator app needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    pub email: String,
    pub enrolling: Option<EnrolmentView>,
}

/// A new TOTP secret: as text, as an `otpauth://` address and as a QR code (SVG markup the
/// server made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// The signed-in person's secret calendar feed, as `/account/calendar` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedView {
    /// The live feed, if there is one.
    pub live: Option<LiveFeed>,
    /// The full address of the feed just made: shown this once, never again.
    pub new_address: Option<String>,
}

/// A live calendar feed: when it was made and last read by a calendar app, in office time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveFeed {
    pub made: String,
    pub last_read: Option<String>,
}

/// Why a page could not be shown; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageError {
    SignedOut,
    Forbidden(String),
    NotFound(String),
    Unavailable,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignedOut => write!(f, "Sign in to see this page."),
            Self::Forbidden(message) | Self::NotFound(message) => write!(f, "{message}"),
            Self::Unavailable => write!(
                f,
                "Re-engage could not load this page. Check your connection and try again."
            ),
        }
    }
}

impl PageError {
    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::SignedOut => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::Unavailable => 503,
        }
    }
}

impl FromServerFnError for PageError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_: ServerFnErrorErr) -> Self {
        Self::Unavailable
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use std::{future::Future, pin::Pin, sync::Arc};

    use super::{
        BranchView, EffortsFilter, EffortsView, EpisodePage, MissChoices, PREFIX, PageError,
        Purpose, SecondFactorView, StaffingPage, TodayView,
    };

    /// An answer of the server's side.
    pub type Answer<T> = Pin<Box<dyn Future<Output = Result<T, PageError>> + Send>>;

    /// The server's side of the pages, given the request (its session says who is asking).
    pub trait Backend: Send + Sync + 'static {
        /// The signed-in person's open work, most urgent first.
        fn today(&self, request: &http::request::Parts) -> Answer<TodayView>;
        /// The signed-in person's e-mail settings (the morning digest).
        fn email_settings(&self, request: &http::request::Parts) -> Answer<super::EmailView>;
        /// Every office and staff account (admin).
        fn admin(&self, request: &http::request::Parts) -> Answer<crate::office_views::AdminView>;
        /// Office `id` with its closure days (admin).
        fn admin_office(
            &self,
            request: &http::request::Parts,
            id: i64,
        ) -> Answer<crate::office_views::OfficeView>;
        /// Staff account `id` with its tokens (admin).
        fn admin_staff(
            &self,
            request: &http::request::Parts,
            id: i64,
        ) -> Answer<crate::office_views::StaffMemberView>;
        /// The participant search, with what a search form sent back in place (department
        /// staff).
        fn participants(
            &self,
            request: &http::request::Parts,
        ) -> Answer<crate::office_views::ParticipantsView>;
        /// A participant's record for its form, or an empty one (`None`).
        fn participant_form(
            &self,
            request: &http::request::Parts,
            id: Option<i64>,
        ) -> Answer<crate::office_views::ParticipantFormView>;
        /// The branch's coaches, for a caseload move (supervisors).
        fn caseload(
            &self,
            request: &http::request::Parts,
        ) -> Answer<crate::office_views::CaseloadView>;
        /// Episode `id` as the signed-in person may see it, for `purpose`.
        fn episode(
            &self,
            request: &http::request::Parts,
            id: i64,
            purpose: Purpose,
        ) -> Answer<EpisodePage>;
        /// The signed-in supervisor's branch at a glance.
        fn branch(
            &self,
            request: &http::request::Parts,
            from: String,
            to: String,
        ) -> Answer<BranchView>;
        /// The R29 view of the signed-in supervisor's branch.
        fn efforts(
            &self,
            request: &http::request::Parts,
            filter: EffortsFilter,
        ) -> Answer<EffortsView>;
        /// Who the signed-in person may record a missed activity for.
        fn missed_form(&self, request: &http::request::Parts) -> Answer<MissChoices>;
        /// The staffing workspace of episode `id` (department staff of its branch).
        fn staffing(&self, request: &http::request::Parts, id: i64) -> Answer<StaffingPage>;
        /// The second step of the password sign-in under way in this session.
        fn second_factor(&self, request: &http::request::Parts) -> Answer<SecondFactorView>;
        /// The recovery codes made at enrolment, handed over once.
        fn recovery_codes(&self, request: &http::request::Parts) -> Answer<Vec<String>>;
        /// The signed-in person's calendar feed, with a new one's address once.
        fn calendar_feed(&self, request: &http::request::Parts) -> Answer<super::CalendarFeedView>;
    }

    /// Runs `ask` against the backend the server provided, for this request; an error sets
    /// the response status.
    pub async fn ask<T>(
        ask: impl FnOnce(&dyn Backend, &http::request::Parts) -> Answer<T>,
    ) -> Result<T, PageError> {
        use leptos::prelude::use_context;
        let backend = use_context::<Arc<dyn Backend>>().ok_or(PageError::Unavailable)?;
        let parts = use_context::<http::request::Parts>().ok_or(PageError::Unavailable)?;
        let answer = ask(backend.as_ref(), &parts).await;
        let Err(error) = &answer else {
            return answer;
        };
        // Rendering a page for someone signed out: send them to sign in. A server function
        // called over HTTP answers with the error's status instead.
        let page = !parts.uri.path().starts_with(PREFIX);
        if page && *error == PageError::SignedOut {
            leptos_axum::redirect("/signin");
        } else if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(error.status())
        {
            response.set_status(status);
        }
        answer
    }
}

#[cfg(feature = "ssr")]
pub use server_side::{Answer, Backend};

/// A page's own "there is no such record" (an address that cannot name one): the error, and
/// on the server a 404 status, as a server function's refusal would have.
pub fn not_found(message: &str) -> PageError {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    PageError::NotFound(message.to_owned())
}

/// Where the pages' server functions answer.
pub const PREFIX: &str = "/app/";

/// The second step of the password sign-in under way.
#[server(prefix = "/app", endpoint = "second_factor")]
pub async fn second_factor() -> Result<SecondFactorView, PageError> {
    server_side::ask(|backend, request| backend.second_factor(request)).await
}

/// The recovery codes made at enrolment, once.
#[server(prefix = "/app", endpoint = "recovery_codes")]
pub async fn recovery_codes() -> Result<Vec<String>, PageError> {
    server_side::ask(|backend, request| backend.recovery_codes(request)).await
}

/// The signed-in person's calendar feed, with a new one's address once.
#[server(prefix = "/app", endpoint = "calendar_feed")]
pub async fn calendar_feed() -> Result<CalendarFeedView, PageError> {
    server_side::ask(|backend, request| backend.calendar_feed(request)).await
}

/// The Today list of the signed-in person.
#[server(prefix = "/app", endpoint = "today")]
pub async fn today() -> Result<TodayView, PageError> {
    server_side::ask(|backend, request| backend.today(request)).await
}

/// The signed-in person's e-mail settings (the morning digest).
#[server(prefix = "/app", endpoint = "email_settings")]
pub async fn email_settings() -> Result<EmailView, PageError> {
    server_side::ask(|backend, request| backend.email_settings(request)).await
}

/// Episode `id` with its participant, deadlines and history, for `purpose`.
#[server(prefix = "/app", endpoint = "episode")]
pub async fn episode(id: i64, purpose: Purpose) -> Result<EpisodePage, PageError> {
    server_side::ask(|backend, request| backend.episode(request, id, purpose)).await
}

/// The staffing workspace of episode `id`.
#[server(prefix = "/app", endpoint = "staffing")]
pub async fn staffing(id: i64) -> Result<StaffingPage, PageError> {
    server_side::ask(|backend, request| backend.staffing(request, id)).await
}

/// What the missed-activity form offers the signed-in person.
#[server(prefix = "/app", endpoint = "missed_form")]
pub async fn missed_form() -> Result<MissChoices, PageError> {
    server_side::ask(|backend, request| backend.missed_form(request)).await
}

/// The signed-in supervisor's branch at a glance, with the timeliness figures of the misses
/// from `from` to `to` (empty: the default period).
#[server(prefix = "/app", endpoint = "branch")]
pub async fn branch(from: String, to: String) -> Result<BranchView, PageError> {
    server_side::ask(|backend, request| backend.branch(request, from, to)).await
}

/// The R29 view for a coach (empty: every coach) and the misses from `from` to `to` (empty:
/// the default period).
#[server(prefix = "/app", endpoint = "efforts")]
pub async fn efforts(
    coach: String,
    from: String,
    to: String,
    // Optional: a caller of the three-field form still reads the first page.
    after: Option<String>,
) -> Result<EffortsView, PageError> {
    let filter = EffortsFilter {
        coach,
        from,
        to,
        after: after.unwrap_or_default(),
    };
    server_side::ask(|backend, request| backend.efforts(request, filter)).await
}

/// Every office and staff account (admin).
#[server(prefix = "/app", endpoint = "admin")]
pub async fn admin() -> Result<crate::office_views::AdminView, PageError> {
    server_side::ask(|backend, request| backend.admin(request)).await
}

/// Office `id` with its closure days (admin).
#[server(prefix = "/app", endpoint = "admin_office")]
pub async fn admin_office(id: i64) -> Result<crate::office_views::OfficeView, PageError> {
    server_side::ask(|backend, request| backend.admin_office(request, id)).await
}

/// Staff account `id` with its tokens (admin).
#[server(prefix = "/app", endpoint = "admin_staff")]
pub async fn admin_staff(id: i64) -> Result<crate::office_views::StaffMemberView, PageError> {
    server_side::ask(|backend, request| backend.admin_staff(request, id)).await
}

/// The participant search page (department staff).
#[server(prefix = "/app", endpoint = "participants")]
pub async fn participants() -> Result<crate::office_views::ParticipantsView, PageError> {
    server_side::ask(|backend, request| backend.participants(request)).await
}

/// A participant's record for its form; an empty one for a new participant.
#[server(prefix = "/app", endpoint = "participant_form")]
pub async fn participant_form(
    id: Option<i64>,
) -> Result<crate::office_views::ParticipantFormView, PageError> {
    server_side::ask(|backend, request| backend.participant_form(request, id)).await
}

/// The branch's coaches for a caseload move (supervisors).
#[server(prefix = "/app", endpoint = "caseload")]
pub async fn caseload() -> Result<crate::office_views::CaseloadView, PageError> {
    server_side::ask(|backend, request| backend.caseload(request)).await
}

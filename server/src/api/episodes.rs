//! `/api/v1/episodes`: open an episode, read it with everything `core` derives, change it.

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use chrono::NaiveDate;
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::{
    self, Attempt, AttemptOutcome, BarrierFinding, ContactMethod, Deadline, Decision,
    DecisionOutcome, EpisodeFacts, GoodCauseAnswers, MissingInfo, NextAction, Partner,
    PostDq1Steps, ReadinessItem, Staffing, StaffingMember, StaffingRole, Stage, Transition,
    Trigger,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{ApiPath, ApiQuery, SignedIn};
use crate::services::access::{self, Action, Record, Role};
use crate::services::accounts::Staff;
use crate::services::actions;
use crate::services::episodes::{
    MissReport, change as change_episode, read, record_missed_activity,
};
use crate::services::participants::PdpStep;
use crate::store::db::Db;
use crate::store::lists::{Cursor, EpisodeRow, Scope, open_episodes};
use crate::web::errors::ApiError;
use crate::web::state::Clock;

/// An episode with what `core` derives from it on the office's today.
#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodeView {
    pub id: i64,
    pub participant_id: i64,
    pub version: i64,
    pub today: NaiveDate,
    pub stage: Stage,
    pub closed: bool,
    /// The department's next step (department staff only: its text can quote department
    /// records, such as what missing information is awaited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_action: Option<NextAction>,
    pub deadlines: Vec<Deadline>,
    /// R26: what still stops a DQ1 from being finalized (department staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dq1_readiness: Option<Vec<ReadinessItem>>,
    pub facts: EpisodeFacts,
}

/// Episode `id` as `staff` may see it: a contractor gets `redact::facts` and no readiness
/// list; a department read of a staffing (barrier review, good cause) is audited.
async fn view(
    db: &Db,
    clock: &Clock,
    staff: &Staff,
    role: Role,
    id: i64,
) -> Result<EpisodeView, ApiError> {
    let (record, today, calendar) = read(db, id, clock.now()).await?;
    let facts = &record.facts;
    let contractor = role == Role::Contractor;
    access::record_barrier_read(db, staff, role, facts, id, clock.now()).await?;
    Ok(EpisodeView {
        id: record.id,
        participant_id: record.participant_id,
        version: record.version,
        today,
        stage: episode::stage(facts, today, &calendar),
        closed: episode::is_closed(facts, &calendar),
        next_action: (!contractor).then(|| episode::next_action(facts, today, &calendar)),
        deadlines: episode::deadlines(facts, today, &calendar),
        dq1_readiness: (!contractor).then(|| episode::dq1_readiness(facts, &calendar)),
        facts: if contractor {
            crate::services::redact::facts(record.facts)
        } else {
            record.facts
        },
    })
}

pub(super) fn parse<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, ApiError> {
    super::known_fields(what, value)
}

pub(super) fn body(bytes: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let not_object = || ApiError::bad_input("Send a JSON object as the request body.");
    let mut value: Value = serde_json::from_slice(bytes).map_err(|_| not_object())?;
    super::within_limits(&value)?;
    super::whole_numbers(&mut value);
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(not_object()),
    }
}

/// The whole-number field `name` of a request body.
pub(super) fn id_field(fields: &Map<String, Value>, name: &str) -> Result<i64, ApiError> {
    fields
        .get(name)
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::bad_input(format!("Send `{name}`, a whole number.")))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A coach's open episodes.
    #[param(value_type = i64, required = false)]
    coach_id: Option<i64>,
    /// A branch's open episodes.
    #[param(value_type = i64, required = false)]
    branch_id: Option<i64>,
    /// The `next` value of the page before.
    #[param(value_type = String, required = false, pattern = r"^[0-9-]{10}\.[0-9]{1,18}$")]
    after: Option<String>,
    /// Episodes per page, from 1 to 200 (50 when not given).
    #[param(value_type = i64, required = false, minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodePage {
    pub episodes: Vec<EpisodeRow>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

#[utoipa::path(get, path = "/episodes", tag = "episodes", params(ListQuery),
    security(("bearer" = [])),
    responses((status = 200, body = EpisodePage), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, description = "The coach or branch asked for is not within reach.", body = super::ErrorBody)))]
/// `GET /api/v1/episodes?coach_id=…|branch_id=…&after=…&limit=…`: open episodes, most
/// urgent first (by the next due date), paged by keyset. Without a filter: the signed-in
/// staff member's own, or their branch's.
pub async fn list(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<EpisodePage>, ApiError> {
    // The filter is itself a record to reach: another branch's list is out of reach.
    let asked = match (query.coach_id, query.branch_id) {
        (Some(coach), _) => Record::Coach(coach),
        (None, Some(branch)) => Record::Branch(branch),
        (None, None) => Record::None,
    };
    let role = access::authorize(&db, &staff, Action::ListEpisodes, asked, clock.now()).await?;
    let scope = match (role, query.coach_id, query.branch_id, staff.branch_id) {
        (Role::Contractor, ..) => Scope::Contractor(staff.id),
        (_, Some(coach), _, _) => Scope::Coach(coach),
        (_, None, Some(branch), _) => Scope::Branch(branch),
        (Role::FamilyCoach | Role::CaseAide, None, None, _) => Scope::Coach(staff.id),
        (_, None, None, Some(branch)) => Scope::Branch(branch),
        (_, None, None, None) => Scope::Coach(staff.id),
    };
    let after = match query.after.as_deref() {
        None => None,
        Some(text) => Some(Cursor::parse(text).ok_or_else(|| {
            ApiError::bad_input("`after` is the `next` value of the page before.")
        })?),
    };
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::bad_input("`limit` is from 1 to 200."));
    }
    let mut conn = db
        .pool
        .acquire()
        .await
        .map_err(crate::services::ServiceError::from)?;
    let (mut episodes, next) = open_episodes(&mut conn, scope, after.as_ref(), limit)
        .await
        .map_err(crate::services::ServiceError::from)?;
    drop(conn);
    // Each one's stage as `core` says it is on its office's today: a stage moves with the
    // days (a response window ends, a notice comes due) with nothing written, so the stage
    // stored at the last change is never what a list shows.
    let ids: Vec<i64> = episodes.iter().map(|row| row.id).collect();
    let read = crate::services::episodes::read_many(&db, &ids, clock.now()).await?;
    for (row, (record, today, calendar)) in episodes.iter_mut().zip(read) {
        row.stage = crate::store::codes::code(&reengage_core::episode::stage(
            &record.facts,
            today,
            &calendar,
        ));
    }
    Ok(Json(EpisodePage {
        episodes,
        next: next.map(|c| c.encode()),
    }))
}

/// `POST /episodes`: R1 — the miss. `trigger.reported_by` follows from who is signed in (R5
/// for a contractor, whose `trigger.aware_on` is the day it became aware); a miss the
/// participant called ahead about (`called_ahead`) opens no episode (422).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenRequest {
    participant_id: i64,
    trigger: Trigger,
    #[serde(default)]
    called_ahead: bool,
}

#[utoipa::path(post, path = "/episodes", tag = "episodes", request_body = OpenRequest,
    security(("bearer" = [])),
    responses((status = 201, body = EpisodeView), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
/// `POST /api/v1/episodes`: R1 — record a missed activity and open the episode.
pub async fn open(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    bytes: Bytes,
) -> Result<(StatusCode, Json<EpisodeView>), ApiError> {
    let fields = body(&bytes)?;
    // Authorized on the participant before the rest of the body is read.
    let participant_id = id_field(&fields, "participant_id")?;
    let role = access::authorize(
        &db,
        &staff,
        Action::RecordMissedActivity,
        Record::Participant(participant_id),
        clock.now(),
    )
    .await?;
    let request: OpenRequest = parse("a missed activity", Value::Object(fields))?;
    let report = MissReport {
        trigger: request.trigger,
        called_ahead: request.called_ahead,
    };
    let opened = record_missed_activity(
        &db,
        &staff.actor(),
        request.participant_id,
        report,
        clock.now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&db, &clock, &staff, role, opened.episode_id).await?),
    ))
}

#[utoipa::path(get, path = "/episodes/{id}", tag = "episodes", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = EpisodeView), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
/// `GET /api/v1/episodes/{id}`.
pub async fn show(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EpisodeView>, ApiError> {
    let role = access::authorize(
        &db,
        &staff,
        Action::ReadEpisode,
        Record::Episode(id),
        clock.now(),
    )
    .await?;
    Ok(Json(view(&db, &clock, &staff, role, id).await?))
}

/// `appointment`, `notice`, `finalization`: the day.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OnDay {
    on: NaiveDate,
}

/// `appointment` (R12–R16): the day, and the time of day where one is set.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AppointmentDay {
    on: NaiveDate,
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "10:00:00")]
    at: Option<chrono::NaiveTime>,
}

/// `contact` (R8): at any time before the decision; with the plan adjusted the episode
/// closes as re-engaged, with the agreed PDP step added where one is given.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Contact {
    on: NaiveDate,
    plan_adjusted: bool,
    #[serde(default)]
    pdp_step: Option<PdpStep>,
}

/// `good-cause` (R23): good cause given by the case manager alone, with its reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GoodCauseGiven {
    on: NaiveDate,
    reason: String,
}

/// `decision` (R23–R25): the team's decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    outcome: DecisionOutcome,
    decided_on: NaiveDate,
}

/// A member of a staffing (R18): a staff account of the branch by `staff_id` (its initials
/// and seat come from the account), or a named row — `initials` and `role` — for someone
/// without an account (child welfare, a contractor, a designee), which never counts toward
/// the three.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberRequest {
    #[serde(default)]
    staff_id: Option<i64>,
    #[serde(default)]
    initials: Option<String>,
    #[serde(default)]
    role: Option<StaffingRole>,
}

/// A community partner (R19): the release on file decides, never the request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PartnerRequest {
    name: String,
}

/// `staffing` (R17–R20, R23, R30). Confirmations of presence are never sent: each department
/// member confirms their own (`POST /episodes/{id}/staffing/presence`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StaffingRequest {
    held_on: NaiveDate,
    members: Vec<MemberRequest>,
    participant_attended: bool,
    #[serde(default)]
    partners: Vec<PartnerRequest>,
    /// R20: one finding per area and household member answered; a cell left out is "not
    /// reviewed".
    barrier_review: Vec<BarrierFinding>,
    good_cause: GoodCauseAnswers,
    recommended_strategies: Vec<String>,
    pdp_next_steps: Vec<String>,
}

/// The longest initials of a named member.
const MAX_INITIALS_CHARS: usize = 8;

impl StaffingRequest {
    /// `core`'s staffing, or what to fix.
    fn staffing(self) -> Result<Staffing, ApiError> {
        let mut members = Vec::with_capacity(self.members.len());
        for (n, member) in self.members.into_iter().enumerate() {
            let at = n + 1;
            members.push(match (member.staff_id, member.initials, member.role) {
                // The account's initials and seat are read from the branch's records.
                (Some(staff_id), _, _) => {
                    StaffingMember::account(staff_id, String::new(), StaffingRole::FamilyCoach)
                }
                (None, Some(initials), Some(role)) => {
                    let initials = initials.trim();
                    if initials.is_empty() || initials.chars().count() > MAX_INITIALS_CHARS {
                        return Err(ApiError::invalid(format!(
                            "Member {at}: `initials` are 1 to {MAX_INITIALS_CHARS} characters."
                        )));
                    }
                    StaffingMember::named(initials.to_uppercase(), role)
                }
                _ => {
                    return Err(ApiError::invalid(format!(
                        "Member {at}: send `staff_id` for a staff account of the branch, or `initials` and `role` for someone without one (R18)."
                    )));
                }
            });
        }
        Ok(Staffing {
            held_on: self.held_on,
            members,
            participant_attended: self.participant_attended,
            partners: self
                .partners
                .into_iter()
                .map(|p| Partner {
                    name: p.name,
                    release: None,
                })
                .collect(),
            barrier_review: self.barrier_review,
            good_cause: self.good_cause,
            recommended_strategies: self.recommended_strategies,
            pdp_next_steps: self.pdp_next_steps,
        })
    }
}

/// `missing-info-resolutions`: which item (its place in `facts.missing_info`) and when.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Resolution {
    index: usize,
    on: NaiveDate,
}

/// `new-staffing` (R24).
#[derive(Debug, Deserialize, ToSchema)]
pub struct Reason {
    reason: String,
}

/// `attempts` (R7, R9): `by_initials` defaults to the signed-in staff member's.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAttempt {
    on: NaiveDate,
    method: ContactMethod,
    outcome: AttemptOutcome,
    #[serde(default)]
    response_window: Option<ResponseWindow>,
    #[serde(default)]
    by_initials: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// The body of `POST /episodes/{id}/{change}`: one of these, by `change`, plus `version`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // describes the request bodies in the OpenAPI document
pub enum ChangeBody {
    Attempts(NewAttempt),
    Contact(Contact),
    Appointment(AppointmentDay),
    NoticeOrFinalization(OnDay),
    MissingInfo(MissingInfo),
    MissingInfoResolutions(Resolution),
    Staffing(StaffingRequest),
    Decision(DecisionRequest),
    GoodCause(GoodCauseGiven),
    PostDq1Steps(PostDq1Steps),
    NewStaffing(Reason),
}

/// `{ "version": N, …the change… }`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ChangeRequest {
    /// The version of the episode the change is based on (409 when stale).
    version: i64,
    change: ChangeBody,
}

#[utoipa::path(post, path = "/episodes/{id}/{change}", tag = "episodes",
    params(("id" = i64, Path), ("change" = String, Path, description = "attempts, contact, appointment, notice, missing-info, missing-info-resolutions, staffing, decision, good-cause, finalization, post-dq1-steps or new-staffing")),
    request_body = ChangeRequest, security(("bearer" = [])),
    responses((status = 200, body = EpisodeView), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
/// `POST /api/v1/episodes/{id}/{change}` with `{ "version": N, … }`: one change, checked by
/// `core`, through the same use case as the page's form. `change` is one of attempts,
/// contact, appointment, notice, missing-info, missing-info-resolutions, staffing, decision,
/// good-cause, finalization, post-dq1-steps, new-staffing.
pub async fn change(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath((id, kind)): ApiPath<(i64, String)>,
    bytes: Bytes,
) -> Result<Json<EpisodeView>, ApiError> {
    let Some(kind) = ChangeKind::parse(&kind) else {
        return Err(ApiError::not_found(format!(
            "There is no change called “{kind}”."
        )));
    };
    let role =
        access::authorize(&db, &staff, kind.action(), Record::Episode(id), clock.now()).await?;
    let mut fields = body(&bytes)?;
    let version = fields
        .remove("version")
        .and_then(|v| v.as_i64())
        .ok_or_else(|| {
            ApiError::bad_input("Send the `version` of the episode you are changing.")
        })?;
    let rest = Value::Object(fields);
    let (actor, now) = (staff.actor(), clock.now());
    let single = |transition| change_episode(&db, &actor, id, version, transition, now);
    match kind {
        ChangeKind::Attempts => {
            let new: NewAttempt = parse("an attempt", rest)?;
            let attempt = Attempt {
                on: new.on,
                method: new.method,
                outcome: new.outcome,
                response_window: new.response_window,
                by_initials: new.by_initials.unwrap_or_else(|| staff.initials.clone()),
                note: new.note,
                // R5: who made it follows from who is signed in.
                by_contractor: role == Role::Contractor,
            };
            actions::log_attempt(&db, &actor, id, version, attempt, now).await?
        }
        ChangeKind::Contact => {
            let Contact {
                on,
                plan_adjusted,
                pdp_step,
            } = parse("contact made", rest)?;
            actions::record_contact(&db, &actor, id, version, (on, plan_adjusted), pdp_step, now)
                .await?
        }
        ChangeKind::Appointment => {
            let AppointmentDay { on, at } = parse("an appointment", rest)?;
            single(Transition::ScheduleAppointment { on, at }).await?
        }
        ChangeKind::Notice => {
            let on = parse::<OnDay>("a notice", rest)?.on;
            single(Transition::RecordNoticeMailed { on }).await?
        }
        ChangeKind::MissingInfo => {
            let item = parse::<MissingInfo>("missing information", rest)?;
            single(Transition::AddMissingInfo(item)).await?
        }
        ChangeKind::MissingInfoResolutions => {
            let Resolution { index, on } = parse("a resolution", rest)?;
            single(Transition::ResolveMissingInfo { index, on }).await?
        }
        ChangeKind::Staffing => {
            let staffing = parse::<StaffingRequest>("a staffing", rest)?.staffing()?;
            actions::record_staffing(&db, &actor, id, version, staffing, now).await?
        }
        ChangeKind::Decision => {
            let DecisionRequest {
                outcome,
                decided_on,
            } = parse("a decision", rest)?;
            single(Transition::Decide(Decision::by_team(outcome, decided_on))).await?
        }
        ChangeKind::GoodCause => {
            let GoodCauseGiven { on, reason } = parse("good cause", rest)?;
            actions::give_good_cause(&db, &actor, id, version, (on, reason), now).await?
        }
        // R18, R26: the finalizer is the signed-in account, never a field of the request.
        ChangeKind::Finalization => {
            let on = parse::<OnDay>("a finalization", rest)?.on;
            actions::record_post_dq1(&db, &actor, id, version, None, Some(on), now).await?
        }
        ChangeKind::PostDq1Steps => {
            let steps = parse::<PostDq1Steps>("post-DQ1 steps", rest)?;
            actions::record_post_dq1(&db, &actor, id, version, Some(steps), None, now).await?
        }
        ChangeKind::NewStaffing => {
            let reason = parse::<Reason>("a new staffing request", rest)?.reason;
            single(Transition::RequestNewStaffing { reason }).await?
        }
    };
    Ok(Json(view(&db, &clock, &staff, role, id).await?))
}

#[utoipa::path(post, path = "/episodes/{id}/staffing/presence", tag = "episodes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = EpisodeView), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
/// `POST /api/v1/episodes/{id}/staffing/presence`: R18 — the signed-in department member
/// confirms "I was present" at the episode's staffing, with their own sign-in (no body). A
/// DQ1 decision and its finalization need three who did.
pub async fn confirm_presence(
    State(db): State<Db>,
    State(clock): State<Clock>,
    SignedIn(staff): SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EpisodeView>, ApiError> {
    let role = access::authorize(
        &db,
        &staff,
        Action::ConfirmPresence,
        Record::Episode(id),
        clock.now(),
    )
    .await?;
    actions::confirm_presence(&db, &staff.actor(), id, clock.now()).await?;
    Ok(Json(view(&db, &clock, &staff, role, id).await?))
}

/// The changes of `POST /episodes/{id}/{change}`, by their name in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChangeKind {
    Attempts,
    Contact,
    Appointment,
    Notice,
    MissingInfo,
    MissingInfoResolutions,
    Staffing,
    Decision,
    GoodCause,
    Finalization,
    PostDq1Steps,
    NewStaffing,
}

impl ChangeKind {
    /// Every change: its name in the path, and the schema of its body (besides `version`).
    pub(super) const ALL: [(&'static str, Self, &'static str); 12] = [
        ("attempts", Self::Attempts, "NewAttempt"),
        ("contact", Self::Contact, "Contact"),
        ("appointment", Self::Appointment, "AppointmentDay"),
        ("notice", Self::Notice, "OnDay"),
        ("missing-info", Self::MissingInfo, "MissingInfo"),
        (
            "missing-info-resolutions",
            Self::MissingInfoResolutions,
            "Resolution",
        ),
        ("staffing", Self::Staffing, "StaffingRequest"),
        ("decision", Self::Decision, "DecisionRequest"),
        ("good-cause", Self::GoodCause, "GoodCauseGiven"),
        ("finalization", Self::Finalization, "OnDay"),
        ("post-dq1-steps", Self::PostDq1Steps, "PostDq1Steps"),
        ("new-staffing", Self::NewStaffing, "Reason"),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(path, ..)| *path == name)
            .map(|(_, kind, _)| *kind)
    }

    /// What the change asks of the access table.
    fn action(self) -> Action {
        match self {
            Self::Attempts => Action::LogAttempt,
            Self::Contact => Action::RecordContact,
            Self::Appointment => Action::ScheduleAppointment,
            Self::Notice => Action::RecordNoticeMailed,
            Self::MissingInfo | Self::MissingInfoResolutions => Action::MissingInformation,
            Self::Staffing => Action::RecordStaffing,
            Self::Decision => Action::Decide,
            Self::GoodCause => Action::GiveGoodCause,
            Self::Finalization => Action::FinalizeDq1,
            Self::PostDq1Steps => Action::RecordPostDq1Steps,
            Self::NewStaffing => Action::RequestNewStaffing,
        }
    }
}

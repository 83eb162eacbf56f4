//! One use case per user action: the same work done through the pages' forms and through the
//! REST API leaves the same database — the same rows, the same versions, the same audit
//! entries — on both backends. An attempt that finds the address invalid brings its ONE
//! request (R11) either way, contact made its PDP step (R8), the steps after a DQ1 the RE step
//! on the PDP (R27), the staffing its team of the branch's accounts and their own
//! confirmations (R18); the case manager's good cause (R23) is one change either way.

use std::sync::{Arc, Mutex};

use crate::support::browser::{client, post_form, sign_in_with, sign_in_with_code};
use crate::support::{TestDb, backends, fresh_db, serve};
use chrono::{DateTime, Utc};
use reengage_server::cli::config;
use reengage_server::services::Actor;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::store::db::{Backend, Db};
use reengage_server::web::state::{AppState, Clock};
use serde_json::{Value, json};
use sqlx::Row;

const PASSWORD: &str = "correct horse battery staple";
const STAFF: [(&str, &str, &str); 3] = [
    ("coach@example.test", "RH", "family_coach"),
    ("manager@example.test", "XR", "operations_manager"),
    ("specialist@example.test", "JB", "engagement_specialist"),
];

fn noon(date: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{date}T20:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

/// A branch with a coach (staff 1), an operations manager (2) and an engagement specialist
/// (3), each with a token and a session, and three participants of the coach's.
struct World {
    test: TestDb,
    base: String,
    clock: Arc<Mutex<DateTime<Utc>>>,
    tokens: Vec<String>,
    cookies: Vec<String>,
    /// The manager's recovery codes: each of its sign-ins gives one (its authenticator's
    /// codes would each wait for a new 30-second step).
    recovery_codes: Vec<String>,
}

/// Signs staff member `who` in: the manager with one of `recovery_codes`.
async fn sign_in(base: &str, who: usize, recovery_codes: &mut Vec<String>) -> String {
    let (email, _, role) = STAFF[who];
    if reengage_server::services::second_factor::required(role.parse().expect("a role")) {
        let code = recovery_codes.pop().expect("a recovery code left");
        return sign_in_with_code(base, email, PASSWORD, &code).await;
    }
    sign_in_with(base, email, PASSWORD).await
}

impl World {
    /// Noon on `date`; everyone signs in again (a session ends 12 hours after sign-in).
    async fn day(&mut self, date: &str) {
        *self.clock.lock().unwrap() = noon(date);
        for who in 0..STAFF.len() {
            self.cookies[who] = sign_in(&self.base, who, &mut self.recovery_codes).await;
        }
    }

    fn db(&self) -> &Db {
        &self.test.db
    }

    async fn version(&self, episode: i64) -> String {
        let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
            .bind(episode)
            .fetch_one(&self.db().pool)
            .await
            .unwrap();
        version.to_string()
    }
}

async fn world(backend: Backend) -> World {
    let test = fresh_db(backend).await;
    let db = test.db.clone();
    sqlx::query("INSERT INTO branches (name) VALUES ('Riverbend')")
        .execute(&db.pool)
        .await
        .unwrap();
    let admin = Actor {
        staff_id: None,
        email: "setup".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let start = noon("2026-11-02");
    let mut tokens = Vec::new();
    let mut recovery_codes = Vec::new();
    for (email, initials, role) in STAFF {
        let staff = NewStaff {
            email: email.into(),
            name: format!("Test {initials}"),
            initials: initials.into(),
            role: role.parse().expect("a role"),
            branch: Some("Riverbend".into()),
            password: PASSWORD.into(),
            phone: None,
        };
        let id = accounts::create_staff(&db, &admin, staff, start)
            .await
            .unwrap();
        if reengage_server::services::second_factor::required(role.parse().expect("a role")) {
            recovery_codes = enrol(&db, id, email).await;
        }
        tokens.push(
            accounts::create_token(&db, &admin, email, start)
                .await
                .unwrap(),
        );
    }
    for n in 1..=3 {
        sqlx::query(
            "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, \
             coach_id, created_at) VALUES (1, $1, 'Tess', 'Example', $2, 1, '2026-10-01T00:00:00Z')",
        )
        .bind(format!("SURF-{n}"))
        .bind(format!("Ms. Example {n}"))
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let clock = Arc::new(Mutex::new(start));
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let base = serve(AppState::new(options, db).with_clock(Clock::fixed(clock.clone()))).await;
    let mut cookies = Vec::new();
    for who in 0..STAFF.len() {
        cookies.push(sign_in(&base, who, &mut recovery_codes).await);
    }
    World {
        test,
        base,
        clock,
        tokens,
        cookies,
        recovery_codes,
    }
}

/// Enrols account `id` with a new TOTP key, as its owner would with an authenticator app;
/// its recovery codes.
async fn enrol(db: &Db, id: i64, email: &str) -> Vec<String> {
    use reengage_server::services::second_factor;
    let secret = second_factor::new_secret();
    let now = Utc::now();
    let code = second_factor::code_at(&secret, u64::try_from(now.timestamp()).unwrap()).unwrap();
    let owner = Actor {
        staff_id: Some(id),
        email: email.into(),
        role: reengage_core::roles::Role::OperationsManager,
    };
    second_factor::enrol(db, &owner, &secret, &code, now)
        .await
        .unwrap()
        .expect("the app's code sets the key")
}

/// Which surface drives the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    Forms,
    Api,
}

/// One change through the API; the episode as it answers.
async fn api(w: &World, who: usize, path: &str, body: Option<Value>) -> Value {
    let mut request = client()
        .post(format!("{}/api/v1{path}", w.base))
        .bearer_auth(&w.tokens[who]);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status == 200 || status == 201, "{path}: {status} {body}");
    body
}

/// One change through a page's form; it must be saved (a redirect that is no refusal).
async fn form(w: &World, who: usize, path: &str, fields: &[(&str, &str)]) {
    let (status, location) = post_form(&w.base, path, &w.cookies[who], fields).await;
    assert_eq!(status, 303, "{path}");
    assert!(
        !location.contains("error=") && location.starts_with("/episodes/"),
        "{path} refused: {location}"
    );
}

/// Each cell of the barrier review (R20) answered "no concerns", as the form names them, in
/// the order of the form.
fn review_fields() -> Vec<(String, String)> {
    crate::support::review_cells()
        .into_iter()
        .map(|(area, who)| (format!("{area}.{who}.present"), "no".to_owned()))
        .collect()
}

fn review_json() -> Value {
    let cells: Vec<Value> = review_fields()
        .into_iter()
        .map(|(name, _)| {
            let mut parts = name.split('.');
            json!({ "area": parts.next(), "who": parts.next(), "present": false,
                    "accommodation_offered": null, "affected_participation": null, "notes": null })
        })
        .collect();
    json!(cells)
}

/// The work, done through `surface`: a DQ1 from the miss to its finalization (R1–R27), a late
/// contact that adjusts the plan with a new PDP step (R8), and the case manager's good cause
/// (R23).
async fn the_work(w: &mut World, surface: Surface) {
    let (coach, manager) = (0, 1);
    // R1: the misses, on Monday 11-02.
    w.day("2026-11-02").await;
    for participant in ["1", "2", "3"] {
        match surface {
            Surface::Forms => {
                form(
                    w,
                    coach,
                    "/missed",
                    &[
                        ("participant", participant),
                        ("kind", "MissedCoachAppointment"),
                        ("what", "orientation"),
                        ("on", "2026-11-02"),
                    ],
                )
                .await
            }
            Surface::Api => {
                api(
                    w,
                    coach,
                    "/episodes",
                    Some(
                        json!({ "participant_id": participant.parse::<i64>().unwrap(),
                        "trigger": { "kind": "MissedCoachAppointment", "what": "orientation",
                            "on": "2026-11-02", "at": null, "reported_by": "Department" } }),
                    ),
                )
                .await;
            }
        }
    }
    // The attempts of episode 1: a voicemail; an offsite visit that finds the address
    // invalid (R11: its ONE request follows); a letter.
    let attempts = [
        ("2026-11-03", "Phone", "MessageLeft", Some("2")),
        ("2026-11-05", "OffsiteVisit", "AddressInvalid", None),
        ("2026-11-05", "Written", "MessageLeft", None),
    ];
    for (on, method, outcome, window) in attempts {
        w.day(on).await;
        let version = w.version(1).await;
        match surface {
            Surface::Forms => {
                let mut fields = vec![
                    ("version", version.as_str()),
                    ("on", on),
                    ("method", method),
                    ("outcome", outcome),
                ];
                if let Some(window) = window {
                    fields.push(("window", window));
                }
                form(w, coach, "/episodes/1/attempt", &fields).await
            }
            Surface::Api => {
                let mut body = json!({ "version": version.parse::<i64>().unwrap(), "on": on,
                    "method": method, "outcome": outcome });
                if let Some(window) = window {
                    body["response_window"] = json!(window.parse::<i64>().unwrap());
                }
                api(w, coach, "/episodes/1/attempts", Some(body)).await;
            }
        }
    }
    // R8: contact with episode 2 on Thursday 11-05, after the 2-day target: the plan is
    // adjusted with a new SW step, and the episode closes.
    let version = w.version(2).await;
    match surface {
        Surface::Forms => {
            form(
                w,
                coach,
                "/episodes/2/contact",
                &[
                    ("version", version.as_str()),
                    ("on", "2026-11-05"),
                    ("plan_adjusted", "yes"),
                    ("step_code", "SW"),
                    ("step_on", "2026-11-09"),
                ],
            )
            .await
        }
        Surface::Api => {
            api(
                w,
                coach,
                "/episodes/2/contact",
                Some(
                    json!({ "version": version.parse::<i64>().unwrap(), "on": "2026-11-05",
                    "plan_adjusted": true, "pdp_step": { "code": "SW", "starts_on": "2026-11-09",
                    "ends_on": null, "scheduled_time": null, "attendance_hours": null } }),
                ),
            )
            .await;
        }
    }
    // R23: the case manager gives episode 3 good cause alone.
    let version = w.version(3).await;
    let reason = "Hospitalized from 11/02 to 11/04.";
    match surface {
        Surface::Forms => {
            form(
                w,
                coach,
                "/episodes/3/good-cause",
                &[
                    ("version", version.as_str()),
                    ("on", "2026-11-05"),
                    ("reason", reason),
                ],
            )
            .await
        }
        Surface::Api => {
            api(
                w,
                coach,
                "/episodes/3/good-cause",
                Some(json!({ "version": version.parse::<i64>().unwrap(), "on": "2026-11-05", "reason": reason })),
            )
            .await;
        }
    }
    // R12, R15: invited on Tuesday 11-10 for Wednesday 11-18; the notice mailed that day.
    w.day("2026-11-10").await;
    let version = w.version(1).await;
    match surface {
        Surface::Forms => {
            form(
                w,
                coach,
                "/episodes/1/appointment",
                &[
                    ("version", version.as_str()),
                    ("on", "2026-11-18"),
                    ("at", "10:00"),
                ],
            )
            .await
        }
        Surface::Api => {
            api(
                w,
                coach,
                "/episodes/1/appointment",
                Some(json!({ "version": version.parse::<i64>().unwrap(), "on": "2026-11-18", "at": "10:00:00" })),
            )
            .await;
        }
    }
    let version = w.version(1).await;
    match surface {
        Surface::Forms => {
            form(
                w,
                coach,
                "/episodes/1/notice",
                &[("version", version.as_str()), ("on", "2026-11-10")],
            )
            .await
        }
        Surface::Api => {
            api(
                w,
                coach,
                "/episodes/1/notice",
                Some(json!({ "version": version.parse::<i64>().unwrap(), "on": "2026-11-10" })),
            )
            .await;
        }
    }
    // R17: the address verified at the appointment; R18: the staffing, each member confirming.
    w.day("2026-11-18").await;
    let version = w.version(1).await;
    match surface {
        Surface::Forms => {
            form(
                w,
                manager,
                "/episodes/1/missing-info/0",
                &[
                    ("version", version.as_str()),
                    ("gathered_on_0", "2026-11-18"),
                ],
            )
            .await
        }
        Surface::Api => {
            api(
                w,
                manager,
                "/episodes/1/missing-info-resolutions",
                Some(json!({ "version": version.parse::<i64>().unwrap(), "index": 0, "on": "2026-11-18" })),
            )
            .await;
        }
    }
    let staffing_fields = |version: &str, extra: &[(&str, &str)]| {
        let mut fields: Vec<(String, String)> = vec![
            ("version".into(), version.into()),
            ("held_on".into(), "2026-11-18".into()),
            ("member".into(), "1".into()),
            ("member".into(), "2".into()),
            ("member".into(), "3".into()),
            ("strategies".into(), "Weekly check-in call".into()),
            ("next_steps".into(), "Job search, 10 hours a week".into()),
            ("decided_on".into(), "2026-11-18".into()),
        ];
        fields.extend(review_fields());
        for question in [
            "gc_exempt",
            "gc_outside_control",
            "gc_household_issue",
            "gc_department_failed",
        ] {
            fields.push((question.into(), "no".into()));
        }
        for (name, value) in extra {
            fields.push(((*name).into(), (*value).into()));
        }
        fields
    };
    let version = w.version(1).await;
    match surface {
        Surface::Forms => {
            let fields = staffing_fields(&version, &[("intent", "save")]);
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            form(w, manager, "/episodes/1/staffing", &pairs).await
        }
        Surface::Api => {
            api(
                w,
                manager,
                "/episodes/1/staffing",
                Some(
                    json!({ "version": version.parse::<i64>().unwrap(), "held_on": "2026-11-18",
                    "members": [{ "staff_id": 1 }, { "staff_id": 2 }, { "staff_id": 3 }],
                    "participant_attended": false, "partners": [], "barrier_review": review_json(),
                    "good_cause": { "exempt": false, "outside_control": false,
                        "household_issue": false, "department_failed": false },
                    "recommended_strategies": ["Weekly check-in call"],
                    "pdp_next_steps": ["Job search, 10 hours a week"] }),
                ),
            )
            .await;
        }
    }
    for who in 0..3 {
        match surface {
            Surface::Forms => form(w, who, "/episodes/1/staffing/presence", &[]).await,
            Surface::Api => {
                api(w, who, "/episodes/1/staffing/presence", None).await;
            }
        }
    }
    // R26: DQ1 decided — from the workspace, with the staffing form as it was saved.
    let version = w.version(1).await;
    match surface {
        Surface::Forms => {
            let fields = staffing_fields(&version, &[("intent", "decide"), ("outcome", "Dq1")]);
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            form(w, manager, "/episodes/1/staffing", &pairs).await
        }
        Surface::Api => {
            api(
                w,
                manager,
                "/episodes/1/decision",
                Some(json!({ "version": version.parse::<i64>().unwrap(), "outcome": "Dq1", "decided_on": "2026-11-18" })),
            )
            .await;
        }
    }
    // R27, R26: the RE step and DQ1 on the page, then finalized by the manager.
    w.day("2026-11-19").await;
    let version = w.version(1).await;
    match surface {
        Surface::Forms => {
            form(
                w,
                manager,
                "/episodes/1/finalization",
                &[
                    ("version", version.as_str()),
                    ("re_step_recorded", "yes"),
                    ("dq1_selected_on_page", "yes"),
                    ("intent", "finalize"),
                ],
            )
            .await
        }
        Surface::Api => {
            let steps = api(
                w,
                manager,
                "/episodes/1/post-dq1-steps",
                Some(
                    json!({ "version": version.parse::<i64>().unwrap(), "re_step_recorded": true,
                    "pdp_copy_to_participant": false, "dq1_selected_on_page": true,
                    "one_case_note": false, "resources_offered": false }),
                ),
            )
            .await;
            api(
                w,
                manager,
                "/episodes/1/finalization",
                Some(json!({ "version": steps["version"], "on": "2026-11-19" })),
            )
            .await;
        }
    }
    // R4, R10: the first attempt's narrative saved from its draft (keyed by its day).
    let body = "RH left a voicemail for Ms. Example 1 on 11/03/2026.";
    match surface {
        Surface::Forms => {
            let (status, location) = post_form(
                &w.base,
                "/episodes/1/narratives",
                &w.cookies[coach],
                &[
                    ("kind", "Engagement"),
                    ("draft_of", "attempt-2026-11-03-1"),
                    ("body", body),
                ],
            )
            .await;
            assert_eq!(
                (status, location.as_str()),
                (303, "/episodes/1?saved=narrative#narratives")
            );
        }
        Surface::Api => {
            api(
                w,
                coach,
                "/episodes/1/narratives",
                Some(json!({ "kind": "Engagement", "draft_of": "attempt-2026-11-03-1", "body": body })),
            )
            .await;
        }
    }
}

/// Every row of `sql`, each column as text.
async fn dump(db: &Db, sql: &str) -> Vec<Vec<Option<String>>> {
    sqlx::query(sql)
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| row.try_get::<Option<String>, _>(i).unwrap())
                .collect()
        })
        .collect()
}

/// What the work leaves: the records and the audit trail of the episodes and participants
/// (not the reads each API answer audits, nor sign-ins and tokens).
const RECORDS: [&str; 10] = [
    "SELECT CAST(id AS TEXT), CAST(participant_id AS TEXT), trigger_kind, missed_on, reported_by, \
     contact_on, CAST(plan_adjusted AS TEXT), appointment_on, appointment_at, scheduled_on, \
     notice_mailed_on, CAST(re_step_recorded AS TEXT), CAST(dq1_selected_on_page AS TEXT), \
     finalized_on, stage, CAST(closed AS TEXT), next_due_on, CAST(version AS TEXT), updated_at \
     FROM episodes ORDER BY id",
    "SELECT CAST(id AS TEXT), CAST(episode_id AS TEXT), on_date, method, outcome, \
     CAST(response_window AS TEXT), by_initials, note, CAST(by_staff_id AS TEXT), \
     CAST(by_contractor AS TEXT) FROM attempts ORDER BY id",
    "SELECT CAST(id AS TEXT), CAST(episode_id AS TEXT), kind, CAST(blocks_decision AS TEXT), \
     description, requested_on, resolved_on FROM tasks ORDER BY id",
    "SELECT CAST(id AS TEXT), CAST(participant_id AS TEXT), code, starts_on, ends_on, \
     CAST(attendance_hours AS TEXT) FROM pdp_steps ORDER BY id",
    "SELECT CAST(id AS TEXT), CAST(episode_id AS TEXT), held_on, strategies, next_steps, \
     superseded_at FROM staffings ORDER BY id",
    "SELECT CAST(staffing_id AS TEXT), CAST(position AS TEXT), initials, role, \
     CAST(staff_id AS TEXT), confirmed_on FROM staffing_members ORDER BY staffing_id, position",
    "SELECT CAST(staffing_id AS TEXT), area, who, CAST(present AS TEXT) FROM barrier_findings \
     ORDER BY staffing_id, area, who",
    "SELECT CAST(id AS TEXT), CAST(episode_id AS TEXT), CAST(staffing_id AS TEXT), outcome, \
     decided_on, finalized_on, case_manager_reason FROM decisions ORDER BY id",
    "SELECT CAST(id AS TEXT), CAST(episode_id AS TEXT), kind, body FROM narratives ORDER BY id",
    "SELECT at, action, actor, role, entity, entity_id, before, after FROM audit_log \
     WHERE entity IN ('episode', 'participant') AND action <> 'barrier_review.viewed' ORDER BY id",
];

#[tokio::test]
async fn the_forms_and_the_api_leave_the_same_database() {
    for backend in backends().await {
        let mut by_forms = world(backend).await;
        the_work(&mut by_forms, Surface::Forms).await;
        let mut by_api = world(backend).await;
        the_work(&mut by_api, Surface::Api).await;
        for sql in RECORDS {
            let (forms, api) = (dump(by_forms.db(), sql).await, dump(by_api.db(), sql).await);
            assert!(!forms.is_empty(), "{backend:?}: nothing in {sql}");
            assert_eq!(forms, api, "{backend:?}: {sql}");
        }
        // What the multi-step actions did, either way.
        let db = by_api.db();
        let tasks: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT kind, resolved_on FROM tasks WHERE episode_id = 1")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            tasks,
            vec![("AddressVerification".into(), Some("2026-11-18".into()))],
            "R11"
        );
        let steps: Vec<(String, String)> =
            sqlx::query_as("SELECT code, starts_on FROM pdp_steps ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            steps,
            vec![
                ("SW".into(), "2026-11-09".into()),
                ("RE".into(), "2026-11-18".into())
            ],
            "R8, R27"
        );
        let states: Vec<(String, i64)> =
            sqlx::query_as("SELECT stage, closed FROM episodes ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            states,
            vec![
                ("Finalized".into(), 1),
                ("ContactMade".into(), 1),
                ("Decided".into(), 1)
            ]
        );
        let confirmed: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM staffing_members WHERE confirmed_on IS NOT NULL",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(confirmed, 3, "R18");
    }
}

//! Who may see and do what (the README's Security section): every route of the REST API (read from its OpenAPI
//! document, so a new route without a row here fails) and every page, walked as every role,
//! a coach of another branch, and signed out. Every refusal is audited, and no contractor
//! response carries a restricted field, by any route.
//!
//! Allowed requests send a body that fails validation *after* the access check (400), so the
//! walk proves the check passed without changing the records the next row relies on.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use crate::support::{TestDb, backends, fresh_db, serve};
use chrono::{DateTime, NaiveDate, Utc};
use reengage_core::deadlines::ResponseWindow;
use reengage_core::episode::*;
use reengage_core::narrative::NarrativeType;
use reengage_server::cli::config;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::services::episodes::{change, record_missed_activity};
use reengage_server::services::tasks::{NewTask, TaskKind};
use reengage_server::services::{Actor, narratives, tasks};
use reengage_server::store::db::{Backend, Db};
use reengage_server::web::state::{AppState, Clock};
use serde_json::{Value, json};

/// Text seeded into every restricted record; a contractor must never receive any of it.
const SECRETS: [&str; 9] = [
    "SECRET-ADDRESS",
    "SECRET-EXEMPTION",
    "SECRET-PARTNER",
    "SECRET-NOTE",
    "SECRET-MISSING",
    "SECRET-BARRIER",
    "SECRET-STRATEGY",
    "SECRET-NARRATIVE",
    "SECRET-TASK",
];
/// JSON keys that carry barrier-review details, good-cause answers, addresses, or text that
/// quotes department records; none may reach a contractor with a value.
const RESTRICTED_KEYS: [&str; 7] = [
    "next_action",
    "barrier_review",
    "good_cause",
    "address",
    "dq1_readiness",
    "accommodation_offered",
    "affected_participation",
];

/// The identities the matrix walks: the seven roles and a coach of another branch.
const IDENTITIES: [&str; 8] = ["fc", "ca", "es", "om", "lw", "co", "ad", "ob"];

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn noon(date: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{date}T20:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

struct World {
    base: String,
    tokens: Vec<(&'static str, String)>,
    /// Session cookies, for the pages and their server functions.
    cookies: Vec<(&'static str, String)>,
    participant: i64,
    episode: i64,
    narrative: i64,
    task: i64,
    spare_staff: i64,
    spare_token: i64,
    coach: i64,
    db: Db,
    _test: TestDb,
}

impl World {
    fn token(&self, who: &str) -> &str {
        &self.tokens.iter().find(|(name, _)| *name == who).unwrap().1
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        who: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, String) {
        let url = format!("{}{path}", self.base);
        let mut request = if method == "GET" {
            client().get(url)
        } else {
            client().post(url)
        };
        if let Some(who) = who {
            request = request.bearer_auth(self.token(who));
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        answer(request).await
    }

    /// As a browser: the session cookie, and a page's or a server function's headers.
    async fn send_as_browser(
        &self,
        method: &str,
        path: &str,
        who: Option<&str>,
        form: Option<&Value>,
    ) -> (u16, String) {
        let url = format!("{}{path}", self.base);
        let mut request = if method == "GET" {
            client().get(url).header("accept", "text/html")
        } else {
            client()
                .post(url)
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
        };
        if let Some(who) = who {
            let cookie = &self
                .cookies
                .iter()
                .find(|(name, _)| *name == who)
                .unwrap()
                .1;
            request = request.header("cookie", cookie);
        }
        if let Some(Value::String(form)) = form {
            request = request.body(form.clone());
        }
        answer(request).await
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn answer(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn department_actor(staff_id: i64) -> Actor {
    Actor {
        staff_id: Some(staff_id),
        email: "fc@example.test".into(),
        role: reengage_core::roles::Role::FamilyCoach,
    }
}

fn staffing() -> Staffing {
    let mut review: Vec<BarrierFinding> = BarrierArea::cells()
        .map(|(area, who)| BarrierFinding::none_found(area, who))
        .collect();
    review[0].present = true;
    review[0].notes = Some("SECRET-BARRIER".into());
    review[0].accommodation_offered = Some("SECRET-BARRIER accommodation".into());
    review[0].affected_participation = Some(false);
    Staffing {
        held_on: d("2026-11-18"),
        members: vec![
            StaffingMember::named("FC", StaffingRole::FamilyCoach),
            StaffingMember::named("OM", StaffingRole::OperationsManager),
            StaffingMember::named("ES", StaffingRole::EngagementSpecialist),
        ],
        participant_attended: false,
        partners: vec![],
        barrier_review: review,
        good_cause: GoodCauseAnswers {
            exempt: Some(false),
            outside_control: Some(false),
            household_issue: Some(false),
            department_failed: Some(false),
        },
        recommended_strategies: vec!["SECRET-STRATEGY".into()],
        pdp_next_steps: vec!["RE step".into()],
    }
}

/// Two branches, staff of every role, a participant referred to the contractor whose episode
/// has reached staffing with every kind of restricted record, and a participant elsewhere.
async fn world(backend: Backend) -> World {
    let test = fresh_db(backend).await;
    let db = test.db.clone();
    let admin = Actor {
        staff_id: None,
        email: "setup".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let now = noon("2026-11-01");
    let people: [(&str, &str, Option<&str>); 9] = [
        ("fc", "family_coach", Some("Riverbend")),
        ("ca", "case_aide", Some("Riverbend")),
        ("es", "engagement_specialist", Some("Riverbend")),
        ("om", "operations_manager", Some("Riverbend")),
        ("lw", "lead_worker", Some("Riverbend")),
        ("co", "contractor", Some("Riverbend")),
        ("ad", "admin", None),
        ("ob", "family_coach", Some("Hillside")),
        ("spare", "family_coach", Some("Riverbend")),
    ];
    let mut ids = Vec::new();
    let mut tokens = Vec::new();
    for (who, role, branch) in people {
        let email = format!("{who}@example.test");
        let id = accounts::create_staff(
            &db,
            &admin,
            NewStaff {
                email: email.clone(),
                name: format!("Staff {who}"),
                initials: who.to_uppercase(),
                role: role.parse().expect("a role"),
                branch: branch.map(Into::into),
                password: "lantern otter gravel tundra".into(),
                phone: None,
            },
            now,
        )
        .await
        .unwrap();
        // Supervisors and admins sign in with a code too (of the demo's key, which
        // `browser::sign_in_with` computes).
        if reengage_server::services::second_factor::required(role.parse().expect("a role")) {
            reengage_server::services::second_factor::enrol_known(
                &db,
                &admin,
                id,
                reengage_server::cli::demo::DEMO_TOTP_SECRET,
                now,
            )
            .await
            .unwrap();
        }
        ids.push((who, id));
        if who != "spare" {
            tokens.push((
                who,
                accounts::create_token(&db, &admin, &email, now)
                    .await
                    .unwrap(),
            ));
        }
    }
    // A second token of the coach's: the one an admin revokes.
    accounts::create_token(&db, &admin, "fc@example.test", now)
        .await
        .unwrap();
    let spare_token: i64 = sqlx::query_scalar("SELECT max(id) FROM api_tokens")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let id_of = |who: &str| ids.iter().find(|(name, _)| *name == who).unwrap().1;
    let participant: i64 = sqlx::query_scalar(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, address, \
         coach_id, contractor_id, created_at) VALUES (1, 'M-1', 'Tess', 'Example', 'Ms. Example', \
         'SECRET-ADDRESS 12 Elm St', $1, $2, '2026-10-01T00:00:00Z') RETURNING id",
    )
    .bind(id_of("fc"))
    .bind(id_of("co"))
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO exemptions (participant_id, from_on, to_on, reason) VALUES ($1, '2025-01-01', '2025-02-01', 'SECRET-EXEMPTION')")
        .bind(participant)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO releases (participant_id, partner, signed_on) VALUES ($1, 'SECRET-PARTNER', '2026-06-01')")
        .bind(participant)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, coach_id, created_at) \
         VALUES (2, 'M-2', 'Omar', 'Elsewhere', 'Mr. Elsewhere', $1, '2026-10-01T00:00:00Z')",
    )
    .bind(id_of("ob"))
    .execute(&db.pool)
    .await
    .unwrap();

    let coach = department_actor(id_of("fc"));
    let opened = record_missed_activity(
        &db,
        &coach,
        participant,
        Trigger {
            kind: TriggerKind::MissedCoachAppointment,
            what: "orientation".into(),
            on: d("2026-11-02"),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        },
        noon("2026-11-02"),
    )
    .await
    .unwrap();
    let episode = opened.episode_id;
    let mut version = opened.version;
    let attempt = |on: &str, method, window: Option<i64>, note: Option<&str>| {
        Transition::LogAttempt(Attempt {
            on: d(on),
            method,
            outcome: AttemptOutcome::MessageLeft,
            response_window: window.map(|w| ResponseWindow::new(w).unwrap()),
            by_initials: "FC".into(),
            note: note.map(Into::into),
            by_contractor: false,
        })
    };
    for (today, transition) in [
        (
            "2026-11-03",
            attempt(
                "2026-11-03",
                ContactMethod::Phone,
                Some(2),
                Some("SECRET-NOTE"),
            ),
        ),
        (
            "2026-11-05",
            attempt("2026-11-05", ContactMethod::Written, None, None),
        ),
        (
            "2026-11-10",
            Transition::ScheduleAppointment {
                on: d("2026-11-18"),
                at: None,
            },
        ),
        (
            "2026-11-10",
            Transition::RecordNoticeMailed {
                on: d("2026-11-10"),
            },
        ),
        ("2026-11-18", Transition::RecordStaffing(staffing())),
        (
            "2026-11-18",
            Transition::AddMissingInfo(MissingInfo {
                kind: MissingInfoKind::ChildSafetyCheck,
                description: "SECRET-MISSING child safety check".into(),
                requested_on: d("2026-11-18"),
                resolved_on: None,
            }),
        ),
    ] {
        version = change(
            &db,
            &coach,
            episode,
            version,
            transition.clone(),
            noon(today),
        )
        .await
        .unwrap_or_else(|e| panic!("{today} {transition:?}: {e}"))
        .version;
    }
    let narrative = narratives::write(
        &db,
        &coach,
        episode,
        NarrativeType::Engagement,
        "SECRET-NARRATIVE: the coach's own account of the staffing.",
        None,
        noon("2026-11-18"),
    )
    .await
    .unwrap()
    .id;
    let task_list = {
        tasks::add(
            &db,
            &coach,
            episode,
            NewTask {
                kind: TaskKind::OneCaseNote,
                description: "SECRET-TASK note in ONE".into(),
                requested_on: d("2026-11-18"),
            },
            noon("2026-11-18"),
        )
        .await
        .unwrap();
        tasks::list(&db, episode).await.unwrap()
    };
    let clock = Arc::new(Mutex::new(noon("2026-11-18")));
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let state = AppState::new(options, db.clone()).with_clock(Clock::fixed(clock));
    let base = serve(state).await;
    let mut cookies = Vec::new();
    for (who, _) in &tokens {
        let cookie = crate::support::browser::sign_in_with(
            &base,
            &format!("{who}@example.test"),
            "lantern otter gravel tundra",
        )
        .await;
        cookies.push((*who, cookie));
    }
    World {
        base,
        tokens,
        cookies,
        participant,
        episode,
        narrative,
        task: task_list[0].id,
        spare_staff: id_of("spare"),
        spare_token,
        coach: id_of("fc"),
        db,
        _test: test,
    }
}

/// One row of the matrix: a request, the OpenAPI operation it exercises, and who may.
struct Row {
    method: &'static str,
    path: String,
    /// `(method, path template)` in the OpenAPI document; `None` for pages.
    operation: Option<(&'static str, &'static str)>,
    body: Option<Value>,
    /// Everyone, signed out too.
    public: bool,
    /// A page or a page's server function: signed in with the session cookie.
    browser: bool,
    /// What signed out gets when not public.
    signed_out: u16,
    allowed: &'static str,
    /// Answered 404: the record is out of their reach.
    hidden: &'static str,
}

const DEPARTMENT: &str = "fc ca es om lw";

fn rows(w: &World) -> Vec<Row> {
    let (p, e, n, t, s) = (w.participant, w.episode, w.narrative, w.task, w.spare_staff);
    let public = |method, path: &str, operation| Row {
        method,
        path: path.into(),
        operation,
        body: None,
        public: true,
        browser: false,
        signed_out: 200,
        allowed: "",
        hidden: "",
    };
    let row = |method, path: String, template, body: Option<Value>, allowed, hidden| Row {
        method,
        path,
        operation: Some((method, template)),
        body,
        public: false,
        browser: false,
        signed_out: 401,
        allowed,
        hidden,
    };
    let invalid = || Some(json!({}));
    let mut rows = vec![
        public(
            "GET",
            "/api/v1/calendar/closures?year=2026",
            Some(("GET", "/calendar/closures")),
        ),
        public(
            "GET",
            "/api/v1/calendar/add-business-days?date=2026-11-25&n=1",
            Some(("GET", "/calendar/add-business-days")),
        ),
        public(
            "GET",
            "/api/v1/calendar/notice-mail-by?appointment=2026-12-04",
            Some(("GET", "/calendar/notice-mail-by")),
        ),
        public("GET", "/api/v1/openapi.json", None),
        public("GET", "/", None),
        public("GET", "/notice?appointment=2026-12-08", None),
        public("GET", "/signin", None),
        public("GET", "/healthz", None),
        row(
            "GET",
            "/api/v1/episodes".into(),
            "/episodes",
            None,
            "fc ca es om lw co ob",
            "",
        ),
        row(
            "GET",
            "/api/v1/episodes?branch_id=1".into(),
            "/episodes",
            None,
            DEPARTMENT,
            "co ob",
        ),
        row(
            "GET",
            format!("/api/v1/episodes?coach_id={}", w.coach),
            "/episodes",
            None,
            DEPARTMENT,
            "co ob",
        ),
        row(
            "POST",
            "/api/v1/episodes".into(),
            "/episodes",
            Some(json!({ "participant_id": p, "trigger": "?" })),
            "fc ca es om lw co",
            "ob",
        ),
        row(
            "GET",
            format!("/api/v1/episodes/{e}"),
            "/episodes/{id}",
            None,
            "fc ca es om lw co",
            "ob",
        ),
        row(
            "GET",
            format!("/api/v1/episodes/{e}/narratives"),
            "/episodes/{id}/narratives",
            None,
            "fc ca es om lw co",
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/episodes/{e}/narratives"),
            "/episodes/{id}/narratives",
            invalid(),
            "fc ca es om lw co",
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/narratives/{n}"),
            "/narratives/{id}",
            invalid(),
            DEPARTMENT,
            "co ob",
        ),
        row(
            "GET",
            format!("/api/v1/episodes/{e}/tasks"),
            "/episodes/{id}/tasks",
            None,
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/episodes/{e}/tasks"),
            "/episodes/{id}/tasks",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/tasks/{t}/done"),
            "/tasks/{id}/done",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            "/api/v1/participants".into(),
            "/participants",
            Some(json!({ "branch_id": 1 })),
            DEPARTMENT,
            "ob",
        ),
        row(
            "GET",
            format!("/api/v1/participants/{p}"),
            "/participants/{id}",
            None,
            "fc ca es om lw co",
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/participants/{p}/pdp-steps"),
            "/participants/{id}/pdp-steps",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/participants/{p}/exemptions"),
            "/participants/{id}/exemptions",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/participants/{p}/releases"),
            "/participants/{id}/releases",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/participants/{p}/language"),
            "/participants/{id}/language",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            format!("/api/v1/participants/{p}"),
            "/participants/{id}",
            invalid(),
            DEPARTMENT,
            "ob",
        ),
        row(
            "POST",
            "/api/v1/participants/search".into(),
            "/participants/search",
            invalid(),
            "fc ca es om lw ob",
            "",
        ),
        row(
            "POST",
            "/api/v1/participants/move".into(),
            "/participants/move",
            invalid(),
            "es om lw",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/phone"),
            "/staff/{id}/phone",
            invalid(),
            "ad",
            "",
        ),
        row(
            "GET",
            "/api/v1/branches".into(),
            "/branches",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            "/api/v1/branches".into(),
            "/branches",
            invalid(),
            "ad",
            "",
        ),
        row(
            "GET",
            "/api/v1/branches/1".into(),
            "/branches/{id}",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            "/api/v1/branches/1".into(),
            "/branches/{id}",
            invalid(),
            "ad",
            "",
        ),
        row(
            "POST",
            "/api/v1/branches/1/closures/remove".into(),
            "/branches/{id}/closures/remove",
            invalid(),
            "ad",
            "",
        ),
        row("GET", "/api/v1/staff".into(), "/staff", None, "ad", ""),
        row(
            "POST",
            "/api/v1/staff".into(),
            "/staff",
            invalid(),
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/disable"),
            "/staff/{id}/disable",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/enable"),
            "/staff/{id}/enable",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/password"),
            "/staff/{id}/password",
            invalid(),
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/role"),
            "/staff/{id}/role",
            invalid(),
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/branch"),
            "/staff/{id}/branch",
            invalid(),
            "ad",
            "",
        ),
        row(
            "GET",
            format!("/api/v1/staff/{s}/tokens"),
            "/staff/{id}/tokens",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/staff/{s}/tokens"),
            "/staff/{id}/tokens",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            format!("/api/v1/tokens/{}/revoke", w.spare_token),
            "/tokens/{id}/revoke",
            None,
            "ad",
            "",
        ),
        row(
            "GET",
            "/api/v1/branches/1/closures".into(),
            "/branches/{id}/closures",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            "/api/v1/branches/1/closures".into(),
            "/branches/{id}/closures",
            invalid(),
            "ad",
            "",
        ),
        row(
            "GET",
            "/api/v1/branches/1/mail-pickup".into(),
            "/branches/{id}/mail-pickup",
            None,
            "ad",
            "",
        ),
        row(
            "POST",
            "/api/v1/branches/1/mail-pickup".into(),
            "/branches/{id}/mail-pickup",
            invalid(),
            "ad",
            "",
        ),
    ];
    // The pages with case data and their server functions: session cookies, as a browser.
    let page = |method, path: &str, signed_out| Row {
        method,
        path: path.into(),
        operation: None,
        body: None,
        public: false,
        browser: true,
        signed_out,
        allowed: "fc ca es om lw co ob",
        hidden: "",
    };
    rows.push(page("GET", "/today", 302));
    rows.push(page("POST", "/app/today", 401));
    for (method, path, signed_out, form) in [
        ("GET", format!("/episodes/{e}"), 302, None),
        (
            "POST",
            "/app/episode".to_owned(),
            401,
            Some(json!(format!("id={e}&purpose=Read"))),
        ),
        (
            "POST",
            "/app/episode".to_owned(),
            401,
            Some(json!(format!("id={e}&purpose=LogAttempt"))),
        ),
        ("GET", format!("/episodes/{e}/attempt"), 302, None),
        (
            "POST",
            format!("/episodes/{e}/attempt"),
            303,
            Some(json!("version=stale")),
        ),
        // R4, R10: a draft saved (an empty text is refused back to the page) — anyone who
        // may write narratives on the episode.
        (
            "POST",
            format!("/episodes/{e}/narratives"),
            303,
            Some(json!("kind=Engagement&draft_of=attempt-1&body=")),
        ),
    ] {
        rows.push(Row {
            path,
            body: form,
            allowed: "fc ca es om lw co",
            hidden: "ob",
            ..page(method, "", signed_out)
        });
    }
    // Contact made (R8), scheduling the appointment and recording the notice (R12–R16) are
    // the department's: their pages, the printable notice and their forms.
    for form in ["contact", "appointment", "notice"] {
        rows.push(Row {
            path: format!("/episodes/{e}/{form}"),
            body: Some(json!("version=stale")),
            allowed: DEPARTMENT,
            hidden: "ob",
            ..page("POST", "", 303)
        });
    }
    for path in [
        "contact",
        "appointment",
        "notice",
        "notice/print",
        "checklist",
    ] {
        rows.push(Row {
            path: format!("/episodes/{e}/{path}"),
            allowed: DEPARTMENT,
            hidden: "ob",
            ..page("GET", "", 302)
        });
    }
    for purpose in [
        "RecordContact",
        "ScheduleAppointment",
        "RecordNoticeMailed",
        "PrepareStaffing",
    ] {
        rows.push(Row {
            path: "/app/episode".into(),
            body: Some(json!(format!("id={e}&purpose={purpose}"))),
            allowed: DEPARTMENT,
            hidden: "ob",
            ..page("POST", "", 401)
        });
    }
    // R23: good cause given by the case manager alone — not a case aide's, not a contractor's.
    rows.push(Row {
        path: "/app/episode".into(),
        body: Some(json!(format!("id={e}&purpose=GiveGoodCause"))),
        allowed: "fc es om lw",
        hidden: "ob",
        ..page("POST", "", 401)
    });
    // The staffing workspace (R17–R27) is the department's to open; recording the staffing
    // and the decision is the supervisors' (ES, OM, LW), finalizing a DQ1 the managers' and
    // lead workers' (R18, R26); anyone involved may ask for a new staffing (R24).
    rows.push(Row {
        path: format!("/episodes/{e}/staffing"),
        allowed: DEPARTMENT,
        hidden: "ob",
        ..page("GET", "", 302)
    });
    rows.push(Row {
        path: "/app/staffing".into(),
        body: Some(json!(format!("id={e}"))),
        allowed: DEPARTMENT,
        hidden: "ob",
        ..page("POST", "", 401)
    });
    for (form, body, allowed, hidden) in [
        ("staffing", "version=stale", "es om lw", ""),
        ("missing-info", "version=stale", DEPARTMENT, "ob"),
        ("missing-info/0", "version=stale", DEPARTMENT, "ob"),
        ("finalization", "version=stale", DEPARTMENT, "ob"),
        (
            "finalization",
            "version=stale&intent=finalize",
            "om lw",
            "ob",
        ),
        ("new-staffing", "version=stale", "fc ca es om lw co", "ob"),
        // R18: each department member confirms their own presence.
        ("staffing/presence", "", DEPARTMENT, "ob"),
        // R23: the case manager's good cause.
        ("good-cause", "version=stale", "fc es om lw", "ob"),
    ] {
        rows.push(Row {
            path: format!("/episodes/{e}/{form}"),
            body: Some(json!(body)),
            allowed,
            hidden,
            ..page("POST", "", 303)
        });
    }
    // A saved narrative's new text: its author's or the department's (R4); a contractor
    // reaches only what it wrote. An empty text is refused back to the page.
    rows.push(Row {
        path: format!("/episodes/{e}/narratives/{n}"),
        body: Some(json!("body=")),
        allowed: DEPARTMENT,
        hidden: "ob co",
        ..page("POST", "", 303)
    });
    // The branch at a glance is the supervisors' (ES, OM, LW).
    rows.push(Row {
        allowed: "es om lw",
        ..page("GET", "/branch", 302)
    });
    rows.push(Row {
        body: Some(json!("from=&to=")),
        allowed: "es om lw",
        ..page("POST", "/app/branch", 401)
    });
    // R29: the efforts without disqualification, on the page and as CSV (an export).
    rows.push(Row {
        allowed: "es om lw",
        ..page("GET", "/branch/efforts", 302)
    });
    rows.push(Row {
        body: Some(json!("coach=&from=&to=")),
        allowed: "es om lw",
        ..page("POST", "/app/efforts", 401)
    });
    rows.push(Row {
        allowed: "es om lw",
        ..page("GET", "/branch/efforts.csv", 303)
    });
    // The dashboard's open episodes as CSV (an export).
    rows.push(Row {
        allowed: "es om lw",
        ..page("GET", "/branch.csv", 303)
    });
    // The coming appointments as an iCalendar feed: anyone with a case list.
    rows.push(Row {
        allowed: "fc ca es om lw co ob",
        ..page("GET", "/calendar.ics", 303)
    });
    // The secret calendar feed's page, its server function and its forms: anyone with a case
    // list makes one (an admin has none); anyone signed in may turn theirs off.
    rows.push(Row {
        allowed: "fc ca es om lw co ob",
        ..page("GET", "/account/calendar", 302)
    });
    rows.push(Row {
        allowed: "fc ca es om lw co ob",
        ..page("POST", "/app/calendar_feed", 401)
    });
    rows.push(Row {
        body: Some(json!("")),
        allowed: "fc ca es om lw co ob",
        ..page("POST", "/account/calendar", 303)
    });
    rows.push(Row {
        body: Some(json!("")),
        allowed: "fc ca es om lw co ob ad",
        ..page("POST", "/account/calendar/off", 303)
    });
    // The participant pages (department staff of the branch: their own branch for the
    // search, a new participant and a caseload move; the participant's for a record) and the
    // admin pages (admin only), their server functions and their forms.
    rows.push(Row {
        allowed: "fc ca es om lw ob",
        ..page("GET", "/participants", 302)
    });
    rows.push(Row {
        allowed: "fc ca es om lw ob",
        ..page("POST", "/app/participants", 401)
    });
    rows.push(Row {
        body: Some(json!("query=")),
        allowed: "fc ca es om lw ob",
        ..page("POST", "/participants/search", 303)
    });
    rows.push(Row {
        allowed: "fc ca es om lw ob",
        ..page("GET", "/participants/new", 302)
    });
    rows.push(Row {
        body: Some(json!("case_number=")),
        allowed: "fc ca es om lw ob",
        ..page("POST", "/participants/new", 303)
    });
    rows.push(Row {
        path: format!("/participants/{p}"),
        allowed: DEPARTMENT,
        hidden: "ob",
        ..page("GET", "", 302)
    });
    rows.push(Row {
        path: "/app/participant_form".into(),
        body: Some(json!(format!("id={p}"))),
        allowed: DEPARTMENT,
        hidden: "ob",
        ..page("POST", "", 401)
    });
    rows.push(Row {
        path: format!("/participants/{p}"),
        body: Some(json!("first_name=")),
        allowed: DEPARTMENT,
        hidden: "ob",
        ..page("POST", "", 303)
    });
    rows.push(Row {
        allowed: "es om lw",
        ..page("GET", "/participants/move", 302)
    });
    rows.push(Row {
        body: Some(json!("from_coach=")),
        allowed: "es om lw",
        ..page("POST", "/participants/move", 303)
    });
    rows.push(Row {
        allowed: "ad",
        ..page("GET", "/admin", 302)
    });
    rows.push(Row {
        allowed: "ad",
        ..page("POST", "/app/admin", 401)
    });
    rows.push(Row {
        allowed: "ad",
        ..page("GET", "/admin/offices/1", 302)
    });
    rows.push(Row {
        body: Some(json!("name=")),
        allowed: "ad",
        ..page("POST", "/admin/offices/1", 303)
    });
    rows.push(Row {
        body: Some(json!("name=")),
        allowed: "ad",
        ..page("POST", "/admin/offices", 303)
    });
    rows.push(Row {
        body: Some(json!("on=")),
        allowed: "ad",
        ..page("POST", "/admin/offices/1/closures", 303)
    });
    rows.push(Row {
        path: format!("/admin/staff/{s}"),
        allowed: "ad",
        ..page("GET", "", 302)
    });
    rows.push(Row {
        path: format!("/admin/staff/{s}"),
        body: Some(json!("change=")),
        allowed: "ad",
        ..page("POST", "", 303)
    });
    rows.push(Row {
        body: Some(json!("email=")),
        allowed: "ad",
        ..page("POST", "/admin/staff", 303)
    });
    // The morning digest's page, its server function and its form: anyone signed in (the
    // digest itself goes to coaches, aides and supervisors only). An empty form is refused
    // back to the page (422), after the access check.
    rows.push(Row {
        allowed: "fc ca es om lw co ad ob",
        ..page("GET", "/account/email", 302)
    });
    rows.push(Row {
        allowed: "fc ca es om lw co ad ob",
        ..page("POST", "/app/email_settings", 401)
    });
    rows.push(Row {
        body: Some(json!("")),
        allowed: "fc ca es om lw co ad ob",
        ..page("POST", "/account/email", 303)
    });
    // R1: the missed-activity form lists one's own participants; recording a miss for the
    // world's participant (who has an open episode) is refused back to the form.
    rows.push(page("GET", "/missed", 302));
    rows.push(Row {
        allowed: "fc ca es om lw co ob",
        ..page("POST", "/app/missed_form", 401)
    });
    rows.push(Row {
        body: Some(json!(format!(
            "participant={p}&kind=MissedCoachAppointment&what=orientation&on=2026-11-16"
        ))),
        allowed: "fc ca es om lw co",
        hidden: "ob",
        ..page("POST", "/missed", 303)
    });
    // Every change of an episode, with who may make it (R5, R18, R24, R26).
    for (change, template, allowed, hidden) in [
        (
            "attempts",
            "/episodes/{id}/attempts",
            "fc ca es om lw co",
            "ob",
        ),
        ("contact", "/episodes/{id}/contact", DEPARTMENT, "ob"),
        (
            "appointment",
            "/episodes/{id}/appointment",
            DEPARTMENT,
            "ob",
        ),
        ("notice", "/episodes/{id}/notice", DEPARTMENT, "ob"),
        (
            "missing-info",
            "/episodes/{id}/missing-info",
            DEPARTMENT,
            "ob",
        ),
        (
            "missing-info-resolutions",
            "/episodes/{id}/missing-info-resolutions",
            DEPARTMENT,
            "ob",
        ),
        ("staffing", "/episodes/{id}/staffing", "es om lw", ""),
        ("decision", "/episodes/{id}/decision", "es om lw", ""),
        ("finalization", "/episodes/{id}/finalization", "om lw", ""),
        (
            "post-dq1-steps",
            "/episodes/{id}/post-dq1-steps",
            DEPARTMENT,
            "ob",
        ),
        (
            "new-staffing",
            "/episodes/{id}/new-staffing",
            "fc ca es om lw co",
            "ob",
        ),
        (
            "good-cause",
            "/episodes/{id}/good-cause",
            "fc es om lw",
            "ob",
        ),
    ] {
        rows.push(row(
            "POST",
            format!("/api/v1/episodes/{e}/{change}"),
            template,
            Some(json!({ "version": 0 })),
            allowed,
            hidden,
        ));
    }
    // R18: the signed-in department member confirms their own presence at the staffing.
    rows.push(row(
        "POST",
        format!("/api/v1/episodes/{e}/staffing/presence"),
        "/episodes/{id}/staffing/presence",
        None,
        DEPARTMENT,
        "ob",
    ));
    rows
}

/// Fails if `body` holds any seeded secret or a restricted key with a value.
fn assert_nothing_restricted(what: &str, body: &str) {
    for secret in SECRETS {
        assert!(
            !body.contains(secret),
            "{what}: a contractor received {secret}: {body}"
        );
    }
    fn walk(what: &str, value: &Value) {
        match value {
            Value::Object(fields) => {
                for (key, inner) in fields {
                    assert!(
                        !RESTRICTED_KEYS.contains(&key.as_str()) || inner.is_null(),
                        "{what}: a contractor received `{key}`: {inner}"
                    );
                    walk(what, inner);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(what, item)),
            _ => {}
        }
    }
    // The OpenAPI document names every field; it describes, it holds no record.
    let schema = what.ends_with("/openapi.json");
    if let (false, Ok(value)) = (schema, serde_json::from_str::<Value>(body)) {
        walk(what, &value);
    }
}

/// The refusals counted in `access.denied` entries (one per person and window).
async fn denied_entries(db: &Db) -> i64 {
    crate::support::tallied(db, "access.denied")
        .await
        .iter()
        .sum()
}

#[tokio::test]
async fn every_route_as_every_role_and_signed_out() {
    for backend in backends().await {
        let w = world(backend).await;
        let rows = rows(&w);

        // Every operation of the OpenAPI document has a row, and every row is documented.
        let (_, document) = w.send("GET", "/api/v1/openapi.json", None, None).await;
        let document: Value = serde_json::from_str(&document).unwrap();
        let mut documented = BTreeSet::new();
        for (path, operations) in document["paths"].as_object().unwrap() {
            for method in operations.as_object().unwrap().keys() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
        let walked: BTreeSet<(String, String)> = rows
            .iter()
            .filter_map(|row| row.operation)
            .map(|(method, path)| (method.to_owned(), path.to_owned()))
            .collect();
        assert_eq!(
            walked, documented,
            "the matrix and the OpenAPI document differ"
        );

        let mut denials = 0;
        for row in &rows {
            let what = format!("{} {}", row.method, row.path);
            let world = &w;
            let send = |who| async move {
                if row.browser {
                    world
                        .send_as_browser(row.method, &row.path, who, row.body.as_ref())
                        .await
                } else {
                    world
                        .send(row.method, &row.path, who, row.body.as_ref())
                        .await
                }
            };
            let (status, body) = send(None).await;
            assert_eq!(status, row.signed_out, "{what} signed out: {body}");
            for who in IDENTITIES {
                let (status, body) = send(Some(who)).await;
                let listed = |names: &str| names.split_whitespace().any(|name| name == who);
                if row.public || listed(row.allowed) {
                    assert!(
                        ![401, 403, 404].contains(&status) && status < 500,
                        "{what} as {who} should pass the access check, got {status}: {body}"
                    );
                } else if listed(row.hidden) {
                    assert_eq!(
                        status, 404,
                        "{what} as {who} should be out of reach: {body}"
                    );
                    denials += 1;
                } else {
                    assert_eq!(status, 403, "{what} as {who} should be forbidden: {body}");
                    denials += 1;
                }
                if who == "co" {
                    assert_nothing_restricted(&what, &body);
                }
            }
        }
        // Every refusal, and nothing else, is counted in the `access.denied` audit entries.
        assert_eq!(denied_entries(&w.db).await, denials);
        // …in at most one entry per person: refusals cost no durable write each.
        let rows: i64 =
            sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'access.denied'")
                .fetch_one(&w.db.pool)
                .await
                .unwrap();
        assert!(
            rows <= IDENTITIES.len() as i64,
            "{rows} entries for {denials} refusals"
        );
    }
}

#[tokio::test]
async fn a_contractor_works_its_referrals_and_sees_nothing_restricted() {
    for backend in backends().await {
        let w = world(backend).await;
        let e = w.episode;
        let (status, episode) = w
            .send("GET", &format!("/api/v1/episodes/{e}"), Some("co"), None)
            .await;
        assert_eq!(status, 200);
        assert_nothing_restricted("episode", &episode);
        let episode: Value = serde_json::from_str(&episode).unwrap();
        assert!(episode["facts"]["staffing"].is_null());
        assert_eq!(episode["facts"]["attempts"].as_array().unwrap().len(), 2);

        // R5: its own engagement contact, then its own narrative of it.
        let version = episode["version"].as_i64().unwrap();
        let (status, after) = w
            .send(
                "POST",
                &format!("/api/v1/episodes/{e}/attempts"),
                Some("co"),
                Some(
                    &json!({ "version": version, "on": "2026-11-18", "method": "Written",
                    "outcome": "NoAnswer", "note": "Postcard about the missed class" }),
                ),
            )
            .await;
        assert_eq!(status, 200, "{after}");
        assert_nothing_restricted("attempt", &after);
        let after: Value = serde_json::from_str(&after).unwrap();
        let attempts = after["facts"]["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 3);
        assert_eq!(attempts[2]["by_initials"], "CO");
        // The same version again: a conflict that says it changed, not who did what.
        let (status, stale) = w
            .send(
                "POST",
                &format!("/api/v1/episodes/{e}/attempts"),
                Some("co"),
                Some(
                    &json!({ "version": version, "on": "2026-11-18", "method": "Written",
                    "outcome": "NoAnswer" }),
                ),
            )
            .await;
        assert_eq!(status, 409, "{stale}");
        assert!(
            stale.contains("updated by someone else") && !stale.contains('@'),
            "{stale}"
        );
        let (status, _) = w
            .send(
                "POST",
                &format!("/api/v1/episodes/{e}/narratives"),
                Some("co"),
                Some(&json!({ "kind": "Engagement", "body": "Contractor sent a postcard." })),
            )
            .await;
        assert_eq!(status, 201);
        // Never into a department draft: the decision's narrative is not a contractor's (R5).
        for draft in ["decision", "staffing", "contact", "appointment"] {
            let (status, refused) = w
                .send(
                    "POST",
                    &format!("/api/v1/episodes/{e}/narratives"),
                    Some("co"),
                    Some(&json!({ "kind": "Engagement", "body": "Not ours.", "draft_of": draft })),
                )
                .await;
            assert_eq!(status, 403, "{draft}: {refused}");
        }
        let (_, narratives) = w
            .send(
                "GET",
                &format!("/api/v1/episodes/{e}/narratives"),
                Some("co"),
                None,
            )
            .await;
        assert_nothing_restricted("narratives", &narratives);
        let narratives: Value = serde_json::from_str(&narratives).unwrap();
        assert_eq!(narratives["drafts"], json!([]));
        let saved = narratives["saved"].as_array().unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0]["body"], "Contractor sent a postcard.");

        // Its list holds its referrals only; the department sees the staffing it cannot.
        let (_, list) = w.send("GET", "/api/v1/episodes", Some("co"), None).await;
        let list: Value = serde_json::from_str(&list).unwrap();
        let ids: Vec<i64> = list["episodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![e]);
        let (_, full) = w
            .send("GET", &format!("/api/v1/episodes/{e}"), Some("fc"), None)
            .await;
        assert!(full.contains("SECRET-BARRIER") && full.contains("dq1_readiness"));
        let (_, file) = w
            .send(
                "GET",
                &format!("/api/v1/participants/{}", w.participant),
                Some("co"),
                None,
            )
            .await;
        assert_nothing_restricted("participant", &file);
        assert!(file.contains("Ms. Example"));
    }
}

#[tokio::test]
async fn every_department_read_of_a_barrier_review_is_audited() {
    let w = world(Backend::Sqlite).await;
    let viewed = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM audit_log WHERE action = 'barrier_review.viewed' AND actor = 'es@example.test'",
        )
        .fetch_one(&w.db.pool)
        .await
        .unwrap()
    };
    assert_eq!(viewed().await, 0);
    w.send(
        "GET",
        &format!("/api/v1/episodes/{}", w.episode),
        Some("es"),
        None,
    )
    .await;
    w.send(
        "GET",
        &format!("/api/v1/episodes/{}/narratives", w.episode),
        Some("es"),
        None,
    )
    .await;
    assert_eq!(viewed().await, 2);
}

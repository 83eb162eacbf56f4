//! The REST API driven through whole episodes on both backends, as a script would: bearer
//! tokens, JSON bodies, JSON errors with the right status and the rule that refused.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use crate::support::{TestDb, backends, fresh_db};
use chrono::{DateTime, NaiveDate, Utc};
use reengage_server::services::Actor;
use reengage_server::services::accounts::{self, NewStaff};
use reengage_server::store::db::Backend;
use reengage_server::web::state::{AppState, Clock};
use reengage_server::{cli::config, router};
use serde_json::{Value, json};

struct Api {
    address: SocketAddr,
    clock: Arc<Mutex<DateTime<Utc>>>,
    /// Tokens of the coach (staff 1), the operations manager (2) and the engagement
    /// specialist (3) of the branch.
    coach: String,
    manager: String,
    specialist: String,
    /// A lead worker (staff 4), on no staffing team.
    lead: String,
    _database: TestDb,
}

fn noon(date: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{date}T20:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

impl Api {
    fn set_day(&self, date: &str) {
        *self.clock.lock().unwrap() = noon(date);
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let client = reqwest::Client::new();
        let url = format!("http://{}/api/v1{path}", self.address);
        let mut request = match method {
            "GET" => client.get(url),
            "PUT" => client.put(url),
            _ => client.post(url),
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn change(
        &self,
        token: &str,
        id: i64,
        kind: &str,
        version: i64,
        mut body: Value,
    ) -> (u16, Value) {
        body["version"] = json!(version);
        self.send(
            "POST",
            &format!("/episodes/{id}/{kind}"),
            Some(token),
            Some(body),
        )
        .await
    }

    /// R18: each of the three department members confirms their own presence at the
    /// staffing of episode `id`; returns the episode as the last confirmation leaves it.
    async fn confirm_all(&self, id: i64) -> Value {
        let mut episode = Value::Null;
        for token in [&self.coach, &self.manager, &self.specialist] {
            let (status, body) = self
                .send(
                    "POST",
                    &format!("/episodes/{id}/staffing/presence"),
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{body}");
            episode = body;
        }
        episode
    }
}

async fn spawn_api(backend: Backend) -> Api {
    let database = fresh_db(backend).await;
    let db = database.db.clone();
    sqlx::query("INSERT INTO branches (name) VALUES ('Riverbend')")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, created_at) \
         VALUES (1, 'TEST-0002', 'Tess', 'Example', 'Ms. Example', '2026-10-01T00:00:00Z')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let admin = Actor {
        staff_id: None,
        email: "test".into(),
        role: reengage_core::roles::Role::Admin,
    };
    let now = noon("2026-11-01");
    let mut tokens = Vec::new();
    for (email, initials, role) in [
        ("rh@example.test", "RH", "family_coach"),
        ("xr@example.test", "XR", "operations_manager"),
        ("jb@example.test", "JB", "engagement_specialist"),
        ("lw@example.test", "LW", "lead_worker"),
    ] {
        let staff = NewStaff {
            email: email.into(),
            name: format!("Test {initials}"),
            initials: initials.into(),
            role: role.parse().expect("a role"),
            branch: Some("Riverbend".into()),
            password: "correct horse battery staple".into(),
            phone: None,
        };
        accounts::create_staff(&db, &admin, staff, now)
            .await
            .unwrap();
        tokens.push(
            accounts::create_token(&db, &admin, email, now)
                .await
                .unwrap(),
        );
    }
    let clock = Arc::new(Mutex::new(now));
    let options = config::leptos_options(Some("127.0.0.1:0".parse().unwrap())).unwrap();
    let state = AppState::new(options, db).with_clock(Clock::fixed(clock.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router::router(state)).await.unwrap() });
    let lead = tokens.pop().unwrap();
    let specialist = tokens.pop().unwrap();
    let manager = tokens.pop().unwrap();
    let coach = tokens.pop().unwrap();
    Api {
        address,
        clock,
        coach,
        manager,
        specialist,
        lead,
        _database: database,
    }
}

fn staffing() -> Value {
    // R20: each area for whom policy 002 reviews it.
    let review: Vec<Value> = crate::support::review_cells()
        .into_iter()
        .map(|(area, who)| {
            json!({ "area": area, "who": who, "present": false, "accommodation_offered": null,
                    "affected_participation": null, "notes": null })
        })
        .collect();
    json!({
        "held_on": "2026-11-18",
        "members": [{ "staff_id": 1 }, { "staff_id": 2 }, { "staff_id": 3 }],
        "participant_attended": false,
        "partners": [],
        "barrier_review": review,
        "good_cause": { "exempt": false, "outside_control": false, "household_issue": false, "department_failed": false },
        "recommended_strategies": ["Home visit"],
        "pdp_next_steps": ["RE step"]
    })
}

#[tokio::test]
async fn a_dq1_episode_through_the_api() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let (coach, manager) = (api.coach.clone(), api.manager.clone());

        // No anonymous path.
        let (status, body) = api.send("GET", "/episodes/1", None, None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{backend:?}"
        );
        let (status, _) = api
            .send("GET", "/episodes/1", Some("re_not-a-token"), None)
            .await;
        assert_eq!(status, 401);

        api.set_day("2026-11-02");
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation", "on": "2026-11-02",
                              "at": null, "reported_by": "Department" });
        let (status, episode) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": 1, "trigger": trigger })),
            )
            .await;
        assert_eq!(status, 201, "{backend:?}: {episode}");
        assert_eq!(episode["stage"], "Missed");
        assert_eq!(
            episode["next_action"]["text"],
            "Call Ms. Example by Tuesday, November 3 — first contact after the missed orientation"
        );
        let id = episode["id"].as_i64().unwrap();
        let mut version = episode["version"].as_i64().unwrap();

        api.set_day("2026-11-03");
        let (status, episode) = api
            .change(&coach, id, "attempts", version, json!({ "on": "2026-11-03", "method": "Phone", "outcome": "MessageLeft", "response_window": 2 }))
            .await;
        assert_eq!(status, 200, "{episode}");
        assert_eq!(
            episode["facts"]["attempts"][0]["by_initials"], "RH",
            "initials of the signed-in coach"
        );
        version = episode["version"].as_i64().unwrap();

        // R14 refuses (one unsuccessful attempt); 422 names the rule; nothing changes.
        let (status, refusal) = api
            .change(
                &coach,
                id,
                "appointment",
                version,
                json!({ "on": "2026-11-24" }),
            )
            .await;
        assert_eq!(
            (status, refusal["error"].as_str(), refusal["rule"].as_str()),
            (422, Some("refused"), Some("R14")),
            "{refusal}"
        );
        // A stale version conflicts.
        let (status, conflict) = api
            .change(
                &coach,
                id,
                "notice",
                version - 1,
                json!({ "on": "2026-11-03" }),
            )
            .await;
        assert_eq!(
            (status, conflict["error"].as_str()),
            (409, Some("conflict")),
            "{conflict}"
        );
        // Bad input is a 400 with a sentence.
        let (status, bad) = api
            .change(
                &coach,
                id,
                "attempts",
                version,
                json!({ "on": "yesterday" }),
            )
            .await;
        assert_eq!(
            (status, bad["error"].as_str()),
            (400, Some("bad_input")),
            "{bad}"
        );
        let (status, _) = api
            .change(&coach, id, "no-such-change", version, json!({}))
            .await;
        assert_eq!(status, 404);

        api.set_day("2026-11-05");
        let (_, episode) = api
            .change(
                &coach,
                id,
                "attempts",
                version,
                json!({ "on": "2026-11-05", "method": "Written", "outcome": "MessageLeft" }),
            )
            .await;
        version = episode["version"].as_i64().unwrap();
        api.set_day("2026-11-10");
        let (status, episode) = api
            .change(
                &coach,
                id,
                "appointment",
                version,
                json!({ "on": "2026-11-18" }),
            )
            .await;
        assert_eq!(status, 200, "{episode}");
        assert_eq!(
            episode["next_action"]["text"],
            "Mail the DHS 7869 notice to Ms. Example by Tuesday, November 10"
        );
        version = episode["version"].as_i64().unwrap();
        let (_, episode) = api
            .change(&coach, id, "notice", version, json!({ "on": "2026-11-10" }))
            .await;
        version = episode["version"].as_i64().unwrap();
        api.set_day("2026-11-18");
        let (status, episode) = api
            .change(&manager, id, "staffing", version, staffing())
            .await;
        assert_eq!(status, 200, "{episode}");
        // R18: the members are the branch's accounts, by staff id, their initials on file.
        assert_eq!(episode["facts"]["staffing"]["members"][1]["initials"], "XR");
        assert_eq!(episode["facts"]["staffing"]["members"][1]["staff_id"], 2);
        version = episode["version"].as_i64().unwrap();
        // No DQ1 before three confirmed their presence with their own sign-in (R18).
        let (status, refusal) = api
            .change(
                &manager,
                id,
                "decision",
                version,
                json!({ "outcome": "Dq1", "decided_on": "2026-11-18" }),
            )
            .await;
        assert_eq!(
            (status, unmet_of(&refusal)),
            (422, vec!["R18"]),
            "{refusal}"
        );
        let episode = api.confirm_all(id).await;
        let confirmed: Vec<&Value> = episode["facts"]["staffing"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["confirmed_on"])
            .collect();
        assert!(
            confirmed.iter().all(|on| on.as_str() == Some("2026-11-18")),
            "{episode}"
        );
        version = episode["version"].as_i64().unwrap();
        let (_, episode) = api
            .change(
                &manager,
                id,
                "decision",
                version,
                json!({ "outcome": "Dq1", "decided_on": "2026-11-18" }),
            )
            .await;
        assert_eq!(episode["stage"], "Decided");
        let readiness: Vec<&str> = episode["dq1_readiness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["rule"].as_str().unwrap())
            .collect();
        assert_eq!(readiness, vec!["R27", "R27"]);
        version = episode["version"].as_i64().unwrap();

        api.set_day("2026-11-19");
        let (_, episode) = api
            .change(
                &coach,
                id,
                "post-dq1-steps",
                version,
                json!({ "re_step_recorded": true, "pdp_copy_to_participant": true,
                "dq1_selected_on_page": true, "one_case_note": false, "resources_offered": false }),
            )
            .await;
        version = episode["version"].as_i64().unwrap();
        // R18, R26: the coach's role may not finalize (403, the access table); the manager
        // who sat on the staffing may.
        let (status, refusal) = api
            .change(
                &coach,
                id,
                "finalization",
                version,
                json!({ "on": "2026-11-19" }),
            )
            .await;
        assert_eq!(
            (status, refusal["error"].as_str()),
            (403, Some("forbidden")),
            "{refusal}"
        );
        // R18, R26: a lead worker's role may finalize, but not one who was not on the team:
        // the finalizer is matched by account.
        let (status, refusal) = api
            .change(
                &api.lead,
                id,
                "finalization",
                version,
                json!({ "on": "2026-11-19" }),
            )
            .await;
        assert_eq!((status, rule_of(&refusal)), (422, Some("R18")), "{refusal}");
        let (status, episode) = api
            .change(
                &manager,
                id,
                "finalization",
                version,
                json!({ "on": "2026-11-19" }),
            )
            .await;
        assert_eq!(
            (status, episode["stage"].as_str()),
            (200, Some("Finalized")),
            "{episode}"
        );

        let (status, missing) = api.send("GET", "/episodes/999", Some(&coach), None).await;
        assert_eq!(
            (status, missing["error"].as_str()),
            (404, Some("not_found"))
        );
    }
}

#[tokio::test]
async fn calendar_endpoints() {
    let api = spawn_api(Backend::Sqlite).await;
    let (status, closures) = api
        .send("GET", "/calendar/closures?year=2026", None, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(closures.as_array().unwrap().len(), 11);
    assert_eq!(
        closures[9],
        json!({ "date": "2026-11-27", "name": "Day after Thanksgiving" })
    );
    let (_, answer) = api
        .send(
            "GET",
            "/calendar/add-business-days?date=2026-11-25&n=1",
            None,
            None,
        )
        .await;
    assert_eq!(answer, json!({ "date": "2026-11-30" }));
    let (_, answer) = api
        .send(
            "GET",
            "/calendar/notice-mail-by?appointment=2026-12-04",
            None,
            None,
        )
        .await;
    assert_eq!(answer, json!({ "date": "2026-11-25" }));
    let (status, refusal) = api
        .send(
            "GET",
            "/calendar/notice-mail-by?appointment=2026-11-26",
            None,
            None,
        )
        .await;
    assert_eq!((status, refusal["rule"].as_str()), (422, Some("R16")));
    for bad in [
        "/calendar/closures?year=1989",
        "/calendar/closures",
        "/calendar/add-business-days?date=2026-11-25&n=400",
        "/calendar/notice-mail-by?appointment=12/08/2026",
    ] {
        let (status, error) = api.send("GET", bad, None, None).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (400, Some("bad_input")),
            "{bad}: {error}"
        );
    }
}

#[tokio::test]
async fn open_episodes_page_by_keyset_most_urgent_first() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let db = &api._database.db;
        for n in 0..5 {
            sqlx::query(
                "INSERT INTO participants (branch_id, case_number, first_name, last_name, display_name, coach_id, created_at) \
                 VALUES (1, $1, 'P', $2, $3, (SELECT id FROM staff WHERE email = 'rh@example.test'), '2026-10-01T00:00:00Z')",
            )
            .bind(format!("LIST-{n}"))
            .bind(format!("Person{n}"))
            .bind(format!("Person {n}"))
            .execute(&db.pool)
            .await
            .unwrap();
        }
        api.set_day("2026-11-20");
        // Misses on different days: first contact due on different days (R2).
        for (n, on) in [
            "2026-11-16",
            "2026-11-19",
            "2026-11-12",
            "2026-11-18",
            "2026-11-17",
        ]
        .iter()
        .enumerate()
        {
            let trigger = json!({ "kind": "MissedFirstActivity", "what": "SW step", "on": on, "at": null, "reported_by": "Department" });
            let (status, body) = api
                .send(
                    "POST",
                    "/episodes",
                    Some(&api.coach),
                    Some(json!({ "participant_id": n + 2, "trigger": trigger })),
                )
                .await;
            assert_eq!(status, 201, "{backend:?}: {body}");
        }
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &after {
                Some(cursor) => format!("/episodes?limit=2&after={cursor}"),
                None => "/episodes?limit=2".to_owned(),
            };
            let (status, page) = api.send("GET", &path, Some(&api.coach), None).await;
            assert_eq!(status, 200, "{page}");
            pages += 1;
            for row in page["episodes"].as_array().unwrap() {
                seen.push(row["next_due_on"].as_str().unwrap().to_owned());
            }
            match page["next"].as_str() {
                Some(next) => after = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(pages, 3, "{backend:?}");
        // The list's stage is core's on today, never the one stored at the last change (a
        // stage moves with the days with nothing written): stored stages made stale here
        // are not what the list shows.
        sqlx::query("UPDATE episodes SET stage = 'Finalized'")
            .execute(&db.pool)
            .await
            .unwrap();
        let (_, page) = api
            .send("GET", "/episodes?limit=5", Some(&api.coach), None)
            .await;
        for row in page["episodes"].as_array().unwrap() {
            let (_, episode) = api
                .send(
                    "GET",
                    &format!("/episodes/{}", row["id"]),
                    Some(&api.coach),
                    None,
                )
                .await;
            assert_eq!(row["stage"], episode["stage"], "{backend:?}: {row}");
            assert_eq!(row["stage"], "Missed", "{backend:?}: {row}");
        }
        assert_eq!(
            seen,
            vec![
                "2026-11-13",
                "2026-11-17",
                "2026-11-18",
                "2026-11-19",
                "2026-11-20"
            ],
            "{backend:?}"
        );
        for bad in [
            "/episodes?after=yesterday",
            "/episodes?limit=0",
            "/episodes?limit=500",
        ] {
            let (status, _) = api.send("GET", bad, Some(&api.coach), None).await;
            assert_eq!(status, 400, "{bad}");
        }
        let (status, _) = api.send("GET", "/episodes", None, None).await;
        assert_eq!(status, 401);
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let api = spawn_api(Backend::Sqlite).await;
    let (status, doc) = api.send("GET", "/openapi.json", None, None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let mut expected = vec![
        ("post", "/episodes/{id}/staffing/presence"),
        ("get", "/calendar/closures"),
        ("get", "/calendar/add-business-days"),
        ("get", "/calendar/notice-mail-by"),
        ("get", "/episodes"),
        ("post", "/episodes"),
        ("get", "/episodes/{id}"),
        ("post", "/episodes/{id}/attempts"),
        ("post", "/episodes/{id}/contact"),
        ("post", "/episodes/{id}/appointment"),
        ("post", "/episodes/{id}/notice"),
        ("post", "/episodes/{id}/missing-info"),
        ("post", "/episodes/{id}/missing-info-resolutions"),
        ("post", "/episodes/{id}/staffing"),
        ("post", "/episodes/{id}/decision"),
        ("post", "/episodes/{id}/good-cause"),
        ("post", "/episodes/{id}/finalization"),
        ("post", "/episodes/{id}/post-dq1-steps"),
        ("post", "/episodes/{id}/new-staffing"),
        ("get", "/episodes/{id}/narratives"),
        ("post", "/episodes/{id}/narratives"),
        ("post", "/narratives/{id}"),
        ("post", "/participants"),
        ("get", "/participants/{id}"),
        ("post", "/participants/{id}/pdp-steps"),
        ("post", "/participants/{id}/exemptions"),
        ("post", "/participants/{id}/releases"),
        ("post", "/participants/{id}/language"),
        ("post", "/participants/{id}"),
        ("post", "/participants/search"),
        ("post", "/participants/move"),
        ("get", "/episodes/{id}/tasks"),
        ("post", "/episodes/{id}/tasks"),
        ("post", "/tasks/{id}/done"),
        ("get", "/staff"),
        ("post", "/staff"),
        ("post", "/staff/{id}/disable"),
        ("post", "/staff/{id}/enable"),
        ("post", "/staff/{id}/password"),
        ("post", "/staff/{id}/role"),
        ("post", "/staff/{id}/branch"),
        ("get", "/staff/{id}/tokens"),
        ("post", "/staff/{id}/tokens"),
        ("post", "/tokens/{id}/revoke"),
        ("get", "/branches/{id}/closures"),
        ("post", "/branches/{id}/closures"),
        ("get", "/branches/{id}/mail-pickup"),
        ("post", "/branches/{id}/mail-pickup"),
        ("get", "/branches"),
        ("post", "/branches"),
        ("get", "/branches/{id}"),
        ("post", "/branches/{id}"),
        ("post", "/branches/{id}/closures/remove"),
        ("post", "/staff/{id}/phone"),
    ];
    expected.sort();
    let mut documented: Vec<(&str, &str)> = documented
        .iter()
        .map(|(m, p)| (m.as_str(), p.as_str()))
        .collect();
    documented.sort();
    assert_eq!(documented, expected);
    for schema in [
        "EpisodeView",
        "EpisodeFacts",
        "ErrorBody",
        "NewAttemptChange",
        "Staffing",
        "Deadline",
        "RuleId",
        "TokenInfo",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "schema {schema} missing"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn narratives_are_drafted_from_facts_saved_and_edited() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let coach = api.coach.clone();
        api.set_day("2026-11-25");
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation", "on": "2026-11-24",
                              "at": null, "reported_by": "Department" });
        let (_, episode) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": 1, "trigger": trigger })),
            )
            .await;
        let id = episode["id"].as_i64().unwrap();
        api.change(&coach, id, "attempts", 1, json!({ "on": "2026-11-25", "method": "Phone", "outcome": "MessageLeft", "response_window": 1 }))
            .await;
        let (status, narratives) = api
            .send(
                "GET",
                &format!("/episodes/{id}/narratives"),
                Some(&coach),
                None,
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {narratives}");
        let draft = narratives["drafts"][0]["text"].as_str().unwrap().to_owned();
        assert_eq!(
            draft,
            "Ms. Example missed orientation on 11/24/2026. RH attempted contact by phone on 11/25/2026; \
             left a voicemail for Ms. Example to contact the family coach. Response window: 1 business day; \
             follow-up attempt due 11/30/2026."
        );
        assert_eq!(narratives["saved"], json!([]));

        let (status, saved) = api
            .send(
                "POST",
                &format!("/episodes/{id}/narratives"),
                Some(&coach),
                Some(json!({ "kind": "Engagement", "body": draft })),
            )
            .await;
        assert_eq!(status, 201, "{saved}");
        let narrative = saved["id"].as_i64().unwrap();
        let edited = format!("{draft} Will try again Monday.");
        let (status, changed) = api
            .send(
                "POST",
                &format!("/narratives/{narrative}"),
                Some(&coach),
                Some(json!({ "body": edited })),
            )
            .await;
        assert_eq!(
            (status, changed["body"].as_str()),
            (200, Some(edited.as_str()))
        );

        let (status, _) = api
            .send(
                "POST",
                &format!("/narratives/{narrative}"),
                Some(&coach),
                Some(json!({ "body": "   " })),
            )
            .await;
        assert_eq!(
            status, 422,
            "an empty narrative is refused; the saved one stays"
        );
        let (status, _) = api
            .send(
                "POST",
                "/narratives/999",
                Some(&coach),
                Some(json!({ "body": "x" })),
            )
            .await;
        assert_eq!(status, 404);
        let (_, narratives) = api
            .send(
                "GET",
                &format!("/episodes/{id}/narratives"),
                Some(&coach),
                None,
            )
            .await;
        assert_eq!(
            narratives["saved"][0]["body"].as_str(),
            Some(edited.as_str())
        );

        let edits: Vec<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT before, after FROM audit_log WHERE action = 'narrative.edited'")
                .fetch_all(&api._database.db.pool)
                .await
                .unwrap();
        assert_eq!(edits.len(), 1);
        assert!(
            edits[0]
                .0
                .as_deref()
                .unwrap()
                .contains("follow-up attempt due 11/30/2026.\"")
        );
        assert!(
            edits[0]
                .1
                .as_deref()
                .unwrap()
                .contains("Will try again Monday.")
        );
    }
}

#[tokio::test]
async fn a_participants_file_feeds_the_rules() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let coach = api.coach.clone();
        api.set_day("2026-11-20");
        let new = json!({ "branch_id": 1, "case_number": "NEW-0001", "first_name": "Robin", "last_name": "Sample",
                          "display_name": "Mx. Sample", "phone": "555-0100" });
        let (status, participant) = api
            .send("POST", "/participants", Some(&coach), Some(new.clone()))
            .await;
        assert_eq!(status, 201, "{backend:?}: {participant}");
        let id = participant["id"].as_i64().unwrap();
        let (status, duplicate) = api
            .send("POST", "/participants", Some(&coach), Some(new))
            .await;
        assert_eq!(
            (
                status,
                duplicate["error"].as_str(),
                duplicate["message"].as_str()
            ),
            (
                409,
                Some("duplicate"),
                Some("Case number NEW-0001 is already on file.")
            ),
            "a case number already on file is a conflict, as documented"
        );
        let (status, _) = api
            .send("POST", "/participants", Some(&coach), Some(json!({ "branch_id": 1, "case_number": " ", "first_name": "A", "last_name": "B" })))
            .await;
        assert_eq!(status, 422);

        let base = format!("/participants/{id}");
        let (status, _) = api
            .send(
                "POST",
                &format!("{base}/pdp-steps"),
                Some(&coach),
                Some(json!({ "code": "pe", "starts_on": "2026-11-24", "scheduled_time": "09:00" })),
            )
            .await;
        assert_eq!(status, 201);
        let (status, _) = api
            .send(
                "POST",
                &format!("{base}/releases"),
                Some(&coach),
                Some(json!({ "partner": "Family Services", "signed_on": "2026-06-01" })),
            )
            .await;
        assert_eq!(status, 201);
        let (status, _) = api
            .send(
                "POST",
                &format!("{base}/exemptions"),
                Some(&coach),
                Some(json!({ "from": "2026-11-30", "to": "2026-11-01" })),
            )
            .await;
        assert_eq!(status, 422, "ends before it starts");
        let (status, file) = api
            .send(
                "POST",
                &format!("{base}/exemptions"),
                Some(&coach),
                Some(json!({ "from": "2026-11-10", "to": "2026-11-30", "reason": "medical" })),
            )
            .await;
        assert_eq!(status, 201);
        assert_eq!(file["pdp_steps"][0]["code"], "PE");
        assert_eq!(file["releases"][0]["partner"], "Family Services");
        assert_eq!(file["exemptions"][0]["to"], "2026-11-30");

        // The language the participant reads (their notice prints in it): English until
        // set, one of the notice's languages, audited with the one it replaces.
        assert_eq!(file["language"], "en");
        let (status, file) = api
            .send(
                "POST",
                &format!("{base}/language"),
                Some(&coach),
                Some(json!({ "language": "ES" })),
            )
            .await;
        assert_eq!(status, 200, "{file}");
        assert_eq!(file["language"], "es");
        for (bad, says) in [("xx", "es (Spanish)"), ("  ", "Choose the language")] {
            let (status, body) = api
                .send(
                    "POST",
                    &format!("{base}/language"),
                    Some(&coach),
                    Some(json!({ "language": bad })),
                )
                .await;
            assert_eq!(status, 422, "{bad:?}: {body}");
            assert!(body.to_string().contains(says), "{bad:?}: {body}");
        }
        let (status, _) = api
            .send(
                "POST",
                &format!("{base}/language"),
                Some(&coach),
                Some(json!({ "lang": "es" })),
            )
            .await;
        assert_eq!(status, 400, "a body of another shape");
        let (status, file) = api.send("GET", &base, Some(&coach), None).await;
        assert_eq!(status, 200);
        assert_eq!(file["language"], "es", "refusals changed nothing");
        let (before, after): (String, String) = sqlx::query_as(
            "SELECT before, after FROM audit_log WHERE action = 'participant.language_set'",
        )
        .fetch_one(&api._database.db.pool)
        .await
        .unwrap();
        assert!(
            before.contains("\"en\"") && after.contains("\"es\""),
            "{before} → {after}"
        );
        let (status, body) = api
            .send("POST", "/participants", Some(&coach), Some(json!({ "branch_id": 1, "case_number": "LANG-1", "first_name": "A", "last_name": "B", "language": "klingon" })))
            .await;
        assert_eq!(status, 422, "{body}");
        let (status, created) = api
            .send("POST", "/participants", Some(&coach), Some(json!({ "branch_id": 1, "case_number": "LANG-2", "first_name": "A", "last_name": "B", "language": "es" })))
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["language"], "es");

        // R23: the exemption reaches the episode's facts and its DQ1 readiness.
        let trigger = json!({ "kind": "MissedJobsAppointment", "what": "JOBS appointment", "on": "2026-11-19",
                              "at": "09:00", "reported_by": "Department" });
        let (status, episode) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": id, "trigger": trigger })),
            )
            .await;
        assert_eq!(status, 201, "{episode}");
        assert_eq!(episode["facts"]["exemptions"][0]["from"], "2026-11-10");
        assert_eq!(episode["facts"]["participant"], "Mx. Sample");

        let (status, _) = api
            .send("GET", "/participants/999", Some(&coach), None)
            .await;
        assert_eq!(status, 404);
        let (status, _) = api
            .send(
                "POST",
                "/participants/999/exemptions",
                Some(&coach),
                Some(json!({ "from": "2026-11-10" })),
            )
            .await;
        assert_eq!(status, 404);
    }
}

/// Opens an episode for a new participant missed on 2026-11-02, with a phone attempt on
/// 11-03 (2-day window) and a letter on 11-05; returns (episode id, version).
async fn attempted(api: &Api, case: &str) -> (i64, i64) {
    let coach = api.coach.clone();
    api.set_day("2026-11-02");
    let (status, participant) = api
        .send("POST", "/participants", Some(&coach), Some(json!({ "branch_id": 1, "case_number": case, "first_name": "G", "last_name": case })))
        .await;
    assert_eq!(status, 201, "{participant}");
    let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation", "on": "2026-11-02", "at": null, "reported_by": "Department" });
    let (_, episode) = api
        .send(
            "POST",
            "/episodes",
            Some(&coach),
            Some(json!({ "participant_id": participant["id"], "trigger": trigger })),
        )
        .await;
    let id = episode["id"].as_i64().unwrap();
    api.set_day("2026-11-03");
    api.change(&coach, id, "attempts", 1, json!({ "on": "2026-11-03", "method": "Phone", "outcome": "MessageLeft", "response_window": 2 })).await;
    api.set_day("2026-11-05");
    let (_, episode) = api
        .change(
            &coach,
            id,
            "attempts",
            2,
            json!({ "on": "2026-11-05", "method": "Written", "outcome": "MessageLeft" }),
        )
        .await;
    (id, episode["version"].as_i64().unwrap())
}

/// `attempted`, then scheduled for 11-18, notice mailed 11-10, the day set to 11-18.
async fn scheduled(api: &Api, case: &str) -> (i64, i64) {
    let (id, version) = attempted(api, case).await;
    api.set_day("2026-11-10");
    let (_, episode) = api
        .change(
            &api.coach,
            id,
            "appointment",
            version,
            json!({ "on": "2026-11-18" }),
        )
        .await;
    let (_, episode) = api
        .change(
            &api.coach,
            id,
            "notice",
            episode["version"].as_i64().unwrap(),
            json!({ "on": "2026-11-10" }),
        )
        .await;
    api.set_day("2026-11-18");
    (id, episode["version"].as_i64().unwrap())
}

fn rule_of(body: &Value) -> Option<&str> {
    body["rule"].as_str()
}

/// R26: the rules of the unmet steps a refused DQ1 lists.
fn unmet_of(body: &Value) -> Vec<&str> {
    body["unmet"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["rule"].as_str()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_step_of_the_dq1_guardrail_is_enforced_through_the_api() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let coach = api.coach.clone();
        let manager = api.manager.clone();

        // R12: the invitation waits 3 business days after the second attempt.
        let (id, version) = attempted(&api, "G-R12").await;
        api.set_day("2026-11-09");
        let (status, body) = api
            .change(
                &coach,
                id,
                "appointment",
                version,
                json!({ "on": "2026-11-24" }),
            )
            .await;
        assert_eq!(
            (status, rule_of(&body)),
            (422, Some("R12")),
            "{backend:?}: {body}"
        );
        // R16: not on a weekend or holiday; R15: not too soon for the notice.
        api.set_day("2026-11-10");
        let (status, body) = api
            .change(
                &coach,
                id,
                "appointment",
                version,
                json!({ "on": "2026-11-26" }),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R16")), "{body}");
        let (status, body) = api
            .change(
                &coach,
                id,
                "appointment",
                version,
                json!({ "on": "2026-11-16" }),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R15")), "{body}");
        // R15: a notice mailed late is refused.
        let (_, episode) = api
            .change(
                &coach,
                id,
                "appointment",
                version,
                json!({ "on": "2026-11-18" }),
            )
            .await;
        api.set_day("2026-11-12");
        let (status, body) = api
            .change(
                &coach,
                id,
                "notice",
                episode["version"].as_i64().unwrap(),
                json!({ "on": "2026-11-12" }),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R15")), "{body}");

        // R17: no staffing before the appointment; no decision while information is missing.
        let (id, version) = scheduled(&api, "G-R17").await;
        api.set_day("2026-11-17");
        let mut early = staffing();
        early["held_on"] = json!("2026-11-17");
        let (status, body) = api.change(&manager, id, "staffing", version, early).await;
        assert_eq!((status, rule_of(&body)), (422, Some("R17")), "{body}");
        api.set_day("2026-11-18");
        api.change(&manager, id, "staffing", version, staffing())
            .await;
        let episode = api.confirm_all(id).await;
        let (_, episode) = api
            .change(&coach, id, "missing-info", episode["version"].as_i64().unwrap(),
                json!({ "kind": "ChildSafetyCheck", "description": "child safety check", "requested_on": "2026-11-18", "resolved_on": null }))
            .await;
        let decide = json!({ "outcome": "Dq1", "decided_on": "2026-11-18" });
        let (status, body) = api
            .change(
                &manager,
                id,
                "decision",
                episode["version"].as_i64().unwrap(),
                decide.clone(),
            )
            .await;
        // R26: a DQ1 is refused with every unmet step, each with its rule.
        assert_eq!((status, rule_of(&body)), (422, Some("R26")), "{body}");
        assert_eq!(unmet_of(&body), vec!["R17"], "{body}");
        assert_eq!(body["unmet"][0]["fix_at"], "MissingInfo");

        // R18: three department staff; R19: no partner without an MCS 3010; R30: next steps.
        let (id, version) = scheduled(&api, "G-R18").await;
        let mut two = staffing();
        two["members"].as_array_mut().unwrap().pop();
        let (_, episode) = api.change(&manager, id, "staffing", version, two).await;
        let version = episode["version"].as_i64().unwrap();
        let (status, body) = api
            .change(&manager, id, "decision", version, decide.clone())
            .await;
        assert_eq!(
            (status, unmet_of(&body)),
            (422, vec!["R18", "R18"]),
            "{body}"
        );
        // Two real members and a typed row: the row never counts, nor confirms (R18).
        let mut typed = staffing();
        typed["members"][2] = json!({ "initials": "JB", "role": "EngagementSpecialist" });
        let (status, episode) = api.change(&manager, id, "staffing", version, typed).await;
        assert_eq!(status, 200, "{episode}");
        assert_eq!(
            episode["facts"]["staffing"]["members"][2]["staff_id"],
            Value::Null
        );
        for token in [&api.coach, &api.manager] {
            api.send(
                "POST",
                &format!("/episodes/{id}/staffing/presence"),
                Some(token),
                None,
            )
            .await;
        }
        let (status, body) = api
            .send(
                "POST",
                &format!("/episodes/{id}/staffing/presence"),
                Some(&api.specialist),
                None,
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R18")), "{body}");
        let (_, episode) = api
            .send("GET", &format!("/episodes/{id}"), Some(&manager), None)
            .await;
        let (status, body) = api
            .change(
                &manager,
                id,
                "decision",
                episode["version"].as_i64().unwrap(),
                decide.clone(),
            )
            .await;
        assert_eq!(
            (status, unmet_of(&body)),
            (422, vec!["R18", "R18"]),
            "{body}"
        );
        // A member named twice, or an account of no such staff, is bad input.
        let mut unknown = staffing();
        unknown["members"][2] = json!({ "staff_id": 999 });
        let (status, body) = api
            .change(
                &manager,
                id,
                "staffing",
                episode["version"].as_i64().unwrap(),
                unknown,
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let mut neither = staffing();
        neither["members"][2] = json!({ "role": "ChildWelfare" });
        let (status, body) = api
            .change(
                &manager,
                id,
                "staffing",
                episode["version"].as_i64().unwrap(),
                neither,
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let version = episode["version"].as_i64().unwrap();
        let mut partner = staffing();
        partner["partners"] = json!([{ "name": "Housing Partner" }]);
        let (status, body) = api.change(&manager, id, "staffing", version, partner).await;
        assert_eq!((status, rule_of(&body)), (422, Some("R19")), "{body}");
        let mut no_steps = staffing();
        no_steps["pdp_next_steps"] = json!([]);
        api.change(&manager, id, "staffing", version, no_steps)
            .await;
        let episode = api.confirm_all(id).await;
        let (status, body) = api
            .change(
                &manager,
                id,
                "decision",
                episode["version"].as_i64().unwrap(),
                decide.clone(),
            )
            .await;
        assert_eq!((status, unmet_of(&body)), (422, vec!["R30"]), "{body}");

        // R23: good cause forbids a DQ1.
        let (id, version) = scheduled(&api, "G-R23").await;
        let mut cause = staffing();
        cause["good_cause"]["outside_control"] = json!(true);
        api.change(&manager, id, "staffing", version, cause).await;
        let episode = api.confirm_all(id).await;
        let (status, body) = api
            .change(
                &manager,
                id,
                "decision",
                episode["version"].as_i64().unwrap(),
                decide.clone(),
            )
            .await;
        assert_eq!((status, unmet_of(&body)), (422, vec!["R23"]), "{body}");
        let (status, episode) = api
            .change(
                &manager,
                id,
                "decision",
                episode["version"].as_i64().unwrap(),
                json!({ "outcome": "GoodCause", "decided_on": "2026-11-18" }),
            )
            .await;
        assert_eq!(
            (status, episode["closed"].as_bool()),
            (200, Some(true)),
            "from the miss to good cause"
        );

        // R20 (and R26): a DQ1 is not decided on a review with an area left out; once every
        // area is reviewed it is, and R27's steps are what stops its finalization.
        let (id, version) = scheduled(&api, "G-R20").await;
        let mut partial = staffing();
        partial["barrier_review"]
            .as_array_mut()
            .unwrap()
            .truncate(9);
        api.change(&manager, id, "staffing", version, partial).await;
        let episode = api.confirm_all(id).await;
        let version = episode["version"].as_i64().unwrap();
        let (status, body) = api
            .change(&manager, id, "decision", version, decide.clone())
            .await;
        assert_eq!((status, unmet_of(&body)), (422, vec!["R20"]), "{body}");
        let (_, episode) = api
            .change(&manager, id, "staffing", version, staffing())
            .await;
        let (status, episode) = api
            .change(
                &manager,
                id,
                "decision",
                episode["version"].as_i64().unwrap(),
                decide.clone(),
            )
            .await;
        assert_eq!(status, 200, "{episode}");
        let unmet: Vec<&str> = episode["dq1_readiness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["rule"].as_str().unwrap())
            .collect();
        assert_eq!(unmet, vec!["R27", "R27"]);
        api.set_day("2026-11-19");
        let (status, body) = api
            .change(
                &api.manager,
                id,
                "finalization",
                episode["version"].as_i64().unwrap(),
                json!({ "on": "2026-11-19" }),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R26")), "{body}");
        assert_eq!(
            body["message"],
            "The DQ1 cannot be finalized yet: 2 item(s) are not done (R26)."
        );
        assert_eq!(unmet_of(&body), vec!["R27", "R27"]);

        let (status, hasty) = {
            let coach = api.coach.clone();
            api.set_day("2026-11-02");
            let (_, participant) = api
                .send("POST", "/participants", Some(&coach), Some(json!({ "branch_id": 1, "case_number": "G-R9", "first_name": "G", "last_name": "R9" })))
                .await;
            let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation", "on": "2026-11-02", "at": null, "reported_by": "Department" });
            let (_, episode) = api
                .send(
                    "POST",
                    "/episodes",
                    Some(&coach),
                    Some(json!({ "participant_id": participant["id"], "trigger": trigger })),
                )
                .await;
            let id = episode["id"].as_i64().unwrap();
            api.set_day("2026-11-03");
            api.change(&coach, id, "attempts", 1, json!({ "on": "2026-11-03", "method": "Phone", "outcome": "MessageLeft", "response_window": 3 })).await;
            // The letter goes out the next day, before the 3-day window has run.
            api.set_day("2026-11-04");
            api.change(
                &coach,
                id,
                "attempts",
                2,
                json!({ "on": "2026-11-04", "method": "Written", "outcome": "MessageLeft" }),
            )
            .await
        };
        assert_eq!(status, 200);
        let unmet: Vec<&str> = hasty["dq1_readiness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["rule"].as_str().unwrap())
            .collect();
        assert_eq!(unmet[0], "R9", "{backend:?}: {unmet:?}");
        // R9 never blocks for good: a follow-up on or after the window's end (Friday 11-06)
        // meets it.
        api.set_day("2026-11-06");
        let (status, followed) = api
            .change(
                &api.coach,
                hasty["id"].as_i64().unwrap(),
                "attempts",
                3,
                json!({ "on": "2026-11-06", "method": "Phone", "outcome": "NoAnswer" }),
            )
            .await;
        assert_eq!(status, 200, "{followed}");
        let unmet: Vec<&str> = followed["dq1_readiness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["rule"].as_str().unwrap())
            .collect();
        assert!(!unmet.contains(&"R9"), "{unmet:?}");
    }
}

#[tokio::test]
async fn tasks_of_an_episode() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let (id, version) = attempted(&api, "T-1").await;
        let coach = api.coach.clone();
        // A blocking item goes through the episode (R17) …
        api.set_day("2026-11-06");
        api.change(&coach, id, "missing-info", version,
            json!({ "kind": "AddressVerification", "description": "verify the address", "requested_on": "2026-11-06", "resolved_on": null }))
            .await;
        // … a plain to-do through tasks.
        let (status, list) = api
            .send("POST", &format!("/episodes/{id}/tasks"), Some(&coach),
                Some(json!({ "kind": "OneCaseNote", "description": "ONE case note", "requested_on": "2026-11-06" })))
            .await;
        assert_eq!(status, 201, "{backend:?}: {list}");
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert_eq!(list[0]["blocks_decision"], true);
        assert_eq!(list[1]["kind"], "OneCaseNote");
        let blocking = list[0]["id"].as_i64().unwrap();
        let plain = list[1]["id"].as_i64().unwrap();
        let (status, body) = api
            .send(
                "POST",
                &format!("/tasks/{blocking}/done"),
                Some(&coach),
                Some(json!({ "on": "2026-11-06" })),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let (status, _) = api
            .send(
                "POST",
                &format!("/tasks/{plain}/done"),
                Some(&coach),
                Some(json!({ "on": "2026-11-06" })),
            )
            .await;
        assert_eq!(status, 204);
        let (status, _) = api
            .send(
                "POST",
                &format!("/tasks/{plain}/done"),
                Some(&coach),
                Some(json!({ "on": "2026-11-06" })),
            )
            .await;
        assert_eq!(status, 422, "already done");
        let (_, list) = api
            .send("GET", &format!("/episodes/{id}/tasks"), Some(&coach), None)
            .await;
        assert_eq!(list[1]["done_on"], "2026-11-06");
        let (status, _) = api
            .send(
                "POST",
                &format!("/episodes/{id}/tasks"),
                Some(&coach),
                Some(json!({ "kind": "Other", "description": " ", "requested_on": "2026-11-06" })),
            )
            .await;
        assert_eq!(status, 422);
        let (status, _) = api
            .send(
                "POST",
                "/tasks/999/done",
                Some(&coach),
                Some(json!({ "on": "2026-11-06" })),
            )
            .await;
        assert_eq!(status, 404);
    }
}

/// The policy read right through the API (issue 18): a miss called ahead opens nothing (R1);
/// the day a miss became known is a contractor's (R5); an earlier attempt entered late is
/// accepted, sorted and audited as a late entry (R10); an invalid address brings one ONE
/// request, not two (R11); a late contact still adjusts the plan, with its PDP step (R8); the
/// case manager gives good cause alone (R23); the calendar is the office's (R15).
#[tokio::test]
async fn the_policy_read_right_through_the_api() {
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let coach = api.coach.clone();
        let db = api._database.db.clone();
        api.set_day("2026-11-02");
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation",
            "on": "2026-11-02", "at": null, "reported_by": "Department" });
        // R1: called ahead — refused, nothing opened.
        let (status, body) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": 1, "trigger": trigger, "called_ahead": true })),
            )
            .await;
        assert_eq!(
            (status, rule_of(&body)),
            (422, Some("R1")),
            "{backend:?}: {body}"
        );
        // R5: a department report has no "became aware" day.
        let mut aware = trigger.clone();
        aware["aware_on"] = json!("2026-11-02");
        let (status, body) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": 1, "trigger": aware })),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R5")), "{body}");
        // `reported_by` follows who is signed in, whatever the request says.
        let mut claimed = trigger.clone();
        claimed["reported_by"] = json!("Contractor");
        let (status, episode) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": 1, "trigger": claimed })),
            )
            .await;
        assert_eq!(status, 201, "{episode}");
        assert_eq!(episode["facts"]["trigger"]["reported_by"], "Department");
        let id = episode["id"].as_i64().unwrap();
        let opened: i64 = sqlx::query_scalar("SELECT count(*) FROM episodes")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(opened, 1);

        // R10: the visit of Thursday 11-05, then Tuesday's voicemail entered late.
        api.set_day("2026-11-05");
        let (status, episode) = api
            .change(&coach, id, "attempts", 1,
                json!({ "on": "2026-11-05", "method": "OffsiteVisit", "outcome": "AddressInvalid" }))
            .await;
        assert_eq!(status, 200, "{episode}");
        // R11: its ONE request, through the API as through the form.
        assert_eq!(
            episode["facts"]["missing_info"][0]["kind"],
            "AddressVerification"
        );
        let version = episode["version"].as_i64().unwrap();
        let (status, episode) = api
            .change(&coach, id, "attempts", version,
                json!({ "on": "2026-11-03", "method": "Phone", "outcome": "MessageLeft", "response_window": 2 }))
            .await;
        assert_eq!(status, 200, "{episode}");
        let days: Vec<&str> = episode["facts"]["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["on"].as_str().unwrap())
            .collect();
        assert_eq!(days, vec!["2026-11-03", "2026-11-05"]);
        let late: Vec<String> = sqlx::query_scalar(
            "SELECT after FROM audit_log WHERE action = 'attempt.logged' ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert!(!late[0].contains("late_entry"), "{}", late[0]);
        assert!(late[1].contains("\"late_entry\":true"), "{}", late[1]);
        // R11: a second invalid-address visit while the request is open adds none.
        let (_, episode) = api
            .change(&coach, id, "attempts", episode["version"].as_i64().unwrap(),
                json!({ "on": "2026-11-05", "method": "OffsiteVisit", "outcome": "AddressInvalid" }))
            .await;
        assert_eq!(
            episode["facts"]["missing_info"].as_array().unwrap().len(),
            1
        );

        // R8: the participant calls back on Monday 11-09, after the target (Wednesday 11-04):
        // the plan is adjusted with its PDP step and the episode closes, the target late.
        api.set_day("2026-11-09");
        let (status, episode) = api
            .change(
                &coach,
                id,
                "contact",
                episode["version"].as_i64().unwrap(),
                json!({ "on": "2026-11-09", "plan_adjusted": true, "pdp_step": { "code": "SW",
                    "starts_on": "2026-11-16", "ends_on": null, "scheduled_time": null,
                    "attendance_hours": null } }),
            )
            .await;
        assert_eq!(status, 200, "{episode}");
        assert_eq!(
            (episode["stage"].as_str(), episode["closed"].as_bool()),
            (Some("ContactMade"), Some(true))
        );
        let target = episode["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "AdjustPlan")
            .unwrap();
        assert_eq!(target["status"]["Met"]["late"], true, "{target}");
        let step: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pdp_steps WHERE code = 'SW' AND starts_on = '2026-11-16'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(step, 1);
        // A new step without an adjusted plan is bad input, and nothing is stored.
        let (_, other) = api
            .send("POST", "/participants", Some(&coach),
                Some(json!({ "branch_id": 1, "case_number": "P-2", "first_name": "G", "last_name": "Two" })))
            .await;
        let (_, second) = api
            .send(
                "POST",
                "/episodes",
                Some(&coach),
                Some(json!({ "participant_id": other["id"], "trigger": trigger })),
            )
            .await;
        let second_id = second["id"].as_i64().unwrap();
        let (status, body) = api
            .change(
                &coach,
                second_id,
                "contact",
                1,
                json!({ "on": "2026-11-09", "plan_adjusted": false, "pdp_step": { "code": "SW",
                    "starts_on": "2026-11-16", "ends_on": null, "scheduled_time": null,
                    "attendance_hours": null } }),
            )
            .await;
        assert_eq!(status, 422, "{body}");

        // R23: the case manager gives good cause alone, with its reason; the episode closes.
        let (status, body) = api
            .change(
                &coach,
                second_id,
                "good-cause",
                1,
                json!({ "on": "2026-11-09", "reason": "  " }),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R23")), "{body}");
        let (status, episode) = api
            .change(
                &coach,
                second_id,
                "good-cause",
                1,
                json!({ "on": "2026-11-09", "reason": "Hospitalized from 11/02 to 11/06." }),
            )
            .await;
        assert_eq!(status, 200, "{episode}");
        assert_eq!(episode["closed"], true);
        assert_eq!(
            episode["facts"]["decision"]["by"]["CaseManager"]["reason"],
            "Hospitalized from 11/02 to 11/06."
        );
        // A closed episode's refusal names a fix that is accepted (a new miss, R1).
        let (_, now) = api
            .send("GET", &format!("/episodes/{id}"), Some(&coach), None)
            .await;
        let (status, body) = api
            .change(
                &coach,
                id,
                "attempts",
                now["version"].as_i64().unwrap(),
                json!({ "on": "2026-11-09", "method": "Phone", "outcome": "NoAnswer" }),
            )
            .await;
        assert_eq!((status, rule_of(&body)), (422, Some("R1")), "{body}");

        // R15, one calendar per office: a snow day on Tuesday 12-01 moves the mail-by day of
        // an appointment on Tuesday 12-08 back to Monday 11-30 — for that office only.
        sqlx::query(
            "INSERT INTO office_closures (branch_id, on_date, name) VALUES (1, '2026-12-01', 'Snow day')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let (_, oregon) = api
            .send(
                "GET",
                "/calendar/notice-mail-by?appointment=2026-12-08",
                None,
                None,
            )
            .await;
        assert_eq!(oregon["date"], "2026-12-01");
        let (_, office) = api
            .send(
                "GET",
                "/calendar/notice-mail-by?appointment=2026-12-08&branch_id=1",
                None,
                None,
            )
            .await;
        assert_eq!(office["date"], "2026-11-30");
        let (_, closures) = api
            .send(
                "GET",
                "/calendar/closures?year=2026&branch_id=1",
                None,
                None,
            )
            .await;
        assert!(
            closures
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == "Snow day"),
            "{closures}"
        );
        let (_, days) = api
            .send(
                "GET",
                "/calendar/add-business-days?date=2026-11-30&n=1&branch_id=1",
                None,
                None,
            )
            .await;
        assert_eq!(days["date"], "2026-12-02");
        let (status, body) = api
            .send(
                "GET",
                "/calendar/closures?year=2026&branch_id=999",
                None,
                None,
            )
            .await;
        assert_eq!(status, 404, "{body}");
        let (status, body) = api
            .send(
                "GET",
                "/calendar/closures?year=2026&branch_id=one",
                None,
                None,
            )
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("bad_input")),
            "{body}"
        );
    }
}

/// The document says what the server does: query parameters are in the query with their
/// bounds, and every operation lists the refusals it can answer — 400 always, 401 and 403
/// where a token is needed, 404 where the path names a record.
#[tokio::test]
async fn the_openapi_document_lists_every_answer_and_every_bound() {
    let api = spawn_api(Backend::Sqlite).await;
    let (_, doc) = api.send("GET", "/openapi.json", None, None).await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let answers = operation["responses"].as_object().unwrap();
            let has = |status: &str| answers.contains_key(status);
            assert!(has("400"), "{method} {path}: 400");
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            if secured {
                assert!(has("401") && has("403"), "{method} {path}: 401 and 403");
            }
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if parameters.iter().any(|p| p["in"] == "path") {
                assert!(has("404"), "{method} {path}: 404");
            }
            for parameter in &parameters {
                let name = parameter["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    parameter["in"],
                    if in_path { "path" } else { "query" },
                    "{method} {path}: {name}"
                );
            }
        }
    }
    let limit = doc["paths"]["/episodes"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap()
        .clone();
    assert_eq!(
        (
            &limit["schema"]["minimum"],
            &limit["schema"]["maximum"],
            &limit["required"]
        ),
        (
            &serde_json::json!(1),
            &serde_json::json!(200),
            &serde_json::json!(false)
        )
    );
    let (status, _) = api
        .send("GET", "/episodes?limit=201", Some(&api.coach), None)
        .await;
    assert_eq!(status, 400, "above the documented maximum");
    let list = &doc["paths"]["/episodes"]["get"];
    assert!(
        list["responses"].get("404").is_some(),
        "a coach or branch out of reach"
    );
    let after = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "after")
        .unwrap();
    assert_eq!(
        after["schema"]["pattern"],
        reengage_server::store::lists::Cursor::PATTERN
    );
    let (status, _) = api
        .send("GET", "/episodes?after=", Some(&api.coach), None)
        .await;
    assert_eq!(
        status, 400,
        "an empty `after` is below its documented length"
    );
    let year = doc["paths"]["/calendar/closures"]["get"]["parameters"][0].clone();
    assert_eq!(
        (&year["name"], &year["required"]),
        (&serde_json::json!("year"), &serde_json::json!(true))
    );
}

/// The document closes what a request may send, and the server refuses exactly that, with a
/// 400 on both backends: a field no operation knows, a control character, a day outside the
/// calendar, a blank name; what the document allows is taken (`3.0` is a whole number).
#[tokio::test]
async fn the_document_rules_out_what_the_server_refuses() {
    use reengage_server::api::contract;
    let api = spawn_api(Backend::Sqlite).await;
    let (_, doc) = api.send("GET", "/openapi.json", None, None).await;
    let schemas = &doc["components"]["schemas"];
    // Each change of an episode is its own operation, its body `version` beside the fields.
    let attempts = &doc["paths"]["/episodes/{id}/attempts"]["post"];
    assert_eq!(
        attempts["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewAttemptChange"
    );
    let body = &schemas["NewAttemptChange"];
    assert!(
        body["required"]
            .as_array()
            .unwrap()
            .contains(&json!("version"))
    );
    assert_eq!(body["additionalProperties"], false);
    assert_eq!(body["properties"]["note"]["pattern"], contract::TEXT);
    assert_eq!(body["properties"]["on"]["pattern"], contract::DAY);
    assert!(doc["paths"].get("/episodes/{id}/{change}").is_none());
    assert!(schemas.get("ChangeRequest").is_none());
    // Every bound of the table is in the document.
    assert_eq!(
        schemas["ClosureDay"]["properties"]["name"]["maxLength"],
        100
    );
    assert_eq!(
        schemas["ClosureDay"]["properties"]["name"]["pattern"],
        contract::NOT_BLANK
    );
    assert_eq!(
        (
            &schemas["ResponseWindow"]["minimum"],
            &schemas["ResponseWindow"]["maximum"]
        ),
        (&json!(1), &json!(3))
    );
    assert_eq!(
        schemas["NewPassword"]["properties"]["password"]["minLength"],
        15
    );
    // A time of day is one the server reads (an office's mail pickup as much as an
    // appointment's), so a fuzzer's other strings are ruled out by the document too.
    for (schema, field) in [
        ("OfficeChange", "mail_pickup"),
        ("MailPickupTime", "at"),
        ("AppointmentDay", "at"),
        ("Trigger", "at"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["pattern"],
            contract::TIME,
            "{schema}.{field}"
        );
    }
    assert_eq!(
        schemas["StaffingRequestChange"]["properties"]["pdp_next_steps"]["maxItems"],
        100
    );
    // Every operation with a body documents 413 and 422.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("requestBody").is_some() {
                for status in ["413", "422"] {
                    assert!(
                        operation["responses"].get(status).is_some(),
                        "{method} {path}: {status}"
                    );
                }
            }
        }
    }

    // The patterns say what the server checks.
    let day = regex::Regex::new(contract::DAY).unwrap();
    for (text, real) in [
        ("2026-12-03", true),
        ("1990-01-01", true),
        ("2100-12-31", true),
        ("2000-02-29", true),
        ("2024-02-29", true),
        ("2100-02-29", false),
        ("2026-02-29", false),
        ("2026-04-31", false),
        ("1989-12-31", false),
        ("2101-01-01", false),
        ("2026-13-01", false),
    ] {
        assert_eq!(day.is_match(text), real, "{text}");
        let parsed = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| {
                reengage_core::calendar::SUPPORTED_YEARS.contains(&chrono::Datelike::year(d))
            });
        assert_eq!(parsed.is_some(), real, "{text}");
    }
    let not_blank = regex::Regex::new(contract::NOT_BLANK).unwrap();
    for (text, filled) in [
        ("Ice storm", true),
        (" x ", true),
        ("", false),
        ("   ", false),
        ("\t\n", false),
        ("\u{3000}\u{a0}", false),
    ] {
        assert_eq!(not_blank.is_match(text), filled, "{text:?}");
        assert_eq!(!text.trim().is_empty(), filled, "{text:?}");
    }
    let time = regex::Regex::new(contract::TIME).unwrap();
    for (text, fits) in [
        ("10:00", true),
        ("23:59:59", true),
        ("24:00", false),
        ("10", false),
    ] {
        assert_eq!(time.is_match(text), fits, "{text}");
        assert_eq!(text.parse::<chrono::NaiveTime>().is_ok(), fits, "{text}");
    }

    for backend in backends().await {
        let api = spawn_api(backend).await;
        api.set_day("2026-11-02");
        let trigger = json!({ "kind": "MissedCoachAppointment", "what": "orientation", "on": "2026-11-02",
                              "at": null, "reported_by": "Department" });
        // A field the document does not list is refused by name, at any depth.
        for (body, field) in [
            (
                json!({ "participant_id": 1, "trigger": trigger, "note": "x" }),
                "note",
            ),
            (
                json!({ "participant_id": 1, "trigger": { "colour": "red", "kind": "MissedCoachAppointment",
                    "what": "orientation", "on": "2026-11-02", "reported_by": "Department" } }),
                "trigger.colour",
            ),
        ] {
            let (status, answer) = api
                .send("POST", "/episodes", Some(&api.coach), Some(body))
                .await;
            assert_eq!(status, 400, "{backend:?}: {answer}");
            assert!(
                answer["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("`{field}`")),
                "{answer}"
            );
        }
        // A whole number written with a fraction is a whole number.
        let (status, episode) = api
            .send(
                "POST",
                "/episodes",
                Some(&api.coach),
                Some(json!({ "participant_id": 1.0, "trigger": trigger })),
            )
            .await;
        assert_eq!(status, 201, "{backend:?}: {episode}");
        let id = episode["id"].as_i64().unwrap();
        // Any version at all is answered, never a crash: the lowest is a conflict.
        let (status, answer) = api
            .change(
                &api.coach,
                id,
                "notice",
                i64::MIN + 1,
                json!({ "on": "2026-11-03" }),
            )
            .await;
        assert_eq!(status, 409, "{backend:?}: {answer}");
        // A day outside the calendar, a blank reason, a window out of range.
        let version = episode["version"].as_i64().unwrap();
        for (kind, body, status) in [
            ("notice", json!({ "on": "2101-01-01" }), 400),
            ("new-staffing", json!({ "reason": "  " }), 422),
            (
                "attempts",
                json!({ "on": "2026-11-02", "method": "Phone", "outcome": "MessageLeft", "response_window": 4 }),
                400,
            ),
        ] {
            let (got, answer) = api.change(&api.coach, id, kind, version, body).await;
            assert_eq!(got, status, "{backend:?} {kind}: {answer}");
        }
        // A body over 64 KB is a JSON 413, like every other refusal of the API.
        let (status, answer) = api
            .change(
                &api.coach,
                id,
                "attempts",
                version,
                json!({ "note": "x".repeat(70_000) }),
            )
            .await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (413, Some("too_large")),
            "{answer}"
        );
    }
}

/// R15: an admin sets the office's outgoing-mail pickup (`/branches/{id}/mail-pickup`); after
/// it, a notice mailed today leaves on the next business day, so on the Wednesday before
/// Thanksgiving 2026 the earliest appointment moves from Wednesday 12-02 to Monday 12-07.
#[tokio::test]
async fn the_mail_pickup_moves_the_earliest_appointment_across_thanksgiving() {
    use reengage_server::services::episodes::office;
    for backend in backends().await {
        let api = spawn_api(backend).await;
        let db = api._database.db.clone();
        let now = noon("2026-11-01");
        let command_line = Actor {
            staff_id: None,
            email: "test".into(),
            role: reengage_core::roles::Role::Admin,
        };
        let admin = NewStaff {
            email: "ad@example.test".into(),
            name: "Test AD".into(),
            initials: "AD".into(),
            role: reengage_core::roles::Role::Admin,
            branch: None,
            password: "correct horse battery staple".into(),
            phone: None,
        };
        accounts::create_staff(&db, &command_line, admin, now)
            .await
            .unwrap();
        let admin = accounts::create_token(&db, &command_line, "ad@example.test", now)
            .await
            .unwrap();
        let path = "/branches/1/mail-pickup";
        let (status, unset) = api.send("GET", path, Some(&admin), None).await;
        assert_eq!((status, unset), (200, json!({ "at": null })), "{backend:?}");
        // Only an admin sets it; bad input is answered, not stored.
        let (status, _) = api
            .send(
                "POST",
                path,
                Some(&api.manager),
                Some(json!({ "at": "15:00" })),
            )
            .await;
        assert_eq!(status, 403, "{backend:?}");
        for (body, expected) in [
            (json!({ "at": "25:00" }), 400),
            (json!({}), 400),
            (json!({ "at": "15:00", "by": "me" }), 400),
            (json!({ "at": "15:00:30" }), 422),
        ] {
            let (status, answer) = api
                .send("POST", path, Some(&admin), Some(body.clone()))
                .await;
            assert_eq!(status, expected, "{backend:?} {body}: {answer}");
            assert!(
                answer["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{answer}"
            );
        }
        let (status, _) = api
            .send(
                "POST",
                "/branches/99/mail-pickup",
                Some(&admin),
                Some(json!({ "at": "15:00" })),
            )
            .await;
        assert_eq!(status, 404, "{backend:?}");
        let (status, set) = api
            .send("POST", path, Some(&admin), Some(json!({ "at": "15:00" })))
            .await;
        assert_eq!(
            (status, set),
            (200, json!({ "at": "15:00:00" })),
            "{backend:?}"
        );
        let audited: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT before, after FROM audit_log WHERE action = 'branch.mail_pickup_set'",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            audited,
            vec![(
                Some(r#"{"mail_pickup":null}"#.to_owned()),
                Some(r#"{"mail_pickup":"15:00"}"#.to_owned())
            )],
            "{backend:?}"
        );

        // Two episodes ready to schedule (two attempts, the 3 business days waited).
        let (early, early_version) = attempted(&api, "PICKUP-1").await;
        let (late, late_version) = attempted(&api, "PICKUP-2").await;
        // 2:30 pm in Oregon (22:30 UTC) on Wednesday 11-25: today's mail has not left.
        let before = DateTime::parse_from_rfc3339("2026-11-25T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        *api.clock.lock().unwrap() = before;
        let (_, calendar) = office(&db, 1, before).await.unwrap();
        assert_eq!(calendar.mail_pickup().gone_on, None, "{backend:?}");
        assert_eq!(
            reengage_core::pickup_words(&calendar),
            ", before the 3:00 pm pickup"
        );
        let (status, body) = api
            .change(
                &api.coach,
                early,
                "appointment",
                early_version,
                json!({ "on": "2026-12-02" }),
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        // 3:30 pm: the mail has gone; the notice leaves on Monday 11-30 (Thursday and Friday
        // closed), so 12-02 is too soon and the earliest is Monday 12-07.
        let after = DateTime::parse_from_rfc3339("2026-11-25T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        *api.clock.lock().unwrap() = after;
        let (_, calendar) = office(&db, 1, after).await.unwrap();
        assert_eq!(
            calendar.mail_pickup().gone_on,
            NaiveDate::from_ymd_opt(2026, 11, 25),
            "{backend:?}"
        );
        let (status, refusal) = api
            .change(
                &api.coach,
                late,
                "appointment",
                late_version,
                json!({ "on": "2026-12-02" }),
            )
            .await;
        assert_eq!(
            (status, rule_of(&refusal)),
            (422, Some("R15")),
            "{backend:?}: {refusal}"
        );
        assert!(
            refusal["message"]
                .as_str()
                .is_some_and(|m| m.contains("Monday, December 7, 2026")),
            "{refusal}"
        );
        let (status, body) = api
            .change(
                &api.coach,
                late,
                "appointment",
                late_version,
                json!({ "on": "2026-12-07" }),
            )
            .await;
        assert_eq!(status, 200, "{backend:?}: {body}");

        // Removed, the office mails until the end of the day again.
        let (status, unset) = api
            .send("POST", path, Some(&admin), Some(json!({ "at": null })))
            .await;
        assert_eq!((status, unset), (200, json!({ "at": null })), "{backend:?}");
        let (_, calendar) = office(&db, 1, after).await.unwrap();
        assert_eq!(calendar.mail_pickup().gone_on, None, "{backend:?}");
    }
}

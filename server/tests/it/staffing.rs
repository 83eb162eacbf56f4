//! The staffing workspace on the real router with the demo branch, on both backends: a DQ1
//! staffing blocked by missing information (R17), the DQ1 refused with `core`'s list of every
//! unmet step (R26), decided, finalized with the steps after it (R27; the RE step on the PDP)
//! and read-only; a new staffing on new information (R24) with the decision kept, superseded;
//! a good-cause staffing (R23); partners only with an MCS 3010 on file (R19); who may do what.

use crate::support::backends;
use crate::support::browser::{
    Answer, demo_app, get, post_form, refused_in_place, sign_in, submit,
};
use reengage_server::store::db::Backend;
use reqwest::StatusCode;

/// The demo's episodes at the staffing stage (each waits for a child safety check).
async fn staffing_episodes(test: &crate::support::TestDb) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM episodes WHERE stage = 'Staffing' ORDER BY id")
        .fetch_all(&test.db.pool)
        .await
        .unwrap()
}

async fn version(test: &crate::support::TestDb, episode: i64) -> String {
    let version: i64 = sqlx::query_scalar("SELECT version FROM episodes WHERE id = $1")
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
    version.to_string()
}

/// The staff ids of the demo's coach, manager and specialist: a team of three (R18).
async fn team(test: &crate::support::TestDb) -> Vec<String> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM staff WHERE email IN ('coach@demo.test', 'manager@demo.test', \
         'specialist@demo.test') ORDER BY id",
    )
    .fetch_all(&test.db.pool)
    .await
    .unwrap();
    ids.into_iter().map(|id| id.to_string()).collect()
}

/// A complete staffing form held on Monday 2026-11-30: every area reviewed for the adult and
/// the children (none present), every good-cause question answered no, strategies and steps.
fn complete_form(version: &str, team: &[String]) -> Vec<(String, String)> {
    let mut form = vec![
        ("version".to_owned(), version.to_owned()),
        ("held_on".into(), "2026-11-30".into()),
        ("strategies".into(), "Weekly check-in call".into()),
        ("next_steps".into(), "Job search, 10 hours a week".into()),
        ("decided_on".into(), "2026-11-30".into()),
    ];
    for id in team {
        form.push(("member".into(), id.clone()));
    }
    // R20: each area for whom policy 002 reviews it.
    for (area, who) in crate::support::review_cells() {
        form.push((format!("{area}.{who}.present"), "no".into()));
    }
    for question in [
        "gc_exempt",
        "gc_outside_control",
        "gc_household_issue",
        "gc_department_failed",
    ] {
        form.push((question.into(), "no".into()));
    }
    form
}

fn with(form: &[(String, String)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = form.to_vec();
    for (name, value) in extra {
        form.retain(|(n, _)| n != name);
        form.push(((*name).to_owned(), (*value).to_owned()));
    }
    form
}

async fn post(base: &str, path: &str, cookie: &str, form: &[(String, String)]) -> (u16, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    post_form(base, path, cookie, &pairs).await
}

/// The same, keeping the page it answers with.
async fn submit_pairs(base: &str, path: &str, cookie: &str, form: &[(String, String)]) -> Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    submit(base, path, cookie, &pairs).await
}

/// The page a form redirected to.
async fn follow(base: &str, location: &str, cookie: &str) -> String {
    let (status, html) = get(base, location, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{location}: {html}");
    html
}

#[tokio::test]
async fn a_dq1_staffing_from_missing_information_to_finalized_and_reviewed_again() {
    for backend in backends().await {
        let (test, base) = demo_app(backend).await;
        let episode = staffing_episodes(&test).await[0];
        let path = format!("/episodes/{episode}/staffing");
        let manager = sign_in(&base, "manager@demo.test").await;
        let team = team(&test).await;

        // The workspace, whole without JavaScript: the missing information blocks (R17).
        let (status, html) = get(&base, &path, Some(&manager)).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {html}");
        assert!(html.contains("Missing information (R17)"), "{html}");
        assert!(html.contains("not gathered yet"), "{html}");
        assert!(html.contains("Save and decide"), "{html}");

        // DQ1 tried with the child safety check outstanding: the staffing is saved, the DQ1
        // refused, and the page lists the unmet step with its rule and where to fix it.
        let form = complete_form(&version(&test, episode).await, &team);
        let html = refused_in_place(
            submit_pairs(
                &base,
                &path,
                &manager,
                &with(&form, &[("intent", "decide"), ("outcome", "Dq1")]),
            )
            .await,
        );
        assert!(
            html.contains("The staffing is saved. A DQ1 may not be imposed yet: 2 step(s)"),
            "{html}"
        );
        assert!(
            html.contains("Gather the missing information: child safety check. (R17)"),
            "{html}"
        );
        assert!(html.contains("Fix: the missing information"), "{html}");
        // R18: no one person can impose a DQ1 — each member confirms with their own sign-in.
        assert!(
            html.contains("0 department member(s) confirmed being present with their own sign-in"),
            "{html}"
        );
        assert!(html.contains("Who confirmed being present (R18)"), "{html}");
        assert!(html.contains("I was present at this staffing"), "{html}");
        for who in [
            "coach@demo.test",
            "manager@demo.test",
            "specialist@demo.test",
        ] {
            let cookie = if who == "manager@demo.test" {
                manager.clone()
            } else {
                sign_in(&base, who).await
            };
            let (status, location) = post_form(
                &base,
                &format!("/episodes/{episode}/staffing/presence"),
                &cookie,
                &[],
            )
            .await;
            assert_eq!(
                (status, location.as_str()),
                (303, &*format!("{path}?saved=presence#presence")),
                "{who}"
            );
            // Once is enough: a second confirmation is refused back to the page.
            let again = refused_in_place(
                submit(
                    &base,
                    &format!("/episodes/{episode}/staffing/presence"),
                    &cookie,
                    &[],
                )
                .await,
            );
            assert!(again.contains("Who confirmed being present"), "{again}");
        }
        let html = follow(&base, &path, &manager).await;
        assert!(
            html.contains("3 department members confirmed: enough for a DQ1 (R18)."),
            "{html}"
        );
        assert!(!html.contains("I was present at this staffing"), "{html}");
        let confirmed: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE entity = 'episode' AND entity_id = $1 \
             AND action = 'staffing.presence_confirmed' ORDER BY id",
        )
        .bind(episode.to_string())
        .fetch_all(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(confirmed.len(), 3, "each confirmation audited");
        let decided: i64 =
            sqlx::query_scalar("SELECT count(*) FROM decisions WHERE episode_id = $1")
                .bind(episode)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(decided, 0, "no determination while information is missing");

        // Gathered in place, from beside the staffing form: what is typed there is kept.
        let answer = submit(
            &base,
            &format!("/episodes/{episode}/missing-info/0"),
            &manager,
            &[
                ("version", &version(&test, episode).await),
                ("gathered_on_0", "2026-11-30"),
                ("held_on", "2026-11-30"),
                ("strategies", "Typed before the item was gathered"),
            ],
        )
        .await;
        // Answered with the workspace itself: the typed text never goes into a URL.
        assert_eq!((answer.status, answer.location.as_str()), (200, ""));
        let html = answer.html;
        assert!(
            html.contains("The information is marked gathered."),
            "{html}"
        );
        assert!(
            html.contains("Typed before the item was gathered"),
            "{html}"
        );
        assert!(
            html.contains("gathered Monday, November 30, 2026"),
            "{html}"
        );

        // DQ1 with a barrier area not reviewed: refused with that step (R20).
        let version_now = version(&test, episode).await;
        let partial: Vec<_> = complete_form(&version_now, &team)
            .into_iter()
            .filter(|(name, _)| name != "MentalHealth.Children.present")
            .collect();
        let html = refused_in_place(
            submit_pairs(
                &base,
                &path,
                &manager,
                &with(&partial, &[("intent", "decide"), ("outcome", "Dq1")]),
            )
            .await,
        );
        assert!(
            html.contains("Review mental health for the children in the household. (R20)"),
            "{html}"
        );
        assert!(html.contains("Fix: the barrier review"), "{html}");

        // Complete: decided.
        let (status, location) = post(
            &base,
            &path,
            &manager,
            &with(
                &complete_form(&version(&test, episode).await, &team),
                &[("intent", "decide"), ("outcome", "Dq1")],
            ),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, &*format!("{path}?saved=decision#decision"))
        );
        let html = follow(&base, &location, &manager).await;
        assert!(
            html.contains("DQ1 — JOBS disqualification — decided"),
            "{html}"
        );
        assert!(html.contains("Finalize the DQ1"), "{html}");
        assert!(
            !html.contains("Save and decide"),
            "the staffing is read-only once decided"
        );

        // Finalizing before the steps after a DQ1: refused, nothing saved (R26, R27).
        let html = refused_in_place(
            submit(
                &base,
                &format!("/episodes/{episode}/finalization"),
                &manager,
                &[
                    ("version", &version(&test, episode).await),
                    ("one_case_note", "yes"),
                    ("intent", "finalize"),
                ],
            )
            .await,
        );
        assert!(
            html.contains(r#"name="one_case_note" value="yes" checked"#),
            "what was ticked comes back: {html}"
        );
        assert!(
            html.contains("The DQ1 cannot be finalized yet: 2 item(s) are not done (R26)."),
            "{html}"
        );
        let noted: i64 = sqlx::query_scalar("SELECT one_case_note FROM episodes WHERE id = $1")
            .bind(episode)
            .fetch_one(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(
            noted, 0,
            "the steps and the finalization stand or fall together"
        );

        // A coach records steps but does not finalize (R18, R26).
        let coach = sign_in(&base, "coach@demo.test").await;
        let (status, _) = post_form(
            &base,
            &format!("/episodes/{episode}/finalization"),
            &coach,
            &[
                ("version", &version(&test, episode).await),
                ("intent", "finalize"),
            ],
        )
        .await;
        assert_eq!(status, 403);

        // With the RE step and DQ1 on the page: finalized; the PDP shows the RE step.
        let (status, location) = post_form(
            &base,
            &format!("/episodes/{episode}/finalization"),
            &manager,
            &[
                ("version", &version(&test, episode).await),
                ("re_step_recorded", "yes"),
                ("dq1_selected_on_page", "yes"),
                ("intent", "finalize"),
            ],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, &*format!("{path}?saved=finalized#finalization"))
        );
        let (stage, appointment): (String, String) =
            sqlx::query_as("SELECT stage, appointment_on FROM episodes WHERE id = $1")
                .bind(episode)
                .fetch_one(&test.db.pool)
                .await
                .unwrap();
        assert_eq!(stage, "Finalized");
        let re_step: (String, Option<f64>) = sqlx::query_as(
            "SELECT s.starts_on, s.attendance_hours FROM pdp_steps s \
             JOIN episodes e ON e.participant_id = s.participant_id \
             WHERE e.id = $1 AND s.code = 'RE'",
        )
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(re_step, (appointment, Some(1.0)));
        let html = follow(&base, &location, &manager).await;
        assert!(
            html.contains("The decision is final and read-only"),
            "{html}"
        );
        assert!(!html.contains("Finalize the DQ1"), "{html}");

        // Read-only: the staffing form is refused (the episode is closed).
        let html = refused_in_place(
            submit_pairs(
                &base,
                &path,
                &manager,
                &with(
                    &complete_form(&version(&test, episode).await, &team),
                    &[("intent", "save")],
                ),
            )
            .await,
        );
        assert!(html.contains("This episode is closed"), "{html}");

        // R24: a new staffing needs a reason; with one, the episode is back at staffing and the
        // decision stays in the history, superseded.
        let html = refused_in_place(
            submit(
                &base,
                &format!("/episodes/{episode}/new-staffing"),
                &coach,
                &[("version", &version(&test, episode).await), ("reason", " ")],
            )
            .await,
        );
        assert!(html.contains("A new staffing needs a reason"), "{html}");
        let (status, location) = post_form(
            &base,
            &format!("/episodes/{episode}/new-staffing"),
            &coach,
            &[
                ("version", &version(&test, episode).await),
                ("reason", "An exemption from November came to light"),
            ],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, &*format!("/episodes/{episode}?saved=new-staffing"))
        );
        let html = follow(&base, &path, &manager).await;
        assert!(html.contains("Earlier decisions"), "{html}");
        assert!(
            html.contains("superseded Monday, November 30, 2026 by a new staffing: An exemption from November came to light (R24)"),
            "{html}"
        );
        assert!(
            html.contains("finalized Monday, November 30, 2026"),
            "{html}"
        );
        assert!(
            html.contains("Save and decide"),
            "the new review is open: {html}"
        );
        let (stage, steps): (String, i64) = sqlx::query_as(
            "SELECT stage, re_step_recorded + dq1_selected_on_page FROM episodes WHERE id = $1",
        )
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert_eq!((stage.as_str(), steps), ("Staffing", 0));
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE entity = 'episode' AND entity_id = $1 ORDER BY id",
        )
        .bind(episode.to_string())
        .fetch_all(&test.db.pool)
        .await
        .unwrap();
        for action in [
            "missing_info.resolved",
            "staffing.recorded",
            "decision.made",
            "post_dq1.recorded",
            "dq1.finalized",
            "staffing.requested",
        ] {
            assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
        }
    }
}

#[tokio::test]
async fn a_good_cause_staffing_closes_without_a_disqualification() {
    let (test, base) = demo_app(Backend::Sqlite).await;
    let episode = staffing_episodes(&test).await[1];
    let path = format!("/episodes/{episode}/staffing");
    let specialist = sign_in(&base, "specialist@demo.test").await;
    let team = team(&test).await;
    // The missing information first, added and gathered in place (R17).
    let html = refused_in_place(
        submit(
            &base,
            &format!("/episodes/{episode}/missing-info"),
            &specialist,
            &[
                ("version", &version(&test, episode).await),
                ("kind", "OffsiteVisitOutcome"),
                ("description", ""),
            ],
        )
        .await,
    );
    assert!(
        html.contains(r#"value="OffsiteVisitOutcome" selected"#),
        "what was typed comes back: {html}"
    );
    assert!(html.contains("Say what information is missing"), "{html}");
    for index in ["0"] {
        let (status, _) = post_form(
            &base,
            &format!("/episodes/{episode}/missing-info/{index}"),
            &specialist,
            &[
                ("version", &version(&test, episode).await),
                ("gathered_on_0", "2026-11-30"),
            ],
        )
        .await;
        assert_eq!(status, 303);
    }
    // R23: good cause needs a cause.
    let form = complete_form(&version(&test, episode).await, &team);
    let html = refused_in_place(
        submit_pairs(
            &base,
            &path,
            &specialist,
            &with(&form, &[("intent", "decide"), ("outcome", "GoodCause")]),
        )
        .await,
    );
    assert!(
        html.contains("No good-cause question was answered yes"),
        "{html}"
    );
    let (status, location) = post(
        &base,
        &path,
        &specialist,
        &with(
            &complete_form(&version(&test, episode).await, &team),
            &[
                ("gc_outside_control", "yes"),
                ("intent", "decide"),
                ("outcome", "GoodCause"),
            ],
        ),
    )
    .await;
    assert_eq!(status, 303, "{location}");
    let html = follow(&base, &location, &specialist).await;
    assert!(
        html.contains("Good cause — no disqualification — decided"),
        "{html}"
    );
    // R25: the Engagement narrative records the good cause; the staffing narrative (R22)
    // names who was present.
    assert!(
        html.contains("Engagement narrative — draft from decision"),
        "{html}"
    );
    assert!(html.contains("had good cause for not engaging"), "{html}");
    assert!(html.contains("Present at staffing: FC: CD"), "{html}");
    let closed: i64 = sqlx::query_scalar("SELECT closed FROM episodes WHERE id = $1")
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
    assert_eq!(closed, 1);
    // A narrative saved from the workspace returns there.
    let (_, location) = post_form(
        &base,
        &format!("/episodes/{episode}/narratives"),
        &specialist,
        &[
            ("kind", "Engagement"),
            ("draft_of", "decision"),
            ("body", "The team found good cause."),
            ("back", "staffing"),
        ],
    )
    .await;
    assert_eq!(location, format!("{path}?saved=narrative#narratives"));
    // The workspace says who wrote each narrative.
    let html = follow(&base, &path, &specialist).await;
    assert!(
        html.contains(
            "narrative — saved, written by Emery Demo-Specialist (engagement specialist)"
        ),
        "{html}"
    );
}

#[tokio::test]
async fn partners_need_a_release_on_file_and_a_refused_form_keeps_what_was_typed() {
    let (test, base) = demo_app(Backend::Sqlite).await;
    let episode = staffing_episodes(&test).await[2];
    let path = format!("/episodes/{episode}/staffing");
    let lead = sign_in(&base, "lead@demo.test").await;
    let team = team(&test).await;
    let form = with(
        &complete_form(&version(&test, episode).await, &team),
        &[
            ("other_partner", "Food bank"),
            ("strategies", "Home visit next week"),
            ("PhysicalHealth.Adult.present", "yes"),
            (
                "PhysicalHealth.Adult.accommodation",
                "Bus pass to appointments",
            ),
            ("intent", "save"),
        ],
    );
    let html = refused_in_place(submit_pairs(&base, &path, &lead, &form).await);
    assert!(html.contains("Bus pass to appointments"), "{html}");
    // The page opens at its top: a link there goes down to the form and its reason.
    assert!(
        html.contains(
            r##"Not saved. <a href="#team" rel="external">Go to the form and its reason</a>"##
        ),
        "{html}"
    );
    assert!(
        html.contains("Food bank may not be invited without an MCS 3010 release in force (R19)."),
        "{html}"
    );
    assert!(
        html.contains("Everything you entered is kept below"),
        "{html}"
    );
    assert!(html.contains("value=\"Food bank\""), "{html}");
    assert!(html.contains("Home visit next week"), "{html}");
    assert!(
        html.contains("Food bank has no MCS 3010 in force on the staffing day"),
        "{html}"
    );
    let staffed: i64 = sqlx::query_scalar("SELECT count(*) FROM staffings WHERE episode_id = $1")
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
    assert_eq!(staffed, 0, "nothing saved");

    // A partner with a release on file is cleared by the release, not by the form (R19).
    let participant: i64 = sqlx::query_scalar("SELECT participant_id FROM episodes WHERE id = $1")
        .bind(episode)
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO releases (participant_id, partner, signed_on, expires_on) \
         VALUES ($1, 'Community Action', '2026-01-05', '2026-12-31')",
    )
    .bind(participant)
    .execute(&test.db.pool)
    .await
    .unwrap();
    let (_, html) = get(&base, &path, Some(&lead)).await;
    assert!(
        html.contains("Community Action — MCS 3010 signed"),
        "{html}"
    );
    let (_, location) = post(
        &base,
        &path,
        &lead,
        &with(
            &complete_form(&version(&test, episode).await, &team),
            &[("partner", "Community Action"), ("intent", "save")],
        ),
    )
    .await;
    assert_eq!(location, format!("{path}?saved=staffing#team"));
    let kept: (String, Option<String>) = sqlx::query_as(
        "SELECT p.name, p.signed_on FROM staffing_partners p JOIN staffings s ON s.id = p.staffing_id \
         WHERE s.episode_id = $1",
    )
    .bind(episode)
    .fetch_one(&test.db.pool)
    .await
    .unwrap();
    assert_eq!(
        kept,
        ("Community Action".to_owned(), Some("2026-01-05".to_owned()))
    );
    // The saved staffing fills the form again.
    let (_, html) = get(&base, &path, Some(&lead)).await;
    assert!(html.contains("Staffing — "), "{html}");
    assert!(
        html.contains(r#"value="Community Action" checked"#),
        "{html}"
    );
}

#[tokio::test]
async fn the_workspace_is_the_departments_and_each_form_its_roles() {
    let (test, base) = demo_app(Backend::Sqlite).await;
    let episode = staffing_episodes(&test).await[0];
    let path = format!("/episodes/{episode}/staffing");
    // A coach sees the workspace and resolves missing information, but records no staffing.
    let coach = sign_in(&base, "coach@demo.test").await;
    let (status, html) = get(&base, &path, Some(&coach)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mark gathered"), "{html}");
    assert!(!html.contains("Save and decide"), "{html}");
    assert!(
        html.contains("The staffing is recorded by an engagement specialist"),
        "{html}"
    );
    let (status, _) = post_form(&base, &path, &coach, &[("version", "1")]).await;
    assert_eq!(status, 403);
    // A contractor may not open it; an admin neither.
    for who in ["contractor@demo.test", "admin@demo.test"] {
        let cookie = sign_in(&base, who).await;
        let (status, _) = get(&base, &path, Some(&cookie)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    // The episode page links the workspace for the department.
    let (_, html) = get(&base, &format!("/episodes/{episode}"), Some(&coach)).await;
    assert!(html.contains(&format!("href=\"{path}\"")), "{html}");
}

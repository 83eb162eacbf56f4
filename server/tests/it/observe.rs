//! Operating it (docs/operating.md): the real server, with the demo's people in its database
//! and JSON logs at `info`, is asked for pages, the API, a refused sign-in and `/metrics`.
//! Every log line carries its request id and the access lines name route patterns; neither
//! the log nor the metrics hold a name, an e-mail, a phone number or a case number of the
//! demo's; `/metrics` answers only this machine or the holder of its token.

use std::collections::HashSet;

use chrono::Utc;
use reengage_server::cli::demo;
use reengage_server::store::db::Backend;
use serde_json::Value;

use crate::support::fresh_db;
use crate::support::process::Server;

/// The id of the request a JSON log line was written for (its `request` span's).
fn request_id(line: &Value) -> Value {
    line["spans"]
        .as_array()
        .and_then(|spans| spans.iter().find(|span| span["name"] == "request"))
        .map(|span| span["id"].clone())
        .unwrap_or(Value::Null)
}

/// A participant's name, case number, phone, e-mail and address.
type PersonalRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Every text of the demo's people a log or a metric must never hold.
async fn personal_texts(db: &reengage_server::store::db::Db) -> Vec<String> {
    let participants: Vec<PersonalRow> =
        sqlx::query_as("SELECT display_name, case_number, phone, email, address FROM participants")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let staff: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT name, email, phone FROM staff")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let mut texts: Vec<String> = participants
        .into_iter()
        .flat_map(|(name, case, phone, email, address)| {
            [Some(name), Some(case), phone, email, address]
        })
        .chain(
            staff
                .into_iter()
                .flat_map(|(name, email, phone)| [Some(name), Some(email), phone]),
        )
        .flatten()
        .filter(|text| text.len() >= 4)
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

#[tokio::test]
async fn logs_and_metrics_name_requests_and_routes_never_people() {
    let test = fresh_db(Backend::Sqlite).await;
    let printed = demo::load(&test.db, Utc::now()).await.unwrap();
    let token = printed
        .lines()
        .find_map(|line| line.strip_prefix("API token for coach@demo.test: "))
        .expect("the demo prints the coach's API token")
        .trim()
        .to_owned();
    let personal = personal_texts(&test.db).await;
    assert!(personal.len() > 20, "the demo has people: {personal:?}");
    let (episode, case_number): (i64, String) = sqlx::query_as(
        "SELECT e.id, p.case_number FROM episodes e JOIN participants p ON p.id = e.participant_id \
         JOIN staff s ON s.id = e.coach_id WHERE s.email = 'coach@demo.test' AND e.closed = 0 \
         ORDER BY e.id LIMIT 1",
    )
    .fetch_one(&test.db.pool)
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let server = Server::start_logging(
        &test.url,
        &[
            ("REENGAGE_LOG", "info"),
            ("REENGAGE_LOG_FORMAT", "json"),
            ("REENGAGE_METRICS_TOKEN", "metrics-s3cret"),
        ],
        Some(std::fs::File::create(&log_path).unwrap()),
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = &server.base;

    // An API read, with the id a reverse proxy gave the request: the same id comes back.
    let traced = client
        .get(format!("{base}/api/v1/episodes/{episode}"))
        .bearer_auth(&token)
        .header("x-request-id", "proxy-7f3a.1")
        .send()
        .await
        .unwrap();
    assert_eq!(traced.status(), 200);
    assert_eq!(traced.headers()["x-request-id"], "proxy-7f3a.1");
    let body: Value = traced.json().await.unwrap();
    assert_eq!(body["id"], episode);
    // An id that could forge a log line is replaced by one of the server's own.
    let forged = client
        .get(format!("{base}/healthz"))
        .header("x-request-id", "coach@demo.test")
        .send()
        .await
        .unwrap();
    let given = forged.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(given, "coach@demo.test");
    assert!(!given.is_empty());
    // A refused sign-in with a demo e-mail, a page with a query string, a signed-out page.
    let refused = client
        .post(format!("{base}/signin"))
        .header("origin", base.as_str())
        .form(&[("email", "coach@demo.test"), ("password", "wrong password")])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_redirection(), "{}", refused.status());
    let signed_out = client
        .get(format!("{base}/episodes/{episode}?saved=attempt&version=3"))
        .send()
        .await
        .unwrap();
    assert!(signed_out.status().is_redirection());
    let asset = client
        .get(format!("{base}/pkg/nothing-here.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 404);

    // `/metrics`: this machine, yes; forwarded by a proxy, only with the token.
    let metrics = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let metrics = metrics.text().await.unwrap();
    let proxied = client
        .get(format!("{base}/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 404);
    let with_token = client
        .get(format!("{base}/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .bearer_auth("metrics-s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status(), 200);

    for expected in [
        "reengage_http_requests_total{method=\"GET\",route=\"/api/v1/episodes/{id}\",status=\"200\"} 1",
        "reengage_http_requests_total{method=\"GET\",route=\"/episodes/{id}\",status=\"302\"} 1",
        "reengage_http_requests_total{method=\"GET\",route=\"/pkg/{file}\",status=\"404\"} 1",
        "reengage_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/episodes/{id}\"} 1",
        "reengage_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"}",
        "reengage_db_pool_connections{pool=\"read\",state=\"idle\"}",
        "reengage_db_writers_waiting 0",
        "reengage_digests_waiting 0",
    ] {
        assert!(metrics.contains(expected), "no {expected:?} in\n{metrics}");
    }
    assert!(
        !metrics.contains(&format!("/episodes/{episode}")),
        "a record's id in the metrics:\n{metrics}"
    );

    drop(server);
    let log = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let access: Vec<&Value> = lines
        .iter()
        .filter(|line| line["target"] == "reengage::access")
        .collect();
    // Every request answered has its access line, with the request's id.
    assert!(access.len() >= 8, "{log}");
    let routes: HashSet<&str> = access
        .iter()
        .map(|line| line["route"].as_str().unwrap())
        .collect();
    for route in [
        "/api/v1/episodes/{id}",
        "/signin",
        "/episodes/{id}",
        "/metrics",
        "/healthz",
    ] {
        assert!(
            routes.contains(route),
            "no access line for {route}: {routes:?}"
        );
    }
    let api_line = access
        .iter()
        .find(|line| request_id(line) == "proxy-7f3a.1")
        .expect("the proxy's id on the access line");
    assert_eq!(api_line["route"], "/api/v1/episodes/{id}");
    assert_eq!(api_line["status"], 200);
    assert!(
        api_line["staff"].as_i64().is_some(),
        "who asked: {api_line}"
    );
    assert!(api_line["ms"].as_f64().is_some());
    assert!(
        access.iter().any(|line| request_id(line) == given.as_str()),
        "the server's own id on its line"
    );
    // The refused sign-in's own line is in the same request's span.
    let signin_id = access
        .iter()
        .find(|line| line["route"] == "/signin")
        .map(|line| request_id(line))
        .unwrap();
    assert!(
        lines
            .iter()
            .any(|line| line["message"] == "sign-in refused" && request_id(line) == signin_id),
        "the refusal is logged in its request's span:\n{log}"
    );
    // Nothing personal, and no query string.
    for text in personal.iter().chain([&case_number]) {
        assert!(
            !log.contains(text.as_str()),
            "the log holds {text:?}:\n{log}"
        );
        assert!(
            !metrics.contains(text.as_str()),
            "the metrics hold {text:?}"
        );
    }
    for needle in ["@demo.test", "saved=attempt", "version=3", "wrong password"] {
        assert!(!log.contains(needle), "the log holds {needle:?}:\n{log}");
    }
}

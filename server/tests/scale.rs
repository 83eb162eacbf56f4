//! At scale, on both backends: `reengage demo --episodes N` spreads its episodes over branches,
//! coaches and every stage with their whole history and audit trail; and against that filled
//! database every list query of the pages and the API (`store::queries::all`) runs on an index —
//! no full scan of a large table, no sort of one (EXPLAIN QUERY PLAN on SQLite; EXPLAIN on
//! PostgreSQL with sequential scans and sorts priced out, so that only a missing index shows
//! one).

#[path = "it/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use reengage_core::episode::{is_closed, stage};
use reengage_server::services::episodes::{read, read_many};
use reengage_server::store::db::{Backend, Db};
use reengage_server::store::queries::{self, LARGE_TABLES, ListQuery, Sample};
use reengage_server::{cli::scale, store::audit};
use sqlx::{Acquire, Executor};
use support::{backends, fresh_db};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T20:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn spread_over_branches_coaches_and_every_stage(backend: Backend, db: &Db) {
    assert_eq!(count(db, "SELECT count(*) FROM episodes").await, 2_090);
    assert_eq!(count(db, "SELECT count(*) FROM branches").await, 3);
    assert_eq!(
        count(db, "SELECT count(*) FROM staff WHERE role = 'family_coach'").await,
        1 + 2 * 10
    );
    for (table, least) in [
        ("attempts", 2_000),
        ("staffings", 500),
        ("barrier_findings", 6_000),
        ("decisions", 500),
        ("tasks", 20),
    ] {
        let n = count(db, &format!("SELECT count(*) FROM {table}")).await;
        assert!(n > least, "{backend:?} {table}: {n}");
    }
    assert!(
        count(
            db,
            "SELECT count(*) FROM participants WHERE contractor_id IS NOT NULL"
        )
        .await
            > 400,
        "every fourth participant is referred to a contractor"
    );
    // Every stage, as core derives it today; history is closed, the rest open.
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM episodes WHERE id > 40 ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    let mut stages = BTreeSet::new();
    let mut open = 0;
    for id in ids.iter().step_by(5) {
        let (record, today, calendar) = read(db, *id, now()).await.unwrap();
        stages.insert(stage(&record.facts, today, &calendar));
        open += usize::from(!is_closed(&record.facts, &calendar));
    }
    assert_eq!(stages.len(), 8, "{backend:?}: {stages:?}");
    assert!(
        (120..300).contains(&open),
        "{backend:?}: {open} of 410 sampled open"
    );
    // Read together (Today, the branch page), a batch gives each episode exactly as reading it
    // alone does: its own attempts, staffing and decisions, not a neighbour's (past one batch).
    let some: Vec<i64> = ids.iter().copied().skip(3).step_by(3).take(260).collect();
    let together = read_many(db, &some, now()).await.unwrap();
    assert_eq!(together.len(), some.len());
    let mut staffed = 0;
    for (id, (record, today, calendar)) in some.iter().zip(&together) {
        let alone = read(db, *id, now()).await.unwrap();
        assert_eq!(record.id, *id);
        assert_eq!(
            format!("{:?}", (record, today, calendar)),
            format!("{alone:?}")
        );
        staffed += usize::from(record.facts.staffing.is_some());
    }
    assert!(staffed > 20, "{backend:?}: {staffed} staffed");
    // Read again, from the record cache where nothing changed: the same records.
    assert!(db.records.len() >= some.len());
    let again = read_many(db, &some, now()).await.unwrap();
    assert_eq!(format!("{again:?}"), format!("{together:?}"), "{backend:?}");
    assert!(read_many(db, &[some[0], 999_999], now()).await.is_err());

    // Each change is in the audit trail, whose chain holds.
    let entries = audit::verify(db).await.unwrap();
    assert!(entries > 10_000, "{entries}");
}

/// The records the list queries are asked about.
async fn samples(db: &Db) -> BTreeMap<&'static str, i64> {
    let one = |sql: &'static str| async move {
        let id: i64 = sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap();
        id
    };
    let coach = one(
        "SELECT coach_id FROM episodes WHERE coach_id IS NOT NULL GROUP BY coach_id \
         ORDER BY count(*) DESC, coach_id LIMIT 1",
    )
    .await;
    let branch: i64 = sqlx::query_scalar("SELECT branch_id FROM staff WHERE id = $1")
        .bind(coach)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let contractor = one(
        "SELECT contractor_id FROM participants WHERE contractor_id IS NOT NULL \
         GROUP BY contractor_id ORDER BY count(*) DESC, contractor_id LIMIT 1",
    )
    .await;
    let (episode, staffing): (i64, i64) =
        sqlx::query_as("SELECT episode_id, staffing_id FROM decisions ORDER BY id DESC LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let participant: i64 = sqlx::query_scalar("SELECT participant_id FROM episodes WHERE id = $1")
        .bind(episode)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    BTreeMap::from([
        ("coach", coach),
        ("branch", branch),
        ("contractor", contractor),
        ("episode", episode),
        ("staffing", staffing),
        ("participant", participant),
    ])
}

/// The table each name in the query's FROM and JOIN clauses stands for (aliases too).
fn tables_of(sql: &str) -> BTreeMap<String, String> {
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut names = BTreeMap::new();
    for (i, word) in words.iter().enumerate() {
        if matches!(word.to_uppercase().as_str(), "FROM" | "JOIN")
            && let Some(table) = words.get(i + 1)
        {
            let table = table.to_lowercase();
            names.insert(table.clone(), table.clone());
            if let Some(alias) = words.get(i + 2).filter(|a| {
                !matches!(
                    a.to_uppercase().as_str(),
                    "WHERE" | "JOIN" | "ON" | "CROSS" | "ORDER" | "LIMIT" | "GROUP"
                )
            }) {
                names.insert(alias.to_lowercase(), table);
            }
        }
    }
    names
}

/// How `backend` would run `query`, one line per step.
async fn plan(db: &Db, query: &ListQuery, ids: &BTreeMap<&'static str, i64>) -> Vec<String> {
    let mut conn = db.pool.acquire().await.unwrap();
    let conn = conn.acquire().await.unwrap();
    let explain = match db.backend {
        Backend::Sqlite => format!("EXPLAIN QUERY PLAN {}", query.sql),
        Backend::Postgres => {
            // Only a missing index leaves a sequential scan or a sort in the plan.
            conn.execute("SET enable_seqscan = off").await.unwrap();
            conn.execute("SET enable_sort = off").await.unwrap();
            format!("EXPLAIN {}", query.sql)
        }
    };
    let mut statement = sqlx::query(&explain);
    for sample in &query.binds {
        statement = match sample {
            Sample::Coach => statement.bind(ids["coach"]),
            Sample::Branch => statement.bind(ids["branch"]),
            Sample::Contractor => statement.bind(ids["contractor"]),
            Sample::Episode => statement.bind(ids["episode"]),
            Sample::Participant => statement.bind(ids["participant"]),
            Sample::Staffing => statement.bind(ids["staffing"]),
            Sample::Int(n) => statement.bind(*n),
            Sample::Text(text) => statement.bind(*text),
        };
    }
    let rows = statement
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{:?} {}: {e}", db.backend, query.name));
    use sqlx::Row;
    rows.iter()
        .map(|row| match db.backend {
            // id, parent, notused, detail
            Backend::Sqlite => row.get::<String, _>(3),
            Backend::Postgres => row.get::<String, _>(0),
        })
        .collect()
}

/// What is wrong with `plan`: a large table read whole, or sorted.
fn problems(backend: Backend, query: &ListQuery, plan: &[String]) -> Vec<String> {
    let names = tables_of(&query.sql);
    let large = |name: &str| {
        let table = names.get(&name.to_lowercase()).map_or(name, String::as_str);
        LARGE_TABLES.contains(&table)
    };
    let mut found = Vec::new();
    for step in plan {
        let step = step.trim();
        let whole = match backend {
            Backend::Sqlite => step
                .strip_prefix("SCAN ")
                .and_then(|rest| rest.split_whitespace().next())
                .filter(|name| large(name)),
            Backend::Postgres => step
                .split("Seq Scan on ")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .filter(|name| large(name)),
        };
        if let Some(table) = whole {
            found.push(format!("reads all of {table}: {step}"));
        }
        // SQLite's skip-scan of an index's first column reads most of the index.
        if backend == Backend::Sqlite && step.contains("ANY(") {
            found.push(format!("skips through a whole index: {step}"));
        }
        let sorts = match backend {
            Backend::Sqlite => step.contains("TEMP B-TREE"),
            Backend::Postgres => {
                step.contains("Incremental Sort")
                    || step
                        .trim_start_matches("->")
                        .trim_start()
                        .starts_with("Sort  (")
            }
        };
        if sorts && query.small_sort.is_none() {
            found.push(format!("sorts its rows: {step}"));
        }
    }
    found
}

#[tokio::test]
async fn at_scale_every_stage_is_there_and_every_list_query_runs_on_an_index() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let printed = scale::load(&test.db, now(), 2_050)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        assert!(
            printed.contains("Loaded 2050 more episodes in 2 fictional branches"),
            "{printed}"
        );
        spread_over_branches_coaches_and_every_stage(backend, &test.db).await;

        // The planner's statistics, as a database in service has them.
        sqlx::query("ANALYZE").execute(&test.db.pool).await.unwrap();
        let ids = samples(&test.db).await;
        let all = queries::all();
        assert!(all.len() >= 30, "{}", all.len());
        let mut failures = Vec::new();
        for query in &all {
            let steps = plan(&test.db, query, &ids).await;
            assert!(!steps.is_empty(), "{}", query.name);
            for problem in problems(backend, query, &steps) {
                failures.push(format!(
                    "{backend:?} — {}: {problem}\n    plan: {}",
                    query.name,
                    steps.join(" | ")
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[test]
fn the_plan_reader_catches_a_scan_and_a_sort() {
    let query = ListQuery {
        name: "example",
        sql: "SELECT e.id FROM episodes e JOIN staff s ON s.id = e.coach_id ORDER BY e.stage"
            .into(),
        binds: vec![],
        small_sort: None,
    };
    let sqlite = [
        "SCAN e",
        "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)",
        "USE TEMP B-TREE FOR ORDER BY",
    ]
    .map(str::to_owned);
    assert_eq!(problems(Backend::Sqlite, &query, &sqlite).len(), 2);
    let postgres = [
        "Sort  (cost=1.00..2.00 rows=10 width=8)",
        "  ->  Seq Scan on episodes e  (cost=0.00..1.00 rows=10 width=8)",
        "  ->  Seq Scan on staff s  (cost=0.00..1.00 rows=1 width=8)",
    ]
    .map(str::to_owned);
    assert_eq!(
        problems(Backend::Postgres, &query, &postgres).len(),
        2,
        "staff is small"
    );
    let indexed =
        ["SEARCH e USING INDEX episodes_coach_due (coach_id=? AND closed=?)"].map(str::to_owned);
    assert!(problems(Backend::Sqlite, &query, &indexed).is_empty());
}

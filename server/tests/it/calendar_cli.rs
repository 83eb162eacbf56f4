//! `reengage calendar …`: answers on stdout; bad input → exit status 2 and one line on stderr.

use std::process::{Command, Output};

fn reengage(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reengage"))
        .args(args)
        .env("REENGAGE_LOG", "off")
        // The calendar never touches the database: an unusable URL proves it.
        .envs(crate::support::audit_env(
            "sqlite:/nonexistent/folder/never.db",
        ))
        .output()
        .expect("run reengage")
}

fn answer(args: &[&str]) -> String {
    let output = reengage(args);
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn refused(args: &[&str]) -> String {
    let output = reengage(args);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    assert!(output.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("reengage: "), "{stderr}");
    stderr
}

#[test]
fn holidays_2026_match_the_worked_table() {
    assert_eq!(
        answer(&["calendar", "holidays", "2026"]),
        "2026-01-01\tNew Year's Day\n\
         2026-01-19\tMartin Luther King Jr.'s Birthday\n\
         2026-02-16\tPresidents Day\n\
         2026-05-25\tMemorial Day\n\
         2026-06-19\tJuneteenth\n\
         2026-07-03\tIndependence Day (observed)\n\
         2026-09-07\tLabor Day\n\
         2026-11-11\tVeterans Day\n\
         2026-11-26\tThanksgiving Day\n\
         2026-11-27\tDay after Thanksgiving\n\
         2026-12-25\tChristmas Day\n"
    );
    let y2027 = answer(&["calendar", "holidays", "2027"]);
    assert!(y2027.ends_with(
        "2027-12-24\tChristmas Day (observed)\n2027-12-31\tNew Year's Day (observed)\n"
    ));
    assert!(y2027.contains("2027-06-18\tJuneteenth (observed)\n"));
}

#[test]
fn add_business_days_counts_from_the_day_after() {
    // docs/rules.md, Business days: a miss on Wednesday 2026-11-25 → one business day is Monday 2026-11-30.
    assert_eq!(
        answer(&["calendar", "add-business-days", "2026-11-25", "1"]),
        "2026-11-30\n"
    );
    assert_eq!(
        answer(&["calendar", "add-business-days", "2026-11-28", "0"]),
        "2026-11-28\n"
    );
    assert_eq!(
        answer(&["calendar", "add-business-days", "2026-12-31", "1"]),
        "2027-01-04\n"
    );
    assert!(answer(&["calendar", "add-business-days", "2026-01-02", "366"]).starts_with("2027-"));
    for n in ["367", "-1", "x", "1.5"] {
        let message = refused(&["calendar", "add-business-days", "2026-11-25", n]);
        assert!(message.contains("give 0 to 366"), "{message}");
    }
    refused(&["calendar", "add-business-days", "2026-13-01", "1"]);
    refused(&["calendar", "add-business-days", "1989-12-29", "1"]);
}

#[test]
fn r15_r16_notice_mail_by() {
    assert_eq!(
        answer(&["calendar", "notice-mail-by", "2026-12-08"]),
        "2026-12-01\n"
    );
    assert_eq!(
        answer(&["calendar", "notice-mail-by", "2026-12-04"]),
        "2026-11-25\n"
    );
    let message = refused(&["calendar", "notice-mail-by", "2026-11-26"]);
    assert!(
        message.contains("Thursday, November 26, 2026 is not a business day"),
        "{message}"
    );
    assert!(message.trim_end().ends_with("(R16)."), "{message}");
    let message = refused(&["calendar", "notice-mail-by", "12/08/2026"]);
    assert!(message.contains("for example 2026-12-08"), "{message}");
}

#[test]
fn holidays_outside_the_supported_years_are_refused() {
    for year in ["1989", "2101", "twenty", ""] {
        refused(&["calendar", "holidays", year]);
    }
    assert!(answer(&["calendar", "holidays", "1990"]).starts_with("1990-01-01\tNew Year's Day\n"));
    assert!(
        answer(&["calendar", "holidays", "2100"])
            .contains("2100-12-24\tChristmas Day (observed)\n")
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let output = reengage(&["calendar", "no-such-command"]);
    assert_eq!(output.status.code(), Some(2));
    let output = reengage(&["calendar", "holidays"]);
    assert_eq!(output.status.code(), Some(2));
}

/// R15, one calendar per office: `--branch` (its name or id) adds the office's own closure
/// days, read from the database; an unknown branch is refused in one line.
#[tokio::test]
async fn a_branch_calendar_has_its_own_closures() {
    let test = crate::support::fresh_db(reengage_server::store::db::Backend::Sqlite).await;
    sqlx::query("INSERT INTO branches (name) VALUES ('Riverbend')")
        .execute(&test.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO office_closures (branch_id, on_date, name) VALUES (1, '2026-12-01', 'Snow day')",
    )
    .execute(&test.db.pool)
    .await
    .unwrap();
    let with_db = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_reengage"))
            .args(args)
            .env("REENGAGE_LOG", "off")
            .envs(crate::support::audit_env(&test.url))
            .output()
            .expect("run reengage")
    };
    let text = |output: Output| {
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    // Oregon's calendar alone: Tuesday 12-08 → mail by Tuesday 12-01.
    assert_eq!(
        answer(&["calendar", "notice-mail-by", "2026-12-08"]),
        "2026-12-01\n"
    );
    // The office's: its snow day moves it back to Monday 11-30; by name or by id.
    for branch in ["Riverbend", "1"] {
        assert_eq!(
            text(with_db(&[
                "calendar",
                "--branch",
                branch,
                "notice-mail-by",
                "2026-12-08"
            ])),
            "2026-11-30\n"
        );
    }
    assert_eq!(
        text(with_db(&[
            "calendar",
            "add-business-days",
            "--branch",
            "Riverbend",
            "2026-11-30",
            "1"
        ])),
        "2026-12-02\n"
    );
    assert!(
        text(with_db(&[
            "calendar",
            "--branch",
            "Riverbend",
            "holidays",
            "2026"
        ]))
        .contains("2026-12-01\tSnow day\n")
    );
    let unknown = with_db(&["calendar", "--branch", "Nowhere", "holidays", "2026"]);
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
    let said = String::from_utf8(unknown.stderr).unwrap();
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("There is no branch “Nowhere”"), "{said}");
}

//! `reengage admin user create` and `reengage admin token create`, on both backends.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::{backends, fresh_db};
use reengage_server::services::accounts;

fn admin(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reengage"))
        .arg("admin")
        .args(args)
        .envs(crate::support::audit_env(url))
        .env("REENGAGE_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const CREATE: [&str; 11] = [
    "user",
    "create",
    "--email",
    "Lead@Example.test",
    "--name",
    "Lee Lead",
    "--initials",
    "ll",
    "--role",
    "lead_worker",
    "--branch",
];

/// Creates the lead worker of [`CREATE`] at Riverbend from the command line.
fn create_lead(url: &str) {
    let mut create: Vec<&str> = CREATE.to_vec();
    create.push("Riverbend");
    let made = admin(url, &create, "correct horse battery staple\n");
    assert!(made.status.success(), "{made:?}");
}

#[tokio::test]
async fn staff_and_tokens_from_the_command_line() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        let mut create: Vec<&str> = CREATE.to_vec();
        create.push("Riverbend");

        let short = admin(&test.url, &create, "too short\n");
        assert_eq!(short.status.code(), Some(2), "{backend:?}: {short:?}");
        assert_eq!(
            String::from_utf8(short.stderr).unwrap(),
            "reengage: The password needs at least 15 characters; a few words make a good one.\n"
        );

        let made = admin(&test.url, &create, "correct horse battery staple\n");
        assert!(made.status.success(), "{backend:?}: {made:?}");
        assert!(
            String::from_utf8(made.stdout)
                .unwrap()
                .ends_with(": lead@example.test\n")
        );
        let again = admin(&test.url, &create, "correct horse battery staple\n");
        assert_eq!(again.status.code(), Some(2));

        let stored: (String, String, String) = sqlx::query_as(
            "SELECT initials, role, password_hash FROM staff WHERE email = 'lead@example.test'",
        )
        .fetch_one(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(
            (stored.0.as_str(), stored.1.as_str()),
            ("LL", "lead_worker")
        );
        assert!(
            stored.2.starts_with("$argon2id$"),
            "argon2id, never the password"
        );
        assert!(
            accounts::verify_password("correct horse battery staple".into(), stored.2.clone())
                .await
        );
        assert!(!accounts::verify_password("correct horse battery stapler".into(), stored.2).await);

        let token = admin(&test.url, &["token", "create", "lead@example.test"], "");
        assert!(token.status.success(), "{token:?}");
        let token = String::from_utf8(token.stdout).unwrap().trim().to_owned();
        assert!(token.starts_with("re_") && token.len() > 40);
        let now = chrono::Utc::now();
        let staff = accounts::staff_for_token(&test.db, &token, now)
            .await
            .unwrap()
            .expect("token works");
        assert_eq!(staff.email, "lead@example.test");
        // It expires after 90 days.
        let later = now + chrono::Duration::days(i64::from(accounts::TOKEN_DAYS) + 1);
        assert!(
            accounts::staff_for_token(&test.db, &token, later)
                .await
                .unwrap()
                .is_none()
        );
        let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(&test.db.pool)
            .await
            .unwrap();
        assert!(!hashes.contains(&token), "only a hash is stored");

        let nobody = admin(&test.url, &["token", "create", "nobody@example.test"], "");
        assert_eq!(nobody.status.code(), Some(2));
        let bad_role = admin(
            &test.url,
            &[
                "user",
                "create",
                "--email",
                "x@example.test",
                "--name",
                "X",
                "--initials",
                "X",
                "--role",
                "boss",
            ],
            "correct horse battery staple\n",
        );
        assert_eq!(bad_role.status.code(), Some(2));

        // A shorter term, the list, and a revocation one by one.
        let short = admin(
            &test.url,
            &["token", "create", "lead@example.test", "--days", "1"],
            "",
        );
        assert!(short.status.success(), "{short:?}");
        let short = String::from_utf8(short.stdout).unwrap().trim().to_owned();
        let tomorrow_and_a_bit = now + chrono::Duration::hours(25);
        assert!(
            accounts::staff_for_token(&test.db, &short, tomorrow_and_a_bit)
                .await
                .unwrap()
                .is_none()
        );
        let listed = admin(&test.url, &["token", "list", "lead@example.test"], "");
        let listed = String::from_utf8(listed.stdout).unwrap();
        assert_eq!(listed.lines().count(), 3, "{listed}");
        let first_id: String = listed
            .lines()
            .last()
            .unwrap()
            .split('\t')
            .next()
            .unwrap()
            .into();
        let revoked = admin(&test.url, &["token", "revoke", &first_id], "");
        assert!(revoked.status.success(), "{revoked:?}");
        assert!(
            accounts::staff_for_token(&test.db, &token, now)
                .await
                .unwrap()
                .is_none(),
            "revoked"
        );
        let again = admin(&test.url, &["token", "revoke", &first_id], "");
        assert_eq!(again.status.code(), Some(2));
        let listed = admin(&test.url, &["token", "list"], "");
        let listed = String::from_utf8(listed.stdout).unwrap();
        assert!(
            listed.contains(&format!("{first_id}\tlead@example.test\t")),
            "{listed}"
        );

        // A new password revokes the tokens left.
        let kept = admin(&test.url, &["token", "create", "lead@example.test"], "");
        let kept = String::from_utf8(kept.stdout).unwrap().trim().to_owned();
        assert!(
            accounts::staff_for_token(&test.db, &kept, now)
                .await
                .unwrap()
                .is_some()
        );
        let changed = admin(
            &test.url,
            &["user", "password", "lead@example.test"],
            "a new lantern for the winter\n",
        );
        assert!(changed.status.success(), "{changed:?}");
        assert!(
            accounts::staff_for_token(&test.db, &kept, now)
                .await
                .unwrap()
                .is_none(),
            "a password change revokes the tokens"
        );

        // Every account and token change is audited.
        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
            .fetch_all(&test.db.pool)
            .await
            .unwrap();
        assert_eq!(
            actions,
            vec![
                "staff.created",
                "token.created",
                "token.created",
                "token.revoked",
                "token.created",
                "staff.password_changed"
            ]
        );
    }
}

#[tokio::test]
async fn an_admin_resets_a_lost_second_factor_from_the_command_line() {
    use reengage_server::services::second_factor;
    for backend in backends().await {
        let test = fresh_db(backend).await;
        create_lead(&test.url);
        let system = reengage_server::services::Actor {
            staff_id: None,
            email: "test".into(),
            role: reengage_core::roles::Role::Admin,
        };
        second_factor::enrol_known(
            &test.db,
            &system,
            1,
            &second_factor::new_secret(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        assert!(second_factor::enrolled(&test.db, 1).await.unwrap());

        let reset = admin(&test.url, &["user", "reset-code", "lead@example.test"], "");
        assert!(reset.status.success(), "{backend:?}: {reset:?}");
        assert_eq!(
            String::from_utf8(reset.stdout).unwrap(),
            "removed the sign-in code of lead@example.test; they set it up again at their next sign-in\n"
        );
        assert!(
            !second_factor::enrolled(&test.db, 1).await.unwrap(),
            "{backend:?}: enrols again at the next sign-in"
        );
        let unknown = admin(
            &test.url,
            &["user", "reset-code", "nobody@example.test"],
            "",
        );
        assert_eq!(unknown.status.code(), Some(2), "{backend:?}: {unknown:?}");
    }
}

#[tokio::test]
async fn a_role_or_branch_change_from_the_command_line_revokes_the_tokens() {
    for backend in backends().await {
        let test = fresh_db(backend).await;
        create_lead(&test.url);
        let now = chrono::Utc::now();
        let token_of = || {
            let made = admin(&test.url, &["token", "create", "lead@example.test"], "");
            assert!(made.status.success(), "{made:?}");
            String::from_utf8(made.stdout).unwrap().trim().to_owned()
        };
        let works = |token: String| {
            let db = test.db.clone();
            async move {
                accounts::staff_for_token(&db, &token, now)
                    .await
                    .unwrap()
                    .is_some()
            }
        };
        let post = || async {
            sqlx::query_as::<_, (String, Option<i64>)>(
                "SELECT role, branch_id FROM staff WHERE email = 'lead@example.test'",
            )
            .fetch_one(&test.db.pool)
            .await
            .unwrap()
        };

        let token = token_of();
        let same = admin(
            &test.url,
            &["user", "set-role", "lead@example.test", "lead_worker"],
            "",
        );
        assert_eq!(
            String::from_utf8(same.stdout).unwrap(),
            "lead@example.test already has the role lead_worker; nothing changed\n",
            "{backend:?}"
        );
        assert!(
            works(token.clone()).await,
            "nothing changed, nothing revoked"
        );

        let demoted = admin(
            &test.url,
            &["user", "set-role", "lead@example.test", "family_coach"],
            "",
        );
        assert!(demoted.status.success(), "{backend:?}: {demoted:?}");
        assert_eq!(
            String::from_utf8(demoted.stdout).unwrap(),
            "lead@example.test now has the role family_coach; their sessions have ended and 1 API token(s) were revoked\n"
        );
        assert!(!works(token).await, "{backend:?}: a role change revokes");
        assert_eq!(post().await.0, "family_coach");

        let token = token_of();
        let moved = admin(
            &test.url,
            &["user", "set-branch", "lead@example.test", "Lakeside"],
            "",
        );
        assert!(moved.status.success(), "{backend:?}: {moved:?}");
        assert!(!works(token).await, "{backend:?}: a branch change revokes");
        let lakeside = post().await.1;
        assert!(lakeside.is_some());

        let token = token_of();
        let nowhere = admin(
            &test.url,
            &["user", "set-branch", "lead@example.test", "--none"],
            "",
        );
        assert!(nowhere.status.success(), "{backend:?}: {nowhere:?}");
        assert_eq!(post().await.1, None);
        assert!(!works(token).await);

        // Neither a branch nor --none, both, an unknown account: refused, nothing changes.
        for args in [
            vec!["user", "set-branch", "lead@example.test"],
            vec![
                "user",
                "set-branch",
                "lead@example.test",
                "Lakeside",
                "--none",
            ],
            vec!["user", "set-branch", "nobody@example.test", "Lakeside"],
            vec!["user", "set-role", "nobody@example.test", "admin"],
        ] {
            let refused = admin(&test.url, &args, "");
            assert_eq!(refused.status.code(), Some(2), "{args:?}: {refused:?}");
        }
        assert_eq!(post().await, ("family_coach".to_owned(), None));

        let changes: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT action, before, after FROM audit_log \
             WHERE action IN ('staff.role_changed', 'staff.branch_changed') ORDER BY id",
        )
        .fetch_all(&test.db.pool)
        .await
        .unwrap();
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(changes[0].0, "staff.role_changed");
        assert!(
            changes[0].1.as_deref().unwrap().contains("lead_worker")
                && changes[0].2.as_deref().unwrap().contains("family_coach"),
            "{changes:?}"
        );
        assert_eq!(changes[2].0, "staff.branch_changed");
    }
}

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
        let mut create: Vec<&str> = CREATE.to_vec();
        create.push("Riverbend");
        assert!(
            admin(&test.url, &create, "correct horse battery staple\n")
                .status
                .success()
        );
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

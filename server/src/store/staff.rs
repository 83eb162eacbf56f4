//! Staff accounts: who they are, their password hashes and whether they are active; and the
//! branches (offices) as an account or the command line names them, by name.

use sqlx::{AnyConnection, any::AnyExecutor};

use crate::store::db::Db;

/// Every staff account, by name: an admin's whole list (the staff table is small).
pub const LIST_SQL: &str =
    "SELECT id, email, name, initials, role, branch_id, active, phone FROM staff ORDER BY name, id";

/// A staff account as [`LIST_SQL`] reads it: `(id, email, name, initials, role, branch_id,
/// active, phone)`.
pub type AccountRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
    Option<String>,
);

/// An active account as signing in reads it: `(id, email, initials, role, branch_id,
/// password_hash, session_generation, must_change_password)`.
pub type SignInRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    i64,
);

/// A new staff account's row, its e-mail and initials already normalized.
#[derive(Clone, Copy)]
pub struct NewRow<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub initials: &'a str,
    pub role: &'a str,
    pub branch_id: Option<i64>,
    pub password_hash: &'a str,
    /// As stored (`codes::instant`).
    pub created_at: &'a str,
    /// The work phone printed on the notices they send.
    pub phone: Option<&'a str>,
}

impl std::fmt::Debug for NewRow<'_> {
    // Never print the password hash.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRow")
            .field("email", &self.email)
            .field("role", &self.role)
            .field("branch_id", &self.branch_id)
            .finish_non_exhaustive()
    }
}

/// The account with `email`, active or not.
pub async fn id_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await
}

/// The active account with `email`.
pub async fn active_id_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM staff WHERE email = $1 AND active = 1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await
}

/// Inserts a new, active account inside the caller's transaction; returns its id.
pub async fn insert(conn: &mut AnyConnection, new: NewRow<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO staff (email, name, initials, role, branch_id, password_hash, active, created_at, phone) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
    )
    .bind(new.email)
    .bind(new.name)
    .bind(new.initials)
    .bind(new.role)
    .bind(new.branch_id)
    .bind(new.password_hash)
    .bind(new.created_at)
    .bind(new.phone)
    .fetch_one(&mut *conn)
    .await
}

/// Account `id`'s work phone, `None` for no account `id` (primary key).
pub async fn phone_of(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT phone FROM staff WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Sets account `id`'s work phone (primary key).
pub async fn set_phone(
    conn: &mut AnyConnection,
    id: i64,
    phone: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET phone = $1 WHERE id = $2")
        .bind(phone)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Sets the password hash of the account with `email`, and whether its owner must change it
/// at the next sign-in; returns its id, `None` if there is no such account.
pub async fn set_password_hash(
    conn: &mut AnyConnection,
    email: &str,
    password_hash: &str,
    must_change: bool,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE staff SET password_hash = $1, must_change_password = $2 WHERE email = $3 RETURNING id",
    )
    .bind(password_hash)
    .bind(i64::from(must_change))
    .bind(email)
    .fetch_optional(&mut *conn)
    .await
}

/// Disables (or enables) the account with `email` and moves its session generation on;
/// returns its id, `None` if there is no such account.
pub async fn set_active(
    conn: &mut AnyConnection,
    email: &str,
    active: bool,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE staff SET active = $1, session_generation = session_generation + 1 \
             WHERE email = $2 RETURNING id",
    )
    .bind(i64::from(active))
    .bind(email)
    .fetch_optional(&mut *conn)
    .await
}

/// The role and branch of the account with `email`: `(id, role, branch_id)`.
pub async fn post_of(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<(i64, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT id, role, branch_id FROM staff WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await
}

/// Account `id`'s role, branch and whether it is enabled (0/1), by primary key.
pub async fn post_by_id(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(String, Option<i64>, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT role, branch_id, active FROM staff WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Gives the account `id` the role and branch given and moves its session generation on,
/// so every session of the account ends.
pub async fn set_post(
    conn: &mut AnyConnection,
    id: i64,
    role: &str,
    branch_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff SET role = $1, branch_id = $2, session_generation = session_generation + 1 \
             WHERE id = $3",
    )
    .bind(role)
    .bind(branch_id)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// Every staff account, by name ([`LIST_SQL`]).
pub async fn list(db: &Db) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(LIST_SQL).fetch_all(&db.pool).await
}

/// The e-mail of the account `id`.
pub async fn email_of(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM staff WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// How signing in finds an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInKey {
    /// A session's account.
    Id(i64),
    /// The e-mail the sign-in form gave, normalized.
    Email(String),
}

/// The active account `key` names, as signing in reads it.
pub async fn for_sign_in(db: &Db, key: SignInKey) -> Result<Option<SignInRow>, sqlx::Error> {
    let column = match key {
        SignInKey::Id(_) => "id",
        SignInKey::Email(_) => "email",
    };
    let sql = format!(
        "SELECT id, email, initials, role, branch_id, password_hash, session_generation, \
         must_change_password FROM staff WHERE {column} = $1 AND active = 1"
    );
    match key {
        SignInKey::Id(id) => sqlx::query_as(&sql).bind(id).fetch_optional(&db.pool).await,
        SignInKey::Email(email) => {
            sqlx::query_as(&sql)
                .bind(email)
                .fetch_optional(&db.pool)
                .await
        }
    }
}

/// The branch named `name`, read on the pool or inside a transaction.
pub async fn branch_id_named<'c>(
    executor: impl AnyExecutor<'c>,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM branches WHERE name = $1")
        .bind(name)
        .fetch_optional(executor)
        .await
}

/// A new branch with only its name, inside the caller's transaction (an account's office
/// named for the first time); returns its id.
pub async fn insert_branch(conn: &mut AnyConnection, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO branches (name) VALUES ($1) RETURNING id")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
}

/// The enabled accounts of branch `branch_id` in one of `roles` (stored names), `(id, name)`,
/// by name (index staff_branch).
pub async fn of_branch(
    db: &Db,
    branch_id: i64,
    roles: &[&str],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let marks = (0..roles.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT id, name FROM staff WHERE branch_id = $1 AND role IN ({marks}) AND active = 1 \
         ORDER BY name, id"
    );
    let mut query = sqlx::query_as(&sql).bind(branch_id);
    for role in roles {
        query = query.bind(*role);
    }
    query.fetch_all(&db.pool).await
}

//! The morning digest e-mail: who gets it (`staff.digest_email`), and the sent-log
//! (`digest_log`) that lets one digest go to one person per office day, across restarts and
//! server instances. A row is *claimed* (`sending`) before the send — its primary key
//! `(office_day, staff_id)` lets only one claim in — then marked `sent` (or `nothing`, when
//! there was nothing to report), or deleted when the send failed, so a later tick retries.

use sqlx::AnyConnection;

use crate::store::db::{Backend, Db};

/// The PostgreSQL advisory lock held, for one transaction, by the instance sending.
const SENDER_LOCK: i64 = 7_869_016;

/// This instance's turn to send: on PostgreSQL a transaction holding [`SENDER_LOCK`],
/// released when it ends (a crash included); on SQLite, whose one file has one server, always
/// this instance's. `None` while another instance holds it.
pub struct Turn(Option<sqlx::Transaction<'static, sqlx::Any>>);

/// Takes the sender's turn without waiting: `None` when another instance has it.
pub async fn take_turn(db: &Db) -> Result<Option<Turn>, sqlx::Error> {
    if db.backend != Backend::Postgres {
        return Ok(Some(Turn(None)));
    }
    let mut tx = db.pool.begin().await?;
    let mine: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(SENDER_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if mine {
        Ok(Some(Turn(Some(tx))))
    } else {
        tx.rollback().await?;
        Ok(None)
    }
}

impl Turn {
    /// Gives the turn back.
    pub async fn end(self) {
        if let Some(tx) = self.0
            && let Err(error) = tx.rollback().await
        {
            // The lock goes with the connection's transaction however it ends.
            tracing::warn!(%error, "the digest sender's lock was not released cleanly");
        }
    }
}

/// The roles a digest is made for: the coach's and the case aide's Today, and the
/// supervisors' branch (docs/digest.md). Contractors and admins get none.
pub const DIGEST_ROLES: [&str; 5] = [
    "family_coach",
    "case_aide",
    "engagement_specialist",
    "operations_manager",
    "lead_worker",
];

/// The active staff of a branch, of a digest's role, who have not turned it off, with their
/// office's time zone: the small staff table with each one's branch (by primary key).
pub const RECIPIENTS_SQL: &str = "SELECT s.id, s.email, s.name, s.initials, s.role, s.branch_id, b.time_zone \
     FROM staff s JOIN branches b ON b.id = s.branch_id \
     WHERE s.active = 1 AND s.digest_email = 1 \
     AND s.role IN ('family_coach', 'case_aide', 'engagement_specialist', 'operations_manager', 'lead_worker')";

/// Who the sent-log already holds for an office day: sent, sending, or with nothing to
/// report (the primary key's first column).
pub const LOGGED_SQL: &str = "SELECT staff_id FROM digest_log WHERE office_day = $1";

/// A staff member a digest may be made for: `(id, email, name, initials, role, branch_id,
/// time_zone)`.
pub type RecipientRow = (i64, String, String, String, String, i64, String);

/// An account as [`recipient_by_email`] reads it: a [`RecipientRow`] whose branch and time
/// zone may be absent, with `digest_email` and `active`.
type AccountRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    i64,
);

/// What the sent-log says of one digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The SMTP server accepted it.
    Sent,
    /// There was nothing to report: no e-mail.
    Nothing,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Nothing => "nothing",
        }
    }
}

/// Every staff member a digest may be made for now ([`RECIPIENTS_SQL`]), by id.
pub async fn recipients(db: &Db) -> Result<Vec<RecipientRow>, sqlx::Error> {
    let mut rows: Vec<RecipientRow> = sqlx::query_as(RECIPIENTS_SQL).fetch_all(&db.pool).await?;
    rows.sort_by_key(|row| row.0);
    Ok(rows)
}

/// The account with `email` as a digest names it, whatever its role, setting or activity:
/// `(row, digest_email, active)`; the row's time zone is empty for an account of no branch.
pub async fn recipient_by_email(
    db: &Db,
    email: &str,
) -> Result<Option<(RecipientRow, bool, bool)>, sqlx::Error> {
    let found: Option<AccountRow> = sqlx::query_as(
        "SELECT s.id, s.email, s.name, s.initials, s.role, s.branch_id, b.time_zone, \
             s.digest_email, s.active \
             FROM staff s LEFT JOIN branches b ON b.id = s.branch_id WHERE s.email = $1",
    )
    .bind(email)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.map(
        |(id, email, name, initials, role, branch, zone, digest, active)| {
            (
                (
                    id,
                    email,
                    name,
                    initials,
                    role,
                    branch.unwrap_or_default(),
                    zone.unwrap_or_default(),
                ),
                digest == 1,
                active == 1,
            )
        },
    ))
}

/// The staff ids the sent-log holds for `office_day` (`YYYY-MM-DD`).
pub async fn logged(db: &Db, office_day: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(LOGGED_SQL)
        .bind(office_day)
        .fetch_all(&db.pool)
        .await
}

/// Whether the sent-log holds a digest of `office_day` for `staff_id`, and its status.
pub async fn status(
    db: &Db,
    office_day: &str,
    staff_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT status FROM digest_log WHERE office_day = $1 AND staff_id = $2")
        .bind(office_day)
        .bind(staff_id)
        .fetch_optional(&db.pool)
        .await
}

/// Claims the digest of `office_day` for `staff_id` (`claimed_at` as stored); `false` when
/// it is already claimed, sent, or had nothing to report — by this instance or another.
pub async fn claim(
    db: &Db,
    office_day: &str,
    staff_id: i64,
    claimed_at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO digest_log (office_day, staff_id, status, claimed_at) \
         VALUES ($1, $2, 'sending', $3) ON CONFLICT DO NOTHING",
    )
    .bind(office_day)
    .bind(staff_id)
    .bind(claimed_at)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records how a claimed digest ended.
pub async fn finish(
    db: &Db,
    office_day: &str,
    staff_id: i64,
    outcome: Outcome,
    subject: Option<&str>,
    done_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE digest_log SET status = $1, subject = $2, done_at = $3 \
         WHERE office_day = $4 AND staff_id = $5 AND status = 'sending'",
    )
    .bind(outcome.as_str())
    .bind(subject)
    .bind(done_at)
    .bind(office_day)
    .bind(staff_id)
    .execute(&db.writer)
    .await?;
    Ok(())
}

/// Gives a claim up after a failed send: a later tick may claim it again.
pub async fn release(db: &Db, office_day: &str, staff_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM digest_log WHERE office_day = $1 AND staff_id = $2 AND status = 'sending'",
    )
    .bind(office_day)
    .bind(staff_id)
    .execute(&db.writer)
    .await?;
    Ok(())
}

/// Whether staff member `staff_id` gets the digest; `None` for no such account.
pub async fn setting(db: &Db, staff_id: i64) -> Result<Option<bool>, sqlx::Error> {
    let on: Option<i64> = sqlx::query_scalar("SELECT digest_email FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(on.map(|on| on == 1))
}

/// Turns the digest on or off for `staff_id` inside the caller's transaction; what it was,
/// `None` for no such account.
pub async fn set_setting(
    conn: &mut AnyConnection,
    staff_id: i64,
    on: bool,
) -> Result<Option<bool>, sqlx::Error> {
    let before: Option<i64> = sqlx::query_scalar("SELECT digest_email FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(before) = before else {
        return Ok(None);
    };
    sqlx::query("UPDATE staff SET digest_email = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(before == 1))
}

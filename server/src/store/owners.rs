//! Who owns a case record — its participant's branch and contractor, and for a narrative its
//! author — each read with one indexed lookup, for the access checks.

use crate::store::db::Db;

/// A record whose owner is read from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owned {
    /// A coach's caseload: the coach's branch.
    Coach,
    Participant,
    Episode,
    Narrative,
    Task,
}

/// An owner as read: `(branch_id, contractor_id, author_id)`.
pub type OwnerRow = (i64, Option<i64>, Option<i64>);

/// The owner of the record `id` of kind `owned`; `None` when there is no such record.
pub async fn owner_of(db: &Db, owned: Owned, id: i64) -> Result<Option<OwnerRow>, sqlx::Error> {
    let sql = match owned {
        Owned::Coach => {
            "SELECT branch_id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM staff \
             WHERE id = $1 AND branch_id IS NOT NULL"
        }
        Owned::Participant => {
            "SELECT branch_id, contractor_id, CAST(NULL AS BIGINT) FROM participants WHERE id = $1"
        }
        Owned::Episode => {
            "SELECT p.branch_id, p.contractor_id, CAST(NULL AS BIGINT) FROM episodes e \
             JOIN participants p ON p.id = e.participant_id WHERE e.id = $1"
        }
        Owned::Narrative => {
            "SELECT p.branch_id, p.contractor_id, n.author_id FROM narratives n \
             JOIN episodes e ON e.id = n.episode_id \
             JOIN participants p ON p.id = e.participant_id WHERE n.id = $1"
        }
        Owned::Task => {
            "SELECT p.branch_id, p.contractor_id, CAST(NULL AS BIGINT) FROM tasks t \
             JOIN episodes e ON e.id = t.episode_id \
             JOIN participants p ON p.id = e.participant_id WHERE t.id = $1"
        }
    };
    sqlx::query_as(sql).bind(id).fetch_optional(&db.pool).await
}

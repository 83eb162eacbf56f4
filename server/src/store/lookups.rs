//! Single-row reads the pages and forms need beside an episode's record: the office and
//! coach a DHS 7869 notice names, a participant's case number and coach, the episode a
//! narrative belongs to, an episode's branch and participant.

use crate::store::db::Db;

/// A branch's name, address and phone.
pub async fn office_contacts(
    db: &Db,
    branch_id: i64,
) -> Result<(String, Option<String>, Option<String>), sqlx::Error> {
    sqlx::query_as("SELECT name, address, phone FROM branches WHERE id = $1")
        .bind(branch_id)
        .fetch_one(&db.pool)
        .await
}

/// A staff member's name, phone and e-mail.
pub async fn staff_contacts(
    db: &Db,
    staff_id: i64,
) -> Result<Option<(String, Option<String>, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, phone, email FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(&db.pool)
        .await
}

/// A branch's name.
pub async fn branch_name(db: &Db, branch_id: i64) -> Result<String, sqlx::Error> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM branches WHERE id = $1")
        .bind(branch_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(name)
}

/// A participant's case number and coach.
pub async fn case_number_and_coach(
    db: &Db,
    participant_id: i64,
) -> Result<(String, Option<i64>), sqlx::Error> {
    sqlx::query_as("SELECT case_number, coach_id FROM participants WHERE id = $1")
        .bind(participant_id)
        .fetch_one(&db.pool)
        .await
}

/// The episode narrative `id` belongs to, if there is such a narrative.
pub async fn episode_of_narrative(db: &Db, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT episode_id FROM narratives WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Episode `id`'s branch and participant, if there is such an episode.
pub async fn branch_and_participant(db: &Db, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT branch_id, participant_id FROM episodes WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

//! What `core` derives of an episode and the lists sort by — its stage and the next day
//! something is due — is stored beside its facts, so Today, the branch page, the exports and
//! the API page through it by index. It moves with the days (a deadline passes, a response
//! window ends) and with the office's calendar (a snow day), not only with a change. So once
//! an office day, and whenever a branch's closure days change, every open episode's is
//! derived again by `core` and written where it moved: no list shows a stage or orders by a
//! due day older than the office's today.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Actor, ServiceError};
use crate::services::episodes::{derive, read_many};
use crate::store::codes::code;
use crate::store::db::{self, Db};
use crate::store::lists::{NOTHING_DUE, Scope, open_episodes};
use crate::store::{audit, branches, episodes};

/// Open episodes read and written a page at a time.
const PAGE: i64 = 500;

/// What a refresh did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    /// Open episodes derived again.
    pub read: usize,
    /// Those whose stored stage or next due day had moved, written again.
    pub moved: usize,
}

impl std::ops::AddAssign for Refreshed {
    fn add_assign(&mut self, other: Self) {
        self.read += other.read;
        self.moved += other.moved;
    }
}

/// Every branch's open episodes derived again at `now` ([`refresh_branch`] for each).
pub async fn refresh_all(db: &Db, now: DateTime<Utc>) -> Result<Refreshed, ServiceError> {
    let mut all = Refreshed::default();
    for branch in branches::ids(db).await? {
        all += refresh_branch(db, branch, now).await?;
    }
    Ok(all)
}

/// Branch `branch_id`'s open episodes derived again by `core` on the office's today and
/// calendar, the moved ones written (a page's in one transaction, the version unchanged: the
/// facts are the same) with one audit entry for the branch naming how many moved.
///
/// It pages by the list's own keyset `(next_due_on, id)` while it moves rows on it: a row
/// moved ahead of the page is read again and found right, one moved behind is already
/// right, so every open episode is derived at least once.
pub async fn refresh_branch(
    db: &Db,
    branch_id: i64,
    now: DateTime<Utc>,
) -> Result<Refreshed, ServiceError> {
    let mut refreshed = Refreshed::default();
    let mut office_day: Option<NaiveDate> = None;
    let mut after = None;
    loop {
        let (rows, next) = {
            let mut conn = db.pool.acquire().await?;
            open_episodes(&mut conn, Scope::Branch(branch_id), after.as_ref(), PAGE).await?
        };
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut moved = Vec::new();
        for (row, (record, today, calendar)) in rows.iter().zip(read_many(db, &ids, now).await?) {
            office_day.get_or_insert(today);
            let derived = derive(&record.facts, today, &calendar);
            let (stage, due) = (code(&derived.stage), derived.due_column());
            let stored_due = row.next_due_on.as_deref().unwrap_or(NOTHING_DUE);
            if row.version == record.version && (row.stage != stage || stored_due != due) {
                moved.push((record.id, record.version, derived.stage, due));
            }
        }
        refreshed.read += rows.len();
        if !moved.is_empty() {
            let mut tx = db::begin_write(db).await?;
            for (id, version, stage, due) in &moved {
                refreshed.moved +=
                    episodes::refresh_derived(&mut tx, *id, *version, stage, due).await? as usize;
            }
            tx.commit().await?;
        }
        match next {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    if refreshed.moved > 0 {
        let entry = Actor::server("daily refresh")
            .entry(now, "episodes.derived_refreshed", "branch", branch_id)
            .with_values(
                None,
                Some(
                    json!({
                        "office_day": office_day.map(|day| day.to_string()),
                        "open_episodes": refreshed.read,
                        "moved": refreshed.moved,
                    })
                    .to_string(),
                ),
            );
        let mut tx = db::begin_write(db).await?;
        audit::append(&mut tx, db.backend, &entry).await?;
        tx.commit().await?;
    }
    Ok(refreshed)
}

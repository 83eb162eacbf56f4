//! The lists the pages and the API show, paged by keyset (never OFFSET), each served by an
//! index of `0003_episodes.sql`.

use sqlx::AnyConnection;

use crate::store::db::Db;

use super::StoreError;

/// One row of an episode list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct EpisodeRow {
    pub id: i64,
    pub participant_id: i64,
    pub participant: String,
    pub coach_id: Option<i64>,
    pub stage: String,
    pub next_due_on: Option<String>,
    pub version: i64,
}

/// A list row as the query returns it.
type RawRow = (i64, i64, String, Option<i64>, String, String, i64);

/// Where a page ends: the next page starts after this `(next_due_on, id)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub due: String,
    pub id: i64,
}

impl Cursor {
    /// `2026-11-30.123`
    /// Exactly what [`Cursor::PATTERN`] documents: ten digits or dashes, a dot, one to 18
    /// digits (no sign).
    pub fn parse(text: &str) -> Option<Self> {
        let (due, id) = text.split_once('.')?;
        let due_valid = due.len() == 10 && due.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        let id_valid = (1..=18).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
        Some(Self {
            due: (due_valid && id_valid).then(|| due.to_owned())?,
            id: id.parse().ok()?,
        })
    }

    /// The form of an encoded cursor, as the OpenAPI document gives it.
    pub const PATTERN: &'static str = r"^[0-9-]{10}\.[0-9]{1,18}$";

    pub fn encode(&self) -> String {
        format!("{}.{}", self.due, self.id)
    }
}

/// `next_due_on` of an episode with nothing due: sorts after every date, so list queries
/// can page by `(next_due_on, id)` on both backends without NULL rules.
pub const NOTHING_DUE: &str = "9999-12-31";

/// Who a list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Coach(i64),
    Branch(i64),
    /// Participants referred to this contractor.
    Contractor(i64),
}

impl Scope {
    /// The episodes and their participants, joined from the side the scope's index is on: a
    /// contractor's referrals are found through participants (`CROSS JOIN` keeps that order
    /// on SQLite whatever its statistics say).
    pub fn tables(self) -> &'static str {
        match self {
            Scope::Contractor(_) => {
                "participants p CROSS JOIN episodes e WHERE e.participant_id = p.id AND"
            }
            _ => "episodes e JOIN participants p ON p.id = e.participant_id WHERE",
        }
    }

    /// The coach, branch or contractor.
    pub fn owner(self) -> i64 {
        match self {
            Scope::Coach(id) | Scope::Branch(id) | Scope::Contractor(id) => id,
        }
    }

    /// The participants' column that names the scope's owner (the missed-activity picker):
    /// indexes participants_coach_name, participants_branch_name, participants_contractor_name.
    pub fn participant_column(self) -> &'static str {
        match self {
            Scope::Coach(_) => "p.coach_id",
            Scope::Branch(_) => "p.branch_id",
            Scope::Contractor(_) => "p.contractor_id",
        }
    }

    /// The column that names the scope's owner, each with its own index.
    pub fn column(self) -> &'static str {
        match self {
            Scope::Coach(_) => "e.coach_id",
            Scope::Branch(_) => "e.branch_id",
            Scope::Contractor(_) => "p.contractor_id",
        }
    }
}

/// The open-episode list of `scope`, most urgent first from a keyset position: indexes
/// episodes_coach_due and episodes_branch_due; a contractor's through participants_contractor.
pub fn open_episodes_sql(scope: Scope) -> String {
    format!(
        "SELECT e.id, e.participant_id, p.display_name, e.coach_id, e.stage, e.next_due_on, e.version \
         FROM {} {} = $1 AND e.closed = 0 \
           AND (e.next_due_on > $2 OR (e.next_due_on = $2 AND e.id > $3)) \
         ORDER BY e.next_due_on, e.id LIMIT $4",
        scope.tables(),
        scope.column()
    )
}

/// One row of a worklist (Today, the branch page): the episode as the record cache needs to
/// find it, with what the page shows of its participant that is not the episode's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkRow {
    pub id: i64,
    pub version: i64,
    pub participant: String,
    pub coach_id: Option<i64>,
    pub phone: Option<String>,
    pub phone_in_service: bool,
    /// Whether the participant has any exemption on file (R23): only those are read again
    /// with the cached records.
    pub has_exemptions: bool,
}

/// A worklist row as the query returns it.
type RawWorkRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<String>,
    i64,
    i64,
    String,
);

/// The open episodes of `scope`, most urgent first, with their participants' phones and
/// whether each has an exemption (index exemptions_participant): one query where Today read
/// the list, the phones and every listed participant's exemptions. Same indexes as
/// [`open_episodes_sql`].
pub fn open_work_sql(scope: Scope) -> String {
    format!(
        "SELECT e.id, e.version, p.display_name, e.coach_id, p.phone, p.phone_in_service, \
           CASE WHEN EXISTS (SELECT 1 FROM exemptions x WHERE x.participant_id = e.participant_id) \
             THEN 1 ELSE 0 END \
         , e.next_due_on \
         FROM {} {} = $1 AND e.closed = 0 \
           AND (e.next_due_on > $2 OR (e.next_due_on = $2 AND e.id > $3)) \
         ORDER BY e.next_due_on, e.id LIMIT $4",
        scope.tables(),
        scope.column()
    )
}

/// Up to `limit` open episodes of `scope` after `after` (from the first with `None`), most
/// urgent first, and where the next page starts (`None` on the last page): a list pages by
/// keyset, so a row on file when the paging began is listed once, never skipped or repeated,
/// whatever is added meanwhile.
pub async fn open_work(
    conn: &mut AnyConnection,
    scope: Scope,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<(Vec<WorkRow>, Option<Cursor>), StoreError> {
    let start = after.cloned().unwrap_or(Cursor {
        due: String::new(),
        id: 0,
    });
    let mut rows: Vec<RawWorkRow> = sqlx::query_as(&open_work_sql(scope))
        .bind(scope.owner())
        .bind(&start.due)
        .bind(start.id)
        .bind(limit + 1)
        .fetch_all(&mut *conn)
        .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    let next = more.then(|| rows.last()).flatten().map(|last| Cursor {
        due: last.7.clone(),
        id: last.0,
    });
    Ok((
        rows.into_iter()
            .map(
                |(id, version, participant, coach_id, phone, in_service, exempt, _)| WorkRow {
                    id,
                    version,
                    participant,
                    coach_id,
                    phone,
                    phone_in_service: in_service != 0,
                    has_exemptions: exempt != 0,
                },
            )
            .collect(),
        next,
    ))
}

/// Open episodes, most urgent first, `limit` at a time after `after`.
pub async fn open_episodes(
    conn: &mut AnyConnection,
    scope: Scope,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<(Vec<EpisodeRow>, Option<Cursor>), StoreError> {
    let owner = scope.owner();
    let start = after.cloned().unwrap_or(Cursor {
        due: String::new(),
        id: 0,
    });
    let rows: Vec<RawRow> = sqlx::query_as(&open_episodes_sql(scope))
        .bind(owner)
        .bind(&start.due)
        .bind(start.id)
        .bind(limit + 1)
        .fetch_all(&mut *conn)
        .await?;
    let more = rows.len() as i64 > limit;
    let page: Vec<EpisodeRow> = rows
        .into_iter()
        .take(limit as usize)
        .map(
            |(id, participant_id, participant, coach_id, stage, due, version)| EpisodeRow {
                id,
                participant_id,
                participant,
                coach_id,
                stage,
                next_due_on: (due != NOTHING_DUE).then_some(due),
                version,
            },
        )
        .collect();
    let next = more.then(|| page.last()).flatten().map(|last| Cursor {
        due: last
            .next_due_on
            .clone()
            .unwrap_or_else(|| NOTHING_DUE.to_owned()),
        id: last.id,
    });
    Ok((page, next))
}

/// R18: the current staffings of open episodes that staff member `$1` sat on in a department
/// seat and has not yet confirmed being present at, oldest staffing first (index
/// staffing_members_staff, then primary keys; the sort is of one person's few seats):
/// `(episode, participant, held_on)`. Every one, never a cut: each is a DQ1 that waits on
/// this person.
pub const TO_CONFIRM_SQL: &str = "SELECT e.id, p.display_name, st.held_on FROM staffing_members m \
     JOIN staffings st ON st.id = m.staffing_id \
     JOIN episodes e ON e.id = st.episode_id \
     JOIN participants p ON p.id = e.participant_id \
     WHERE m.staff_id = $1 AND m.confirmed_on IS NULL AND st.superseded_at IS NULL \
     AND e.closed = 0 AND m.role NOT IN ('ChildWelfare', 'Contractor') \
     ORDER BY st.held_on, e.id";

/// [`TO_CONFIRM_SQL`] for `staff_id`: all of them, oldest staffing first.
pub async fn to_confirm(
    conn: &mut AnyConnection,
    staff_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    Ok(sqlx::query_as(TO_CONFIRM_SQL)
        .bind(staff_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// A branch's coaches and case aides (index staff_branch).
pub const COACHES_SQL: &str = "SELECT id, name FROM staff WHERE branch_id = $1 AND role IN ('family_coach', 'case_aide') \
         ORDER BY name, id";

/// A branch's coaches and case aides `(id, name)`, by name.
pub async fn coaches(db: &Db, branch_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(COACHES_SQL)
        .bind(branch_id)
        .fetch_all(&db.pool)
        .await
}

/// The participants of a coach (`p.coach_id`), a contractor (`p.contractor_id`) or a branch
/// (`p.branch_id`) with no open episode, by name: indexes participants_coach_name,
/// participants_contractor_name and participants_branch_name; the open-episode test uses the
/// partial unique index episodes_one_open.
pub fn missed_form_sql(column: &str) -> String {
    format!(
        "SELECT p.id, p.display_name, p.case_number FROM participants p WHERE {column} = $1 \
         AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.participant_id = p.id AND e.closed = 0) \
         ORDER BY p.display_name, p.id LIMIT $2"
    )
}

/// The participants of `scope` with no open episode `(id, name, case number)`, by name, at
/// most `limit`.
pub async fn without_open_episode(
    db: &Db,
    scope: Scope,
    limit: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(&missed_form_sql(scope.participant_column()))
        .bind(scope.owner())
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// A branch's episodes missed in a period, newest first, from a keyset position `($5, $6)`
/// (older than it) (index episodes_branch_missed).
pub const MISSED_IN_SQL: &str = "SELECT e.id, p.display_name, p.case_number, e.coach_id, e.missed_on FROM episodes e \
         JOIN participants p ON p.id = e.participant_id \
         WHERE e.branch_id = $1 AND e.missed_on >= $2 AND e.missed_on <= $3 \
           AND ($4 = 0 OR e.coach_id = $4) \
           AND (e.missed_on < $5 OR (e.missed_on = $5 AND e.id < $6)) \
         ORDER BY e.missed_on DESC, e.id DESC LIMIT $7";

/// A miss in a period as [`MISSED_IN_SQL`] reads it: episode, participant, case number, coach,
/// day of the miss.
pub type MissedRow = (i64, String, String, Option<i64>, String);

/// A branch's episodes (open or closed) missed from `from` to `to`, for one coach or all:
/// `(episode, participant, case number, coach, missed on)`, newest first, older than
/// `before` (from the newest with `None`), at most `limit`.
pub async fn missed_in(
    db: &Db,
    branch_id: i64,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    coach: Option<i64>,
    before: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<MissedRow>, sqlx::Error> {
    let start = before.cloned().unwrap_or(Cursor {
        due: NOTHING_DUE.to_owned(),
        id: i64::MAX,
    });
    sqlx::query_as(MISSED_IN_SQL)
        .bind(branch_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(coach.unwrap_or(0))
        .bind(&start.due)
        .bind(start.id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// The coming re-engagement appointments of a coach's caseload, a branch or a contractor's
/// referrals, soonest first: indexes episodes_coach_appointments and
/// episodes_branch_appointments; a contractor's through participants_contractor.
pub fn appointments_sql(scope: Scope) -> String {
    format!(
        "SELECT e.id, p.display_name, e.appointment_on, e.appointment_at, e.notice_mailed_on, \
                e.branch_id, e.version \
         FROM {} {} = $1 AND e.closed = 0 \
           AND (e.appointment_on > $2 OR (e.appointment_on = $2 AND e.id > $3)) \
         ORDER BY e.appointment_on, e.id LIMIT $4",
        scope.tables(),
        scope.column()
    )
}

/// A coming appointment: episode, participant, day, time, the day its notice was mailed, the
/// episode's branch (whose office's time zone the time is in) and version.
pub type AppointmentRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

/// How many coming appointments one query reads; [`appointments`] reads page after page.
pub const APPOINTMENTS_PAGE: i64 = 500;

/// Every open episode's appointment of `scope` on or after `from`, by day then episode: read
/// [`APPOINTMENTS_PAGE`] at a time by keyset `(appointment_on, id)`, so the calendar holds
/// them all, however many.
pub async fn appointments(
    db: &Db,
    scope: Scope,
    from: chrono::NaiveDate,
) -> Result<Vec<AppointmentRow>, sqlx::Error> {
    appointments_by(db, scope, from, APPOINTMENTS_PAGE).await
}

/// [`appointments`], `page` rows a query.
pub async fn appointments_by(
    db: &Db,
    scope: Scope,
    from: chrono::NaiveDate,
    page: i64,
) -> Result<Vec<AppointmentRow>, sqlx::Error> {
    let sql = appointments_sql(scope);
    let mut rows: Vec<AppointmentRow> = Vec::new();
    let (mut day, mut id) = (from.to_string(), 0_i64);
    loop {
        let read: Vec<AppointmentRow> = sqlx::query_as(&sql)
            .bind(scope.owner())
            .bind(&day)
            .bind(id)
            .bind(page)
            .fetch_all(&db.pool)
            .await?;
        let full = read.len() as i64 == page;
        if let Some(last) = read.last() {
            (day, id) = (last.2.clone(), last.0);
        }
        rows.extend(read);
        if !full {
            return Ok(rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn a_cursor_is_read_exactly_as_documented() {
        let cursor = Cursor::parse("2026-11-30.123").expect("a cursor");
        assert_eq!((cursor.due.as_str(), cursor.id), ("2026-11-30", 123));
        assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor));
        // What the pattern refuses, the server refuses: a sign, no id, a long id, no dot.
        for refused in [
            "2026-11-30.+5",
            "2026-11-30.-5",
            "2026-11-30.",
            "2026-11-30.1234567890123456789",
            "2026-11-30",
            "0",
            "2026-11-3.5",
        ] {
            assert_eq!(Cursor::parse(refused), None, "{refused}");
        }
    }
}

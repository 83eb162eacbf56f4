//! Every list query the pages and the API run — the same SQL text the code binds, by name —
//! with what to bind to ask a backend how it would run it. `tests/scale.rs` asks SQLite
//! and PostgreSQL for each plan against a filled database and fails on a full scan or a sort
//! of a large table: a new list query belongs here, or that test does not see it.

use crate::store::lists::{Scope, open_episodes_sql, open_work_sql};

/// A value to bind: a record of the filled database (found by the test), or a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A family coach with a caseload.
    Coach,
    /// A branch with episodes.
    Branch,
    /// A contractor with referrals.
    Contractor,
    /// An episode with a staffing and a decision.
    Episode,
    /// That episode's participant.
    Participant,
    /// That episode's staffing.
    Staffing,
    Int(i64),
    Text(&'static str),
}

/// A list query and its binds, in order.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub name: &'static str,
    pub sql: String,
    pub binds: Vec<Sample>,
    /// Why a sort is acceptable here: it orders one record's few rows (a participant's
    /// releases), never a table. `None`: no sort at all.
    pub small_sort: Option<&'static str>,
}

fn query(name: &'static str, sql: impl Into<String>, binds: Vec<Sample>) -> ListQuery {
    ListQuery {
        name,
        sql: sql.into(),
        binds,
        small_sort: None,
    }
}

/// Every list query of the pages and the API.
pub fn all() -> Vec<ListQuery> {
    use crate::store::episodes as E;
    use Sample::*;
    let keyset = || vec![Text(""), Int(0), Int(50)];
    let with = |first: Sample, rest: Vec<Sample>| [vec![first], rest].concat();
    let mut queries = vec![
        // Today and the branch page: the open work, with phones and exemptions.
        query(
            "open work of a coach",
            open_work_sql(Scope::Coach(0)),
            vec![Coach, Text(""), Int(0), Int(200)],
        ),
        query(
            "open work of a branch",
            open_work_sql(Scope::Branch(0)),
            vec![Branch, Text(""), Int(0), Int(500)],
        ),
        ListQuery {
            small_sort: Some("one contractor's referrals, found by participants_contractor"),
            ..query(
                "open work of a contractor",
                open_work_sql(Scope::Contractor(0)),
                vec![Contractor, Text(""), Int(0), Int(200)],
            )
        },
        // GET /api/v1/episodes.
        query(
            "open episodes of a coach",
            open_episodes_sql(Scope::Coach(0)),
            with(Coach, keyset()),
        ),
        query(
            "open episodes of a branch",
            open_episodes_sql(Scope::Branch(0)),
            with(Branch, keyset()),
        ),
        ListQuery {
            small_sort: Some("one contractor's referrals, found by participants_contractor"),
            ..query(
                "open episodes of a contractor",
                open_episodes_sql(Scope::Contractor(0)),
                with(Contractor, keyset()),
            )
        },
        // The R29 view and the branch's timeliness figures.
        query(
            "episodes missed in a period",
            crate::store::lists::MISSED_IN_SQL,
            vec![
                Branch,
                Text("2025-01-01"),
                Text("2026-12-31"),
                Int(0),
                Text("9999-12-31"),
                Int(i64::MAX),
                Int(1001),
            ],
        ),
        // The calendar feed.
        query(
            "coming appointments of a coach",
            crate::store::lists::appointments_sql(Scope::Coach(0)),
            vec![Coach, Text("2026-01-01"), Int(0), Int(500)],
        ),
        query(
            "coming appointments of a branch",
            crate::store::lists::appointments_sql(Scope::Branch(0)),
            vec![Branch, Text("2026-01-01"), Int(0), Int(500)],
        ),
        ListQuery {
            small_sort: Some("one contractor's referrals, found by participants_contractor"),
            ..query(
                "coming appointments of a contractor",
                crate::store::lists::appointments_sql(Scope::Contractor(0)),
                vec![Contractor, Text("2026-01-01"), Int(0), Int(500)],
            )
        },
        // The missed-activity form.
        query(
            "participants of a coach with no open episode",
            crate::store::lists::missed_form_sql("p.coach_id"),
            vec![Coach, Int(500)],
        ),
        query(
            "participants of a branch with no open episode",
            crate::store::lists::missed_form_sql("p.branch_id"),
            vec![Branch, Int(500)],
        ),
        query(
            "participants of a contractor with no open episode",
            crate::store::lists::missed_form_sql("p.contractor_id"),
            vec![Contractor, Int(500)],
        ),
        // The supervisors' coach filters and the staffing team (the staff of one branch).
        ListQuery {
            small_sort: Some("one branch's staff"),
            ..query(
                "coaches of a branch",
                crate::store::lists::COACHES_SQL,
                vec![Branch],
            )
        },
        ListQuery {
            small_sort: Some("one branch's staff"),
            ..query(
                "team of a branch",
                crate::store::staffing::TEAM_SQL,
                vec![Branch],
            )
        },
        // Today: the staffings waiting for the signed-in person's confirmation (R18).
        ListQuery {
            small_sort: Some(
                "one staff member's unconfirmed seats, found by staffing_members_staff",
            ),
            ..query(
                "staffings waiting for a staff member's confirmation",
                crate::store::lists::TO_CONFIRM_SQL,
                vec![Coach],
            )
        },
        // Episodes' records, a batch at a time (the episode page and every change read a
        // batch of one; Today, the branch page and the R29 view read theirs together).
        query(
            "episodes by id",
            E::episodes_sql(3),
            vec![Episode, Int(2), Int(3)],
        ),
        query(
            "versions of episodes (the record cache)",
            E::versions_sql(3),
            vec![Episode, Int(2), Int(3)],
        ),
        query(
            "attempts of episodes",
            E::attempts_sql(3),
            vec![Episode, Int(2), Int(3)],
        ),
        query(
            "missing information of episodes",
            E::missing_info_sql(3),
            vec![Episode, Int(2), Int(3)],
        ),
        query(
            "decisions of episodes",
            E::decisions_sql(3),
            vec![Episode, Int(2), Int(3)],
        ),
        query(
            "current staffings of episodes",
            E::staffings_sql(3),
            vec![Episode, Int(2), Int(3)],
        ),
        query(
            "members of staffings",
            E::members_sql(3),
            vec![Staffing, Int(2), Int(3)],
        ),
        query(
            "partners of staffings",
            E::partners_sql(3),
            vec![Staffing, Int(2), Int(3)],
        ),
        query(
            "barrier reviews of staffings",
            E::findings_sql(3),
            vec![Staffing, Int(2), Int(3)],
        ),
        query(
            "narratives of an episode",
            crate::store::narratives::LIST_SQL,
            vec![Episode],
        ),
        query(
            "tasks of an episode",
            crate::store::tasks::LIST_SQL,
            vec![Episode],
        ),
        query(
            "latest changes of an episode",
            crate::store::audit::CONFLICT_SQL,
            vec![Text("1"), Int(20)],
        ),
        // A participant's records.
        query(
            "exemptions of participants",
            E::exemptions_sql(3),
            vec![Participant, Int(2), Int(3)],
        ),
        query(
            "releases on file of a participant",
            E::RELEASES_ON_FILE_SQL,
            vec![Participant],
        ),
        query(
            "PDP steps of a participant",
            crate::store::participants::PDP_STEPS_SQL,
            vec![Participant],
        ),
        query(
            "exemption periods of a participant",
            crate::store::participants::EXEMPTIONS_SQL,
            vec![Participant],
        ),
        query(
            "releases of a participant",
            crate::store::participants::RELEASES_SQL,
            vec![Participant],
        ),
        // A branch's calendar.
        query("closure days of a branch", E::CLOSURES_SQL, vec![Branch]),
        query(
            "closure days of a branch, in order",
            crate::store::branches::CLOSURES_SQL,
            vec![Branch],
        ),
        // The audit trail: each append reads the newest hash; verify walks the chain.
        query(
            "newest audit entry",
            crate::store::audit::LAST_HASH_SQL,
            vec![],
        ),
        query(
            "audit entries in order",
            crate::store::audit::VERIFY_BATCH_SQL,
            vec![Int(0), Int(1000)],
        ),
        // The morning digest: who gets one (the small staff table with each one's branch),
        // and whom the sent-log holds for an office day (its primary key).
        query(
            "staff who get the morning digest",
            crate::store::digest::RECIPIENTS_SQL,
            vec![],
        ),
        query(
            "sent-log of the morning digest for an office day",
            crate::store::digest::LOGGED_SQL,
            vec![Text("2026-12-01")],
        ),
        // An admin's list of every staff account: the whole (small) staff table, by name.
        ListQuery {
            small_sort: Some("the staff table: an admin lists every account"),
            ..query("every staff account", crate::store::staff::LIST_SQL, vec![])
        },
    ];
    queries.sort_by_key(|q| q.name);
    queries
}

/// The tables that grow with the work (episodes and all that hangs off them, the audit trail):
/// none may be read whole, nor sorted whole, by a list query. Branches and staff stay small.
pub const LARGE_TABLES: [&str; 15] = [
    "episodes",
    "participants",
    "attempts",
    "tasks",
    "staffings",
    "staffing_members",
    "staffing_partners",
    "barrier_findings",
    "decisions",
    "narratives",
    "pdp_steps",
    "exemptions",
    "releases",
    "audit_log",
    "digest_log",
];

//! The branch dashboard's filters and sort orders, as the page's GET form and column headers
//! send them: the page lists its rows with them, and the server's CSV export lists the very
//! same rows (so the file is what the supervisor sees).

use std::cmp::Ordering;

use chrono::NaiveDate;
use reengage_core::episode::{Stage, most_urgent_first};
use reengage_core::parse_date_input;
use serde::{Deserialize, Serialize};

use super::fields::from_code;
use crate::backend::BranchRow;

/// What the dashboard is asked for (empty: everything, most urgent first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchFilter {
    #[serde(default)]
    pub coach: String,
    #[serde(default)]
    pub stage: String,
    /// Only episodes whose most urgent deadline falls on or before this day.
    #[serde(default)]
    pub due_by: String,
    /// The open-episode list's order: `participant`, `coach`, `stage` or `due` (default).
    #[serde(default)]
    pub sort: String,
    /// `desc` for the reverse order.
    #[serde(default)]
    pub dir: String,
    /// The work-by-coach table's order: `coach` (default), `overdue`, `today` or `risk`.
    #[serde(default)]
    pub csort: String,
    #[serde(default)]
    pub cdir: String,
}

/// The columns the work-by-coach table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoachSort {
    Coach,
    Overdue,
    DueToday,
    AtRisk,
}

impl CoachSort {
    pub const ALL: [CoachSort; 4] = [Self::Coach, Self::Overdue, Self::DueToday, Self::AtRisk];

    pub fn key(self) -> &'static str {
        match self {
            Self::Coach => "coach",
            Self::Overdue => "overdue",
            Self::DueToday => "today",
            Self::AtRisk => "risk",
        }
    }

    fn parse(key: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or(Self::Coach)
    }
}

/// One coach's open work by how urgent it is (`core`'s urgency groups, R2–R17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachLoad {
    pub name: String,
    pub overdue: usize,
    pub due_today: usize,
    pub at_risk: usize,
}

/// The columns the open-episode list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Participant,
    Coach,
    Stage,
    /// Most urgent first (`core`'s order of the work).
    Due,
}

impl SortBy {
    pub const ALL: [SortBy; 4] = [Self::Participant, Self::Coach, Self::Stage, Self::Due];

    pub fn key(self) -> &'static str {
        match self {
            Self::Participant => "participant",
            Self::Coach => "coach",
            Self::Stage => "stage",
            Self::Due => "due",
        }
    }

    fn parse(key: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or(Self::Due)
    }
}

/// The coach's name as the dashboard shows it.
pub fn coach_name(row: &BranchRow) -> String {
    row.coach.clone().unwrap_or_else(|| "No coach".to_owned())
}

fn compare(by: SortBy, a: &BranchRow, b: &BranchRow) -> Ordering {
    let first = match by {
        SortBy::Participant => a
            .participant
            .to_lowercase()
            .cmp(&b.participant.to_lowercase()),
        SortBy::Coach => coach_name(a).cmp(&coach_name(b)),
        SortBy::Stage => a.stage.cmp(&b.stage),
        SortBy::Due => match (&a.work, &b.work) {
            (Some(a), Some(b)) => most_urgent_first(a, b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    first.then(a.episode_id.cmp(&b.episode_id))
}

impl BranchFilter {
    pub fn coach_id(&self) -> Option<i64> {
        self.coach.parse().ok()
    }

    pub fn stage(&self) -> Option<Stage> {
        from_code(&self.stage)
    }

    /// The due-by day, or what is wrong with it (the list is then not narrowed by it).
    pub fn due_by(&self) -> Result<Option<NaiveDate>, String> {
        if self.due_by.trim().is_empty() {
            return Ok(None);
        }
        parse_date_input(&self.due_by)
            .map(Some)
            .map_err(|e| format!("Due by: {e} The list is not narrowed by it."))
    }

    pub fn sort(&self) -> (SortBy, bool) {
        (SortBy::parse(&self.sort), self.dir == "desc")
    }

    /// The rows of the coach chosen (every part of the dashboard is narrowed by it).
    pub fn mine<'a>(&self, rows: &'a [BranchRow]) -> Vec<&'a BranchRow> {
        let coach = self.coach_id();
        rows.iter()
            .filter(|row| coach.is_none_or(|c| row.coach_id == Some(c)))
            .collect()
    }

    /// The open-episode list: the coach, the stage and the due-by day chosen, in the order
    /// chosen.
    pub fn listed<'a>(&self, rows: &'a [BranchRow]) -> Vec<&'a BranchRow> {
        let stage = self.stage();
        let due_by = self.due_by().ok().flatten();
        let mut listed: Vec<&BranchRow> = self
            .mine(rows)
            .into_iter()
            .filter(|row| stage.is_none_or(|s| row.stage == s))
            .filter(|row| {
                due_by.is_none_or(|day| row.work.as_ref().is_some_and(|w| w.deadline.due <= day))
            })
            .collect();
        let (by, descending) = self.sort();
        listed.sort_by(|a, b| {
            let order = compare(by, a, b);
            if descending { order.reverse() } else { order }
        });
        listed
    }

    /// The address of this filter with `changed` values (every other value kept).
    fn link(&self, path: &str, changed: &[(&str, &str)]) -> String {
        let now = [
            ("coach", self.coach.as_str()),
            ("stage", self.stage.as_str()),
            ("due_by", self.due_by.as_str()),
            ("sort", self.sort.as_str()),
            ("dir", self.dir.as_str()),
            ("csort", self.csort.as_str()),
            ("cdir", self.cdir.as_str()),
        ];
        let pairs: Vec<(&str, &str)> = now
            .into_iter()
            .map(|(name, value)| {
                let value = changed
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(value, |(_, v)| *v);
                (name, value)
            })
            .collect();
        format!("{path}?{}", query_of(&pairs))
    }

    /// The address of this filter with the open-episode list sorted by `by`: ascending, or
    /// descending when it is the column already sorted ascending.
    pub fn sorted_by(&self, path: &str, by: SortBy) -> String {
        let (now, descending) = self.sort();
        let dir = if now == by && !descending {
            "desc"
        } else {
            "asc"
        };
        self.link(path, &[("sort", by.key()), ("dir", dir)])
    }

    /// The address of `path` with this filter, as it stands.
    pub fn address(&self, path: &str) -> String {
        self.link(path, &[])
    }

    /// The same filter as a query string, for the CSV link.
    pub fn query(&self) -> String {
        self.link("", &[]).trim_start_matches('?').to_owned()
    }

    pub fn coach_sort(&self) -> (CoachSort, bool) {
        (CoachSort::parse(&self.csort), self.cdir == "desc")
    }

    /// The address of this filter with the work-by-coach table sorted by `by`.
    pub fn coaches_sorted_by(&self, path: &str, by: CoachSort) -> String {
        let (now, descending) = self.coach_sort();
        let dir = if now == by && !descending {
            "desc"
        } else {
            "asc"
        };
        self.link(path, &[("csort", by.key()), ("cdir", dir)])
    }

    /// Each coach's overdue, due-today and at-risk work among the rows of the coach chosen,
    /// in the order chosen (by name when the counts tie).
    pub fn coach_loads(&self, rows: &[BranchRow]) -> Vec<CoachLoad> {
        let mine = self.mine(rows);
        let mut names: Vec<String> = mine.iter().copied().map(coach_name).collect();
        names.sort();
        names.dedup();
        let mut loads: Vec<CoachLoad> = names
            .into_iter()
            .map(|name| {
                let count = |group: u8| {
                    mine.iter()
                        .filter(|row| coach_name(row) == name)
                        .filter(|row| {
                            row.work
                                .as_ref()
                                .is_some_and(|w| w.urgency.group() == group)
                        })
                        .count()
                };
                CoachLoad {
                    overdue: count(0),
                    due_today: count(1),
                    at_risk: count(2),
                    name,
                }
            })
            .collect();
        let (by, descending) = self.coach_sort();
        loads.sort_by(|a, b| {
            let order = match by {
                CoachSort::Coach => Ordering::Equal,
                CoachSort::Overdue => a.overdue.cmp(&b.overdue),
                CoachSort::DueToday => a.due_today.cmp(&b.due_today),
                CoachSort::AtRisk => a.at_risk.cmp(&b.at_risk),
            }
            .then_with(|| a.name.cmp(&b.name));
            if descending { order.reverse() } else { order }
        });
        loads
    }
}

/// `a=1&b=two+words`: the pairs percent-encoded as a form would send them.
fn query_of(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reengage_core::episode::{Deadline, DeadlineKind, DeadlineStatus, Urgency, WorkItem};
    use reengage_core::rules::R2;

    fn row(
        id: i64,
        name: &str,
        coach: Option<(i64, &str)>,
        stage: Stage,
        due: Option<&str>,
    ) -> BranchRow {
        BranchRow {
            episode_id: id,
            participant: name.into(),
            coach_id: coach.map(|c| c.0),
            coach: coach.map(|c| c.1.to_owned()),
            stage,
            work: due.map(|day| {
                let due = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
                WorkItem {
                    deadline: Deadline {
                        kind: DeadlineKind::FirstContact,
                        due,
                        rule: R2,
                        why: "first contact".into(),
                        status: DeadlineStatus::DueIn(3),
                        at_risk: false,
                    },
                    urgency: Urgency::Upcoming(3),
                }
            }),
            appointment_on: None,
            missing_info: vec![],
            awaiting_finalization: false,
        }
    }

    fn rows() -> Vec<BranchRow> {
        vec![
            row(
                1,
                "Dana",
                Some((7, "Casey")),
                Stage::Staffing,
                Some("2026-12-04"),
            ),
            row(
                2,
                "alex",
                Some((8, "Avery")),
                Stage::Missed,
                Some("2026-12-01"),
            ),
            row(3, "Blair", None, Stage::Decided, None),
            row(
                4,
                "Corey",
                Some((7, "Casey")),
                Stage::Missed,
                Some("2026-12-02"),
            ),
        ]
    }

    fn ids(listed: &[&BranchRow]) -> Vec<i64> {
        listed.iter().map(|r| r.episode_id).collect()
    }

    #[test]
    fn most_urgent_first_by_default_and_nothing_due_last() {
        let rows = rows();
        assert_eq!(
            ids(&BranchFilter::default().listed(&rows)),
            vec![2, 4, 1, 3]
        );
    }

    #[test]
    fn each_column_sorts_both_ways() {
        let rows = rows();
        let by = |sort: &str, dir: &str| {
            let filter = BranchFilter {
                sort: sort.into(),
                dir: dir.into(),
                ..BranchFilter::default()
            };
            ids(&filter.listed(&rows))
        };
        assert_eq!(
            by("participant", "asc"),
            vec![2, 3, 4, 1],
            "case does not matter"
        );
        assert_eq!(by("participant", "desc"), vec![1, 4, 3, 2]);
        assert_eq!(
            by("coach", "asc"),
            vec![2, 1, 4, 3],
            "No coach sorts as its words"
        );
        assert_eq!(
            by("stage", "asc"),
            vec![2, 4, 1, 3],
            "in the order of the stages"
        );
        assert_eq!(by("due", "desc"), vec![3, 1, 4, 2]);
        assert_eq!(by("nonsense", ""), vec![2, 4, 1, 3]);
    }

    #[test]
    fn coach_stage_and_due_by_narrow_the_list() {
        let rows = rows();
        let filter = BranchFilter {
            coach: "7".into(),
            ..BranchFilter::default()
        };
        assert_eq!(ids(&filter.mine(&rows)), vec![1, 4]);
        let filter = BranchFilter {
            stage: "Missed".into(),
            due_by: "2026-12-01".into(),
            ..BranchFilter::default()
        };
        assert_eq!(ids(&filter.listed(&rows)), vec![2]);
        let typo = BranchFilter {
            due_by: "Friday".into(),
            ..BranchFilter::default()
        };
        assert!(typo.due_by().unwrap_err().contains("not narrowed"));
        assert_eq!(
            typo.listed(&rows).len(),
            4,
            "a due-by day that cannot be read narrows nothing"
        );
    }

    #[test]
    fn the_work_by_coach_counts_each_group_and_sorts_by_any_column() {
        let mut rows = rows();
        rows[0].work.as_mut().unwrap().urgency = Urgency::Overdue(2);
        rows[3].work.as_mut().unwrap().urgency = Urgency::Overdue(1);
        rows[1].work.as_mut().unwrap().urgency = Urgency::DueToday;
        let names = |filter: &BranchFilter| -> Vec<String> {
            filter
                .coach_loads(&rows)
                .into_iter()
                .map(|l| l.name)
                .collect()
        };
        let loads = BranchFilter::default().coach_loads(&rows);
        assert_eq!(
            loads[1],
            CoachLoad {
                name: "Casey".into(),
                overdue: 2,
                due_today: 0,
                at_risk: 0
            }
        );
        assert_eq!(
            names(&BranchFilter::default()),
            vec!["Avery", "Casey", "No coach"]
        );
        let most_overdue = BranchFilter {
            csort: "overdue".into(),
            cdir: "desc".into(),
            ..BranchFilter::default()
        };
        assert_eq!(names(&most_overdue), vec!["Casey", "No coach", "Avery"]);
        let due_today = BranchFilter {
            csort: "today".into(),
            cdir: "desc".into(),
            ..BranchFilter::default()
        };
        assert_eq!(names(&due_today)[0], "Avery");
    }

    #[test]
    fn a_header_link_sorts_by_its_column_then_reverses_it() {
        let filter = BranchFilter {
            coach: "7".into(),
            stage: "Missed".into(),
            ..BranchFilter::default()
        };
        assert_eq!(
            filter.sorted_by("/branch", SortBy::Coach),
            "/branch?coach=7&stage=Missed&due_by=&sort=coach&dir=asc&csort=&cdir="
        );
        let sorted = BranchFilter {
            sort: "coach".into(),
            ..filter
        };
        assert!(
            sorted
                .sorted_by("/branch", SortBy::Coach)
                .contains("sort=coach&dir=desc")
        );
        assert!(
            sorted
                .sorted_by("/branch", SortBy::Stage)
                .contains("sort=stage&dir=asc")
        );
        // The other table's order is kept.
        let both = BranchFilter {
            csort: "overdue".into(),
            cdir: "desc".into(),
            ..sorted
        };
        assert!(
            both.sorted_by("/branch", SortBy::Stage)
                .ends_with("&csort=overdue&cdir=desc")
        );
        assert!(
            both.coaches_sorted_by("/branch", CoachSort::Overdue)
                .ends_with("sort=coach&dir=&csort=overdue&cdir=asc")
        );
        assert_eq!(encode("a b&c=é"), "a+b%26c%3D%C3%A9");
    }
}

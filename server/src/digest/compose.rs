//! What a morning digest says, read from what the pages show — Today for a coach or a case
//! aide (`pages::today`), Today and the branch page for a supervisor (`pages::branch`) — so
//! the e-mail and the pages never disagree. The e-mail names no participant and no text
//! anyone typed: each line is the step due, its rule, by when, and the episode's number and
//! link (ids only); the page behind the link, after signing in, says who.

use chrono::NaiveDate;
use reengage_app::backend::{BranchView, ToConfirm, TodayRow, TodayView};
use reengage_core::episode::{DeadlineKind, Urgency};
use reengage_core::long_date;

/// How many lines one section lists at most; the rest are counted, on the page behind the
/// link.
const SECTION_LIMIT: usize = 50;

/// Who a digest is for, as it greets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub name: String,
    /// Their office's name.
    pub branch: String,
}

/// What a digest reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A coach's or a case aide's own work, as Today lists it: overdue, due today, at risk
    /// (each its most urgent deadline, R2–R17), and the staffings waiting for their
    /// confirmation of presence (R18).
    Caseload {
        today: NaiveDate,
        overdue: Vec<TodayRow>,
        due_today: Vec<TodayRow>,
        at_risk: Vec<TodayRow>,
        to_confirm: Vec<ToConfirm>,
    },
    /// A supervisor's: the staffings waiting for their confirmation (R18, as Today lists
    /// them), the DQ1 decisions waiting for finalization (R26) and the branch's overdue
    /// count, as the branch page shows them.
    Branch {
        today: NaiveDate,
        to_confirm: Vec<ToConfirm>,
        awaiting_finalization: Vec<i64>,
        overdue: usize,
        /// The branch page lists at most its limit of open episodes: the counts are "at
        /// least".
        truncated: bool,
    },
}

/// The digest's e-mail: its subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

impl Content {
    /// A coach's or aide's digest from their Today.
    pub fn caseload(view: TodayView) -> Self {
        let group = |group: u8| -> Vec<TodayRow> {
            view.rows
                .iter()
                .filter(|row| row.work.urgency.group() == group)
                .cloned()
                .collect()
        };
        Self::Caseload {
            today: view.today,
            overdue: group(0),
            due_today: group(1),
            at_risk: group(2),
            to_confirm: view.to_confirm.clone(),
        }
    }

    /// A supervisor's digest from their Today (the staffings to confirm) and their branch.
    pub fn branch(today: TodayView, branch: BranchView) -> Self {
        Self::Branch {
            today: branch.today,
            to_confirm: today.to_confirm,
            awaiting_finalization: branch
                .rows
                .iter()
                .filter(|row| row.awaiting_finalization)
                .map(|row| row.episode_id)
                .collect(),
            overdue: branch
                .rows
                .iter()
                .filter(|row| {
                    row.work
                        .as_ref()
                        .is_some_and(|work| matches!(work.urgency, Urgency::Overdue(_)))
                })
                .count(),
            truncated: branch.truncated,
        }
    }

    /// The office day the digest is of.
    pub fn today(&self) -> NaiveDate {
        match self {
            Self::Caseload { today, .. } | Self::Branch { today, .. } => *today,
        }
    }

    /// The e-mail, with every link under `public_url`; `None` when there is nothing to report
    /// (then nothing is sent).
    pub fn message(&self, reader: &Reader, public_url: &str) -> Option<Message> {
        let subject = self.subject()?;
        let mut body = format!(
            "Good morning, {}.\n\nYour Re-engage digest for {} ({}).\n",
            reader.name,
            long_date(self.today()),
            reader.branch
        );
        match self {
            Self::Caseload {
                overdue,
                due_today,
                at_risk,
                to_confirm,
                ..
            } => {
                work_section(&mut body, "Overdue", overdue, public_url);
                work_section(&mut body, "Due today", due_today, public_url);
                work_section(
                    &mut body,
                    "At risk — due next business day",
                    at_risk,
                    public_url,
                );
                confirm_section(&mut body, to_confirm, public_url);
                body.push_str(&format!(
                    "\nAll your work, most urgent first: {public_url}/today\n"
                ));
            }
            Self::Branch {
                to_confirm,
                awaiting_finalization,
                overdue,
                truncated,
                ..
            } => {
                confirm_section(&mut body, to_confirm, public_url);
                if !awaiting_finalization.is_empty() {
                    body.push_str(&format!(
                        "\nDQ1 decisions waiting for finalization by an operations manager or lead worker who sat on the staffing (R26) ({}):\n",
                        awaiting_finalization.len()
                    ));
                    for id in awaiting_finalization.iter().take(SECTION_LIMIT) {
                        body.push_str(&format!(
                            "- Episode {id}\n  {public_url}/episodes/{id}/staffing#finalization\n"
                        ));
                    }
                    more(
                        &mut body,
                        awaiting_finalization.len(),
                        public_url,
                        "/branch",
                    );
                }
                let at_least = if *truncated { "at least " } else { "" };
                body.push_str(&format!(
                    "\nThe branch: {at_least}{} overdue.\n  {public_url}/branch\n",
                    episodes(*overdue)
                ));
            }
        }
        body.push_str(&format!(
            "\nThis e-mail comes at 7:00 office time on business days when there is something to \
             report. To stop it or start it again: {public_url}/account/email\n"
        ));
        Some(Message { subject, body })
    }

    /// "Re-engage: 2 overdue, 3 due today"; `None` when there is nothing to report.
    fn subject(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut count = |n: usize, words: String| {
            if n > 0 {
                parts.push(words);
            }
        };
        match self {
            Self::Caseload {
                overdue,
                due_today,
                at_risk,
                to_confirm,
                ..
            } => {
                count(overdue.len(), format!("{} overdue", overdue.len()));
                count(due_today.len(), format!("{} due today", due_today.len()));
                count(at_risk.len(), format!("{} at risk", at_risk.len()));
                count(to_confirm.len(), staffings_to_confirm(to_confirm.len()));
            }
            Self::Branch {
                to_confirm,
                awaiting_finalization,
                overdue,
                truncated,
                ..
            } => {
                count(to_confirm.len(), staffings_to_confirm(to_confirm.len()));
                let n = awaiting_finalization.len();
                count(n, format!("{n} DQ1 decision{} to finalize", plural(n)));
                let plus = if *truncated { "+" } else { "" };
                count(*overdue, format!("{overdue}{plus} overdue in the branch"));
            }
        }
        (!parts.is_empty()).then(|| format!("Re-engage: {}", parts.join(", ")))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn episodes(n: usize) -> String {
    format!("{n} episode{}", plural(n))
}

fn staffings_to_confirm(n: usize) -> String {
    format!("{n} staffing{} to confirm", plural(n))
}

/// The step a deadline asks for, in words of Re-engage's own (never typed text).
pub fn step(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::FirstContact => "first contact",
        DeadlineKind::AdjustPlan => "contact to adjust the plan (target)",
        DeadlineKind::FollowUp => "follow-up attempt",
        DeadlineKind::Invite => "invitation to a re-engagement appointment",
        DeadlineKind::NoticeMailing => "DHS 7869 notice to mail",
        DeadlineKind::CaseReview => "case review at the re-engagement appointment",
    }
}

/// "And 12 more" under a section cut at [`SECTION_LIMIT`], with the page that lists them.
fn more(body: &mut String, count: usize, public_url: &str, page: &str) {
    if count > SECTION_LIMIT {
        body.push_str(&format!(
            "- and {} more: {public_url}{page}\n",
            count - SECTION_LIMIT
        ));
    }
}

/// One group of Today's rows: each the step due and its rule, by when, and the episode's link.
fn work_section(body: &mut String, heading: &str, rows: &[TodayRow], public_url: &str) {
    if rows.is_empty() {
        return;
    }
    body.push_str(&format!("\n{heading} ({}):\n", rows.len()));
    for row in rows.iter().take(SECTION_LIMIT) {
        let deadline = &row.work.deadline;
        body.push_str(&format!(
            "- Episode {id}: {step} ({rule}), due {due} — {urgency}\n  {public_url}/episodes/{id}\n",
            id = row.episode_id,
            step = step(deadline.kind),
            rule = deadline.rule,
            due = long_date(deadline.due),
            urgency = row.work.urgency.label(),
        ));
    }
    more(body, rows.len(), public_url, "/today");
}

/// R18: the staffings waiting for the reader's confirmation of presence.
fn confirm_section(body: &mut String, to_confirm: &[ToConfirm], public_url: &str) {
    if to_confirm.is_empty() {
        return;
    }
    body.push_str(&format!(
        "\nStaffings waiting for your confirmation that you were present (R18) ({}):\n",
        to_confirm.len()
    ));
    for row in to_confirm.iter().take(SECTION_LIMIT) {
        body.push_str(&format!(
            "- Episode {id}: staffing of {held}\n  {public_url}/episodes/{id}/staffing#presence\n",
            id = row.episode_id,
            held = long_date(row.held_on),
        ));
    }
    more(body, to_confirm.len(), public_url, "/today");
}

#[cfg(test)]
mod tests {
    use super::*;
    use reengage_app::backend::Viewer;
    use reengage_core::episode::{Deadline, DeadlineStatus, WorkItem};
    use reengage_core::roles::Role;
    use reengage_core::rules::RuleId;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn row(id: i64, urgency: Urgency, kind: DeadlineKind, rule: u8, due: &str) -> TodayRow {
        TodayRow {
            episode_id: id,
            participant: "Dana Example".into(),
            phone: Some("503-555-0100".into()),
            phone_in_service: true,
            work: WorkItem {
                urgency,
                deadline: Deadline {
                    kind,
                    rule: RuleId(rule),
                    due: day(due),
                    status: DeadlineStatus::DueToday,
                    at_risk: false,
                    why: "first contact — 1 business day after the missed orientation with Dana"
                        .into(),
                },
            },
        }
    }

    fn reader() -> Reader {
        Reader {
            name: "Casey Coach".into(),
            branch: "North Office".into(),
        }
    }

    #[test]
    fn a_coachs_digest_lists_each_group_with_its_rule_and_link_and_names_no_participant() {
        let view = TodayView {
            viewer: Viewer {
                initials: "CC".into(),
                role: Role::FamilyCoach,
            },
            today: day("2026-12-01"),
            rows: vec![
                row(
                    7,
                    Urgency::Overdue(2),
                    DeadlineKind::FirstContact,
                    2,
                    "2026-11-27",
                ),
                row(
                    8,
                    Urgency::DueToday,
                    DeadlineKind::NoticeMailing,
                    15,
                    "2026-12-01",
                ),
                row(9, Urgency::AtRisk, DeadlineKind::FollowUp, 9, "2026-12-02"),
                row(
                    10,
                    Urgency::Upcoming(4),
                    DeadlineKind::Invite,
                    12,
                    "2026-12-07",
                ),
            ],
            to_confirm: vec![],
            next: None,
            later: false,
        };
        let message = Content::caseload(view)
            .message(&reader(), "https://reengage.example.gov")
            .unwrap();
        assert_eq!(
            message.subject,
            "Re-engage: 1 overdue, 1 due today, 1 at risk"
        );
        let body = &message.body;
        for line in [
            "Overdue (1):\n- Episode 7: first contact (R2), due Friday, November 27, 2026 — Overdue by 2 business days\n  https://reengage.example.gov/episodes/7\n",
            "Due today (1):\n- Episode 8: DHS 7869 notice to mail (R15)",
            "At risk — due next business day (1):\n- Episode 9: follow-up attempt (R9)",
            "https://reengage.example.gov/account/email",
        ] {
            assert!(body.contains(line), "{line}\nin\n{body}");
        }
        // Upcoming work waits for Today; no name, phone or typed text leaves in the e-mail.
        assert!(!body.contains("Episode 10"), "{body}");
        for private in ["Dana", "503-555", "orientation"] {
            assert!(!body.contains(private), "{private} in {body}");
        }
    }

    #[test]
    fn nothing_to_report_is_no_e_mail() {
        let empty = Content::Caseload {
            today: day("2026-12-01"),
            overdue: vec![],
            due_today: vec![],
            at_risk: vec![],
            to_confirm: vec![],
        };
        assert_eq!(empty.message(&reader(), "https://x.example"), None);
        let quiet_branch = Content::Branch {
            today: day("2026-12-01"),
            to_confirm: vec![],
            awaiting_finalization: vec![],
            overdue: 0,
            truncated: false,
        };
        assert_eq!(quiet_branch.message(&reader(), "https://x.example"), None);
    }

    #[test]
    fn a_supervisors_digest_counts_the_branch() {
        let content = Content::Branch {
            today: day("2026-12-01"),
            to_confirm: vec![ToConfirm {
                episode_id: 4,
                participant: "Dana Example".into(),
                held_on: day("2026-11-30"),
            }],
            awaiting_finalization: vec![5, 6],
            overdue: 3,
            truncated: true,
        };
        let message = content.message(&reader(), "https://x.example").unwrap();
        assert_eq!(
            message.subject,
            "Re-engage: 1 staffing to confirm, 2 DQ1 decisions to finalize, 3+ overdue in the branch"
        );
        assert!(
            message
                .body
                .contains("- Episode 4: staffing of Monday, November 30, 2026\n  https://x.example/episodes/4/staffing#presence\n"),
            "{}",
            message.body
        );
        assert!(
            message
                .body
                .contains("https://x.example/episodes/6/staffing#finalization")
        );
        assert!(message.body.contains("at least 3 episodes overdue"));
        assert!(!message.body.contains("Dana"));
    }
}

//! The staffing workspace's form as named fields: the server reads them from the POST, the
//! browser from the form on every change, and both parse them here into `core`'s `Staffing`
//! and `Decision`, which `core` then checks. So what the page says while the team fills it in
//! is what the server will answer (R17–R23, R26, R30).

use chrono::NaiveDate;
use reengage_core::episode::{
    self, BarrierArea, BarrierFinding, Decision, DecisionOutcome, GoodCause, GoodCauseAnswers,
    HouseholdMember, Partner, ReadinessItem, Release, Staffing, StaffingMember, StaffingRole,
    Transition,
};
use reengage_core::parse_date_input;

use crate::backend::{StaffingPage, TeamMember};
use crate::routes::forms::{code, from_code};
use reengage_core::BusinessCalendar;

/// Rows for team members who are not the branch's staff (child welfare, a contractor, a
/// designee without an account): named only, they never count toward the three (R18).
pub const OTHER_MEMBER_ROWS: usize = 3;
/// The longest note or accommodation of a finding, and the longest line of a list.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The most strategies or next steps (one per line).
pub const MAX_LINES: usize = 20;
const MAX_NAME_CHARS: usize = 120;
const MAX_INITIALS_CHARS: usize = 8;

/// A form's fields as sent: `(name, value)` in order; a name may repeat (check boxes).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `name` was sent with `value` (a ticked box, a chosen radio button).
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.all(name).any(|v| v == value)
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }
}

/// The field of one barrier finding (R20): `MentalHealth.Adult.present`, `….accommodation`,
/// `….affected`, `….notes`.
pub fn finding_field(area: BarrierArea, who: HouseholdMember, part: &str) -> String {
    format!("{}.{}.{part}", code(area), code(who))
}

/// A yes/no answer as a form sends it; "" is not answered.
pub fn yes_no(answer: Option<bool>) -> &'static str {
    match answer {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn answer(text: &str) -> Option<bool> {
    match text {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The good-cause questions (R23) by field name.
pub const GOOD_CAUSE_FIELDS: [&str; 4] = [
    "gc_exempt",
    "gc_outside_control",
    "gc_household_issue",
    "gc_department_failed",
];

fn good_cause_answers(answers: &GoodCauseAnswers) -> [Option<bool>; 4] {
    [
        answers.exempt,
        answers.outside_control,
        answers.household_issue,
        answers.department_failed,
    ]
}

/// The form as it first shows: the saved staffing, or for a new one the staffing day (today)
/// with the participant's coach and the signed-in person on the team.
pub fn initial(page: &StaffingPage) -> Fields {
    let mut fields = Fields::default();
    fields.push("version", page.version.to_string());
    let Some(staffing) = &page.facts.staffing else {
        fields.push("held_on", page.today.to_string());
        for id in [page.coach_id, Some(page.viewer_id)].into_iter().flatten() {
            if page.team.iter().any(|m| m.staff_id == id) && !fields.has("member", &id.to_string())
            {
                fields.push("member", id.to_string());
            }
        }
        fields.push("decided_on", page.today.to_string());
        return fields;
    };
    fields.push("held_on", staffing.held_on.to_string());
    if staffing.participant_attended {
        fields.push("attended", "yes");
    }
    let mut others = 0;
    for member in &staffing.members {
        match member.staff_id {
            Some(staff_id) => fields.push("member", staff_id.to_string()),
            None if others < OTHER_MEMBER_ROWS => {
                fields.push(format!("other_initials_{others}"), member.initials.clone());
                fields.push(format!("other_role_{others}"), code(member.role));
                others += 1;
            }
            None => {}
        }
    }
    for partner in &staffing.partners {
        let on_file = page
            .releases
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(&partner.name));
        if on_file {
            fields.push("partner", partner.name.clone());
        } else {
            fields.push("other_partner", partner.name.clone());
        }
    }
    for finding in &staffing.barrier_review {
        let field = |part| finding_field(finding.area, finding.who, part);
        fields.push(field("present"), yes_no(Some(finding.present)));
        if let Some(text) = &finding.accommodation_offered {
            fields.push(field("accommodation"), text.clone());
        }
        fields.push(field("affected"), yes_no(finding.affected_participation));
        if let Some(text) = &finding.notes {
            fields.push(field("notes"), text.clone());
        }
    }
    for (name, value) in GOOD_CAUSE_FIELDS
        .into_iter()
        .zip(good_cause_answers(&staffing.good_cause))
    {
        fields.push(name, yes_no(value));
    }
    fields.push("strategies", staffing.recommended_strategies.join("\n"));
    fields.push("next_steps", staffing.pdp_next_steps.join("\n"));
    fields.push("decided_on", page.today.to_string());
    fields
}

fn text_of(fields: &Fields, name: &str, what: &str) -> Result<Option<String>, String> {
    let text = fields.get(name).trim();
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(format!(
            "{what} can have at most {MAX_NOTE_CHARS} characters."
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn lines_of(fields: &Fields, name: &str, what: &str) -> Result<Vec<String>, String> {
    let lines: Vec<String> = fields
        .get(name)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if lines.len() > MAX_LINES {
        return Err(format!("{what}: at most {MAX_LINES} lines, one per line."));
    }
    if lines.iter().any(|l| l.chars().count() > MAX_NOTE_CHARS) {
        return Err(format!(
            "{what}: a line can have at most {MAX_NOTE_CHARS} characters."
        ));
    }
    Ok(lines)
}

fn members_of(fields: &Fields, team: &[TeamMember]) -> Result<Vec<StaffingMember>, String> {
    let mut members = Vec::new();
    for id in fields.all("member") {
        let member = id
            .parse::<i64>()
            .ok()
            .and_then(|id| team.iter().find(|m| m.staff_id == id))
            .ok_or(
                "Reload the page: someone ticked on the team is no longer on the branch's list.",
            )?;
        // R18: a staff account of the branch; the server takes its seat from the account.
        members.push(StaffingMember::account(
            member.staff_id,
            member.initials.clone(),
            member.role,
        ));
    }
    for row in 0..OTHER_MEMBER_ROWS {
        let initials = fields.get(&format!("other_initials_{row}")).trim();
        let role = fields.get(&format!("other_role_{row}"));
        match (initials.is_empty(), role.is_empty()) {
            (true, true) => continue,
            (true, false) => {
                return Err(format!(
                    "Give the initials of the other team member in row {}, or clear its role.",
                    row + 1
                ));
            }
            (false, true) => {
                return Err(format!(
                    "Choose the role of {initials} on the team (row {}).",
                    row + 1
                ));
            }
            (false, false) => {}
        }
        if initials.chars().count() > MAX_INITIALS_CHARS
            || !initials
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        {
            return Err(format!(
                "Initials are letters, at most {MAX_INITIALS_CHARS} (row {}).",
                row + 1
            ));
        }
        let role: StaffingRole =
            from_code(role).ok_or("Choose each other member's role from the list.")?;
        // Named only: never counts toward the three (R18).
        members.push(StaffingMember::named(initials.to_uppercase(), role));
    }
    Ok(members)
}

fn partners_of(
    fields: &Fields,
    releases: &[(String, Release)],
    held_on: NaiveDate,
) -> Result<Vec<Partner>, String> {
    let other = fields.get("other_partner").trim();
    let mut partners = Vec::new();
    for name in fields
        .all("partner")
        .chain((!other.is_empty()).then_some(other))
    {
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(format!(
                "A partner's name can have at most {MAX_NAME_CHARS} characters."
            ));
        }
        if partners
            .iter()
            .any(|p: &Partner| p.name.eq_ignore_ascii_case(name.trim()))
        {
            continue;
        }
        // R19: the release on file decides, never the form.
        partners.push(Partner::with_release_on_file(name, releases, held_on));
    }
    Ok(partners)
}

fn findings_of(fields: &Fields) -> Result<Vec<BarrierFinding>, String> {
    let mut findings = Vec::new();
    for (area, who) in BarrierArea::cells() {
        {
            let field = |part| finding_field(area, who, part);
            let what = format!("The note on {} ({})", area.label(), who.label());
            // Not answered: not reviewed yet (R20).
            let Some(present) = answer(fields.get(&field("present"))) else {
                continue;
            };
            findings.push(BarrierFinding {
                area,
                who,
                present,
                accommodation_offered: if present {
                    text_of(fields, &field("accommodation"), &what)?
                } else {
                    None
                },
                affected_participation: if present {
                    answer(fields.get(&field("affected")))
                } else {
                    None
                },
                notes: text_of(fields, &field("notes"), &what)?,
            });
        }
    }
    Ok(findings)
}

/// What the form proposes: the staffing, and the decision if one is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub staffing: Staffing,
    pub decision: Option<Decision>,
}

/// The staffing and decision the form describes, or a sentence saying what to fix.
pub fn proposal(
    fields: &Fields,
    team: &[TeamMember],
    releases: &[(String, Release)],
) -> Result<Proposal, String> {
    let held_on = parse_date_input(fields.get("held_on"))
        .map_err(|e| format!("The day the staffing was held: {e}"))?;
    let answers: Vec<Option<bool>> = GOOD_CAUSE_FIELDS
        .iter()
        .map(|name| answer(fields.get(name)))
        .collect();
    let staffing = Staffing {
        held_on,
        members: members_of(fields, team)?,
        participant_attended: fields.has("attended", "yes"),
        partners: partners_of(fields, releases, held_on)?,
        barrier_review: findings_of(fields)?,
        good_cause: GoodCauseAnswers {
            exempt: answers[0],
            outside_control: answers[1],
            household_issue: answers[2],
            department_failed: answers[3],
        },
        recommended_strategies: lines_of(
            fields,
            "strategies",
            "Recommended engagement strategies",
        )?,
        pdp_next_steps: lines_of(fields, "next_steps", "PDP next steps")?,
    };
    let decision = match fields.get("outcome") {
        "" => None,
        outcome => Some(Decision::by_team(
            from_code::<DecisionOutcome>(outcome)
                .ok_or("Choose the team's decision from the list.")?,
            parse_date_input(fields.get("decided_on"))
                .map_err(|e| format!("The day of the decision: {e}"))?,
        )),
    };
    Ok(Proposal { staffing, decision })
}

/// A partner named for the staffing, with whether an MCS 3010 is in force on its day (R19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerStanding {
    pub name: String,
    pub cleared: bool,
}

/// What the staffing and finalization forms are checked against, in the browser as on the
/// server: the facts, the branch's team and the releases on file (the office's calendar comes
/// with the form's state), and the signed-in person's seat.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffingCheck {
    /// The episode (the readiness list links to its pages).
    pub id: i64,
    pub today: NaiveDate,
    pub facts: episode::EpisodeFacts,
    pub team: Vec<TeamMember>,
    pub releases: Vec<(String, Release)>,
    /// The signed-in person's account: a DQ1's finalizer must have sat on the team and
    /// confirmed it (R18, R26).
    pub viewer_id: i64,
    /// Whether the signed-in person may finalize a DQ1: only they are told why they may not.
    pub may_finalize: bool,
}

impl From<&StaffingPage> for StaffingCheck {
    fn from(page: &StaffingPage) -> Self {
        StaffingCheck {
            id: page.id,
            today: page.today,
            facts: page.facts.clone(),
            team: page.team.clone(),
            releases: page.releases.clone(),
            viewer_id: page.viewer_id,
            may_finalize: page.may.finalize && page.facts.finalized_on.is_none(),
        }
    }
}

/// What the page says about the form as it stands, all of it from `core`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// The form cannot be read yet: what to fix.
    pub problem: Option<String>,
    /// R18: department staff on the team (accounts of the branch), how many more are needed,
    /// and how many of them confirmed being present (kept while the team stays the same).
    pub department: usize,
    pub needed: usize,
    pub confirmed: usize,
    pub partners: Vec<PartnerStanding>,
    /// R23: good cause from the answers and the exemptions overlapping the episode.
    pub cause: GoodCause,
    pub outcome: Option<DecisionOutcome>,
    /// `core`'s refusal of the staffing as filled in, if any.
    pub staffing_refusal: Option<String>,
    /// `core`'s refusal of the decision chosen, if any.
    pub decision_refusal: Option<String>,
    /// R26: why a DQ1 may not be imposed now, whatever is chosen — `None` only when `core`
    /// would allow it — and every step of due process not done.
    pub dq1_refusal: Option<String>,
    pub unmet: Vec<ReadinessItem>,
}

/// Reviews the form `fields` of the workspace `page` as the server would check it.
pub fn review(page: &StaffingCheck, calendar: &BusinessCalendar, fields: &Fields) -> Review {
    let proposal = match proposal(fields, &page.team, &page.releases) {
        Ok(proposal) => proposal,
        Err(problem) => {
            return Review {
                problem: Some(problem),
                dq1_refusal: Some(
                    "Correct what is said above; the DQ1 readiness is checked again.".to_owned(),
                ),
                ..Review::default()
            };
        }
    };
    let staffing = &proposal.staffing;
    let record = Transition::RecordStaffing(staffing.clone());
    let staffing_refusal = episode::check(&page.facts, &record, page.today, calendar)
        .err()
        .map(|r| r.to_string());
    let staffed = episode::apply(&page.facts, &record, page.today);
    let through = proposal
        .decision
        .as_ref()
        .map_or(staffing.held_on, |d| d.decided_on);
    let mut review = Review {
        problem: None,
        department: staffing.department_staff(),
        needed: episode::department_staff_needed(staffing),
        confirmed: staffed
            .staffing
            .as_ref()
            .map_or(0, Staffing::confirmed_department_staff),
        partners: staffing
            .partners
            .iter()
            .map(|p| PartnerStanding {
                name: p.name.clone(),
                cleared: p.cleared_on(staffing.held_on),
            })
            .collect(),
        cause: episode::good_cause(&staffed, through),
        outcome: proposal.decision.as_ref().map(|d| d.outcome),
        staffing_refusal,
        ..Review::default()
    };
    if let Some(decision) = &proposal.decision {
        let decide = Transition::Decide(decision.clone());
        review.decision_refusal = episode::check(&staffed, &decide, page.today, calendar)
            .err()
            .map(|refusal| refusal.to_string());
    }
    // R26: the DQ1 weighed on the day of the decision, whichever outcome is chosen, so the
    // list never says "done" for a decision not checked.
    let decided_on = proposal
        .decision
        .as_ref()
        .map(|d| d.decided_on)
        .or_else(|| parse_date_input(fields.get("decided_on")).ok())
        .unwrap_or(page.today);
    let dq1 = Transition::Decide(Decision::by_team(DecisionOutcome::Dq1, decided_on));
    match episode::check(&staffed, &dq1, page.today, calendar) {
        Err(refusal) => {
            review.unmet = refusal.unmet().map(<[_]>::to_vec).unwrap_or_default();
            review.dq1_refusal = Some(refusal.to_string());
        }
        Ok(()) => review.dq1_refusal = review.staffing_refusal.clone(),
    }
    review
}

/// The steps after a DQ1 (R27) by field name, with the step each ticks.
pub const POST_DQ1_FIELDS: [&str; 6] = [
    "re_step_recorded",
    "pdp_copy_to_participant",
    "dq1_selected_on_page",
    "one_case_note",
    "resources_offered",
    "page_finalized",
];

/// The steps after a DQ1 a finalization form ticks.
pub fn post_dq1_steps(fields: &Fields) -> episode::PostDq1Steps {
    let ticked = |name| fields.has(name, "yes");
    episode::PostDq1Steps {
        re_step_recorded: ticked(POST_DQ1_FIELDS[0]),
        pdp_copy_to_participant: ticked(POST_DQ1_FIELDS[1]),
        dq1_selected_on_page: ticked(POST_DQ1_FIELDS[2]),
        one_case_note: ticked(POST_DQ1_FIELDS[3]),
        resources_offered: ticked(POST_DQ1_FIELDS[4]),
        page_finalized: ticked(POST_DQ1_FIELDS[5]),
    }
}

/// The finalization form's fields for the steps already recorded.
pub fn post_dq1_fields(page: &StaffingPage) -> Fields {
    let steps = &page.facts.post_dq1;
    let mut fields = Fields::default();
    fields.push("version", page.version.to_string());
    let flags = [
        steps.re_step_recorded,
        steps.pdp_copy_to_participant,
        steps.dq1_selected_on_page,
        steps.one_case_note,
        steps.resources_offered,
        steps.page_finalized,
    ];
    for (name, done) in POST_DQ1_FIELDS.into_iter().zip(flags) {
        if done {
            fields.push(name, "yes");
        }
    }
    fields
}

/// What the finalization form says as its boxes are ticked, from `core` (R26, R27).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinalizationReview {
    /// The steps as ticked cannot be recorded (a finalized DQ1 keeps its steps).
    pub steps_refusal: Option<String>,
    /// Every item that stops the DQ1 from being finalized with those steps.
    pub unmet: Vec<ReadinessItem>,
    /// Why the signed-in person may not finalize it, other than the unmet items.
    pub finalizer: Option<String>,
}

/// Reviews the finalization form `fields`: finalizing today, as the signed-in person.
pub fn finalization(
    page: &StaffingCheck,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> FinalizationReview {
    let steps = Transition::RecordPostDq1Steps(post_dq1_steps(fields));
    let steps_refusal = episode::check(&page.facts, &steps, page.today, calendar)
        .err()
        .map(|r| r.to_string());
    let with_steps = episode::apply(&page.facts, &steps, page.today);
    let finalize = Transition::FinalizeDq1 {
        on: page.today,
        staff_id: page.viewer_id,
    };
    let finalizer = match episode::check(&with_steps, &finalize, page.today, calendar) {
        Err(refusal) if refusal.unmet().is_none() => Some(refusal.to_string()),
        _ => None,
    };
    FinalizationReview {
        steps_refusal,
        unmet: episode::dq1_readiness(&with_steps, calendar),
        finalizer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::StaffingRights;
    use reengage_core::deadlines::ResponseWindow;
    use reengage_core::episode::{
        Attempt, AttemptOutcome, ContactMethod, EpisodeFacts, MissingInfo, MissingInfoKind,
        ReportedBy, Stage, Trigger, TriggerKind,
    };
    use reengage_core::rules::{R17, R18, R19, R20, R23};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A November 2026 episode waiting for its staffing: two attempts, the appointment on
    /// Wednesday 11-18 with its notice mailed in time, and a child safety check outstanding.
    fn page() -> StaffingPage {
        let mut facts = EpisodeFacts::new(
            "Ms. Smith",
            Trigger {
                kind: TriggerKind::MissedCoachAppointment,
                what: "orientation".into(),
                on: d("2026-11-02"),
                at: None,
                reported_by: ReportedBy::Department,
                aware_on: None,
            },
        );
        for (on, method, window) in [
            ("2026-11-03", ContactMethod::Phone, Some(2)),
            ("2026-11-05", ContactMethod::Written, None),
        ] {
            facts.attempts.push(Attempt {
                on: d(on),
                method,
                outcome: AttemptOutcome::MessageLeft,
                response_window: window.map(|w| ResponseWindow::new(w).unwrap()),
                by_initials: "CD".into(),
                note: None,
                by_contractor: false,
            });
        }
        facts.appointment = Some(reengage_core::episode::Appointment {
            on: d("2026-11-18"),
            at: None,
            scheduled_on: d("2026-11-10"),
            notice_mailed_on: Some(d("2026-11-10")),
        });
        facts.missing_info.push(MissingInfo {
            kind: MissingInfoKind::ChildSafetyCheck,
            description: "child safety check".into(),
            requested_on: d("2026-11-18"),
            resolved_on: None,
        });
        let member = |staff_id, initials: &str, role| TeamMember {
            staff_id,
            name: format!("Staff {initials}"),
            initials: initials.into(),
            role,
        };
        StaffingPage {
            id: 1,
            version: 7,
            today: d("2026-11-19"),
            participant: "Ms. Smith".into(),
            case_number: "C-1".into(),
            stage: Stage::Staffing,
            closed: false,
            facts,
            closures: vec![],
            team: vec![
                member(1, "CD", StaffingRole::FamilyCoach),
                member(2, "MD", StaffingRole::OperationsManager),
                member(3, "ED", StaffingRole::EngagementSpecialist),
            ],
            releases: vec![(
                "Community Action".into(),
                Release {
                    signed_on: d("2026-01-05"),
                    expires_on: Some(d("2026-12-31")),
                },
            )],
            coach_id: Some(1),
            viewer_id: 2,
            may: StaffingRights::default(),
            earlier: vec![],
            drafts: vec![],
            narratives: vec![],
        }
    }

    /// Every area reviewed (none present), every good-cause question no, strategies, steps.
    fn complete(page: &StaffingPage) -> Fields {
        let mut fields = initial(page);
        fields.push("member", "3");
        for (area, who) in BarrierArea::cells() {
            fields.push(finding_field(area, who, "present"), "no");
        }
        for name in GOOD_CAUSE_FIELDS {
            fields.push(name, "no");
        }
        fields
            .0
            .retain(|(name, _)| name != "strategies" && name != "next_steps");
        fields.push("strategies", "Weekly check-in call\n\n  Home visit ");
        fields.push("next_steps", "Job search");
        fields
    }

    fn rules(review: &Review) -> Vec<reengage_core::RuleId> {
        review.unmet.iter().map(|i| i.rule).collect()
    }

    fn reviewed(page: &StaffingPage, fields: &Fields) -> Review {
        review(&StaffingCheck::from(page), &page.calendar(), fields)
    }

    fn finalized(page: &StaffingPage, fields: &Fields) -> FinalizationReview {
        finalization(&StaffingCheck::from(page), &page.calendar(), fields)
    }

    /// The form's island gets the workspace as a check inside its JSON state, with the office's
    /// closures: decoded in the browser, it reviews every form as the server does.
    #[test]
    fn the_islands_check_reviews_as_the_server_does() {
        use crate::live::{Check, LiveState};
        let mut page = page();
        page.closures.push(reengage_core::calendar::Closure {
            date: d("2026-11-20"),
            name: "Ice storm".into(),
        });
        let state = LiveState::new(
            Check::Staffing(Box::new(StaffingCheck::from(&page))),
            page.closures.clone(),
            Fields::default(),
        );
        let decoded = LiveState::decode(&state.encode()).expect("decodes");
        assert_eq!(decoded, state);
        let Check::Staffing(check) = decoded.check else {
            unreachable!("decoded as encoded")
        };
        let calendar = BusinessCalendar::oregon().with_closures(decoded.closures);
        for fields in [initial(&page), complete(&page), post_dq1_fields(&page)] {
            assert_eq!(review(&check, &calendar, &fields), reviewed(&page, &fields));
            assert_eq!(
                finalization(&check, &calendar, &fields),
                finalized(&page, &fields)
            );
        }
    }

    /// R26: the readiness list is always on a page that cannot follow the form; a live page
    /// shows it while a DQ1 is chosen. The team's and good cause's lines are said in their
    /// own regions.
    #[test]
    fn r26_the_readiness_list_waits_for_a_dq1_once_the_page_is_live() {
        use crate::live::{Block, Region};
        use crate::routes::staffing::team_form::said;
        let page = page();
        let check = StaffingCheck::from(&page);
        let mut fields = initial(&page);
        let before = said(&check, &page.calendar(), &fields);
        assert!(
            matches!(before.blocks(Region::Decision), [Block::UntilLive(section)] if matches!(**section, Block::Section { class: "readiness", .. })),
            "{before:?}"
        );
        assert!(matches!(
            before.blocks(Region::Team),
            [Block::Text { text, .. }] if text == "2 department staff on the team: 1 more needed — at least three (R18). 0 confirmed being present; a DQ1 needs three who did."
        ));
        assert!(before.blocks(Region::Partners).is_empty());
        fields.push("outcome", code(DecisionOutcome::Dq1));
        let dq1 = said(&check, &page.calendar(), &fields);
        assert!(
            matches!(
                dq1.blocks(Region::Decision),
                [Block::Section {
                    class: "readiness",
                    ..
                }]
            ),
            "{dq1:?}"
        );
    }

    #[test]
    fn a_new_staffing_starts_with_the_coach_and_the_signed_in_person_and_today() {
        let fields = initial(&page());
        assert_eq!(fields.all("member").collect::<Vec<_>>(), vec!["1", "2"]);
        assert_eq!(fields.get("held_on"), "2026-11-19");
        assert_eq!(fields.get("version"), "7");
        let said = reviewed(&page(), &fields);
        assert_eq!((said.department, said.needed), (2, 1), "R18");
    }

    #[test]
    fn r26_the_dq1_list_is_weighed_whatever_outcome_is_chosen() {
        let page = page();
        // Nothing chosen: the list is there, and never says the DQ1 may be imposed.
        let said = reviewed(&page, &initial(&page));
        assert_eq!(said.outcome, None);
        assert!(said.dq1_refusal.is_some());
        assert!(
            rules(&said).contains(&R17) && rules(&said).contains(&R20),
            "{said:?}"
        );
        // Everything done but the child safety check and the team's confirmations (R18: a
        // team just picked has none).
        let fields = complete(&page);
        let said = reviewed(&page, &fields);
        assert_eq!(rules(&said), vec![R17, R18]);
        assert_eq!(said.confirmed, 0);
        // The same team saved and confirmed by its three members: they stand.
        let mut page = page;
        let mut saved = proposal(&fields, &page.team, &page.releases)
            .unwrap()
            .staffing;
        for member in &mut saved.members {
            member.confirmed_on = Some(d("2026-11-19"));
        }
        page.facts.staffing = Some(saved);
        let said = reviewed(&page, &fields);
        assert_eq!(rules(&said), vec![R17]);
        assert_eq!(said.confirmed, 3);
        assert_eq!(
            said.decision_refusal, None,
            "no outcome chosen, none refused"
        );
        // Another team clears them.
        let mut other = fields.clone();
        other
            .0
            .retain(|(name, value)| !(name == "member" && value == "3"));
        assert_eq!(reviewed(&page, &other).confirmed, 0);
        // Gathered: a DQ1 may be imposed; a good cause decision is refused (no cause).
        let mut gathered = page.clone();
        gathered.facts.missing_info[0].resolved_on = Some(d("2026-11-19"));
        let said = reviewed(&gathered, &fields);
        assert_eq!((said.dq1_refusal.clone(), rules(&said)), (None, vec![]));
        let mut good_cause = fields.clone();
        good_cause.push("outcome", "GoodCause");
        let said = reviewed(&gathered, &good_cause);
        assert!(said.decision_refusal.unwrap().contains("(R23)"));
    }

    #[test]
    fn r19_r23_partners_and_good_cause_as_the_form_stands() {
        let page = page();
        let mut fields = complete(&page);
        fields.push("partner", "Community Action");
        fields.push("other_partner", "Food bank");
        fields.0.retain(|(name, _)| name != "gc_household_issue");
        fields.push("gc_household_issue", "yes");
        let said = reviewed(&page, &fields);
        assert_eq!(
            said.partners,
            vec![
                PartnerStanding {
                    name: "Community Action".into(),
                    cleared: true
                },
                PartnerStanding {
                    name: "Food bank".into(),
                    cleared: false
                },
            ]
        );
        assert!(
            said.staffing_refusal
                .as_deref()
                .unwrap()
                .contains("Food bank may not be invited")
        );
        assert!(said.cause.found());
        assert!(rules(&said).contains(&R19) && rules(&said).contains(&R23));
    }

    #[test]
    fn the_form_reads_back_as_cores_staffing_or_says_what_to_fix() {
        let page = page();
        let proposed = proposal(&complete(&page), &page.team, &page.releases).unwrap();
        let staffing = proposed.staffing;
        assert_eq!(staffing.held_on, d("2026-11-19"));
        assert_eq!(staffing.members.len(), 3);
        assert_eq!(staffing.barrier_review.len(), 10);
        assert_eq!(
            staffing.recommended_strategies,
            vec!["Weekly check-in call", "Home visit"]
        );
        assert_eq!(proposed.decision, None);
        // What to fix, in a sentence each; the DQ1 is not said to be possible meanwhile.
        let cases: [(&[(&str, &str)], &str); 5] = [
            (&[("held_on", "soon")], "The day the staffing was held"),
            (&[("member", "99")], "Reload the page"),
            (&[("other_initials_0", "CW")], "Choose the role of CW"),
            (&[("other_role_0", "ChildWelfare")], "Give the initials"),
            (
                &[("outcome", "Dq1"), ("decided_on", "")],
                "The day of the decision",
            ),
        ];
        for (extra, said) in cases {
            let mut fields = complete(&page);
            for (name, value) in extra {
                fields.0.retain(|(n, _)| n != name);
                fields.push(*name, *value);
            }
            let answer = reviewed(&page, &fields);
            assert!(
                answer.problem.as_deref().unwrap_or("").contains(said),
                "{extra:?}: {answer:?}"
            );
            assert!(answer.dq1_refusal.is_some());
        }
        // Another member on the team, by initials and role (R18: child welfare does not count).
        let mut fields = complete(&page);
        fields.push("other_initials_0", "cw");
        fields.push("other_role_0", "ChildWelfare");
        let staffing = proposal(&fields, &page.team, &page.releases)
            .unwrap()
            .staffing;
        assert_eq!(staffing.members.last().unwrap().initials, "CW");
        assert_eq!(
            staffing.department_staff(),
            3,
            "R18: child welfare does not count"
        );
        // R18: a designee typed in a department seat is named only, and never counts.
        let mut typed = complete(&page);
        typed
            .0
            .retain(|(name, value)| !(name == "member" && value == "3"));
        typed.push("other_initials_0", "ED");
        typed.push("other_role_0", "EngagementSpecialist");
        let staffing = proposal(&typed, &page.team, &page.releases)
            .unwrap()
            .staffing;
        assert_eq!(staffing.members.len(), 3);
        assert_eq!(staffing.department_staff(), 2);
        assert_eq!(staffing.members[2].staff_id, None);
    }

    #[test]
    fn r27_finalizing_is_weighed_as_the_boxes_are_ticked() {
        let mut page = page();
        page.facts.missing_info[0].resolved_on = Some(d("2026-11-19"));
        let mut staffing = proposal(&complete(&page), &page.team, &page.releases)
            .unwrap()
            .staffing;
        // R18: each member confirmed being present with their own sign-in.
        for member in &mut staffing.members {
            member.confirmed_on = Some(d("2026-11-19"));
        }
        page.facts.staffing = Some(staffing);
        page.facts.decision = Some(Decision::by_team(DecisionOutcome::Dq1, d("2026-11-19")));
        let mut fields = post_dq1_fields(&page);
        assert_eq!(finalized(&page, &fields).unmet.len(), 2);
        fields.push("re_step_recorded", "yes");
        fields.push("dq1_selected_on_page", "yes");
        let ready = finalized(&page, &fields);
        assert_eq!((ready.unmet.len(), ready.finalizer), (0, None));
        // A coach on the team may record the steps but not finalize (R18, R26): the
        // finalizer is matched by account.
        page.viewer_id = 1;
        assert!(
            finalized(&page, &fields)
                .finalizer
                .unwrap()
                .contains("operations manager")
        );
        // Nor a manager who did not confirm being present.
        page.viewer_id = 2;
        page.facts.staffing.as_mut().unwrap().members[1].confirmed_on = None;
        assert!(finalized(&page, &fields).finalizer.is_some());
    }
}

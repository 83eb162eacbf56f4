//! The staffing form (`POST /episodes/{id}/staffing`) as named fields: the server reads them
//! from the POST, the browser from the form on every change, and both parse them here into
//! `core`'s `Staffing` and `Decision` (R17–R23, R26, R30), which `core` then checks
//! (`crate::checks::staffing`). A name may repeat (the team's members, the partners) and some
//! are made from a row or a barrier cell: [`StaffingForm`] gives every one, to the page that
//! writes them and to the parser that reads them.

use chrono::NaiveDate;
use reengage_core::episode::{
    BarrierArea, BarrierFinding, Decision, DecisionOutcome, GoodCauseAnswers, HouseholdMember,
    Partner, Release, Staffing, StaffingMember, StaffingRole,
};
use reengage_core::parse_date_input;

use super::fields::{Fields, YES, answer, code, from_code, yes_no};
use crate::backend::{StaffingPage, TeamMember};

/// Rows for team members who are not the branch's staff (child welfare, a contractor, a
/// designee without an account): named only, they never count toward the three (R18).
pub const OTHER_MEMBER_ROWS: usize = 3;
/// The longest note or accommodation of a finding, and the longest line of a list.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The most strategies or next steps (one per line).
pub const MAX_LINES: usize = 20;
const MAX_NAME_CHARS: usize = 120;
/// The longest initials of a named member.
pub const MAX_INITIALS_CHARS: usize = 8;

/// The staffing form's field names.
pub enum StaffingForm {}

impl StaffingForm {
    /// The episode version the form was filled on.
    pub const VERSION: &'static str = "version";
    pub const HELD_ON: &'static str = "held_on";
    /// One per member of the branch's staff ticked: the staff id (R18).
    pub const MEMBER: &'static str = "member";
    /// [`YES`] when the participant attended.
    pub const ATTENDED: &'static str = "attended";
    /// One per partner with a release on file ticked: the partner's name (R19).
    pub const PARTNER: &'static str = "partner";
    pub const OTHER_PARTNER: &'static str = "other_partner";
    /// R30: one per line.
    pub const STRATEGIES: &'static str = "strategies";
    pub const NEXT_STEPS: &'static str = "next_steps";
    /// The team's decision, as its code; "" for none.
    pub const OUTCOME: &'static str = "outcome";
    pub const DECIDED_ON: &'static str = "decided_on";
    /// Which button sent the form: [`StaffingForm::SAVE`] or [`StaffingForm::DECIDE`].
    pub const INTENT: &'static str = "intent";
    pub const SAVE: &'static str = "save";
    pub const DECIDE: &'static str = "decide";

    /// The initials of the named member in `row` (from 0).
    pub fn other_initials(row: usize) -> String {
        format!("other_initials_{row}")
    }

    /// The role of the named member in `row` (from 0), as its code.
    pub fn other_role(row: usize) -> String {
        format!("other_role_{row}")
    }
}

/// A part of one barrier finding (R20).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingPart {
    /// [`YES`] or [`super::fields::NO`]; not sent: not reviewed yet.
    Present,
    Accommodation,
    /// Whether it affected the ability to participate: yes or no.
    Affected,
    Notes,
}

impl FindingPart {
    fn name(self) -> &'static str {
        match self {
            FindingPart::Present => "present",
            FindingPart::Accommodation => "accommodation",
            FindingPart::Affected => "affected",
            FindingPart::Notes => "notes",
        }
    }
}

/// The field of one barrier finding (R20): `MentalHealth.Adult.present`, `….accommodation`,
/// `….affected`, `….notes`.
pub fn finding_field(area: BarrierArea, who: HouseholdMember, part: FindingPart) -> String {
    format!("{}.{}.{}", code(area), code(who), part.name())
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
    fields.push(StaffingForm::VERSION, page.version.to_string());
    let Some(staffing) = &page.facts.staffing else {
        fields.push(StaffingForm::HELD_ON, page.today.to_string());
        for id in [page.coach_id, Some(page.viewer_id)].into_iter().flatten() {
            if page.team.iter().any(|m| m.staff_id == id)
                && !fields.has(StaffingForm::MEMBER, &id.to_string())
            {
                fields.push(StaffingForm::MEMBER, id.to_string());
            }
        }
        fields.push(StaffingForm::DECIDED_ON, page.today.to_string());
        return fields;
    };
    fields.push(StaffingForm::HELD_ON, staffing.held_on.to_string());
    if staffing.participant_attended {
        fields.push(StaffingForm::ATTENDED, YES);
    }
    let mut others = 0;
    for member in &staffing.members {
        match member.staff_id {
            Some(staff_id) => fields.push(StaffingForm::MEMBER, staff_id.to_string()),
            None if others < OTHER_MEMBER_ROWS => {
                fields.push(
                    StaffingForm::other_initials(others),
                    member.initials.clone(),
                );
                fields.push(StaffingForm::other_role(others), code(member.role));
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
            fields.push(StaffingForm::PARTNER, partner.name.clone());
        } else {
            fields.push(StaffingForm::OTHER_PARTNER, partner.name.clone());
        }
    }
    for finding in &staffing.barrier_review {
        let field = |part| finding_field(finding.area, finding.who, part);
        fields.push(field(FindingPart::Present), yes_no(Some(finding.present)));
        if let Some(text) = &finding.accommodation_offered {
            fields.push(field(FindingPart::Accommodation), text.clone());
        }
        fields.push(
            field(FindingPart::Affected),
            yes_no(finding.affected_participation),
        );
        if let Some(text) = &finding.notes {
            fields.push(field(FindingPart::Notes), text.clone());
        }
    }
    for (name, value) in GOOD_CAUSE_FIELDS
        .into_iter()
        .zip(good_cause_answers(&staffing.good_cause))
    {
        fields.push(name, yes_no(value));
    }
    fields.push(
        StaffingForm::STRATEGIES,
        staffing.recommended_strategies.join("\n"),
    );
    fields.push(StaffingForm::NEXT_STEPS, staffing.pdp_next_steps.join("\n"));
    fields.push(StaffingForm::DECIDED_ON, page.today.to_string());
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
    for id in fields.all(StaffingForm::MEMBER) {
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
        let initials = fields.get(&StaffingForm::other_initials(row)).trim();
        let role = fields.get(&StaffingForm::other_role(row));
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
    let other = fields.get(StaffingForm::OTHER_PARTNER).trim();
    let mut partners = Vec::new();
    for name in fields
        .all(StaffingForm::PARTNER)
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
            let Some(present) = answer(fields.get(&field(FindingPart::Present))) else {
                continue;
            };
            findings.push(BarrierFinding {
                area,
                who,
                present,
                accommodation_offered: if present {
                    text_of(fields, &field(FindingPart::Accommodation), &what)?
                } else {
                    None
                },
                affected_participation: if present {
                    answer(fields.get(&field(FindingPart::Affected)))
                } else {
                    None
                },
                notes: text_of(fields, &field(FindingPart::Notes), &what)?,
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
    let held_on = parse_date_input(fields.get(StaffingForm::HELD_ON))
        .map_err(|e| format!("The day the staffing was held: {e}"))?;
    let answers: Vec<Option<bool>> = GOOD_CAUSE_FIELDS
        .iter()
        .map(|name| answer(fields.get(name)))
        .collect();
    let staffing = Staffing {
        held_on,
        members: members_of(fields, team)?,
        participant_attended: fields.has(StaffingForm::ATTENDED, YES),
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
            StaffingForm::STRATEGIES,
            "Recommended engagement strategies",
        )?,
        pdp_next_steps: lines_of(fields, StaffingForm::NEXT_STEPS, "PDP next steps")?,
    };
    let decision = match fields.get(StaffingForm::OUTCOME) {
        "" => None,
        outcome => Some(Decision::by_team(
            from_code::<DecisionOutcome>(outcome)
                .ok_or("Choose the team's decision from the list.")?,
            parse_date_input(fields.get(StaffingForm::DECIDED_ON))
                .map_err(|e| format!("The day of the decision: {e}"))?,
        )),
    };
    Ok(Proposal { staffing, decision })
}

/// A workspace for the tests of every layer that reads the staffing form.
#[cfg(test)]
pub(crate) mod example {
    use super::*;
    use crate::backend::StaffingRights;
    use crate::forms::fields::NO;
    use reengage_core::deadlines::ResponseWindow;
    use reengage_core::episode::{
        Attempt, AttemptOutcome, ContactMethod, EpisodeFacts, MissingInfo, MissingInfoKind,
        ReportedBy, Stage, Trigger, TriggerKind,
    };

    pub fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A November 2026 episode waiting for its staffing: two attempts, the appointment on
    /// Wednesday 11-18 with its notice mailed in time, and a child safety check outstanding.
    pub fn page() -> StaffingPage {
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
    pub fn complete(page: &StaffingPage) -> Fields {
        let mut fields = initial(page);
        fields.push(StaffingForm::MEMBER, "3");
        for (area, who) in BarrierArea::cells() {
            fields.push(finding_field(area, who, FindingPart::Present), NO);
        }
        for name in GOOD_CAUSE_FIELDS {
            fields.push(name, NO);
        }
        fields.0.retain(|(name, _)| {
            name != StaffingForm::STRATEGIES && name != StaffingForm::NEXT_STEPS
        });
        fields.push(
            StaffingForm::STRATEGIES,
            "Weekly check-in call\n\n  Home visit ",
        );
        fields.push(StaffingForm::NEXT_STEPS, "Job search");
        fields
    }
}

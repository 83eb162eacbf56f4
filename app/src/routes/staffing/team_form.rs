//! The staffing form: the team (R18), partners (R19), the barrier review grid (R20), good
//! cause (R23), the team's strategies and next steps (R30) and the decision (R23, R25), with
//! `core`'s review of it all — rendered by the server for the form as it stands, and again in
//! the browser on every change. While a DQ1 is considered, the readiness list (R26) shows every
//! step of due process not done, its rule and where it is fixed; the server refuses the same.
//!
//! What the form sends: [`crate::forms::staffing`]; what it says as it is filled in:
//! [`crate::checks::staffing`].

use leptos::prelude::*;
use reengage_core::episode::{BarrierArea, DecisionOutcome, StaffingRole, overlapping_exemptions};
use reengage_core::long_date;

use crate::backend::StaffingPage;
use crate::checks::Check;
use crate::checks::said::Region;
use crate::checks::staffing::StaffingCheck;
use crate::forms::fields::{Fields, NO, YES, code};
use crate::forms::query::{ERROR, Query};
use crate::forms::staffing::{
    FindingPart, GOOD_CAUSE_FIELDS, MAX_INITIALS_CHARS, MAX_NOTE_CHARS, OTHER_MEMBER_ROWS,
    StaffingForm, finding_field, initial,
};
use crate::live::form::{LiveForm, Says};
use crate::live::state::LiveState;

/// The staffing form's id: the missing-information buttons above it send it along, so what is
/// typed in it is kept when an item is marked gathered.
pub const STAFFING_FORM: &str = "staffing-form";

/// The good-cause questions (R23), in the order of [`GOOD_CAUSE_FIELDS`].
const GOOD_CAUSE_QUESTIONS: [&str; 4] = [
    "Was the participant exempt at any time before or during the process?",
    "Was there a situation outside the participant's control that prevented engagement?",
    "Did an ongoing household issue (active DV in the last 6 months, mental health, substance use, learning needs, physical health) prevent engagement?",
    "Did the department fail to provide assistance or reasonable accommodation?",
];

/// A yes/no radio group `name` with the answer `fields` hold checked.
fn yes_no_group(name: String, legend: String, fields: &Fields) -> AnyView {
    let choice = |value: &'static str, label: &'static str| {
        let id = format!("{name}-{value}");
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name=name.clone() value=value checked=fields.has(&name, value) />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <fieldset class="choices yes-no">
            <legend>{legend}</legend>
            {choice(YES, "Yes")}
            {choice(NO, "No")}
        </fieldset>
    }
    .into_any()
}

fn text_field(id: String, label: String, value: String) -> AnyView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input type="text" id=id.clone() name=id maxlength=MAX_NOTE_CHARS.to_string() value=value />
        </div>
    }
    .into_any()
}

/// R20: one area of the review — for the adult and for the children in the household, or for
/// the household, as policy 002 lists it.
fn barrier_area(area: BarrierArea, fields: &Fields) -> AnyView {
    let members = area
        .members()
        .iter()
        .copied()
        .map(|who| {
            let field = |part| finding_field(area, who, part);
            view! {
                <fieldset class="finding">
                    <legend>{capitalized(who.label())}</legend>
                    {yes_no_group(field(FindingPart::Present), "Present?".into(), fields)}
                    {text_field(field(FindingPart::Accommodation), "Accommodation or resource offered".into(), fields.get(&field(FindingPart::Accommodation)).to_owned())}
                    {yes_no_group(field(FindingPart::Affected), "Did it affect the ability to participate?".into(), fields)}
                    {text_field(field(FindingPart::Notes), "Notes".into(), fields.get(&field(FindingPart::Notes)).to_owned())}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <fieldset class="barrier-area">
            <legend>{capitalized(area.label())}</legend>
            {members}
        </fieldset>
    }
    .into_any()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The staffing form, as plain HTML: what it says as it is filled in is the island's
/// ([`LiveForm`]).
#[component]
pub fn TeamForm(page: StaffingPage, error: Option<String>, query: Query) -> impl IntoView {
    // The form comes back with everything typed (refused, or sent along with missing
    // information marked gathered); otherwise it starts from the record. The version is
    // always the episode's as it is now.
    let start = if query.get("form").as_deref() == Some("staffing") {
        let mut typed = Fields(
            query
                .0
                .iter()
                .filter(|(name, _)| {
                    ![ERROR, "form", "saved", StaffingForm::VERSION].contains(&name.as_str())
                })
                .cloned()
                .collect(),
        );
        typed.push(StaffingForm::VERSION, page.version.to_string());
        typed
    } else {
        initial(&page)
    };
    let state = LiveState::new(
        Check::Staffing(Box::new(StaffingCheck::from(&page))),
        page.closures.clone(),
        start.clone(),
    )
    .encode();
    let id = page.id;
    let f = &start;

    let team = page
        .team
        .iter()
        .map(|member| {
            let value = member.staff_id.to_string();
            let field = format!("member-{}", member.staff_id);
            view! {
                <div class="choice">
                    <input type="checkbox" id=field.clone() name=StaffingForm::MEMBER value=value.clone() checked=f.has(StaffingForm::MEMBER, &value) />
                    <label for=field>{format!("{} ({}) — {}", member.name, member.initials, member.role.label())}</label>
                </div>
            }
        })
        .collect_view();
    let others = (0..OTHER_MEMBER_ROWS)
        .map(|row| {
            let initials = StaffingForm::other_initials(row);
            let role = StaffingForm::other_role(row);
            let chosen = f.get(&role).to_owned();
            let roles = StaffingRole::ALL
                .into_iter()
                .map(|r| {
                    let value = code(r);
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{r.label()}</option> }
                })
                .collect_view();
            view! {
                <div class="other-member">
                    <div class="field">
                        <label for=initials.clone()>{format!("Named member {}: initials", row + 1)}</label>
                        <input type="text" id=initials.clone() name=initials.clone() maxlength=MAX_INITIALS_CHARS.to_string() value=f.get(&initials).to_owned() />
                    </div>
                    <div class="field">
                        <label for=role.clone()>{format!("Named member {}: role", row + 1)}</label>
                        <select id=role.clone() name=role>
                            <option value="">"—"</option>
                            {roles}
                        </select>
                    </div>
                </div>
            }
        })
        .collect_view();
    let held_on = f.get(StaffingForm::HELD_ON).to_owned();
    let partners = page
        .releases
        .iter()
        .map(|(name, release)| {
            let field = format!("partner-{}", name.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "-"));
            let until = release
                .expires_on
                .map(|end| format!(" until {}", long_date(end)))
                .unwrap_or_default();
            view! {
                <div class="choice">
                    <input type="checkbox" id=field.clone() name=StaffingForm::PARTNER value=name.clone() checked=f.has(StaffingForm::PARTNER, name) />
                    <label for=field>{format!("{name} — MCS 3010 signed {}{until}", long_date(release.signed_on))}</label>
                </div>
            }
        })
        .collect_view();
    let no_releases = page.releases.is_empty();
    let exemptions = overlapping_exemptions(&page.facts, page.today)
        .into_iter()
        .map(|e| {
            let until = e.to.map(long_date).unwrap_or_else(|| "today".to_owned());
            view! { <li>{format!("Exempt from {} to {until} — it overlaps the episode (R23).", long_date(e.from))}</li> }
        })
        .collect_view();
    let grid = BarrierArea::ALL
        .into_iter()
        .map(|area| barrier_area(area, f))
        .collect_view();
    let questions = GOOD_CAUSE_FIELDS
        .into_iter()
        .zip(GOOD_CAUSE_QUESTIONS)
        .map(|(name, question)| yes_no_group(name.to_owned(), question.to_owned(), f))
        .collect_view();
    let outcome_now = f.get(StaffingForm::OUTCOME).to_owned();
    let outcomes = DecisionOutcome::ALL
        .into_iter()
        .map(|outcome| {
            let value = code(outcome);
            let field = format!("outcome-{value}");
            let chosen = value == outcome_now;
            view! {
                <div class="choice">
                    <input type="radio" id=field.clone() name=StaffingForm::OUTCOME value=value checked=chosen />
                    <label for=field>{outcome.label()}</label>
                </div>
            }
        })
        .collect_view();
    let decided_on = f.get(StaffingForm::DECIDED_ON).to_owned();
    let attended = f.has(StaffingForm::ATTENDED, YES);
    let other_partner = text_field(
        StaffingForm::OTHER_PARTNER.into(),
        "Another partner (name)".into(),
        f.get(StaffingForm::OTHER_PARTNER).to_owned(),
    );
    let strategies = f.get(StaffingForm::STRATEGIES).to_owned();
    let next_steps = f.get(StaffingForm::NEXT_STEPS).to_owned();
    let version = page.version.to_string();
    let today = page.today.to_string();
    let appointment_day = page.facts.appointment.as_ref().map(|a| a.on);

    view! {
        <LiveForm state>
        <form method="post" action=format!("/episodes/{id}/staffing") class="stack staffing-form"
            id=STAFFING_FORM>
            <input type="hidden" name=StaffingForm::VERSION value=version />
            {error.map(|error| view! {
                <div class="alert alert-error" role="alert">
                    <p>{error}</p>
                    <p>"Everything you entered is kept below: correct it and save again."</p>
                </div>
            })}
            <section aria-labelledby="team">
                <h2 id="team">"The team (R18)"</h2>
                <div class="field">
                    <label for="held_on">"Day the staffing was held"</label>
                    {appointment_day.map(|day| view! {
                        <p class="hint" id="held_on-hint">{format!("On the re-engagement appointment, {}, or later (R17).", long_date(day))}</p>
                    })}
                    <input type="date" id="held_on" name=StaffingForm::HELD_ON required value=held_on max=today.clone()
                        aria-describedby=appointment_day.map(|_| "held_on-hint") />
                </div>
                <fieldset class="choices">
                    <legend>"Who sat on the team: the branch's staff"</legend>
                    {team}
                </fieldset>
                <p class="hint">"Someone without an account of the branch (child welfare, a contractor, a designee) is named below: they attend, and never count toward the three (R18)."</p>
                {others}
                <div class="choice">
                    <input type="checkbox" id="attended" name=StaffingForm::ATTENDED value=YES checked=attended />
                    <label for="attended">"The participant attended"</label>
                </div>
                <Says region=Region::Team />
            </section>
            <section aria-labelledby="partners">
                <h2 id="partners">"Community partners (R19)"</h2>
                <p class="hint">"A community partner is invited only with an MCS 3010 release in force on the staffing day."</p>
                {no_releases.then(|| view! { <p class="empty">"No MCS 3010 release on file."</p> })}
                <fieldset class="choices">
                    <legend>"Partners with a release on file"</legend>
                    {partners}
                </fieldset>
                {other_partner}
                <Says region=Region::Partners />
            </section>
            <section aria-labelledby="barriers">
                <h2 id="barriers">"Barrier review (R20)"</h2>
                <p class="hint">"Domestic violence and childcare or transportation for the household; the other areas for the adult and for the children in the household. Answer every one: a question left open is not reviewed. Where a challenge is present: the accommodations and resources offered, and whether it affected the ability to participate."</p>
                {grid}
            </section>
            <section aria-labelledby="good-cause">
                <h2 id="good-cause">"Good cause (R23)"</h2>
                <ul class="history">{exemptions}</ul>
                {questions}
                <Says region=Region::Cause />
            </section>
            <section aria-labelledby="next-steps">
                <h2 id="next-steps">"Strategies and next steps (R30)"</h2>
                <div class="field">
                    <label for="strategies">"The team's recommended engagement strategies (one per line)"</label>
                    <textarea id="strategies" name=StaffingForm::STRATEGIES rows="3">{strategies}</textarea>
                </div>
                <div class="field">
                    <label for="next_steps">"PDP next steps and supports (one per line)"</label>
                    <textarea id="next_steps" name=StaffingForm::NEXT_STEPS rows="3">{next_steps}</textarea>
                </div>
            </section>
            <section aria-labelledby="decision">
                <h2 id="decision">"The decision"</h2>
                <fieldset class="choices">
                    <legend>"The team's decision"</legend>
                    {outcomes}
                </fieldset>
                <Says region=Region::Decision />
                <div class="field">
                    <label for="decided_on">"Day of the decision"</label>
                    <input type="date" id="decided_on" name=StaffingForm::DECIDED_ON value=decided_on max=today />
                </div>
                <p class="hint">
                    "“Save the staffing” keeps it as it stands; the decision is recorded only with “Save and decide”. Once decided, the staffing is read-only: new information calls for a new staffing (R24)."
                </p>
                <p class="actions">
                    <button type="submit" name=StaffingForm::INTENT value=StaffingForm::SAVE class="button button-secondary">"Save the staffing"</button>
                    <button type="submit" name=StaffingForm::INTENT value=StaffingForm::DECIDE class="button">"Save and decide"</button>
                </p>
            </section>
        </form>
        </LiveForm>
    }
    .into_any()
}

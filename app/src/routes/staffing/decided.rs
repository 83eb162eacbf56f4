//! After the decision: the staffing and the decision, read-only; for a DQ1 not yet final, the
//! finalization with the steps after a DQ1 (R26, R27) and `core`'s readiness list as the boxes
//! are ticked; once finalized, read-only but for the steps still to do; and the request for a
//! new staffing on new information (R24).
//!
//! What the finalization form sends: [`crate::forms::finalization`]; what it says as its
//! boxes are ticked: [`crate::checks::finalization`]. The request for a new staffing is
//! `crate::components::new_staffing`.

use leptos::prelude::*;
use reengage_core::episode::{DecisionOutcome, Staffing, post_dq1_checklist, re_step_day};
use reengage_core::long_date;

use crate::backend::StaffingPage;
use crate::checks::Check;
use crate::checks::said::Region;
use crate::checks::staffing::StaffingCheck;
use crate::components::new_staffing::NewStaffingRequest;
use crate::forms::fields::{Fields, YES};
use crate::forms::finalization::{FinalizationForm, POST_DQ1_FIELDS, post_dq1_fields};
use crate::forms::new_staffing::NewStaffingForm;
use crate::forms::query::Query;
use crate::live::form::{LiveForm, Says};
use crate::live::state::LiveState;

fn answer_words(answer: Option<bool>) -> &'static str {
    match answer {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not answered",
    }
}

/// The staffing as recorded (R18–R20, R23, R30).
#[component]
pub fn StaffingSummary(staffing: Staffing) -> impl IntoView {
    let members: Vec<String> = staffing
        .members
        .iter()
        .map(|m| {
            let named = if m.staff_id.is_none() {
                ", named only"
            } else {
                ""
            };
            format!("{} ({}{named})", m.initials, m.role.label())
        })
        .collect();
    let partners: Vec<String> = staffing
        .partners
        .iter()
        .map(|p| p.named_on(staffing.held_on))
        .collect();
    let findings = staffing
        .barrier_review
        .iter()
        .map(|f| {
            let mut words = format!(
                "{} — {}: {}",
                f.area.label(),
                f.who.label(),
                if f.present { "present" } else { "not present" }
            );
            if let Some(offered) = &f.accommodation_offered {
                words.push_str(&format!("; offered: {offered}"));
            }
            if f.present {
                words.push_str(&format!(
                    "; affected participation: {}",
                    answer_words(f.affected_participation)
                ));
            }
            if let Some(notes) = &f.notes {
                words.push_str(&format!("; {notes}"));
            }
            view! { <li>{words}</li> }
        })
        .collect_view();
    let gc = &staffing.good_cause;
    view! {
        <h2 id="staffing-record">"The staffing"</h2>
        <dl class="facts">
            <dt>"Held"</dt>
            <dd>{long_date(staffing.held_on)}</dd>
            <dt>"Team"</dt>
            <dd>{members.join(", ")}</dd>
            <dt>"Participant"</dt>
            <dd>{if staffing.participant_attended { "attended" } else { "did not attend" }}</dd>
            <dt>"Partners"</dt>
            <dd>{if partners.is_empty() { "none".to_owned() } else { partners.join(", ") }}</dd>
            <dt>"Good cause (R23)"</dt>
            <dd>{format!(
                "exempt: {}; outside their control: {}; household issue: {}; department failed: {}",
                answer_words(gc.exempt),
                answer_words(gc.outside_control),
                answer_words(gc.household_issue),
                answer_words(gc.department_failed)
            )}</dd>
            <dt>"Strategies (R30)"</dt>
            <dd>{staffing.recommended_strategies.join("; ")}</dd>
            <dt>"Next steps (R30)"</dt>
            <dd>{staffing.pdp_next_steps.join("; ")}</dd>
        </dl>
        <h3>"Barrier review (R20)"</h3>
        <ul class="history">{findings}</ul>
    }
    .into_any()
}

#[component]
pub fn Decided(
    page: StaffingPage,
    /// A refused finalization form, with the reason.
    returned: Option<String>,
    reason_error: Option<String>,
) -> impl IntoView {
    let facts = &page.facts;
    let decision = facts.decision.clone();
    let dq1 = decision.as_ref().map(|d| d.outcome) == Some(DecisionOutcome::Dq1);
    let finalized = facts.finalized_on;
    let summary = facts
        .staffing
        .clone()
        .map(|staffing| view! { <StaffingSummary staffing /> });
    let decision_words = decision.as_ref().map(|d| {
        format!(
            "{} — decided {}{}",
            d.outcome.label(),
            long_date(d.decided_on),
            finalized
                .map(|on| format!("; finalized {}", long_date(on)))
                .unwrap_or_default()
        )
    });
    let steps = (dq1 && (page.may.post_dq1 || page.may.finalize))
        .then(|| view! { <Finalization page=page.clone() error=returned.clone() query=Query::current() /> });
    let continue_engaging = (dq1 && finalized.is_some()).then(|| {
        view! {
            <p class="alert alert-info">
                "The decision is final and read-only. Keep trying to engage: the family coach continues to reach out (R27)."
            </p>
        }
    });
    view! {
        <h2 id="decision">"The decision"</h2>
        <p class="lead decision">{decision_words}</p>
        {continue_engaging}
        {steps}
        {summary}
        <NewStaffingRequest episode_id=page.id version=page.version back=NewStaffingForm::TO_STAFFING error=reason_error />
    }
    .into_any()
}

/// R26, R27: the steps after a DQ1 and, for a manager or lead worker, its finalization. Plain
/// HTML: the readiness list as the boxes are ticked is the island's ([`LiveForm`]).
#[component]
fn Finalization(page: StaffingPage, error: Option<String>, query: Query) -> impl IntoView {
    let start = if error.is_some() {
        let mut fields = Fields::default();
        fields.push(FinalizationForm::VERSION, page.version.to_string());
        for name in POST_DQ1_FIELDS {
            if query.get(name).as_deref() == Some(YES) {
                fields.push(name, YES);
            }
        }
        fields
    } else {
        post_dq1_fields(&page)
    };
    let finalized = page.facts.finalized_on.is_some();
    let state = LiveState::new(
        Check::Finalization(Box::new(StaffingCheck::from(&page))),
        page.closures.clone(),
        start.clone(),
    )
    .encode();
    let re_day = re_step_day(&page.facts)
        .map(|day| format!(" ({}, 1 hour attendance)", long_date(day)))
        .unwrap_or_default();
    let done = page.facts.post_dq1.clone();
    let boxes = post_dq1_checklist(&page.facts)
        .into_iter()
        .zip(POST_DQ1_FIELDS)
        .enumerate()
        .map(|(index, ((label, recorded), name))| {
            let label = if index == 0 {
                format!("{label}{re_day}")
            } else {
                label.to_owned()
            };
            // Once final, a recorded step stays recorded (R26).
            let locked = finalized && recorded;
            view! {
                <div class="choice">
                    <input type="checkbox" id=name name=name value=YES checked=start.has(name, YES) disabled=locked />
                    <label for=name>{label}</label>
                    {locked.then(|| view! { <input type="hidden" name=name value=YES /> })}
                </div>
            }
        })
        .collect_view();
    let all_done = finalized
        && done.re_step_recorded
        && done.pdp_copy_to_participant
        && done.dq1_selected_on_page
        && done.one_case_note
        && done.resources_offered
        && done.page_finalized;
    let id = page.id;
    let may_finalize = page.may.finalize && !finalized;
    view! {
        <section aria-labelledby="finalization">
            <h2 id="finalization">{if finalized { "The steps after the DQ1 (R27)" } else { "Finalization (R26, R27)" }}</h2>
            {error.map(|error| view! {
                <div class="alert alert-error" role="alert">
                    <p>{error}</p>
                    <p>"The boxes you ticked are kept below."</p>
                </div>
            })}
            {(!all_done).then(|| view! {
                <LiveForm state>
                <form method="post" action=format!("/episodes/{id}/finalization") class="stack">
                    <input type="hidden" name=FinalizationForm::VERSION value=page.version.to_string() />
                    <fieldset class="choices">
                        <legend>"The steps after a DQ1"</legend>
                        {boxes}
                    </fieldset>
                    {(!finalized).then(|| view! { <Says region=Region::Decision /> })}
                    <p class="actions">
                        <button type="submit" name=FinalizationForm::INTENT value=FinalizationForm::SAVE class="button button-secondary">"Save the steps"</button>
                        {may_finalize.then(|| view! {
                            <button type="submit" name=FinalizationForm::INTENT value=FinalizationForm::FINALIZE class="button">"Finalize the DQ1"</button>
                        })}
                    </p>
                </form>
                </LiveForm>
            })}
            {all_done.then(|| view! { <p>"Every step after the DQ1 is recorded."</p> })}
        </section>
    }
    .into_any()
}

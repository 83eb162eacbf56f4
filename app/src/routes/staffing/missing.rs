//! The missing information that blocks a determination (R17): each item outstanding with a
//! form to mark it gathered, the items gathered, and a form to add one. Plain POSTs.
//!
//! What the forms send: [`crate::forms::missing`].

use leptos::prelude::*;
use reengage_core::episode::MissingInfoKind;
use reengage_core::long_date;

use crate::backend::StaffingPage;
use crate::forms::fields::code;
use crate::forms::missing::{GatheredForm, MAX_DESCRIPTION_CHARS, MissingForm};
use crate::forms::query::Query;

#[component]
pub fn MissingInfo(
    page: StaffingPage,
    error: Option<String>,
    /// The staffing form's id when it is on the page.
    with_form: Option<&'static str>,
) -> impl IntoView {
    let id = page.id;
    let version = page.version.to_string();
    let today = page.today.to_string();
    let may = page.may.missing_info && !page.closed;
    let outstanding = page.facts.outstanding_missing_info().count();
    let items = page
        .facts
        .missing_info
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let label = format!("{} ({})", item.description, item.kind.label());
            match item.resolved_on {
                Some(on) => view! {
                    <li>{format!("{label} — gathered {}", long_date(on))}</li>
                }
                .into_any(),
                None => {
                    let field = GatheredForm::gathered_on(index);
                    let action = format!("/episodes/{id}/missing-info/{index}");
                    let label_text = format!("Day “{}” was gathered", item.description);
                    // Beside the staffing form, the button sends it along (what is typed there
                    // is kept); otherwise it is a form of its own.
                    let mark = match with_form {
                        Some(form) => view! {
                            <div class="inline-form">
                                <label for=field.clone()>{label_text}</label>
                                <input type="date" id=field.clone() name=field.clone() form=form value=today.clone() max=today.clone() />
                                <button type="submit" class="button button-secondary" form=form formaction=action formnovalidate>"Mark gathered"</button>
                            </div>
                        }
                        .into_any(),
                        None => view! {
                            <form method="post" action=action class="inline-form">
                                <input type="hidden" name=GatheredForm::VERSION value=version.clone() />
                                <label for=field.clone()>{label_text}</label>
                                <input type="date" id=field.clone() name=field required value=today.clone() max=today.clone() />
                                <button type="submit" class="button button-secondary">"Mark gathered"</button>
                            </form>
                        }
                        .into_any(),
                    };
                    view! {
                        <li class="missing">
                            <strong>{format!("{label} — requested {}, not gathered yet", long_date(item.requested_on))}</strong>
                            {may.then_some(mark)}
                        </li>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    // A refused addition comes back with what was typed, the form open.
    let query = Query::current();
    let typed_kind = query.get(MissingForm::KIND).unwrap_or_default();
    let typed_description = query.get(MissingForm::DESCRIPTION).unwrap_or_default();
    let open = error.is_some();
    let kinds = MissingInfoKind::ALL
        .into_iter()
        .map(|kind| {
            let value = code(kind);
            let selected = value == typed_kind;
            view! { <option value=value selected=selected>{kind.label()}</option> }
        })
        .collect_view();
    let nothing = page.facts.missing_info.is_empty();
    view! {
        <section aria-labelledby="missing-info">
            <h2 id="missing-info">"Missing information (R17)"</h2>
            {error.map(|error| view! {
                <div class="alert alert-error" role="alert"><p>{error}</p></div>
            })}
            {nothing.then(|| view! { <p class="empty">"None requested."</p> })}
            {(outstanding > 0).then(|| view! {
                <p class="alert alert-info">
                    {format!("{outstanding} item(s) outstanding: no determination until each is gathered (R17).")}
                </p>
            })}
            <ul class="history">{items}</ul>
            {may.then(|| view! {
                <details open=open>
                    <summary>"Add missing information"</summary>
                    <form method="post" action=format!("/episodes/{id}/missing-info") class="stack">
                        <input type="hidden" name=MissingForm::VERSION value=version.clone() />
                        <div class="field">
                            <label for="missing-kind">"Kind"</label>
                            <select id="missing-kind" name=MissingForm::KIND>{kinds}</select>
                        </div>
                        <div class="field">
                            <label for="missing-description">"What is missing"</label>
                            <input type="text" id="missing-description" name=MissingForm::DESCRIPTION required maxlength=MAX_DESCRIPTION_CHARS.to_string()
                                value=typed_description.clone() />
                        </div>
                        <button type="submit" class="button button-secondary">"Add"</button>
                    </form>
                </details>
            })}
        </section>
    }
    .into_any()
}

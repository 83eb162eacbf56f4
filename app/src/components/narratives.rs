//! Narratives on the episode page (R4, R10, R22, R25): each draft `core` wrote from the
//! recorded facts, editable and saved as the working text; each saved narrative, editable;
//! and for each, **Copy for TRACS**, which puts the plain text on the clipboard. The forms are
//! plain POSTs rendered by the server; the copy button is an island that appears once the
//! wasm has loaded (without it, the text can be selected in its box and copied by hand).

use leptos::prelude::*;
use reengage_core::narrative::NarrativeType;

use crate::backend::{DraftLine, NarrativeLine};
use crate::forms::fields::code;
use crate::forms::narrative::NarrativeForm;
use crate::live::buttons::CopyButton;

/// What the server sent back with a refused save: which box, the text typed, and why.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    pub draft: Option<String>,
    pub narrative: Option<i64>,
    pub body: Option<String>,
    pub error: Option<String>,
}

fn kind_words(kind: NarrativeType) -> &'static str {
    match kind {
        NarrativeType::Engagement => "Engagement narrative",
        NarrativeType::ReengagementPage => "Re-engagement page narrative",
    }
}

/// "attempt of Tuesday, November 24, 2026", "attempt 2 of …" for a day's second (the key
/// `attempt-2026-11-24-2`, R10), "staffing".
fn draft_words(key: &str) -> String {
    let attempt = key.strip_prefix("attempt-").and_then(|rest| {
        let (day, n) = rest.rsplit_once('-')?;
        let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
        let n: usize = n.parse().ok()?;
        Some(match n {
            1 => format!("attempt of {}", reengage_core::long_date(day)),
            n => format!("attempt {n} of {}", reengage_core::long_date(day)),
        })
    });
    attempt.unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::draft_words;

    #[test]
    fn a_draft_is_named_by_its_attempts_day() {
        assert_eq!(
            draft_words("attempt-2026-11-24-1"),
            "attempt of Tuesday, November 24, 2026"
        );
        assert_eq!(
            draft_words("attempt-2026-11-24-2"),
            "attempt 2 of Tuesday, November 24, 2026"
        );
        assert_eq!(draft_words("staffing-2"), "staffing-2");
    }
}

#[component]
pub fn Narratives(
    episode_id: i64,
    drafts: Vec<DraftLine>,
    saved: Vec<NarrativeLine>,
    returned: Returned,
    /// The page a save returns to: "" for the episode page, [`NarrativeForm::TO_STAFFING`]
    /// for the workspace.
    #[prop(optional)]
    back: &'static str,
) -> impl IntoView {
    let nothing = drafts.is_empty() && saved.is_empty();
    let drafts = drafts
        .into_iter()
        .map(|draft| {
            let mine = returned.draft.as_deref() == Some(draft.key.as_str());
            let text = if mine {
                returned.body.clone().unwrap_or(draft.text.clone())
            } else {
                draft.text.clone()
            };
            let error = mine.then(|| returned.error.clone()).flatten();
            let id = format!("draft-{}", draft.key);
            view! {
                <li class="narrative-box">
                    <form method="post" action=format!("/episodes/{episode_id}/narratives") class="stack">
                        <input type="hidden" name=NarrativeForm::KIND value=code(draft.kind) />
                        <input type="hidden" name=NarrativeForm::DRAFT_OF value=draft.key.clone() />
                        <input type="hidden" name=NarrativeForm::BACK value=back />
                        <NarrativeText
                            id
                            label=format!("{} — draft from {}", kind_words(draft.kind), draft_words(&draft.key))
                            text
                            error
                            save="Save draft"
                        />
                    </form>
                </li>
            }
        })
        .collect_view();
    let saved = saved
        .into_iter()
        .map(|line| {
            let mine = returned.narrative == Some(line.id);
            let text = if mine {
                returned.body.clone().unwrap_or(line.body.clone())
            } else {
                line.body.clone()
            };
            let error = mine.then(|| returned.error.clone()).flatten();
            view! {
                <li class="narrative-box">
                    <form method="post" action=format!("/episodes/{episode_id}/narratives/{}", line.id) class="stack">
                        <input type="hidden" name=NarrativeForm::BACK value=back />
                        <NarrativeText
                            id=format!("narrative-{}", line.id)
                            label=if line.author.is_empty() {
                                format!("{} — saved", kind_words(line.kind))
                            } else {
                                format!("{} — saved, written by {}", kind_words(line.kind), line.author)
                            }
                            text
                            error
                            save="Save changes"
                        />
                    </form>
                </li>
            }
        })
        .collect_view();
    // Type-erased: the episode page is deep enough already.
    view! {
        <h2 id="narratives">"Narratives"</h2>
        {nothing.then(|| view! { <p class="empty">"No narrative yet: one is drafted with each attempt logged."</p> })}
        <ul class="history narratives">{drafts}{saved}</ul>
    }
    .into_any()
}

/// One narrative's text box, its save button and its Copy for TRACS button.
#[component]
fn NarrativeText(
    id: String,
    label: String,
    text: String,
    error: Option<String>,
    save: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error.is_some().then(|| error_id.clone());
    let box_id = id.clone();
    view! {
        <label for=id.clone()>{label}</label>
        {error.map(|error| view! { <p class="alert alert-error" role="alert" id=error_id>{error}</p> })}
        <textarea id=id name=NarrativeForm::BODY rows="6" maxlength="20000" aria-describedby=described>{text}</textarea>
        <p class="actions">
            <button type="submit" class="button">{save}</button>
            <CopyButton box_id label="Copy for TRACS".to_owned() done="Copied: paste it into TRACS.".to_owned() />
        </p>
    }
    .into_any()
}

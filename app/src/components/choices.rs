//! Choices as radio buttons, as the quick forms show them.

use leptos::prelude::*;

/// One radio button per choice `(code, label)`, `chosen` checked: the form field is `name`,
/// each input's id `{name}-{code}`.
pub fn radio_choices(
    name: &'static str,
    choices: impl IntoIterator<Item = (String, String)>,
    chosen: &str,
) -> AnyView {
    choices
        .into_iter()
        .map(|(code, label)| {
            let id = format!("{name}-{code}");
            let checked = code == chosen;
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value=code checked=checked />
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

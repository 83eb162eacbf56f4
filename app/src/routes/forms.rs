//! What the quick forms share: the codes their choices travel as, the refusal shown in place,
//! the live feedback region, the query a refused form comes back with, and the small islands
//! (print, hydration mark) that several pages use.
//!
//! The app runs as *islands*: pages are rendered on the server only, and just the components
//! marked `#[island]` (the forms with live feedback, the copy and print buttons) are compiled
//! into the wasm and hydrated. An island's props travel in the page as JSON, so they are
//! plain serde data: no router hooks or contexts inside an island.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The query string of the page as name–value pairs, read by the server and handed to an
/// island (which cannot reach the router): a refused form comes back with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// The query of the page being rendered (on the server).
    pub fn current() -> Self {
        let map = leptos_router::hooks::use_query_map().get_untracked();
        Query(
            map.into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
        )
    }

    /// The value of `name`, as the query map gives it (the last one wins).
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// The value of `name` when it is there and not empty: what a person typed.
    pub fn typed(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// A Print button, shown once the wasm has loaded (without it, the browser's own Print
/// command prints the page).
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let live = hydrated();
    move || {
        live.get().then(|| {
            let label = label.clone();
            view! {
                <button type="button" class="button" on:click=|_| { let _ = window().print(); }>
                    {label}
                </button>
            }
        })
    }
}

/// Sets `<body data-hydrated>` once the islands before it have hydrated, so tests (and
/// styles) can tell a live page from server HTML. It is the last island of every page, and
/// islands hydrate in document order; effects never run on the server.
#[island]
pub fn HydrationMark() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}

/// The code a choice travels as in a form (`"MessageLeft"`): its serde name.
pub fn code<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The choice a form's code names, if any.
pub fn from_code<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// The server's refusal, shown at the top of the form it refused, with what to do.
#[component]
pub fn Refused(error: Option<String>, kept: &'static str) -> impl IntoView {
    error.map(|error| {
        view! {
            <div class="alert alert-error" role="alert">
                <p>{error}</p>
                <p>{kept}</p>
            </div>
        }
    })
}

/// The live feedback of a form: computed by `core` on the server for what is filled in, and
/// again in the browser on every change once the wasm has loaded. `Err` is shown as a
/// problem to fix.
#[component]
pub fn Feedback(said: Signal<Result<Vec<String>, String>>) -> impl IntoView {
    view! {
        <div class="answer" role="status" aria-live="polite">
            {move || match said.get() {
                Ok(lines) => view! {
                    <ul class="hints">
                        {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                }
                .into_any(),
                Err(problem) => view! { <p class="alert alert-error">{problem}</p> }.into_any(),
            }}
        </div>
    }
}

/// `true` once the page is live in the browser (never on the server), for controls that only
/// work with the wasm loaded — rendered after hydration so the server HTML never offers a
/// button that does nothing.
pub fn hydrated() -> ReadSignal<bool> {
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    live
}

/// One radio button per choice, bound to `chosen`: each is `(value, code, label)`; the
/// form field is `name`, each input's id `{name}-{code}`. Checked in the server HTML too.
pub fn radio_choices<T>(
    name: &'static str,
    choices: impl IntoIterator<Item = (T, String, String)>,
    chosen: RwSignal<T>,
) -> AnyView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    choices
        .into_iter()
        .map(|(value, code, label)| {
            let id = format!("{name}-{code}");
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value=code
                        prop:checked=move || chosen.get() == value
                        checked=chosen.get_untracked() == value
                        on:change=move |_| chosen.set(value) />
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// The fields of the form an `input` or `change` event bubbled up to (the listener is on the
/// `<form>`), as the browser would send them: what a live review reads.
#[cfg(feature = "hydrate")]
pub fn form_fields(ev: &leptos::ev::Event) -> Option<crate::staffing_form::Fields> {
    use wasm_bindgen::JsCast;
    let form = ev
        .current_target()?
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let mut fields = crate::staffing_form::Fields::default();
    for entry in js_sys::try_iter(&data).ok()?? {
        let entry = js_sys::Array::from(&entry.ok()?);
        if let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
            fields.push(name, value);
        }
    }
    Some(fields)
}

/// On the server no event ever arrives.
#[cfg(not(feature = "hydrate"))]
pub fn form_fields(_: &leptos::ev::Event) -> Option<crate::staffing_form::Fields> {
    None
}

#[cfg(test)]
mod tests {
    use super::Query;

    fn query(pairs: &[(&str, &str)]) -> Query {
        Query(
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_name_given_twice_reads_as_its_last_value_as_the_router_reads_it() {
        let q = query(&[("on", "2026-12-01"), ("member", "3"), ("on", "2026-12-02")]);
        assert_eq!(q.get("on").as_deref(), Some("2026-12-02"));
        assert_eq!(q.get("member").as_deref(), Some("3"));
        assert_eq!(q.get("note"), None);
    }

    #[test]
    fn typed_leaves_out_what_was_sent_empty() {
        let q = query(&[("error", ""), ("note", "called twice")]);
        assert_eq!(q.get("error").as_deref(), Some(""));
        assert_eq!(q.typed("error"), None);
        assert_eq!(q.typed("note").as_deref(), Some("called twice"));
    }

    #[test]
    fn the_query_travels_to_an_island_and_back_unchanged() {
        let q = query(&[
            ("member", "3"),
            ("member", "5"),
            ("why", "a \"quoted\" <b>"),
        ]);
        let json = serde_json::to_string(&q).expect("serializes");
        assert_eq!(
            serde_json::from_str::<Query>(&json).expect("deserializes"),
            q
        );
    }
}

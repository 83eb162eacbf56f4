//! What the quick forms share: the codes their choices travel as, the refusal shown in place,
//! the query a refused form comes back with, and the small islands (print, hydration mark)
//! that several pages use.
//!
//! The app runs as *islands*: pages are rendered on the server only, and just the components
//! marked `#[island]` (the live feedback of the forms, [`crate::live`]; the copy and print
//! buttons) are compiled into the wasm and hydrated. An island's props travel in the page as
//! JSON, so they are plain serde data: no router hooks inside an island.

use leptos::prelude::*;

/// The query string of the page as name–value pairs, read by the server: a refused form
/// comes back with what was typed.
#[derive(Debug, Clone, Default, PartialEq)]
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
    let live = crate::live::running();
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
}

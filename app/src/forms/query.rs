//! What a page is rendered with: a refused form is answered with its page re-rendered in
//! place, holding what was typed under the names its contract gives them and the reason under
//! [`ERROR`]. The server hands those to the render as a [`SentBack`] (a request extension),
//! never in a URL: typed case text stays out of browser history, proxy logs and `Referer`.

use leptos::prelude::*;

/// The name under which the server sends back why it refused a form.
pub const ERROR: &str = "error";

/// The name under which the server sends back the section of the page a refused form is in.
pub const SECTION: &str = "section";

/// What a refused form sent, with the reason, as name–value pairs: put by the server in the
/// extensions of the request that re-renders the form's page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentBack(pub Vec<(String, String)>);

/// The name–value pairs a page is rendered with, read by the server: what a refused form
/// sent back, else the page's query string (a saved form's `saved=…`, a list's filters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// What the page being rendered (on the server) was given.
    pub fn current() -> Self {
        #[cfg(feature = "ssr")]
        if let Some(returned) = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<SentBack>().cloned())
        {
            return Query(returned.0);
        }
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

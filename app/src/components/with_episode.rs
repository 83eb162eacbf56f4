//! The loader of every page about one episode (`/episodes/{id}/…`): the record the server
//! answers for the signed-in person, or the reason it does not.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::backend::{EpisodePage, PageError, Purpose, episode, not_found};

/// Loads the episode named by the address (`/episodes/{id}/…`) for the signed-in person and
/// shows it with `show`; signed out → sign in; refused or absent → the reason, with the
/// server's status. Shared by every page about one episode.
#[component]
pub fn WithEpisode(
    /// The page's name while loading or when refused.
    title: &'static str,
    /// What the page is for: the server checks that action as well as the read.
    purpose: Purpose,
    show: fn(EpisodePage) -> AnyView,
) -> impl IntoView {
    load_episode_page(title, move |id| episode(id, purpose), show)
}

/// The loader behind [`WithEpisode`], for any page about the episode in the address: `load`
/// asks the server for what the page shows of episode `id`.
pub fn load_episode_page<T, Fut>(
    title: &'static str,
    load: impl Fn(i64) -> Fut + Clone + Send + Sync + 'static,
    show: fn(T) -> AnyView,
) -> AnyView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, PageError>> + Send + 'static,
{
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let page = Resource::new(id, move |id| {
        let load = load.clone();
        async move {
            match id {
                Some(id) => load(id).await,
                None => Err(not_found("There is no such episode.")),
            }
        }
    });
    view! {
        // The loading state has the page's title too: a page is never untitled (WCAG 2.4.2).
        <Suspense fallback=move || view! {
            <Title text=title />
            <p role="status">{format!("Loading: {title}…")}</p>
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => EitherOf3::A(show(page)),
                    Err(PageError::SignedOut) => EitherOf3::B(view! { <Redirect path="/signin" /> }),
                    Err(error) => EitherOf3::C(view! {
                        <Title text=title />
                        <h1>{title}</h1>
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        <p><a href="/today">"Back to Today"</a></p>
                    }),
                }
            })}
        </Suspense>
    }
    .into_any()
}

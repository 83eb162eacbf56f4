//! The small islands several pages use: buttons that work only once the wasm has loaded
//! (without it, the browser's own commands do the same), and the mark of a live page.

use leptos::prelude::*;

use super::running::running;

/// A Print button, shown once the wasm has loaded (without it, the browser's own Print
/// command prints the page).
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let live = running();
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

/// A copy button for the read-only box `box_id` — a narrative for TRACS, a calendar feed's
/// address: shown once the wasm has loaded (without it, the text is selected and copied by
/// hand), with `done` said beside it once copied.
#[island]
pub fn CopyButton(box_id: String, label: String, done: String) -> impl IntoView {
    let live = running();
    let copied = RwSignal::new(None::<String>);
    view! {
        {move || live.get().then(|| {
            let (box_id, done) = (box_id.clone(), done.clone());
            view! {
                <button type="button" class="button button-secondary"
                    on:click=move |_| copy_text(&box_id, copied, &done)>
                    {label.clone()}
                </button>
            }
        })}
        <span role="status" class="hint">{move || copied.get()}</span>
    }
}

/// Copies the plain text of the box `id` to the clipboard and says how it went (`done`).
#[cfg(feature = "hydrate")]
fn copy_text(id: &str, said: RwSignal<Option<String>>, done: &str) {
    use wasm_bindgen::JsCast;
    let text = document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|area| area.value())
        .unwrap_or_default();
    let promise = window().navigator().clipboard().write_text(&text);
    let done = done.to_owned();
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await;
        said.set(Some(if copied.is_ok() {
            done
        } else {
            "The browser did not allow copying: select the text and copy it.".to_owned()
        }));
    });
}

/// On the server the button is never rendered.
#[cfg(not(feature = "hydrate"))]
fn copy_text(_: &str, _: RwSignal<Option<String>>, _: &str) {}

//! Whether the page runs in the browser yet: what an island shows only once it does.

use leptos::prelude::*;

/// `true` once the page runs in the browser (never on the server): an effect runs only there,
/// after hydration, so the first render matches the server's.
pub fn running() -> ReadSignal<bool> {
    let (running, set_running) = signal(false);
    Effect::new(move |_| set_running.set(true));
    running
}

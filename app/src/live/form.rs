//! The islands around a form: [`LiveForm`] reads the form's fields on every change and asks
//! its check what they mean; [`Says`] shows that answer where it belongs on the page, and
//! [`LiveFieldset`] turns off a group of fields the answer says does not apply.

use leptos::prelude::*;

use super::running::running;
use super::state::LiveState;
use crate::checks::said::{Block, Group, Region, Said};
use crate::forms::fields::Fields;

/// What the islands inside a [`LiveForm`] share: its answer.
#[derive(Clone, Copy)]
struct Live(Memo<Said>);

/// An island around a form (its children): reads the form's fields as they change, asks
/// `core` what they mean, and shares the answer with the [`Says`] and [`LiveFieldset`]
/// islands inside it. `state` is a [`LiveState`] as [`LiveState::encode`] writes it.
#[island]
pub fn LiveForm(state: String, children: Children) -> impl IntoView {
    let state = LiveState::decode(&state);
    let fields = RwSignal::new(state.as_ref().map(|s| s.fields.clone()).unwrap_or_default());
    let said = Memo::new(move |_| {
        state.as_ref().map_or_else(Said::default, |state| {
            state.check.said(&state.calendar(), &fields.get())
        })
    });
    provide_context(Live(said));
    let changed = move |ev: leptos::ev::Event| {
        if let Some(now) = fields_of(&ev) {
            fields.set(now);
        }
    };
    view! {
        <div class="live-form" on:input=changed on:change=changed>
            {children()}
        </div>
    }
}

/// An island showing the answer of the [`LiveForm`] around it for `region`.
///
/// Each island that follows the page's life keeps its own [`running`]: the islands of a page
/// hydrate one after another, and one flag set by the first would change what the next one
/// renders before it has matched the server's HTML.
#[island]
pub fn Says(region: Region) -> impl IntoView {
    let live = use_context::<Live>();
    let running = running();
    let (id, class) = container(region);
    view! {
        <div id=id class=class role="status" aria-live="polite">
            {move || {
                let running = running.get();
                live.map(|Live(said)| said.with(|said| blocks_view(said.blocks(region), running)))
            }}
        </div>
    }
}

/// An island: a fieldset with its `legend` and the fields (its children), turned off while
/// the answer of the [`LiveForm`] around it says `group` does not apply.
#[island]
pub fn LiveFieldset(group: Group, legend: String, children: Children) -> impl IntoView {
    let live = use_context::<Live>();
    let running = running();
    let off = move || {
        live.is_some_and(|Live(said)| {
            (running.get() || off_without_wasm(group)) && said.with(|s| s.is_off(group))
        })
    };
    view! {
        <fieldset class="choices" disabled=off>
            <legend>{legend}</legend>
            {children()}
        </fieldset>
    }
}

/// `blocks` as HTML; those shown [`Block::UntilLive`] only while the page is not `running`.
fn blocks_view(blocks: &[Block], running: bool) -> AnyView {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::UntilLive(_) if running => None,
            Block::UntilLive(block) => Some(block_view(block, running)),
            block => Some(block_view(block, running)),
        })
        .collect_view()
        .into_any()
}

fn block_view(block: &Block, running: bool) -> AnyView {
    match block {
        Block::UntilLive(block) => block_view(block, running),
        Block::Text { class, text } => {
            let class = (!class.is_empty()).then_some(*class);
            view! { <p class=class>{text.clone()}</p> }.into_any()
        }
        Block::List { class, items } => {
            let items = items
                .iter()
                .map(|item| {
                    let link = item.link.clone().map(|link| {
                        view! { <a href=link.href>{link.words}</a> }
                    });
                    view! { <li>{item.text.clone()}{link}</li> }
                })
                .collect_view();
            view! { <ul class=*class>{items}</ul> }.into_any()
        }
        Block::Section {
            class,
            heading,
            blocks,
        } => view! {
            <div class=*class>
                <h3>{*heading}</h3>
                {blocks_view(blocks, running)}
            </div>
        }
        .into_any(),
    }
}

/// The fields of the form an `input` or `change` event came from, as the browser would send
/// them (disabled fields are not sent).
#[cfg(feature = "hydrate")]
fn fields_of(ev: &leptos::ev::Event) -> Option<Fields> {
    use wasm_bindgen::JsCast;
    let form = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("form")
        .ok()??
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let mut fields = Fields::default();
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
fn fields_of(_: &leptos::ev::Event) -> Option<Fields> {
    None
}

/// A region's `id` and `class`.
fn container(region: Region) -> (Option<&'static str>, Option<&'static str>) {
    match region {
        Region::Answer | Region::Decision => (None, Some("answer")),
        Region::NoticeAnswer => (Some("notice-answer"), Some("answer")),
        Region::Team | Region::Partners | Region::Cause => (None, None),
    }
}

/// Whether the server renders `group` turned off too. The response window is not: a form
/// sent back with another outcome must still let a window be picked without the wasm. The
/// plan is: no contact day typed then makes it possible (the server checks).
fn off_without_wasm(group: Group) -> bool {
    match group {
        Group::ResponseWindow => false,
        Group::PlanAdjusted => true,
    }
}

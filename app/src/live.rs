//! Live feedback for the forms. A form is plain HTML rendered by the server, so it works
//! before the wasm has loaded (and without it); [`LiveForm`], an island around it, reads the
//! form's fields on every change and asks `core` what they mean ([`Check::said`]). [`Says`]
//! islands inside it show that answer where it belongs on the page, and [`LiveFieldset`] turns
//! off a group of fields the answer says does not apply. The server renders the same answer
//! for the fields as they first stand, from the same functions.
//!
//! Only these few islands are in the wasm, never a form's own markup: an island's children
//! are rendered by the server alone. An island's props travel in the page as JSON and the
//! browser serializes them again, so [`LiveForm`] takes its state as one string: the record
//! in postcard's compact binary form, in hex ([`LiveState::encode`]). The browser then carries
//! a decoder for [`LiveState`] that reads each record as a sequence of fields, without the
//! field names, nor an encoder.

use leptos::prelude::*;
use reengage_core::BusinessCalendar;
use reengage_core::calendar::Closure;
use serde::{Deserialize, Serialize};

use crate::staffing_form::Fields;

/// What a form's answer is computed from besides its fields: what `core` needs of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    /// The DHS 7869 calculator (R15, R16): Oregon's calendar, as it belongs to no office.
    NoticeDate,
    /// A missed activity (R1–R3, R5, R6, R8), reported by a contractor or the department.
    Miss {
        today: chrono::NaiveDate,
        contractor: bool,
    },
    /// A contact attempt (R7, R9, R11).
    Attempt { phone_in_service: bool },
    /// Contact made (R8, R12, R15).
    Contact {
        today: chrono::NaiveDate,
        participant: String,
        trigger: reengage_core::episode::Trigger,
    },
    /// The re-engagement appointment (R15, R16).
    Appointment { today: chrono::NaiveDate },
    /// The notice mailed (R15), recorded on `today` (a late one's fix counts from it).
    NoticeMailed {
        today: chrono::NaiveDate,
        appointment: Option<chrono::NaiveDate>,
    },
    /// The staffing and the decision (R17–R26, R30).
    Staffing(Box<crate::staffing_form::StaffingCheck>),
    /// The steps after a DQ1 and its finalization (R26, R27).
    Finalization(Box<crate::staffing_form::StaffingCheck>),
}

impl Check {
    /// What the page says for `fields` on the office's `calendar`.
    pub fn said(&self, calendar: &BusinessCalendar, fields: &Fields) -> Said {
        use crate::routes;
        match self {
            Check::NoticeDate => routes::notice::said(calendar, fields),
            Check::Miss { today, contractor } => {
                routes::missed::said(*today, *contractor, calendar, fields)
            }
            Check::Attempt { phone_in_service } => {
                routes::attempt::said(*phone_in_service, calendar, fields)
            }
            Check::Contact {
                today,
                participant,
                trigger,
            } => routes::contact::said(*today, participant, trigger, calendar, fields),
            Check::Appointment { today } => routes::appointment::said(*today, calendar, fields),
            Check::NoticeMailed { today, appointment } => {
                routes::notice_mailed::said(*today, *appointment, calendar, fields)
            }
            Check::Staffing(check) => routes::staffing::team_form::said(check, calendar, fields),
            Check::Finalization(check) => routes::staffing::decided::said(check, calendar, fields),
        }
    }
}

/// A form's island state: its check, the office's closure days and its fields as they first
/// show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveState {
    pub check: Check,
    /// The office's own closure days (the calendar is Oregon's with these), as the server's
    /// check uses them.
    pub closures: Vec<Closure>,
    pub fields: Fields,
}

impl LiveState {
    pub fn new(check: Check, closures: Vec<Closure>, fields: Fields) -> Self {
        LiveState {
            check,
            closures,
            fields,
        }
    }

    /// The state as [`LiveForm`] takes it: postcard's bytes, two hex digits each.
    pub fn encode(&self) -> String {
        let bytes = postcard::to_allocvec(self).expect("a form's state is plain data");
        let mut text = String::with_capacity(bytes.len() * 2);
        for byte in bytes {
            text.push(char::from(HEX[usize::from(byte >> 4)]));
            text.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        text
    }

    /// The state [`LiveState::encode`] wrote, or `None` for anything else.
    pub fn decode(text: &str) -> Option<Self> {
        let digit = |d: u8| HEX.iter().position(|h| *h == d).map(|n| n as u8);
        let bytes = text
            .as_bytes()
            .chunks(2)
            .map(|pair| match pair {
                [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
                _ => None,
            })
            .collect::<Option<Vec<u8>>>()?;
        postcard::from_bytes(&bytes).ok()
    }

    fn calendar(&self) -> BusinessCalendar {
        BusinessCalendar::oregon().with_closures(self.closures.clone())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// A place on the page where a form's answer shows: each is a status region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Region {
    /// A quick form's answer.
    Answer,
    /// The notice calculator's answer, which its date field names as its description.
    NoticeAnswer,
    /// The staffing form: the team (R18), partners (R19), good cause (R23), and the decision
    /// with the DQ1 readiness list (R26).
    Team,
    Partners,
    Cause,
    Decision,
}

impl Region {
    /// The region's `id` and `class`.
    fn container(self) -> (Option<&'static str>, Option<&'static str>) {
        match self {
            Region::Answer | Region::Decision => (None, Some("answer")),
            Region::NoticeAnswer => (Some("notice-answer"), Some("answer")),
            Region::Team | Region::Partners | Region::Cause => (None, None),
        }
    }
}

/// A group of fields that applies only to some answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    /// R9: the response window, only for a message left.
    ResponseWindow,
    /// R8: the plan adjusted with the participant — at any time before a decision; off only
    /// while the contact day itself is refused.
    PlanAdjusted,
}

impl Group {
    /// Whether the server renders the group turned off too. The response window is not: a
    /// form sent back with another outcome must still let a window be picked without the
    /// wasm. The plan is: no contact day typed then makes it possible (the server checks).
    fn off_without_wasm(self) -> bool {
        match self {
            Group::ResponseWindow => false,
            Group::PlanAdjusted => true,
        }
    }
}

/// A link in an answer: where something is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub words: String,
}

/// A line of a list in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub link: Option<Link>,
}

impl Item {
    pub fn text(text: impl Into<String>) -> Self {
        Item {
            text: text.into(),
            link: None,
        }
    }
}

/// A piece of an answer, as plain data: one small renderer draws every form's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `<p class>`
    Text { class: &'static str, text: String },
    /// `<ul class>` with an item per line.
    List {
        class: &'static str,
        items: Vec<Item>,
    },
    /// `<div class>` with an `<h3>` heading and the blocks under it.
    Section {
        class: &'static str,
        heading: &'static str,
        blocks: Vec<Block>,
    },
    /// A block shown only until the page runs in the browser: a page that cannot follow the
    /// form says everything the form may need.
    UntilLive(Box<Block>),
}

impl Block {
    pub fn text(class: &'static str, text: impl Into<String>) -> Self {
        Block::Text {
            class,
            text: text.into(),
        }
    }

    /// `core`'s answer to a quick form: its hints, or the problem to fix.
    pub fn feedback(said: Result<Vec<String>, String>) -> Self {
        match said {
            Ok(lines) => Block::hints(lines),
            Err(problem) => Block::text("alert alert-error", problem),
        }
    }

    /// `lines` as the hints list of a quick form.
    pub fn hints(lines: impl IntoIterator<Item = String>) -> Self {
        Block::List {
            class: "hints",
            items: lines.into_iter().map(Item::text).collect(),
        }
    }
}

/// `core`'s hints as a page says them: each sentence with its rule.
pub fn hint_lines(hints: impl IntoIterator<Item = reengage_core::episode::Hint>) -> Vec<String> {
    hints
        .into_iter()
        .map(|hint| format!("{} ({})", hint.text, hint.rule))
        .collect()
}

/// What a form says: the blocks of each region, and the groups of fields turned off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    regions: Vec<(Region, Vec<Block>)>,
    off: Vec<Group>,
}

impl Said {
    /// `blocks` in `region`.
    pub fn with(mut self, region: Region, blocks: Vec<Block>) -> Self {
        self.regions.push((region, blocks));
        self
    }

    /// `group` turned off when `off`.
    pub fn off_when(mut self, group: Group, off: bool) -> Self {
        if off {
            self.off.push(group);
        }
        self
    }

    pub fn blocks(&self, region: Region) -> &[Block] {
        self.regions
            .iter()
            .find(|(r, _)| *r == region)
            .map_or(&[], |(_, blocks)| blocks.as_slice())
    }

    pub fn is_off(&self, group: Group) -> bool {
        self.off.contains(&group)
    }
}

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
    let (id, class) = region.container();
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
            (running.get() || group.off_without_wasm()) && said.with(|s| s.is_off(group))
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

/// `true` once the page runs in the browser (never on the server): an effect runs only there,
/// after hydration, so the first render matches the server's.
pub fn running() -> ReadSignal<bool> {
    let (running, set_running) = signal(false);
    Effect::new(move |_| set_running.set(true));
    running
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_shows_only_in_its_region_and_a_group_is_off_only_when_said() {
        let said = Said::default()
            .with(Region::Team, vec![Block::text("alert", "3 on the team")])
            .off_when(Group::ResponseWindow, true)
            .off_when(Group::PlanAdjusted, false);
        assert_eq!(said.blocks(Region::Team).len(), 1);
        assert!(said.blocks(Region::Cause).is_empty());
        assert!(said.is_off(Group::ResponseWindow));
        assert!(!said.is_off(Group::PlanAdjusted));
    }

    #[test]
    fn the_state_travels_to_the_island_and_back_unchanged() {
        let mut fields = Fields::default();
        fields.push("on", "2026-12-01");
        fields.push("why", "a \"quoted\" <b> & more");
        let state = LiveState::new(
            Check::Attempt {
                phone_in_service: false,
            },
            vec![Closure {
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(),
                name: "Ice storm".into(),
            }],
            fields,
        );
        assert_eq!(LiveState::decode(&state.encode()), Some(state));
    }

    #[test]
    fn anything_but_an_encoded_state_decodes_as_none() {
        let state = LiveState::new(Check::NoticeDate, Vec::new(), Fields::default()).encode();
        assert!(LiveState::decode(&state).is_some());
        for broken in ["", "0", "zz", "0g", &state[..state.len() - 1]] {
            assert_eq!(LiveState::decode(broken), None, "{broken:?}");
        }
    }
}

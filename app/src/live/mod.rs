//! The islands: every component the browser runs, and nothing else of the pages. A form is
//! plain HTML rendered by the server, so it works before the wasm has loaded (and without
//! it); [`form::LiveForm`], an island around it, reads the form's fields on every change and
//! asks `core` what they mean (`crate::checks::Check::said`). [`form::Says`] islands inside it
//! show that answer where it belongs on the page, and [`form::LiveFieldset`] turns off a group
//! of fields the answer says does not apply. The server renders the same answer for the
//! fields as they first stand, from the same functions. The buttons that work only with the
//! wasm — print, copy for TRACS — and the hydration mark are islands too ([`buttons`]).
//!
//! Only these few islands are in the wasm, never a page's or a form's own markup: an island's
//! children are rendered by the server alone. An island's props travel in the page as JSON
//! and the browser serializes them again, so [`form::LiveForm`] takes its state as one
//! string: the record in postcard's compact binary form, in hex
//! ([`state::LiveState::encode`]). The browser then carries a decoder for
//! [`state::LiveState`] that reads each record as a sequence of fields, without the field
//! names, nor an encoder.

pub mod buttons;
pub mod form;
pub mod running;
pub mod state;

//! What the pages' forms send, and how it is read: the lowest layer of the app, with no view
//! in it. Each plain-POST form has its contract here, in a file named like its page under
//! `routes/`: the struct the server decodes (declared with [`contract`]'s `form_contract!`,
//! so each field's name is a constant the page writes), or for the staffing workspace's
//! forms, whose names repeat or are made from a row, the names and the parser that reads them
//! into `core`'s types. `checks/` asks `core` what a form's fields mean, `routes/` renders the
//! forms; both take every name from here.
//!
//! Generic pieces: [`fields::Fields`] (a form as sent), the codes a choice travels as, and the
//! [`query::Query`] a refused form comes back with.

pub mod admin;
pub mod appointment;
pub mod attempt;
pub mod branch;
pub mod contact;
pub mod contract;
pub mod email;
pub mod fields;
pub mod finalization;
pub mod good_cause;
pub mod missed;
pub mod missing;
pub mod narrative;
pub mod new_staffing;
pub mod notice;
pub mod notice_mailed;
pub mod participant;
pub mod password;
pub mod query;
pub mod second_factor;
pub mod staffing;

//! The Re-engage server, by layer from the top down (each uses only those below it):
//!
//! - [`cli`]: the command line — `serve`, and the admin, calendar, demo and backup commands.
//! - [`digest`]: the morning digest e-mail, read from the pages' own reads and sent by a
//!   task of the server (and previewed by `reengage digest preview`).
//! - [`router`]: the whole router, every route to its handler.
//! - [`exports`]: CSV and iCalendar.
//! - [`pages`], [`forms`], [`api`]: the pages' reads (the `Backend` the Leptos pages call), the
//!   pages' plain-HTML form posts, and the REST API.
//! - [`web`]: the plumbing below the handlers — the application state, security headers and
//!   CSRF, sessions, sign-in, throttling, and the one answer to a refusal.
//! - [`services`]: one use case per user action; who may do what; the office's day.
//! - [`store`]: the database and all of its SQL.

pub mod api;
pub mod cli;
pub mod digest;
pub mod exports;
pub mod forms;
pub mod pages;
pub mod router;
pub mod services;
pub mod store;
pub mod telemetry;
pub mod web;

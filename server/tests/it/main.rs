//! The server's integration tests that run inside one process, in one binary (one link
//! instead of one per file): each module is what was a test file of its own. The tests that
//! start and kill server processes or load the machine (load, crash, shutdown, scale) keep
//! their own binaries, so none of them shares its time with these.

mod support;

mod access_matrix;
mod admin_cli;
mod api;
mod assets;
mod audit;
mod backup;
mod calendar_cli;
mod calendar_feed;
mod demo;
mod digest;
mod observe;
mod offices;
mod offline;
mod pages;
mod postgres_tls;
mod rest;
mod second_factor;
mod security;
mod services;
mod signin;
mod staffing;
mod surfaces;
mod upgrade;

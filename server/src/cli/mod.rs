//! The command line besides `serve`: staff accounts, the calendar, the demo branch (and the
//! demo at scale), and backups.

pub mod admin;
pub mod backup;
pub mod calendar;
pub mod demo;
pub mod scale;

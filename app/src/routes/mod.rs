//! One page per file.

pub mod appointment;
pub mod attempt;
pub mod episode;
pub mod home;
pub mod not_found;
pub mod notice;
pub mod notice_mailed;
pub mod signin;
pub mod today;

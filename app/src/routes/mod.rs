//! One page per file.

pub mod admin;
pub mod appointment;
pub mod attempt;
pub mod branch;
pub mod calendar_feed;
pub mod checklist;
pub mod contact;
pub mod efforts;
pub mod email;
pub mod episode;
pub mod good_cause;
pub mod home;
pub mod missed;
pub mod not_found;
pub mod notice;
pub mod notice_mailed;
pub mod notice_print;
pub mod participants;
pub mod password;
pub mod second_factor;
pub mod signin;
pub mod staffing;
pub mod today;

//! Re-engage policy core.
//!
//! Every policy decision of the re-engagement process lives here, once, and is compiled into
//! both the browser (wasm32) and the server. The page calls these functions for instant
//! feedback; the server calls the same functions before it stores anything.
//!
//! Nothing here reads a clock, a database or the network: "today", the calendar and the
//! recorded facts are arguments, so every rule is a pure function a test can pin down.
//! Rules are cited by their id in `docs/rules.md` (R1–R30).

pub mod calendar;
pub mod codes;
pub mod date_input;
pub mod deadlines;
pub mod episode;
pub mod narrative;
pub mod notice;
pub mod roles;
pub mod rules;
pub mod words;

pub use calendar::{BusinessCalendar, CalendarError, Closure, MailPickup};
pub use date_input::{DateInputError, parse_date_input, parse_time_input};
pub use notice::{
    AppointmentProblem, MailingProblem, NoticeError, appointment_mail_by,
    earliest_appointment_for_mailing, first_mailing_day, mail_by_words, notice_mail_by,
    notice_mailing, notice_on_time, pickup_words,
};
pub use rules::RuleId;
pub use words::long_date;

//! What `core` says about a form as it is filled in: one file per form, named like its page
//! under `routes/`, each with the pure function that turns the form's fields into the answer
//! the page shows ([`said::Said`]). The server renders that answer for the fields as they
//! first stand; the island `crate::live::LiveForm` computes it again in the browser on every
//! change, through [`Check::said`]. Nothing here renders HTML or knows a page: it reads the
//! fields by the names `crate::forms` gives them, and asks `reengage_core`.

pub mod appointment;
pub mod attempt;
pub mod contact;
pub mod finalization;
pub mod missed;
pub mod notice;
pub mod notice_mailed;
pub mod readiness;
pub mod said;
pub mod staffing;

use reengage_core::BusinessCalendar;
use serde::{Deserialize, Serialize};

use crate::forms::fields::Fields;
use said::Said;
use staffing::StaffingCheck;

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
    Staffing(Box<StaffingCheck>),
    /// The steps after a DQ1 and its finalization (R26, R27).
    Finalization(Box<StaffingCheck>),
}

impl Check {
    /// What the page says for `fields` on the office's `calendar`.
    pub fn said(&self, calendar: &BusinessCalendar, fields: &Fields) -> Said {
        match self {
            Check::NoticeDate => notice::said(calendar, fields),
            Check::Miss { today, contractor } => {
                missed::said(*today, *contractor, calendar, fields)
            }
            Check::Attempt { phone_in_service } => {
                attempt::said(*phone_in_service, calendar, fields)
            }
            Check::Contact {
                today,
                participant,
                trigger,
            } => contact::said(*today, participant, trigger, calendar, fields),
            Check::Appointment { today } => appointment::said(*today, calendar, fields),
            Check::NoticeMailed { today, appointment } => {
                notice_mailed::said(*today, *appointment, calendar, fields)
            }
            Check::Staffing(check) => staffing::said(check, calendar, fields),
            Check::Finalization(check) => finalization::said(check, calendar, fields),
        }
    }
}

//! What the missed-activity form says as the miss is entered (R1): when first contact is due
//! (R2; R5 for a contractor's report, counted from the day it became aware; R6 for a pattern
//! of noncooperation), for a missed appointment with a time "Call by 9:10 am" (R3), and the
//! last day of R8's target for contact — or, for a miss the participant called ahead about,
//! that it opens no episode (R1) — from `reengage_core::episode::miss_hints`, made of the
//! check the server runs before it stores the miss.

use chrono::NaiveDate;
use reengage_core::episode::{ReportedBy, Trigger, TriggerKind, miss_hints};
use reengage_core::{BusinessCalendar, parse_date_input, parse_time_input};

use super::said::{Block, Region, Said, hint_lines};
use crate::forms::fields::{Fields, YES, from_code};
use crate::forms::missed::MissedForm;

/// What the form says for the miss as entered: when first contact is due (R2, R5, R6), the
/// call-by time of an appointment (R3), the last day of the contact target (R8); or that a
/// miss called ahead about opens no episode (R1).
pub fn said(
    today: NaiveDate,
    contractor: bool,
    calendar: &BusinessCalendar,
    fields: &Fields,
) -> Said {
    let said = (|| {
        let day = parse_date_input(fields.get(MissedForm::ON)).map_err(|e| e.to_string())?;
        let at = parse_time_input(fields.get(MissedForm::AT)).map_err(|e| e.to_string())?;
        let aware_on = match fields.get(MissedForm::AWARE_ON).trim() {
            "" => None,
            text => Some(
                parse_date_input(text)
                    .map_err(|e| format!("The day you learned of the miss: {e}"))?,
            ),
        };
        let what = fields.get(MissedForm::WHAT);
        let trigger = Trigger {
            kind: from_code(fields.get(MissedForm::KIND))
                .unwrap_or(TriggerKind::MissedJobsAppointment),
            // The sentence needs words; until some are typed, name the kind of miss.
            what: if what.trim().is_empty() {
                "activity".to_owned()
            } else {
                what.to_owned()
            },
            on: day,
            at,
            reported_by: if contractor {
                ReportedBy::Contractor
            } else {
                ReportedBy::Department
            },
            aware_on: aware_on.filter(|_| contractor),
        };
        miss_hints(
            &trigger,
            fields.has(MissedForm::CALLED_AHEAD, YES),
            today,
            calendar,
        )
        .map(hint_lines)
        .map_err(|refusal| refusal.to_string())
    })();
    Said::default().with(Region::Answer, vec![Block::feedback(said)])
}

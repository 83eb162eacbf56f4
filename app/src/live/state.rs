//! A form's island state, as it travels in the page: what [`crate::live::form::LiveForm`]
//! is given by the server and decodes in the browser.

use reengage_core::BusinessCalendar;
use reengage_core::calendar::Closure;
use serde::{Deserialize, Serialize};

use crate::checks::Check;
use crate::forms::fields::Fields;

/// A form's island state: its check, the office's closure days and its fields as they first
/// show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveState {
    pub check: Check,
    /// The office's own closure days (the calendar is Oregon's with these), as the server's
    /// check uses them.
    pub closures: Vec<Closure>,
    pub fields: Fields,
}

impl LiveState {
    pub fn new(check: Check, closures: Vec<Closure>, fields: Fields) -> Self {
        LiveState {
            check,
            closures,
            fields,
        }
    }

    /// The state as [`LiveForm`] takes it: postcard's bytes, two hex digits each.
    pub fn encode(&self) -> String {
        let bytes = postcard::to_allocvec(self).expect("a form's state is plain data");
        let mut text = String::with_capacity(bytes.len() * 2);
        for byte in bytes {
            text.push(char::from(HEX[usize::from(byte >> 4)]));
            text.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        text
    }

    /// The state [`LiveState::encode`] wrote, or `None` for anything else.
    pub fn decode(text: &str) -> Option<Self> {
        let digit = |d: u8| HEX.iter().position(|h| *h == d).map(|n| n as u8);
        let bytes = text
            .as_bytes()
            .chunks(2)
            .map(|pair| match pair {
                [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
                _ => None,
            })
            .collect::<Option<Vec<u8>>>()?;
        postcard::from_bytes(&bytes).ok()
    }

    pub fn calendar(&self) -> BusinessCalendar {
        BusinessCalendar::oregon().with_closures(self.closures.clone())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::finalization::finalization;
    use crate::checks::staffing::{StaffingCheck, review};
    use crate::forms::finalization::post_dq1_fields;
    use crate::forms::staffing::example::{complete, d, page};
    use crate::forms::staffing::initial;

    #[test]
    fn the_state_travels_to_the_island_and_back_unchanged() {
        let mut fields = Fields::default();
        fields.push("on", "2026-12-01");
        fields.push("why", "a \"quoted\" <b> & more");
        let state = LiveState::new(
            Check::Attempt {
                phone_in_service: false,
            },
            vec![Closure {
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(),
                name: "Ice storm".into(),
            }],
            fields,
        );
        assert_eq!(LiveState::decode(&state.encode()), Some(state));
    }

    #[test]
    fn anything_but_an_encoded_state_decodes_as_none() {
        let state = LiveState::new(Check::NoticeDate, Vec::new(), Fields::default()).encode();
        assert!(LiveState::decode(&state).is_some());
        for broken in ["", "0", "zz", "0g", &state[..state.len() - 1]] {
            assert_eq!(LiveState::decode(broken), None, "{broken:?}");
        }
    }

    /// The form's island gets the workspace as a check inside its JSON state, with the office's
    /// closures: decoded in the browser, it reviews every form as the server does.
    #[test]
    fn the_islands_check_reviews_as_the_server_does() {
        let mut page = page();
        page.closures.push(Closure {
            date: d("2026-11-20"),
            name: "Ice storm".into(),
        });
        let state = LiveState::new(
            Check::Staffing(Box::new(StaffingCheck::from(&page))),
            page.closures.clone(),
            Fields::default(),
        );
        let decoded = LiveState::decode(&state.encode()).expect("decodes");
        assert_eq!(decoded, state);
        let Check::Staffing(check) = decoded.check else {
            unreachable!("decoded as encoded")
        };
        let calendar = BusinessCalendar::oregon().with_closures(decoded.closures);
        for fields in [initial(&page), complete(&page), post_dq1_fields(&page)] {
            assert_eq!(
                review(&check, &calendar, &fields),
                review(&StaffingCheck::from(&page), &page.calendar(), &fields)
            );
            assert_eq!(
                finalization(&check, &calendar, &fields),
                finalization(&StaffingCheck::from(&page), &page.calendar(), &fields)
            );
        }
    }
}

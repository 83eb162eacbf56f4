//! A form's island state, as it travels in the page: what [`crate::live::form::LiveForm`]
//! is given by the server and decodes in the browser.

use reengage_core::calendar::Closure;
use reengage_core::{BusinessCalendar, MailPickup};
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
    /// The office's mail pickup as the page was drawn (R15): the mailing forms' answers name
    /// it and count a day whose pickup has gone as past.
    pub mail: MailPickup,
    pub fields: Fields,
}

impl LiveState {
    pub fn new(check: Check, closures: Vec<Closure>, fields: Fields) -> Self {
        LiveState {
            check,
            closures,
            mail: MailPickup::default(),
            fields,
        }
    }

    /// This state with the office's mail pickup (the forms that plan a mailing, R15).
    pub fn with_mail(mut self, mail: MailPickup) -> Self {
        self.mail = mail;
        self
    }

    /// The state as [`LiveForm`](super::form::LiveForm) takes it: postcard's bytes, two hex digits each.
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
        BusinessCalendar::oregon()
            .with_closures(self.closures.clone())
            .with_mail_pickup(self.mail)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::StaffingPage;
    use crate::checks::said::{Block, Item, Region, Said};
    use crate::checks::staffing::StaffingCheck;
    use crate::forms::fields::YES;
    use crate::forms::finalization::{POST_DQ1_FIELDS, post_dq1_fields, post_dq1_steps};
    use crate::forms::staffing::example::{complete, d, page};
    use crate::forms::staffing::{StaffingForm, initial, proposal};
    use reengage_core::RuleId;
    use reengage_core::episode::{self, Decision, DecisionOutcome, ReadinessItem, Transition};
    use reengage_core::parse_date_input;
    use reengage_core::rules::{R12, R17, R18, R19, R20, R23, R27, R30};

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

    /// The rules of the unmet items of the DQ1 readiness list an answer shows (each once, in
    /// order), and their lines.
    fn unmet(said: &Said) -> (Vec<RuleId>, Vec<String>) {
        fn lines(blocks: &[Block]) -> Vec<&Item> {
            blocks
                .iter()
                .flat_map(|block| match block {
                    Block::List {
                        class: "unmet",
                        items,
                    } => items.iter().collect(),
                    Block::Section { blocks, .. } => lines(blocks),
                    Block::UntilLive(block) => lines(std::slice::from_ref(&**block)),
                    _ => Vec::new(),
                })
                .collect()
        }
        let items = lines(said.blocks(Region::Decision));
        let mut rules: Vec<RuleId> = items
            .iter()
            .map(|item| {
                let rule = item.text.trim_end().rsplit_once(" (").map(|(_, r)| r);
                let rule = rule.and_then(|r| r.strip_suffix(')')).unwrap_or_default();
                RuleId::try_from(rule.to_owned()).expect("each line ends with its rule")
            })
            .collect();
        rules.dedup();
        (rules, items.iter().map(|item| item.text.clone()).collect())
    }

    /// The refusals an answer shows, wherever they stand.
    fn refusals(blocks: &[Block]) -> Vec<&str> {
        blocks
            .iter()
            .flat_map(|block| match block {
                Block::Text {
                    class: "alert alert-error",
                    text,
                } => vec![text.as_str()],
                Block::Section { blocks, .. } => refusals(blocks),
                Block::UntilLive(block) => refusals(std::slice::from_ref(&**block)),
                _ => Vec::new(),
            })
            .collect()
    }

    fn lines_of(items: &[ReadinessItem]) -> Vec<String> {
        items
            .iter()
            .map(|item| format!("{} ({}) ", item.problem, item.rule))
            .collect()
    }

    /// What the server's own handling of the staffing POST finds unmet for a DQ1 on the day
    /// of the decision: the form read with the branch's team and releases, the staffing
    /// recorded, and the DQ1 weighed by `core` on the office's calendar — all of it from the
    /// page, none of it from the island's state.
    fn server_unmet(page: &StaffingPage, fields: &Fields) -> Vec<ReadinessItem> {
        let read = proposal(fields, &page.team, &page.releases).expect("the form reads");
        let record = Transition::RecordStaffing(read.staffing);
        let staffed = episode::apply(&page.facts, &record, page.today);
        let decided_on = parse_date_input(fields.get(StaffingForm::DECIDED_ON)).unwrap();
        let dq1 = Transition::Decide(Decision::by_team(DecisionOutcome::Dq1, decided_on));
        match episode::check(&staffed, &dq1, page.today, &page.calendar()) {
            Err(refusal) => refusal.unmet().map(<[_]>::to_vec).unwrap_or_default(),
            Ok(()) => Vec::new(),
        }
    }

    /// The form's island gets the workspace as a check inside its state, with the office's
    /// closures: decoded in the browser, what it says of each form — the team, the partners'
    /// releases, the DQ1 readiness list — is what the server's own check of the POST finds,
    /// worked out from the page. A state that lost or changed anything on the way (the
    /// closures, the team, the releases, the facts) says something else.
    #[test]
    fn the_islands_check_reviews_as_the_server_does() {
        let mut page = page();
        // Closed on the Monday after the second attempt (Thursday 11-05): 3 business days
        // after it end on Thursday 11-12 (11-11 is Veterans Day), so the appointment
        // scheduled on 11-10 came too soon (R12) — on this office's calendar only.
        page.closures.push(Closure {
            date: d("2026-11-09"),
            name: "Ice storm".into(),
        });
        let state = LiveState::new(
            Check::Staffing(Box::new(StaffingCheck::from(&page))),
            page.closures.clone(),
            initial(&page),
        );
        let travelled = LiveState::decode(&state.encode()).expect("decodes");
        let island = |fields: &Fields| travelled.check.said(&travelled.calendar(), fields);

        let mut partners = complete(&page);
        partners.push(StaffingForm::PARTNER, "Community Action");
        partners.push(StaffingForm::OTHER_PARTNER, "Food bank");
        let cases = [
            (
                initial(&page),
                "2 department staff on the team: 1 more needed — at least three (R18). 0 confirmed being present; a DQ1 needs three who did.",
                vec![R12, R17, R18, R20, R23, R30],
            ),
            (
                complete(&page),
                "3 department staff on the team: enough (R18). 0 confirmed being present; a DQ1 needs three who did.",
                vec![R12, R17, R18],
            ),
            (
                partners.clone(),
                "3 department staff on the team: enough (R18). 0 confirmed being present; a DQ1 needs three who did.",
                vec![R12, R17, R18, R19],
            ),
        ];
        for (fields, team, rules) in cases {
            let said = island(&fields);
            let server = server_unmet(&page, &fields);
            assert_eq!(unmet(&said), (rules, lines_of(&server)), "{fields:?}");
            assert!(
                matches!(said.blocks(Region::Team), [Block::Text { text, .. }] if text == team),
                "{said:?}"
            );
        }
        let said = island(&partners);
        assert_eq!(
            said.blocks(Region::Partners),
            [
                Block::text(
                    "alert alert-info",
                    "Community Action: MCS 3010 in force on the staffing day."
                ),
                Block::text(
                    "alert alert-error",
                    "Food bank has no MCS 3010 in force on the staffing day: may not be invited (R19)."
                ),
            ]
        );
    }

    /// The finalization form's island likewise: the steps as ticked, weighed by `core` on the
    /// office's calendar, and who is signed in.
    #[test]
    fn the_islands_check_reviews_the_finalization_as_the_server_does() {
        let mut page = page();
        page.closures.push(Closure {
            date: d("2026-11-09"),
            name: "Ice storm".into(),
        });
        page.facts.missing_info[0].resolved_on = Some(d("2026-11-19"));
        let mut staffing = proposal(&complete(&page), &page.team, &page.releases)
            .unwrap()
            .staffing;
        for member in &mut staffing.members {
            member.confirmed_on = Some(d("2026-11-19"));
        }
        page.facts.staffing = Some(staffing);
        page.facts.decision = Some(Decision::by_team(DecisionOutcome::Dq1, d("2026-11-19")));
        page.may.finalize = true;
        let mut ticked = post_dq1_fields(&page);
        for name in POST_DQ1_FIELDS {
            ticked.push(name, YES);
        }
        // The manager sat on the team and confirmed it: they may finalize. The coach did too,
        // and may record the steps, not finalize (R18, R26): they are told why.
        for (viewer, told) in [(2, false), (1, true)] {
            page.viewer_id = viewer;
            let state = LiveState::new(
                Check::Finalization(Box::new(StaffingCheck::from(&page))),
                page.closures.clone(),
                post_dq1_fields(&page),
            );
            let travelled = LiveState::decode(&state.encode()).expect("decodes");
            for (fields, rules) in [
                (post_dq1_fields(&page), vec![R12, R27]),
                (ticked.clone(), vec![R12]),
            ] {
                let said = travelled.check.said(&travelled.calendar(), &fields);
                let steps = Transition::RecordPostDq1Steps(post_dq1_steps(&fields));
                let with_steps = episode::apply(&page.facts, &steps, page.today);
                let server = episode::dq1_readiness(&with_steps, &page.calendar());
                assert_eq!(unmet(&said), (rules, lines_of(&server)), "{fields:?}");
                let refusals = refusals(said.blocks(Region::Decision));
                assert_eq!(refusals.len(), usize::from(told), "{viewer}: {refusals:?}");
                assert!(
                    refusals.iter().all(|r| r.contains("operations manager")),
                    "{refusals:?}"
                );
            }
        }
    }
}

//! What the missed-activity form sends (`POST /missed`, R1), and the miss it describes.

use reengage_core::episode::{ReportedBy, Trigger, TriggerKind};
use reengage_core::{parse_date_input, parse_time_input};

use super::contract::form_contract;
use super::fields::from_code;

form_contract! {
    /// What the missed-activity form sends (and is sent back with on a refusal).
    pub struct MissedForm {
        #[serde(default)]
        pub participant: String as PARTICIPANT,
        #[serde(default)]
        pub kind: String as KIND,
        #[serde(default)]
        pub what: String as WHAT,
        #[serde(default)]
        pub on: String as ON,
        #[serde(default)]
        pub at: String as AT,
        /// R5: the day the contractor learned of the miss, if later (a contractor's form only).
        #[serde(default)]
        pub aware_on: String as AWARE_ON,
        /// R1: present ("yes") when the participant called ahead about the miss.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub called_ahead: Option<String> as CALLED_AHEAD,
    }
}

impl MissedForm {
    /// The participant and the miss the form describes, or a sentence saying what to fix.
    /// Who reported it follows from who is signed in (R5 for a contractor).
    pub fn trigger(&self, reported_by: ReportedBy) -> Result<(i64, Trigger), String> {
        let participant = self
            .participant
            .parse::<i64>()
            .map_err(|_| "Choose the participant who missed the activity.".to_owned())?;
        let kind: TriggerKind =
            from_code(&self.kind).ok_or("Choose what happened: which kind of miss (R1).")?;
        let on = parse_date_input(&self.on).map_err(|e| e.to_string())?;
        let at = parse_time_input(&self.at).map_err(|e| e.to_string())?;
        let aware_on = match self.aware_on.trim() {
            "" => None,
            text => Some(
                parse_date_input(text)
                    .map_err(|e| format!("The day you learned of the miss: {e}"))?,
            ),
        };
        Ok((
            participant,
            Trigger {
                kind,
                what: self.what.trim().to_owned(),
                on,
                at,
                reported_by,
                aware_on,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MissedForm {
        MissedForm {
            participant: "12".into(),
            kind: "MissedCoachAppointment".into(),
            what: " orientation ".into(),
            on: "2026-11-02".into(),
            at: "09:00".into(),
            aware_on: String::new(),
            called_ahead: None,
        }
    }

    #[test]
    fn r1_r5_the_miss_as_entered_by_whoever_reports_it() {
        let (participant, trigger) = form().trigger(ReportedBy::Contractor).unwrap();
        assert_eq!(participant, 12);
        assert_eq!(trigger.what, "orientation");
        assert_eq!(trigger.kind, TriggerKind::MissedCoachAppointment);
        assert_eq!(trigger.reported_by, ReportedBy::Contractor);
        assert_eq!(trigger.aware_on, None);
    }

    #[test]
    fn what_to_fix_in_a_sentence() {
        let cases = [
            (
                MissedForm {
                    participant: String::new(),
                    ..form()
                },
                "Choose the participant who missed the activity.",
            ),
            (
                MissedForm {
                    kind: "Shrug".into(),
                    ..form()
                },
                "Choose what happened: which kind of miss (R1).",
            ),
            (
                MissedForm {
                    aware_on: "later".into(),
                    ..form()
                },
                "The day you learned of the miss: ",
            ),
        ];
        for (form, said) in cases {
            let answer = form.trigger(ReportedBy::Department).unwrap_err();
            assert!(answer.starts_with(said), "{answer}");
        }
    }
}

//! Episode records as last read, each under its id and version, so the pages that read many
//! episodes at once (Today, the branch, the R29 view) load from the database only those that
//! changed since. Every change of an episode's facts goes through `record_change`, which
//! raises its version, so a record is found here only while it is still the stored one, on
//! every server instance; what is not the episode's own (the participant's exemptions, the
//! phone) is read fresh each time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use reengage_core::BusinessCalendar;

use super::episodes::EpisodeRecord;

/// How many records a server keeps: a few branches' open work (about 2 KB each).
pub const CAPACITY: usize = 50_000;

/// A bounded map from episode id to its record at one version.
#[derive(Debug)]
pub struct RecordCache {
    records: Mutex<HashMap<i64, Arc<EpisodeRecord>>>,
    capacity: usize,
}

impl Default for RecordCache {
    fn default() -> Self {
        RecordCache::new(CAPACITY)
    }
}

impl RecordCache {
    pub fn new(capacity: usize) -> Self {
        RecordCache {
            records: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Episode `id` as it was stored at `version`, if that is the one kept.
    pub fn get(&self, id: i64, version: i64) -> Option<Arc<EpisodeRecord>> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        records.get(&id).filter(|r| r.version == version).cloned()
    }

    /// Keeps `record` (replacing an older version of it). When full, one other record makes
    /// room: any, as the pages read whole lists and a miss costs one read.
    pub fn put(&self, record: EpisodeRecord) {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() >= self.capacity
            && !records.contains_key(&record.id)
            && let Some(other) = records.keys().next().copied()
        {
            records.remove(&other);
        }
        records.insert(record.id, Arc::new(record));
    }

    pub fn len(&self) -> usize {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Each branch's business calendar (Oregon's holidays and its closure days) under the branch's
/// `calendar_version`, which every change of its closures raises (a trigger of migration
/// 0011): a calendar is given only while its version is the stored one, on every instance.
#[derive(Debug, Default)]
pub struct CalendarCache {
    calendars: Mutex<HashMap<i64, (i64, BusinessCalendar)>>,
}

impl CalendarCache {
    /// Branch `branch`'s calendar at `version`, if that is the one kept.
    pub fn get(&self, branch: i64, version: i64) -> Option<BusinessCalendar> {
        let calendars = self.calendars.lock().unwrap_or_else(|e| e.into_inner());
        calendars
            .get(&branch)
            .filter(|(kept, _)| *kept == version)
            .map(|(_, calendar)| calendar.clone())
    }

    /// Keeps `calendar` as branch `branch`'s at `version` (one per branch: a branch's calendar
    /// is a few closure days, and there are as many as the agency has offices).
    pub fn put(&self, branch: i64, version: i64, calendar: BusinessCalendar) {
        let mut calendars = self.calendars.lock().unwrap_or_else(|e| e.into_inner());
        calendars.insert(branch, (version, calendar));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reengage_core::episode::{EpisodeFacts, ReportedBy, Trigger, TriggerKind};

    fn record(id: i64, version: i64) -> EpisodeRecord {
        let trigger = Trigger {
            kind: TriggerKind::MissedJobsAppointment,
            what: "orientation".into(),
            on: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            at: None,
            reported_by: ReportedBy::Department,
            aware_on: None,
        };
        EpisodeRecord {
            id,
            participant_id: 1,
            branch_id: 1,
            coach_id: None,
            version,
            facts: EpisodeFacts::new("Ms. Example", trigger),
            missing_info_ids: Vec::new(),
            staffing_id: None,
            decision_id: None,
            earlier: Vec::new(),
        }
    }

    #[test]
    fn a_record_is_given_only_at_the_version_it_was_kept_at() {
        let cache = RecordCache::new(10);
        assert!(cache.is_empty());
        cache.put(record(7, 3));
        assert_eq!(cache.get(7, 3).map(|r| r.version), Some(3));
        assert!(
            cache.get(7, 4).is_none(),
            "a newer stored version is read again"
        );
        assert!(cache.get(7, 2).is_none());
        assert!(cache.get(8, 3).is_none());
        cache.put(record(7, 4));
        assert_eq!(cache.len(), 1, "the newer version replaces the older");
        assert!(cache.get(7, 3).is_none());
        assert_eq!(cache.get(7, 4).map(|r| r.version), Some(4));
    }

    #[test]
    fn a_calendar_is_given_only_at_the_version_it_was_kept_at() {
        let cache = CalendarCache::default();
        let closure = reengage_core::calendar::Closure {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(),
            name: "Ice storm".into(),
        };
        let iced = BusinessCalendar::oregon().with_closures(vec![closure]);
        assert!(cache.get(1, 1).is_none());
        cache.put(1, 2, iced.clone());
        assert_eq!(cache.get(1, 2), Some(iced));
        assert!(
            cache.get(1, 1).is_none(),
            "an older version is not this one"
        );
        assert!(
            cache.get(1, 3).is_none(),
            "a newer stored version is read again"
        );
        assert!(cache.get(2, 2).is_none(), "another branch's");
        cache.put(1, 3, BusinessCalendar::oregon());
        assert_eq!(cache.get(1, 3), Some(BusinessCalendar::oregon()));
        assert!(
            cache.get(1, 2).is_none(),
            "the newer version replaces the older"
        );
    }

    #[test]
    fn it_never_keeps_more_than_its_capacity() {
        let cache = RecordCache::new(3);
        for id in 0..10 {
            cache.put(record(id, 1));
            assert!(cache.len() <= 3);
            assert!(cache.get(id, 1).is_some(), "the record just kept is there");
        }
        assert_eq!(cache.len(), 3);
    }
}

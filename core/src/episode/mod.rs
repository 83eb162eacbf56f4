//! The episode machine: from recorded facts to stage, deadlines and next action; the checks
//! every transition must pass; DQ1 readiness, good cause and the post-DQ1 steps.

pub mod attempt_form;
pub mod due;
pub mod facts;
pub mod next;
pub mod progress;
pub mod quick_forms;
pub mod readiness;
pub mod stage;
pub mod support;
pub mod timeliness;
pub mod transition;
pub mod worklist;

pub use attempt_form::{Hint, asks_for_window, attempt_hints, r11_request};
pub use due::{
    Deadline, DeadlineKind, DeadlineStatus, MovedDeadline, deadline_status, deadlines,
    moved_deadlines,
};
pub use facts::*;
pub use next::{NextAction, next_action};
pub use progress::{contact_on_target, contact_target, invite_on, second_unsuccessful_on};
pub use quick_forms::{ContactAdvice, check_miss, contact_advice, miss_hints, scheduling_warnings};
pub use readiness::{
    FixAt, GoodCause, MIN_DEPARTMENT_STAFF, ReadinessItem, attempts_readiness,
    confirmations_needed, department_staff_needed, dq1_decision_readiness, dq1_readiness,
    good_cause, good_cause_dated, overlapping_exemptions, post_dq1_checklist, re_step_day,
};
pub use stage::{Stage, awaiting_finalization, is_closed, stage};
pub use support::{
    ChecklistItem, effort_outcome, enhanced_case_management, staffing_preparation_checklist,
    without_disqualification,
};
pub use timeliness::{Share, Timeliness, TimelinessFigures, timeliness};
pub use transition::{MAX_REASON_CHARS, Refusal, Transition, apply, check};
pub use worklist::{Urgency, WorkItem, most_urgent_first, work_item};

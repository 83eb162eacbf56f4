-- The missed-activity form lists a coach's, a contractor's or a branch's participants by name;
-- the calendar feed a coach's or a branch's coming appointments by day: each list in the
-- order of an index, never a sort of the table.
CREATE INDEX participants_coach_name ON participants (coach_id, display_name, id);
CREATE INDEX participants_contractor_name ON participants (contractor_id, display_name, id);
CREATE INDEX participants_branch_name ON participants (branch_id, display_name, id);
CREATE INDEX episodes_coach_appointments ON episodes (coach_id, closed, appointment_on, id);
CREATE INDEX episodes_branch_appointments ON episodes (branch_id, closed, appointment_on, id);

-- A participant's PDP steps, exemptions and releases are listed in the index's order with the
-- id as the tie-breaker (SQLite's indexes end in the rowid already).
DROP INDEX pdp_steps_participant;
CREATE INDEX pdp_steps_participant ON pdp_steps (participant_id, starts_on, id);
DROP INDEX exemptions_participant;
CREATE INDEX exemptions_participant ON exemptions (participant_id, from_on, id);
DROP INDEX releases_participant;
CREATE INDEX releases_participant ON releases (participant_id, partner, id);

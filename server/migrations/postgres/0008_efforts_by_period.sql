-- R29: a branch's re-engagement efforts by the day of the miss (the period filter).
CREATE INDEX episodes_branch_missed ON episodes (branch_id, missed_on, id);

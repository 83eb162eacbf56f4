-- Each server instance keeps a branch's calendar (its closure days) under this version, and
-- reads the version with the branch's time zone: every change to the branch's closures raises
-- it, whichever instance or tool makes the change.
ALTER TABLE branches ADD COLUMN calendar_version INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER office_closures_added AFTER INSERT ON office_closures
BEGIN
    UPDATE branches SET calendar_version = calendar_version + 1 WHERE id = NEW.branch_id;
END;

CREATE TRIGGER office_closures_changed AFTER UPDATE ON office_closures
BEGIN
    UPDATE branches SET calendar_version = calendar_version + 1
     WHERE id IN (OLD.branch_id, NEW.branch_id);
END;

CREATE TRIGGER office_closures_removed AFTER DELETE ON office_closures
BEGIN
    UPDATE branches SET calendar_version = calendar_version + 1 WHERE id = OLD.branch_id;
END;

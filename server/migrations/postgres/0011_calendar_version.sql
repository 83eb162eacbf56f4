-- Each server instance keeps a branch's calendar (its closure days) under this version, and
-- reads the version with the branch's time zone: every change to the branch's closures raises
-- it, whichever instance or tool makes the change.
ALTER TABLE branches ADD COLUMN calendar_version BIGINT NOT NULL DEFAULT 1;

CREATE FUNCTION office_closures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE branches SET calendar_version = calendar_version + 1 WHERE id = OLD.branch_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE branches SET calendar_version = calendar_version + 1 WHERE id = NEW.branch_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER office_closures_changed AFTER INSERT OR UPDATE OR DELETE ON office_closures
    FOR EACH ROW EXECUTE FUNCTION office_closures_changed();

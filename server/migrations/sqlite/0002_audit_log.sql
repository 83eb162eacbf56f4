-- The append-only audit trail: who, in which role, when (UTC), did what to which record, with
-- the values before and after. Each entry's hash covers its contents and the hash of the entry
-- before it, so an altered, removed or inserted row breaks the chain (`reengage audit verify`).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    before      TEXT,
    after       TEXT,
    -- UNIQUE: two entries can never follow the same one, so the chain cannot fork.
    prev_hash   TEXT    NOT NULL UNIQUE,
    hash        TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

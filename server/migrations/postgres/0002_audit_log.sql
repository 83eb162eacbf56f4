-- The append-only audit trail: who, in which role, when (UTC), did what to which record, with
-- the values before and after. Each entry's hash covers its contents and the hash of the entry
-- before it, so an altered, removed or inserted row breaks the chain (`reengage audit verify`).
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    at          TEXT      NOT NULL,
    actor       TEXT      NOT NULL,
    role        TEXT      NOT NULL,
    action      TEXT      NOT NULL,
    entity      TEXT      NOT NULL,
    entity_id   TEXT      NOT NULL,
    before      TEXT,
    after       TEXT,
    -- UNIQUE: two entries can never follow the same one, so the chain cannot fork.
    prev_hash   TEXT      NOT NULL UNIQUE,
    hash        TEXT      NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

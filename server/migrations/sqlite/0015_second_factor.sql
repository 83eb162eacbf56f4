-- A second factor for local accounts (TOTP, RFC 6238): required of supervisors and admins.
-- The shared secret (base32), and the last time step a code was accepted for, so a code is
-- never accepted twice. NULL: not enrolled.
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;
-- One-time recovery codes for a lost phone, stored only as SHA-256 hashes.
CREATE TABLE recovery_codes (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    code_hash   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX recovery_codes_staff ON recovery_codes (staff_id);

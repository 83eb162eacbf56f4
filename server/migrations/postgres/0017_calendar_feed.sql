-- Per-person secret calendar feeds (`GET /feeds/calendar/{secret}.ics`), for a calendar app to
-- subscribe to without a session. Only a SHA-256 of each secret is stored; the feed's URL is
-- shown once, when it is made. One live feed per person: a new one revokes the old, and a new
-- password, a new role or branch, or a disabled account revokes it.
CREATE TABLE calendar_feeds (
    id           BIGSERIAL PRIMARY KEY,
    staff_id     BIGINT NOT NULL REFERENCES staff (id),
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX calendar_feeds_staff ON calendar_feeds (staff_id);
CREATE UNIQUE INDEX calendar_feeds_live ON calendar_feeds (staff_id) WHERE revoked_at IS NULL;

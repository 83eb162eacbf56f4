-- Branches (offices): each keeps its own local time zone; dates of its deadlines are its
-- local dates (CALENDAR.md). Instants are stored as UTC text, the same on both backends.
CREATE TABLE branches (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT      NOT NULL UNIQUE,
    time_zone   TEXT      NOT NULL DEFAULT 'America/Los_Angeles',
    created_at  TEXT      NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

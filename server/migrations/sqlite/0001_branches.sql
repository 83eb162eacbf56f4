-- Branches (offices): each keeps its own local time zone; dates of its deadlines are its
-- local dates (CALENDAR.md).
CREATE TABLE branches (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    time_zone   TEXT    NOT NULL DEFAULT 'America/Los_Angeles',
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

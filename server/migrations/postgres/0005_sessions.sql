-- Sign-in sessions for the pages (tower-sessions): the session record as JSON, and when it
-- expires (Unix seconds). Expired rows are never loaded and are swept periodically.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

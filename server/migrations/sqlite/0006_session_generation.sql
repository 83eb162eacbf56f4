-- Bumped whenever an account is disabled or enabled: it is part of every session's check
-- value, so the account's existing sessions end for good (re-enabling does not revive them).
ALTER TABLE staff ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0;

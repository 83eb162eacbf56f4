-- Personal API tokens for scripts (`Authorization: Bearer …`). Only a SHA-256 of each token
-- is stored; the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
    id          BIGSERIAL PRIMARY KEY,
    staff_id    BIGINT NOT NULL REFERENCES staff (id),
    token_hash  TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);

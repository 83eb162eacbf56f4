-- API tokens expire (90 days after creation unless another term was asked for; a token
-- created before this has none stored and expires 90 days after it was created) and record
-- when they were last used (at most once an hour).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;

-- Finding a participant by name (the participant search of department staff) with an index:
-- name_key is "last first" in lower case, written with the names; a search for a name's
-- beginning reads the range of the branch's keys that start with it (participants_name_key).
-- And a contractor referral's end (contractor_until, the office's last day of it): once past,
-- the referral is ended by the server's sweep (participants_referral_end).
ALTER TABLE participants ADD COLUMN name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN contractor_until TEXT;
UPDATE participants SET name_key = lower(last_name || ' ' || first_name);
CREATE INDEX participants_name_key ON participants (branch_id, name_key, id);
CREATE INDEX participants_referral_end ON participants (contractor_until) WHERE contractor_until IS NOT NULL;

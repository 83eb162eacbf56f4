-- The language a participant reads: their DHS 7869 notice is printed in it (an ISO 639-1
-- code of a notice language file, app/notices/*.txt). Everyone on file reads English until
-- their record says otherwise.
ALTER TABLE participants ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

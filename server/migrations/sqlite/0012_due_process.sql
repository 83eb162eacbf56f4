-- Due process that holds (R1, R5, R8–R10, R18, R20, R23, R26, R27).

-- R5: the day a JOBS contractor became aware of the miss (the date on its report).
ALTER TABLE episodes ADD COLUMN aware_on TEXT;
-- R27: the TRACS Re-engagement page finalized (policy 003), tracked after the DQ1.
ALTER TABLE episodes ADD COLUMN tracs_page_finalized INTEGER NOT NULL DEFAULT 0;

-- R5, R4: an attempt made by the JOBS contractor (its engagement contact): its narrative asks
-- the participant to contact the contractor, not the family coach.
ALTER TABLE attempts ADD COLUMN by_contractor INTEGER NOT NULL DEFAULT 0;
-- R10: attempts are read in the order of their days, an earlier one entered late among them.
CREATE INDEX attempts_episode_day ON attempts (episode_id, on_date, id);

-- R18: a department member of a staffing is a staff account of the branch (staff_id) who
-- confirms "I was present" with their own sign-in; a row without an account is named only
-- and never counts toward the three.
ALTER TABLE staffing_members ADD COLUMN confirmed_on TEXT;
ALTER TABLE staffing_members ADD COLUMN confirmed_at TEXT;
-- Today: the staffings waiting for the signed-in person's confirmation.
CREATE INDEX staffing_members_staff ON staffing_members (staff_id, confirmed_on, staffing_id);

-- R23: good cause given by the case manager alone is a decision without a staffing, with
-- its reason. SQLite cannot drop a column's NOT NULL: the table is rebuilt (nothing refers
-- to it).
CREATE TABLE decisions_new (
    id                  INTEGER PRIMARY KEY,
    episode_id          INTEGER NOT NULL REFERENCES episodes (id),
    staffing_id         INTEGER REFERENCES staffings (id),
    outcome             TEXT NOT NULL,
    decided_on          TEXT NOT NULL,
    superseded_at       TEXT,
    superseded_reason   TEXT,
    created_at          TEXT NOT NULL,
    finalized_on        TEXT,
    case_manager_reason TEXT,
    CHECK ((staffing_id IS NULL) = (case_manager_reason IS NOT NULL))
);
INSERT INTO decisions_new (id, episode_id, staffing_id, outcome, decided_on, superseded_at,
    superseded_reason, created_at, finalized_on)
SELECT id, episode_id, staffing_id, outcome, decided_on, superseded_at, superseded_reason,
    created_at, finalized_on FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
CREATE INDEX decisions_episode ON decisions (episode_id, id);
CREATE INDEX decisions_open ON decisions (outcome, superseded_at, episode_id);

-- R10: a narrative saved from an attempt's draft names the attempt by its day and its place
-- among that day's attempts ("attempt-2026-11-24-1"), which an earlier attempt entered late
-- does not change; until now it named the attempt's place among all of them ("attempt-2"),
-- in the order they were entered, which was the order of their days.
UPDATE narratives SET draft_of = COALESCE((
    SELECT 'attempt-' || ranked.on_date || '-' || ranked.of_day
    FROM (
        SELECT a.episode_id, a.on_date,
            row_number() OVER (PARTITION BY a.episode_id ORDER BY a.id) AS place,
            row_number() OVER (PARTITION BY a.episode_id, a.on_date ORDER BY a.id) AS of_day
        FROM attempts a WHERE a.episode_id = narratives.episode_id
    ) ranked
    WHERE 'attempt-' || ranked.place = narratives.draft_of
), draft_of)
WHERE draft_of LIKE 'attempt-%' AND EXISTS (
    SELECT 1 FROM attempts a WHERE a.episode_id = narratives.episode_id
);

-- R20: policy 002 reviews domestic violence (last 6 months) and childcare or transportation
-- for the household, not for the adult and the children apart. A review recorded before
-- keeps what it found in one household cell: present if found for either, the
-- accommodations and notes of both. (The audit log keeps each staffing as it was recorded.)
INSERT INTO barrier_findings (staffing_id, area, who, present, accommodation_offered,
    affected_participation, notes)
SELECT staffing_id, area, 'Household', MAX(present), group_concat(accommodation_offered, '; '),
    MAX(affected_participation), group_concat(notes, '; ')
FROM barrier_findings
WHERE area IN ('DomesticViolence', 'ChildcareTransportation') AND who IN ('Adult', 'Children')
GROUP BY staffing_id, area;
DELETE FROM barrier_findings
WHERE area IN ('DomesticViolence', 'ChildcareTransportation') AND who IN ('Adult', 'Children');

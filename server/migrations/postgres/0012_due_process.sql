-- Due process that holds (R1, R5, R8–R10, R18, R20, R23, R26, R27).

-- R5: the day a JOBS contractor became aware of the miss (the date on its report).
ALTER TABLE episodes ADD COLUMN aware_on TEXT;
-- R27: the TRACS Re-engagement page finalized (policy 003), tracked after the DQ1.
ALTER TABLE episodes ADD COLUMN tracs_page_finalized BIGINT NOT NULL DEFAULT 0;

-- R5, R4: an attempt made by the JOBS contractor (its engagement contact): its narrative asks
-- the participant to contact the contractor, not the family coach.
ALTER TABLE attempts ADD COLUMN by_contractor BIGINT NOT NULL DEFAULT 0;
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
-- its reason.
ALTER TABLE decisions ALTER COLUMN staffing_id DROP NOT NULL;
ALTER TABLE decisions ADD COLUMN case_manager_reason TEXT;
ALTER TABLE decisions ADD CONSTRAINT decisions_team_or_case_manager
    CHECK ((staffing_id IS NULL) = (case_manager_reason IS NOT NULL));

-- R10: a narrative saved from an attempt's draft names the attempt by its day and its place
-- among that day's attempts ("attempt-2026-11-24-1"), which an earlier attempt entered late
-- does not change; until now it named the attempt's place among all of them ("attempt-2"),
-- in the order they were entered, which was the order of their days.
UPDATE narratives n SET draft_of = 'attempt-' || ranked.on_date || '-' || ranked.of_day
FROM (
    SELECT a.episode_id, a.on_date,
        row_number() OVER (PARTITION BY a.episode_id ORDER BY a.id) AS place,
        row_number() OVER (PARTITION BY a.episode_id, a.on_date ORDER BY a.id) AS of_day
    FROM attempts a
) ranked
WHERE n.draft_of LIKE 'attempt-%' AND ranked.episode_id = n.episode_id
    AND n.draft_of = 'attempt-' || ranked.place;

-- R20: policy 002 reviews domestic violence (last 6 months) and childcare or transportation
-- for the household, not for the adult and the children apart. A review recorded before
-- keeps what it found in one household cell: present if found for either, the
-- accommodations and notes of both. (The audit log keeps each staffing as it was recorded.)
INSERT INTO barrier_findings (staffing_id, area, who, present, accommodation_offered,
    affected_participation, notes)
SELECT staffing_id, area, 'Household', MAX(present),
    string_agg(accommodation_offered, '; ' ORDER BY who),
    MAX(affected_participation), string_agg(notes, '; ' ORDER BY who)
FROM barrier_findings
WHERE area IN ('DomesticViolence', 'ChildcareTransportation') AND who IN ('Adult', 'Children')
GROUP BY staffing_id, area;
DELETE FROM barrier_findings
WHERE area IN ('DomesticViolence', 'ChildcareTransportation') AND who IN ('Adult', 'Children');

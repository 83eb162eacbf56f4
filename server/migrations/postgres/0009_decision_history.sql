-- R24, R26: a decision keeps the day its DQ1 was finalized, so a decision superseded by a new
-- staffing still says, in the episode's history, that it had been finalized.
ALTER TABLE decisions ADD COLUMN finalized_on TEXT;

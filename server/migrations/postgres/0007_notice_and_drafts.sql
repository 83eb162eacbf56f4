-- What the printable DHS 7869 notice names: where the office is and how to reach it, and how
-- to reach the family coach.
ALTER TABLE branches ADD COLUMN address TEXT;
ALTER TABLE branches ADD COLUMN phone TEXT;
ALTER TABLE staff ADD COLUMN phone TEXT;
-- Which of core's drafts a narrative was saved from ("attempt-1", "staffing", "decision"), so
-- the episode page stops offering a draft once it is saved.
ALTER TABLE narratives ADD COLUMN draft_of TEXT;

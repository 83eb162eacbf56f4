-- A password an admin set must be changed by its owner at the next sign-in (1) before anything
-- else; a password the owner chose (0) need not.
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

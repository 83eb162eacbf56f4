-- R15: each office's outgoing-mail pickup time, HH:MM office time (NULL: not set). After it, a
-- notice put in the mail today leaves on the next business day. Read with the branch's time
-- zone; set by an admin.
ALTER TABLE branches ADD COLUMN mail_pickup TEXT;

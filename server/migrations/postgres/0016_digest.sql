-- The morning digest e-mail (docs/digest.md). Whether a staff member gets it: 1 on (the
-- default), 0 turned off by its owner at /account/email.
ALTER TABLE staff ADD COLUMN digest_email BIGINT NOT NULL DEFAULT 1;
-- The sent-log: at most one digest per person and office day. A row is claimed ('sending')
-- before the SMTP send, so no two instances send the same digest; it becomes 'sent' once the
-- server accepted it, or 'nothing' when there was nothing to report; a failed send deletes
-- the claim so a later tick tries again.
CREATE TABLE digest_log (
    office_day  TEXT    NOT NULL,
    staff_id    BIGINT  NOT NULL REFERENCES staff (id),
    status      TEXT    NOT NULL,
    claimed_at  TEXT    NOT NULL,
    done_at     TEXT,
    subject     TEXT,
    PRIMARY KEY (office_day, staff_id)
);

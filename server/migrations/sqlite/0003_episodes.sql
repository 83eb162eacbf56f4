-- Staff, participants and the records of each re-engagement episode (DESIGN.md §3).
-- Dates are the office's local dates as 'YYYY-MM-DD'; instants are UTC ISO-8601 text; flags
-- are 0/1 integers; enum values are the names core uses ('MissedFirstActivity').

CREATE TABLE office_closures (
    branch_id   INTEGER NOT NULL REFERENCES branches (id),
    on_date     TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (branch_id, on_date)
);

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    initials        TEXT NOT NULL,
    role            TEXT NOT NULL,
    branch_id       INTEGER REFERENCES branches (id),
    password_hash   TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL
);
CREATE INDEX staff_branch ON staff (branch_id, role);

CREATE TABLE participants (
    id                  INTEGER PRIMARY KEY,
    branch_id           INTEGER NOT NULL REFERENCES branches (id),
    case_number         TEXT NOT NULL UNIQUE,
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    phone               TEXT,
    phone_in_service    INTEGER NOT NULL DEFAULT 1,
    email               TEXT,
    address             TEXT,
    address_verified    INTEGER NOT NULL DEFAULT 0,
    coach_id            INTEGER REFERENCES staff (id),
    contractor_id       INTEGER REFERENCES staff (id),
    created_at          TEXT NOT NULL
);
CREATE INDEX participants_branch ON participants (branch_id, last_name, id);
CREATE INDEX participants_coach ON participants (coach_id, id);
CREATE INDEX participants_contractor ON participants (contractor_id, id);

CREATE TABLE pdp_steps (
    id                  INTEGER PRIMARY KEY,
    participant_id      INTEGER NOT NULL REFERENCES participants (id),
    code                TEXT NOT NULL,
    starts_on           TEXT NOT NULL,
    ends_on             TEXT,
    scheduled_time      TEXT,
    attendance_hours    REAL,
    created_at          TEXT NOT NULL
);
CREATE INDEX pdp_steps_participant ON pdp_steps (participant_id, starts_on);

CREATE TABLE exemptions (
    id              INTEGER PRIMARY KEY,
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    from_on         TEXT NOT NULL,
    to_on           TEXT,
    reason          TEXT
);
CREATE INDEX exemptions_participant ON exemptions (participant_id, from_on);

-- MCS 3010 releases of information.
CREATE TABLE releases (
    id              INTEGER PRIMARY KEY,
    participant_id  INTEGER NOT NULL REFERENCES participants (id),
    partner         TEXT NOT NULL,
    signed_on       TEXT NOT NULL,
    expires_on      TEXT
);
CREATE INDEX releases_participant ON releases (participant_id, partner);

CREATE TABLE episodes (
    id                  INTEGER PRIMARY KEY,
    participant_id      INTEGER NOT NULL REFERENCES participants (id),
    branch_id           INTEGER NOT NULL REFERENCES branches (id),
    coach_id            INTEGER REFERENCES staff (id),
    trigger_kind        TEXT NOT NULL,
    trigger_what        TEXT NOT NULL,
    missed_on           TEXT NOT NULL,
    missed_at           TEXT,
    reported_by         TEXT NOT NULL,
    contact_on          TEXT,
    plan_adjusted       INTEGER,
    appointment_on      TEXT,
    appointment_at      TEXT,
    scheduled_on        TEXT,
    notice_mailed_on    TEXT,
    re_step_recorded        INTEGER NOT NULL DEFAULT 0,
    pdp_copy_to_participant INTEGER NOT NULL DEFAULT 0,
    dq1_selected_on_page    INTEGER NOT NULL DEFAULT 0,
    one_case_note           INTEGER NOT NULL DEFAULT 0,
    resources_offered       INTEGER NOT NULL DEFAULT 0,
    finalized_on        TEXT,
    -- Derived by core on every write, kept for the lists the pages show.
    stage               TEXT NOT NULL,
    closed              INTEGER NOT NULL DEFAULT 0,
    next_due_on         TEXT,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
-- A participant has at most one open episode.
CREATE UNIQUE INDEX episodes_one_open ON episodes (participant_id) WHERE closed = 0;
CREATE INDEX episodes_coach_due ON episodes (coach_id, closed, next_due_on, id);
CREATE INDEX episodes_branch_stage ON episodes (branch_id, closed, stage, next_due_on, id);
CREATE INDEX episodes_branch_due ON episodes (branch_id, closed, next_due_on, id);
CREATE INDEX episodes_participant ON episodes (participant_id, id);

CREATE TABLE attempts (
    id                  INTEGER PRIMARY KEY,
    episode_id          INTEGER NOT NULL REFERENCES episodes (id),
    on_date             TEXT NOT NULL,
    method              TEXT NOT NULL,
    outcome             TEXT NOT NULL,
    response_window     INTEGER,
    by_initials         TEXT NOT NULL,
    by_staff_id         INTEGER REFERENCES staff (id),
    note                TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX attempts_episode ON attempts (episode_id, id);

-- Missing information (R17) and the other tasks of an episode (ONE requests, case notes…).
CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    episode_id      INTEGER NOT NULL REFERENCES episodes (id),
    kind            TEXT NOT NULL,
    blocks_decision INTEGER NOT NULL DEFAULT 1,
    description     TEXT NOT NULL,
    requested_on    TEXT NOT NULL,
    resolved_on     TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX tasks_episode ON tasks (episode_id, id);
CREATE INDEX tasks_open ON tasks (resolved_on, episode_id);

CREATE TABLE staffings (
    id                      INTEGER PRIMARY KEY,
    episode_id              INTEGER NOT NULL REFERENCES episodes (id),
    held_on                 TEXT NOT NULL,
    participant_attended    INTEGER NOT NULL,
    gc_exempt               INTEGER,
    gc_outside_control      INTEGER,
    gc_household_issue      INTEGER,
    gc_department_failed    INTEGER,
    strategies              TEXT NOT NULL,
    next_steps              TEXT NOT NULL,
    superseded_at           TEXT,
    superseded_reason       TEXT,
    created_at              TEXT NOT NULL
);
CREATE INDEX staffings_episode ON staffings (episode_id, id);
CREATE INDEX staffings_held ON staffings (held_on, episode_id);

CREATE TABLE staffing_members (
    staffing_id     INTEGER NOT NULL REFERENCES staffings (id),
    position        INTEGER NOT NULL,
    initials        TEXT NOT NULL,
    role            TEXT NOT NULL,
    staff_id        INTEGER REFERENCES staff (id),
    PRIMARY KEY (staffing_id, position)
);

CREATE TABLE staffing_partners (
    staffing_id     INTEGER NOT NULL REFERENCES staffings (id),
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    signed_on       TEXT,
    expires_on      TEXT,
    PRIMARY KEY (staffing_id, position)
);

CREATE TABLE barrier_findings (
    staffing_id             INTEGER NOT NULL REFERENCES staffings (id),
    area                    TEXT NOT NULL,
    who                     TEXT NOT NULL,
    present                 INTEGER NOT NULL,
    accommodation_offered   TEXT,
    affected_participation  INTEGER,
    notes                   TEXT,
    PRIMARY KEY (staffing_id, area, who)
);

CREATE TABLE decisions (
    id                  INTEGER PRIMARY KEY,
    episode_id          INTEGER NOT NULL REFERENCES episodes (id),
    staffing_id         INTEGER NOT NULL REFERENCES staffings (id),
    outcome             TEXT NOT NULL,
    decided_on          TEXT NOT NULL,
    superseded_at       TEXT,
    superseded_reason   TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX decisions_episode ON decisions (episode_id, id);
CREATE INDEX decisions_open ON decisions (outcome, superseded_at, episode_id);

CREATE TABLE narratives (
    id          INTEGER PRIMARY KEY,
    episode_id  INTEGER NOT NULL REFERENCES episodes (id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_id   INTEGER REFERENCES staff (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX narratives_episode ON narratives (episode_id, id);

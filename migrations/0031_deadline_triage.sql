-- What people decided about a deadline (issue 15, Today as a work queue): marked handled with a
-- reason, snoozed to a date, assigned to someone. Kept apart from the deadline ledger, whose rows
-- the engine rewrites whenever a change moves them: a triage row is keyed by the deadline's
-- stable API id ("rfes/12/rfe_response"), so it survives every recomputation, and a client's
-- own date shown under several requests is triaged once. A row is written by the first change
-- and never deleted while its deadline may come back; reopening clears its fields.
CREATE TABLE deadline_triage (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    deadline_id    TEXT NOT NULL UNIQUE,
    -- sealed (field key, row_nonce) like every narrative: why it needs nothing more
    handled_reason TEXT,
    handled_by     INTEGER REFERENCES users(id), -- NULL when an API key marked it
    handled_at     TEXT,             -- RFC 3339 UTC
    snoozed_until  TEXT,             -- a firm-local date: hidden from the queue until then
    assignee_id    INTEGER REFERENCES users(id),
    row_nonce      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1, -- an untouched deadline is version 1 too
    CHECK ((handled_reason IS NULL) = (handled_at IS NULL)),
    CHECK (handled_reason IS NOT NULL OR handled_by IS NULL)
);
-- One person's queue: the deadlines assigned to them.
CREATE INDEX deadline_triage_by_assignee ON deadline_triage(assignee_id) WHERE assignee_id IS NOT NULL;
INSERT INTO sqlite_sequence (name, seq) SELECT 'deadline_triage', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'deadline_triage');

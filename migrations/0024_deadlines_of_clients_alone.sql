-- A client with no parole request yet still has deadlines of the client's own: the asylum
-- one-year deadline from the last arrival, the change-of-address report, the passport date
-- (issue 12). The ledger held rows per request only, so such a client had none, anywhere. The
-- ledger now also holds rows with no request: those of a client who has none (source
-- `clients`). Once the client has a request they move under it, as before.
--
-- The table is rebuilt because its key was (parole_request_id, deadline_id), which cannot hold
-- a NULL: it becomes a rowid table, with that pair unique for request rows and deadline_id unique
-- for the client-only rows. The next start rebuilds the ledger (the schema is part of its basis).
CREATE TABLE deadlines_rebuilt (
    -- the request the deadline is under; NULL: the client (client_id) has no request
    parole_request_id INTEGER REFERENCES parole_requests(id) ON DELETE CASCADE,
    deadline_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    client_id         INTEGER NOT NULL,
    due_on            TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    due_at_utc        TEXT,
    opens_on          TEXT,
    met               INTEGER NOT NULL CHECK (met IN (0, 1)),
    moot_decision_id  INTEGER,
    rule_id           INTEGER NOT NULL REFERENCES deadline_rules(id),
    rule_version      INTEGER NOT NULL,
    source_resource   TEXT NOT NULL,
    source_id         INTEGER NOT NULL,
    title             TEXT NOT NULL,
    program_code      TEXT,
    terminates        INTEGER NOT NULL DEFAULT 0 CHECK (terminates IN (0, 1)),
    basis             TEXT CHECK (basis IS NULL OR basis IN ('notice', 'computed_maximum')),
    premature         INTEGER NOT NULL DEFAULT 0 CHECK (premature IN (0, 1)),
    CHECK (moot_decision_id IS NULL OR met = 1),
    -- only a client's own deadline stands without a request
    CHECK (parole_request_id IS NOT NULL OR source_resource = 'clients')
);
INSERT INTO deadlines_rebuilt SELECT parole_request_id, deadline_id, kind, client_id, due_on,
    due_at, due_at_utc, opens_on, met, moot_decision_id, rule_id, rule_version, source_resource,
    source_id, title, program_code, terminates, basis, premature FROM deadlines;
DROP TABLE deadlines;
ALTER TABLE deadlines_rebuilt RENAME TO deadlines;

-- A request's rows, each once (and the request's own reads, in id order).
CREATE UNIQUE INDEX deadlines_of_request ON deadlines(parole_request_id, deadline_id);
-- A client's rows: the client-only ones (one of each), and a client's whole list.
CREATE UNIQUE INDEX deadlines_of_client_alone ON deadlines(deadline_id)
    WHERE parole_request_id IS NULL;
CREATE INDEX deadlines_of_client ON deadlines(client_id, due_on, due_at, deadline_id,
    parole_request_id);
-- As in migration 18, with the request last: the old table's key was in every index, and the
-- lists order by it last.
CREATE INDEX deadlines_by_date ON deadlines(due_on, due_at, deadline_id, parole_request_id);
CREATE INDEX deadlines_by_met ON deadlines(met, due_on, due_at, deadline_id, parole_request_id);
CREATE INDEX deadlines_ends ON deadlines(met, kind, due_on, parole_request_id);
CREATE INDEX deadlines_by_id ON deadlines(deadline_id, parole_request_id);

DELETE FROM parole_request_facts;
DELETE FROM stage_tally;
DELETE FROM deadline_ledger_basis;

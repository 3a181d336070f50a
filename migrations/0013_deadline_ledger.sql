-- The deadline ledger: every deadline the engine computes (domain/deadline_compute.c), stored
-- so the firm-wide views (/deadlines, /stats, remind, the calendar feed) read rows through
-- indexes instead of recomputing every open request on each read. The write path (store/
-- write.c) rewrites a request's rows in the same transaction as any change that moves them;
-- `paroletrack deadlines verify` recomputes everything and compares, `deadlines rebuild`
-- rewrites the table. Only dates and facts are stored: the status (upcoming, due today,
-- overdue, met) is derived at read time from them and today's date, so nothing goes stale
-- overnight. Rows are derived data: they go with their request.
CREATE TABLE deadlines (
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE CASCADE,
    -- the API's deadline id, "resource/source id/kind" (a client's own passport date appears
    -- under each of the client's requests, so the id alone is not unique)
    deadline_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    client_id         INTEGER NOT NULL,
    due_on            TEXT NOT NULL,  -- firm-local date
    due_at            TEXT NOT NULL,  -- an appointment's local time (RFC 3339), else '' (so
                                      -- it sorts and pages like the API's order)
    due_at_utc        TEXT,           -- the same instant in UTC, compared with now
    opens_on          TEXT,           -- the first day of a filing window, else NULL
    met               INTEGER NOT NULL CHECK (met IN (0, 1)),
    rule_id           INTEGER NOT NULL REFERENCES deadline_rules(id),
    rule_version      INTEGER NOT NULL,
    source_resource   TEXT NOT NULL,
    source_id         INTEGER NOT NULL,
    title             TEXT NOT NULL,
    -- 0 when the request is in a closed stage (denied, withdrawn, closed, terminated: all from
    -- its latest decision, so no date moves it): firm-wide views leave those out
    request_open      INTEGER NOT NULL CHECK (request_open IN (0, 1)),
    PRIMARY KEY (parole_request_id, deadline_id)
) WITHOUT ROWID;
-- Firm-wide lists in date order (a window; every status); the id breaks ties as the API does.
CREATE INDEX deadlines_open_by_date ON deadlines(request_open, due_on, due_at, deadline_id);
-- The same split by met: a status filter (overdue, due today, upcoming: met = 0; met = 1).
CREATE INDEX deadlines_open_by_met ON deadlines(request_open, met, due_on, due_at, deadline_id);
-- What still ends, by kind (the statistics' parole and work permit ends by month).
CREATE INDEX deadlines_open_ends ON deadlines(request_open, met, kind, due_on, parole_request_id);
-- A client's passport date under several requests shows once: the lowest request's.
CREATE INDEX deadlines_by_id ON deadlines(deadline_id, parole_request_id);
-- What the stored rows were computed with besides the rows the write path watches: the firm's
-- time zone, the schema's last migration and the computation's version in code. A server start
-- rebuilds the ledger when any of these differs (deadline_ledger_ensure).
CREATE TABLE deadline_ledger_basis (
    slot     INTEGER PRIMARY KEY CHECK (slot = 1),
    basis    TEXT NOT NULL,
    built_at TEXT NOT NULL
);
-- The facts a request's stage is derived from, kept by the same refresh as its deadlines (no
-- foreign key: the refresh removes the row of a deleted request itself, after taking it out of
-- the tally below). The stage still depends on today (paroled until the parole ends; an
-- interview until it is held), so each request also stores its stage class and the boundary
-- where that class changes stage (FACTS_CLASS / FACTS_BOUNDARY in store/sql.c; the stage from
-- them is TALLY_STAGE, the twin of STAGE_EXPRESSION: `deadlines verify` checks they agree).
CREATE TABLE parole_request_facts (
    parole_request_id INTEGER PRIMARY KEY,
    latest_outcome    TEXT,              -- the latest decision's outcome, NULL before one
    parole_until      TEXT,              -- the latest parole or I-94 end recorded, else NULL
    valid_until       TEXT,              -- the latest decision's valid_until
    inside_us         INTEGER NOT NULL,  -- the request's location is inside_us
    open_rfe          INTEGER NOT NULL,  -- an RFE or NOID not yet answered
    interview_until   TEXT,              -- the last scheduled appointment's instant (UTC)
    receipted         INTEGER NOT NULL,  -- a filing with a receipt number
    filed             INTEGER NOT NULL,  -- any filing
    first_filed_on    TEXT,              -- the earliest filing's date
    ahead_on          TEXT,              -- the latest date deadline not yet met
    ahead_at          TEXT,              -- the latest appointment not yet held (UTC instant)
    parole_end_due    TEXT,              -- an open request's latest parole end not met, else NULL
    ead_end_due       TEXT,              -- an open request's latest work permit end not met
    stage_class       TEXT NOT NULL,     -- e.g. 'denied', 'approved_until', 'interview_then_filed'
    stage_boundary    TEXT NOT NULL      -- the date or instant the class's stage turns, or ''
);
-- The statistics' parole and work permit ends by month: a range count of the next months.
CREATE INDEX parole_request_facts_parole_end ON parole_request_facts(parole_end_due)
    WHERE parole_end_due IS NOT NULL;
CREATE INDEX parole_request_facts_ead_end ON parole_request_facts(ead_end_due)
    WHERE ead_end_due IS NOT NULL;
-- How many requests are in each stage class with each boundary: the statistics count stages
-- from these few thousand rows (one per class and date), not from every request.
CREATE TABLE stage_tally (
    stage_class    TEXT NOT NULL,
    stage_boundary TEXT NOT NULL,
    requests       INTEGER NOT NULL CHECK (requests >= 0),
    PRIMARY KEY (stage_class, stage_boundary)
) WITHOUT ROWID;

-- The events of a parole request: filings, RFEs/NOIDs, appointments, decisions and the expiry
-- dates of parole, I-94s, work permits and documents. Deleting a request never cascades to them:
-- the foreign keys RESTRICT and the API answers 409.

CREATE TABLE filings (
    id                INTEGER PRIMARY KEY,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    form              TEXT NOT NULL CHECK (form IN ('I-131', 'I-131F', 'I-134', 'I-134A', 'I-765',
                          'I-290B', 'other')),
    filed_on          TEXT NOT NULL,
    kind              TEXT CHECK (kind IN ('initial', 're_parole', 'expedite_request',
                          'rfe_response', 'motion', 'other')),
    receipt_number    TEXT,
    receipt_notice_on TEXT,
    fee_cents         INTEGER CHECK (fee_cents >= 0),
    method            TEXT CHECK (method IN ('mail', 'online')),
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX filings_by_request ON filings(parole_request_id);
CREATE UNIQUE INDEX filings_receipt_number ON filings(receipt_number)
    WHERE receipt_number IS NOT NULL;

CREATE TABLE rfes (
    id                INTEGER PRIMARY KEY,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    issued_on         TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT 'rfe' CHECK (kind IN ('rfe', 'noid')),
    response_due_on   TEXT,
    mailed            INTEGER NOT NULL DEFAULT 0 CHECK (mailed IN (0, 1)),
    responded_on      TEXT,
    summary           TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rfes_by_request ON rfes(parole_request_id);

CREATE TABLE interviews (
    id                INTEGER PRIMARY KEY,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK (kind IN ('interview', 'biometrics')),
    scheduled_at      TEXT NOT NULL,
    -- scheduled_at converted to UTC (YYYY-MM-DDTHH:MM:SSZ) so instants compare as text.
    scheduled_at_utc  TEXT NOT NULL,
    location          TEXT,
    outcome           TEXT NOT NULL DEFAULT 'scheduled' CHECK (outcome IN ('scheduled',
                          'completed', 'rescheduled', 'missed', 'cancelled')),
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX interviews_by_request ON interviews(parole_request_id);

CREATE TABLE decisions (
    id                INTEGER PRIMARY KEY,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    decided_on        TEXT NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('approved', 'denied', 'withdrawn',
                          'administratively_closed', 'terminated')),
    valid_from        TEXT,
    valid_until       TEXT,
    mailed            INTEGER NOT NULL DEFAULT 0 CHECK (mailed IN (0, 1)),
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decisions_by_request ON decisions(parole_request_id, decided_on);

CREATE TABLE expirations (
    id                INTEGER PRIMARY KEY,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK (kind IN ('parole', 'i94', 'ead', 'travel_document',
                          'passport', 'other')),
    expires_on        TEXT NOT NULL,
    document_number   TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX expirations_by_request ON expirations(parole_request_id, kind);

-- USCIS case status sync (issue 13). `paroletrack uscis-sync` asks the USCIS Case Status API
-- about every receipt number of the requests still being worked on and keeps each change of
-- status it sees. A status only proposes an event (an RFE, a decision, an interview): nothing
-- is recorded as a legal fact until a person confirms it.

-- Each status change seen, under the request whose filing holds the receipt number.
CREATE TABLE uscis_statuses (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE CASCADE,
    receipt_number    TEXT NOT NULL,
    form_type         TEXT,
    status_text_en    TEXT NOT NULL,
    status_desc_en    TEXT,
    status_text_es    TEXT,
    status_desc_es    TEXT,
    uscis_date        TEXT,             -- the case's modifiedDate as USCIS gives it
    fetched_at        TEXT NOT NULL,    -- RFC 3339 UTC
    -- the event the status proposes (uscis_status_proposals), and what a person made of it
    proposes          TEXT,
    proposal_state    TEXT CHECK (proposal_state IS NULL
                                  OR proposal_state IN ('open', 'confirmed', 'dismissed')),
    reminded_at       TEXT,             -- when a `remind` digest carried it; NULL: not yet
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK ((proposes IS NULL) = (proposal_state IS NULL))
);
CREATE INDEX uscis_statuses_of_request ON uscis_statuses(parole_request_id, id);
CREATE INDEX uscis_statuses_of_receipt ON uscis_statuses(receipt_number, id);
CREATE INDEX uscis_statuses_to_remind ON uscis_statuses(id) WHERE reminded_at IS NULL;

-- What a status proposes, as data: USCIS's English status title and the event it suggests.
CREATE TABLE uscis_status_proposals (
    status_text_en TEXT PRIMARY KEY,
    proposes       TEXT NOT NULL CHECK (proposes IN ('rfe', 'noid', 'interview', 'biometrics',
                                                     'decision_approved', 'decision_denied',
                                                     'receipt', 'withdrawal')),
    citation       TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO uscis_status_proposals (status_text_en, proposes, citation) VALUES
    ('Case Was Received', 'receipt', 'USCIS Case Status Online: status titles'),
    ('Request for Evidence Was Sent', 'rfe', 'USCIS Case Status Online: status titles'),
    ('Notice of Intent to Deny Was Sent', 'noid', 'USCIS Case Status Online: status titles'),
    ('Interview Was Scheduled', 'interview', 'USCIS Case Status Online: status titles'),
    ('Fingerprint Review Was Completed', 'biometrics', 'USCIS Case Status Online: status titles'),
    ('Case Was Approved', 'decision_approved', 'USCIS Case Status Online: status titles'),
    ('Case Was Denied', 'decision_denied', 'USCIS Case Status Online: status titles'),
    ('Withdrawal Acknowledgement Notice Was Sent', 'withdrawal',
     'USCIS Case Status Online: status titles');

-- Each receipt number's last check: the least recently checked go first, so a run stopped by
-- the daily quota resumes where it stopped.
CREATE TABLE uscis_receipt_checks (
    receipt_number  TEXT PRIMARY KEY,
    last_checked_at TEXT NOT NULL,
    last_outcome    TEXT NOT NULL CHECK (last_outcome IN ('unchanged', 'changed', 'failed')),
    last_error      TEXT
) WITHOUT ROWID;

-- Requests made to the API per UTC day, against the daily quota.
CREATE TABLE uscis_quota (
    day  TEXT PRIMARY KEY,
    used INTEGER NOT NULL
) WITHOUT ROWID;

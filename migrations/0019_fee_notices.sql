-- Fees (issue 12). Non-payment of the parole fee means no parole (H.R. 1, Pub. L. 119-21: $1,000
-- billed when parole is granted, re-parole included, from 16 October 2025); a filing fee unpaid
-- by its date gets the filing rejected. A fee notice is an event of a parole request: what was
-- billed, when, by when it must be paid, and when it was. An unpaid notice is a deadline of kind
-- `fee_payment` on its due date (domain/deadline_compute.c).
CREATE TABLE fee_notices (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK (kind IN ('parole_fee', 'filing_fee', 'other')),
    form              TEXT,           -- a filing fee's form (I-131, I-765, ...)
    amount_cents      INTEGER NOT NULL CHECK (amount_cents BETWEEN 0 AND 100000000),
    issued_on         TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    paid_on           TEXT,
    notes             TEXT,           -- sealed (a narrative)
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    row_nonce         TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
CREATE INDEX fee_notices_by_request ON fee_notices(parole_request_id);
CREATE TRIGGER fee_notices_row_nonce_fixed BEFORE UPDATE OF row_nonce ON fee_notices
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;

-- The fee schedule with effective dates: what a notice of a kind (and form) issued on a date
-- costs, to propose the amount when none is typed. A firm edits rows when USCIS changes a fee.
CREATE TABLE fee_schedule (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('parole_fee', 'filing_fee', 'other')),
    form            TEXT,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents BETWEEN 0 AND 100000000),
    effective_from  TEXT NOT NULL,
    effective_to    TEXT,
    citation_source TEXT NOT NULL,
    citation_date   TEXT NOT NULL
);
CREATE INDEX fee_schedule_by_kind ON fee_schedule(kind, form, effective_from);
INSERT INTO fee_schedule (code, kind, form, amount_cents, effective_from, effective_to,
    citation_source, citation_date) VALUES
('i131_2024', 'filing_fee', 'I-131', 63000, '2024-04-01', NULL,
 'USCIS Fee Schedule, 89 FR 6194 (Form I-131 for parole: $630)', '2024-01-31'),
('parole_fee_hr1', 'parole_fee', NULL, 100000, '2025-10-16', NULL,
 'H.R. 1, Pub. L. 119-21 (4 July 2025): parole fee of $1,000, effective 16 October 2025',
 '2025-07-04');

-- The rule that makes an unpaid notice a deadline.
INSERT INTO deadline_rules (code, kind, description, program, days, mailed_extra_days,
    opens_days_before, lead_times, enabled, effective_from, effective_to, citation_source,
    citation_date, created_at, updated_at) VALUES
('fee_payment', 'fee_payment',
 'A fee billed by a notice must be paid by its due date: no payment of the parole fee, no parole; an unpaid filing fee gets the filing rejected.',
 NULL, NULL, 0, NULL, '[30,14,7,3,1,0]', 1, '2000-01-01', NULL,
 'H.R. 1, Pub. L. 119-21 (parole fee); 8 CFR 103.2(a)(7)(ii) (fees)', '2025-07-04',
 '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z');

-- Parole programs as data (issue 12). A program is a code a parole request names (u4u, oaw,
-- frp, chnv, ...), its name, the spellings firms typed before codes were enforced (aliases),
-- and when DHS terminated it: the date parole under it ends, the Federal Register notice that
-- says so, and the notice's exceptions as rows of data. The deadline engine reads this table
-- (domain/deadline_compute.c): a termination ends an approved parole that had not ended by
-- that date, unless an exception applies; editing a program recomputes its requests.
CREATE TABLE programs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL UNIQUE
                    CHECK (length(code) BETWEEN 1 AND 32 AND code GLOB '[a-z]*'
                           AND code NOT GLOB '*[^a-z0-9_]*'),
    name            TEXT NOT NULL,
    -- other spellings of the code (lower case, '_' between words): how a request's free-text
    -- program of before this migration, or a typed "Uniting for Ukraine", finds its code
    aliases         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    -- the first day the program's parole no longer runs (NULL: not terminated)
    terminated_on   TEXT,
    -- the source of the row: the termination notice when terminated, else the program's own
    citation_source TEXT NOT NULL,
    citation_date   TEXT NOT NULL,
    -- exceptions to the termination: [{"kind": "filing_on_or_before", "form": "I-485",
    -- "on_or_before": "2025-12-15", "description": "..."}]: a request with a filing of that
    -- form made on or before that date keeps its parole to the earlier of its own end and
    -- that filing's decision (the one kind the engine knows today)
    exceptions      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(exceptions)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

INSERT INTO programs (code, name, aliases, terminated_on, citation_source, citation_date,
    exceptions, created_at, updated_at) VALUES
('u4u', 'Uniting for Ukraine',
 '["uniting_for_ukraine", "ukraine", "u_4_u"]', NULL,
 'Implementation of the Uniting for Ukraine Parole Process, 87 FR 25040', '2022-04-27', '[]',
 '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),
('oaw', 'Operation Allies Welcome',
 '["operation_allies_welcome", "allies_welcome", "afghan", "afghanistan"]', NULL,
 'DHS, Operation Allies Welcome: parole of Afghan nationals (INA 212(d)(5)(A))', '2021-08-29',
 '[]', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),
('frp', 'Family Reunification Parole',
 '["family_reunification_parole", "frp_process", "cfrp", "hfrp"]', '2026-01-14',
 'Termination of Family Reunification Parole Processes, Federal Register notice of 15 December 2025',
 '2025-12-15',
 '[{"kind": "filing_on_or_before", "form": "I-485", "on_or_before": "2025-12-15", "description": "An I-485 postmarked or e-filed on or before 15 December 2025, or pending on that date: parole runs to the earlier of its own end and the I-485 decision."}]',
 '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),
('chnv', 'Parole processes for Cubans, Haitians, Nicaraguans and Venezuelans',
 '["chnv_parole", "chnv_process", "cuba_haiti_nicaragua_venezuela"]',
 '2025-04-24',
 'Termination of Parole Processes for Cubans, Haitians, Nicaraguans, and Venezuelans, 90 FR 13611',
 '2025-03-25', '[]', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z');

-- Today's free-text programs become codes: a value equal to a code or one of its aliases,
-- ignoring case, takes the code. What matches nothing is left as it was; `paroletrack migrate`
-- lists those values, and a request keeps its value until someone changes the program.
UPDATE parole_requests SET program = (
    SELECT g.code FROM programs g
    WHERE g.code = lower(parole_requests.program)
       OR EXISTS (SELECT 1 FROM json_each(g.aliases) a
                  WHERE lower(a.value) = lower(parole_requests.program)))
WHERE program IS NOT NULL AND program NOT IN (SELECT code FROM programs)
  AND EXISTS (SELECT 1 FROM programs g
              WHERE g.code = lower(parole_requests.program)
                 OR EXISTS (SELECT 1 FROM json_each(g.aliases) a
                            WHERE lower(a.value) = lower(parole_requests.program)));

-- Filings take the forms of the other ways to stay and of the program exceptions (asylum,
-- TPS, adjustment, a relative's petition, a fee waiver, a representative's notice, a change of
-- address), and the date USCIS decided the filing (an I-485's decision ends an FRP parole kept
-- by the exception). SQLite cannot change a CHECK, so the table is rebuilt with its ids.
CREATE TABLE filings_sequence_kept AS
    SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'filings'), 0) AS seq;
CREATE TABLE filings_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    form              TEXT NOT NULL CHECK (form IN ('I-131', 'I-131F', 'I-134', 'I-134A', 'I-765',
                          'I-290B', 'I-589', 'I-821', 'I-485', 'I-130', 'I-912', 'G-28', 'AR-11',
                          'other')),
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
    version           INTEGER NOT NULL DEFAULT 1,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32),
    decided_on        TEXT
);
INSERT INTO filings_rebuilt (id, parole_request_id, form, filed_on, kind, receipt_number,
    receipt_notice_on, fee_cents, method, notes, created_at, updated_at, version, row_nonce)
    SELECT id, parole_request_id, form, filed_on, kind, receipt_number, receipt_notice_on,
        fee_cents, method, notes, created_at, updated_at, version, row_nonce FROM filings;
DROP TABLE filings;
ALTER TABLE filings_rebuilt RENAME TO filings;
CREATE INDEX filings_by_request ON filings(parole_request_id);
CREATE UNIQUE INDEX filings_receipt_number ON filings(receipt_number)
    WHERE receipt_number IS NOT NULL;
CREATE TRIGGER filings_row_nonce_fixed BEFORE UPDATE OF row_nonce ON filings
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
DELETE FROM sqlite_sequence WHERE name IN ('filings', 'filings_rebuilt');
INSERT INTO sqlite_sequence (name, seq) SELECT 'filings', max(
    (SELECT seq FROM filings_sequence_kept),
    coalesce((SELECT max(id) FROM filings), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'filings'), 0));
DROP TABLE filings_sequence_kept;

-- A stored deadline whose date a program's notice set (its termination, or the decision that
-- ends a parole kept by an exception) names the program: the API shows the notice's citation
-- beside it. `terminates` marks the parole end that is the termination itself: from its date
-- the request's stage is `terminated`; a program-set parole end that does not terminate is
-- where the parole ends instead of its I-94 date (the stage facts read both, store/sql.c).
ALTER TABLE deadlines ADD COLUMN program_code TEXT;
ALTER TABLE deadlines ADD COLUMN terminates INTEGER NOT NULL DEFAULT 0
    CHECK (terminates IN (0, 1));
ALTER TABLE parole_request_facts ADD COLUMN terminated_on TEXT;

-- A decision settles some deadlines and leaves others running (issue 12, "The cases that fall
-- off the lists"). Until now a denied, withdrawn, closed or terminated request dropped out of
-- every firm-wide list, reminder and feed with all its deadlines, the motion deadline, the
-- parole and work permit ends and the passport among them: the cases that need attention most.
-- Now each stored deadline says itself whether a decision made it moot; the others stay listed
-- whatever the request's stage.

-- The deadline kinds of this issue: a missed appointment (abandonment), the asylum one-year
-- deadline, the change-of-address report and a fee payment. SQLite cannot change a CHECK, so the
-- rules table is rebuilt with its ids.
CREATE TABLE deadline_rules_sequence_kept AS
    SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deadline_rules'), 0) AS seq;
CREATE TABLE deadline_rules_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('rfe_response', 'noid_response', 'motion',
                          'interview', 'biometrics', 'parole_end', 'reparole_filing', 'ead_end',
                          'travel_by', 'passport_expiry', 'appointment', 'missed_appointment',
                          'asylum_one_year', 'address_change_report', 'fee_payment')),
    description       TEXT NOT NULL,
    program           TEXT,
    days              INTEGER CHECK (days IS NULL OR days BETWEEN 0 AND 3650),
    mailed_extra_days INTEGER NOT NULL DEFAULT 0 CHECK (mailed_extra_days BETWEEN 0 AND 30),
    opens_days_before INTEGER CHECK (opens_days_before IS NULL OR opens_days_before BETWEEN 0 AND 3650),
    lead_times        TEXT NOT NULL DEFAULT '[180,90,60,30,14,7,1,0]' CHECK (json_valid(lead_times)),
    enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    effective_from    TEXT NOT NULL,
    effective_to      TEXT,
    citation_source   TEXT NOT NULL,
    citation_date     TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    ead_category      TEXT,
    cap_at_parole_end INTEGER NOT NULL DEFAULT 0 CHECK (cap_at_parole_end IN (0, 1))
);
INSERT INTO deadline_rules_rebuilt (id, code, kind, description, program, days,
    mailed_extra_days, opens_days_before, lead_times, enabled, effective_from, effective_to,
    citation_source, citation_date, created_at, updated_at, version, ead_category,
    cap_at_parole_end)
    SELECT id, code, kind, description, program, days, mailed_extra_days, opens_days_before,
        lead_times, enabled, effective_from, effective_to, citation_source, citation_date,
        created_at, updated_at, version, ead_category, cap_at_parole_end FROM deadline_rules;

-- The ledger is derived data: it is dropped here and rebuilt by the next server start (or
-- `remind`, or `deadlines rebuild`), computed by the new rules, before anyone reads it.
DROP TABLE deadlines;
DROP TABLE deadline_rules;
ALTER TABLE deadline_rules_rebuilt RENAME TO deadline_rules;
CREATE INDEX deadline_rules_by_code ON deadline_rules(code, effective_from);
DELETE FROM sqlite_sequence WHERE name IN ('deadline_rules', 'deadline_rules_rebuilt');
INSERT INTO sqlite_sequence (name, seq) SELECT 'deadline_rules', max(
    (SELECT seq FROM deadline_rules_sequence_kept),
    coalesce((SELECT max(id) FROM deadline_rules), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'deadline_rules'), 0));
DROP TABLE deadline_rules_sequence_kept;

INSERT INTO deadline_rules (code, kind, description, program, days, mailed_extra_days,
    opens_days_before, lead_times, enabled, effective_from, effective_to, citation_source,
    citation_date, created_at, updated_at) VALUES
('missed_appointment', 'missed_appointment',
 'A missed interview or biometrics appointment: USCIS may treat the request as abandoned and deny it. Ask to reschedule at once; met when a later appointment of the same kind is scheduled or the request is decided.',
 NULL, NULL, 0, NULL, '[0]', 1, '2000-01-01', NULL,
 '8 CFR 103.2(b)(13)', '2024-04-01', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z');

UPDATE deadline_rules SET
    description = 'Travel by the date on the advance parole document or travel document, or by the valid-until date of an approval abroad (the travel authorisation): CBP decides on parole at the port of entry.',
    updated_at = '2026-12-07T00:00:00Z', version = version + 1
WHERE code = 'travel_document';

-- The ledger, as in migration 13, but with no request_open: whether a deadline still counts is
-- its own (met, or moot: a decision settled it), never its request's stage.
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
    -- 1 when nothing is due any more: the thing was done, or a decision made it moot
    met               INTEGER NOT NULL CHECK (met IN (0, 1)),
    -- the decision that made it moot (an RFE response, an appointment, a travel-by after a
    -- denial); NULL otherwise. Set only with met = 1.
    moot_decision_id  INTEGER,
    rule_id           INTEGER NOT NULL REFERENCES deadline_rules(id),
    rule_version      INTEGER NOT NULL,
    source_resource   TEXT NOT NULL,
    source_id         INTEGER NOT NULL,
    title             TEXT NOT NULL,
    -- the program whose notice set the date (migration 16), and whether it is the termination
    program_code      TEXT,
    terminates        INTEGER NOT NULL DEFAULT 0 CHECK (terminates IN (0, 1)),
    -- an RFE or NOID response date: 'notice' (typed from the notice) or 'computed_maximum'
    -- (the rule's longest allowance from the issue date); NULL for other kinds
    basis             TEXT CHECK (basis IS NULL OR basis IN ('notice', 'computed_maximum')),
    -- a re-parole deadline whose only filing came before the window opened
    premature         INTEGER NOT NULL DEFAULT 0 CHECK (premature IN (0, 1)),
    CHECK (moot_decision_id IS NULL OR met = 1),
    PRIMARY KEY (parole_request_id, deadline_id)
) WITHOUT ROWID;
-- Firm-wide lists in date order (a window; every status); the id breaks ties as the API does.
CREATE INDEX deadlines_by_date ON deadlines(due_on, due_at, deadline_id);
-- The same split by met: a status filter (overdue, due today, upcoming: met = 0; met = 1).
CREATE INDEX deadlines_by_met ON deadlines(met, due_on, due_at, deadline_id);
-- What still ends, by kind (the statistics' parole and work permit ends by month).
CREATE INDEX deadlines_ends ON deadlines(met, kind, due_on, parole_request_id);
-- A client's passport date under several requests shows once: the lowest request's.
CREATE INDEX deadlines_by_id ON deadlines(deadline_id, parole_request_id);

-- The stored stage facts and tally were computed with the old ledger: the rebuild rewrites them.
DELETE FROM parole_request_facts;
DELETE FROM stage_tally;
DELETE FROM deadline_ledger_basis;

-- A client's travel history and what it starts (issue 12, "Forms, work permits and other ways to
-- stay"). The last arrival in the US starts the asylum one-year deadline (8 CFR 208.4(a)(2)); a
-- change of address starts the 10-day change-of-address report (INA 265, 8 CFR 265.1). Both are
-- the client's, so the engine shows them under the client's requests like the passport date.

-- Each entry into the US: when, where, as what (the I-94's class of admission: DT for parole,
-- UHP for U4U, OAR / PAR for Afghans, ...), and when the client left again.
CREATE TABLE entries (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id          INTEGER NOT NULL REFERENCES clients(id) ON DELETE RESTRICT,
    arrived_on         TEXT NOT NULL,
    departed_on        TEXT,
    port               TEXT,
    class_of_admission TEXT,
    notes              TEXT,  -- sealed (a narrative)
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    row_nonce          TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
CREATE INDEX entries_by_client ON entries(client_id, arrived_on);
CREATE TRIGGER entries_row_nonce_fixed BEFORE UPDATE OF row_nonce ON entries
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;

-- Whether the asylum one-year deadline is tracked for the client (a firm turns it off for a
-- client who will not seek asylum), and since when the client lives at the current address.
ALTER TABLE clients ADD COLUMN track_asylum_deadline INTEGER NOT NULL DEFAULT 1
    CHECK (track_asylum_deadline IN (0, 1));
ALTER TABLE clients ADD COLUMN address_since TEXT;

-- The I-589s and AR-11s of a client, found through its requests' filings.
CREATE INDEX filings_by_form ON filings(form, parole_request_id);

INSERT INTO deadline_rules (code, kind, description, program, days, mailed_extra_days,
    opens_days_before, lead_times, enabled, effective_from, effective_to, citation_source,
    citation_date, created_at, updated_at) VALUES
('asylum_one_year', 'asylum_one_year',
 'Asylum: an I-589 must be filed within one year of the last arrival in the United States (the same date the next year; 28 February for an arrival on 29 February). Lawful status or parole is an extraordinary circumstance (8 CFR 208.4(a)(5)(iv)) only if the I-589 is filed within a reasonable period after it ends: in practice, file before the parole ends.',
 NULL, NULL, 0, NULL, '[180,90,60,30,14,7,1,0]', 1, '2000-01-01', NULL,
 '8 CFR 208.4(a)(2); 8 CFR 208.4(a)(5)(iv); INA 208(a)(2)(B)', '2024-04-01',
 '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),
('address_change_report', 'address_change_report',
 'Change of address: a non-citizen reports a new address within 10 days of moving (Form AR-11, or online); a stale address means missed notices.',
 NULL, 10, 0, NULL, '[7,3,1,0]', 1, '2000-01-01', NULL,
 'INA 265(a); 8 CFR 265.1', '2024-04-01', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z');

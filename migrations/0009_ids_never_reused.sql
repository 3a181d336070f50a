-- Ids are never reused, and every row with encrypted columns gets a random nonce.
--
-- Before this migration a new row took max(id) + 1, so deleting the newest row let its id come
-- back: the new record showed the deleted one's audit history, and a ciphertext of the deleted
-- row (from a backup) opened in the new one. Every table whose ids the API shows is rebuilt
-- with INTEGER PRIMARY KEY AUTOINCREMENT (SQLite cannot add it in place), keeping every id and
-- value; its sequence starts above every id the table or the audit trail has ever seen, so ids
-- deleted before this migration do not come back either. audit_events keeps its ids: its rows
-- can be neither updated nor deleted (its triggers), so an id cannot come back there.
--
-- Tables with encrypted columns get row_nonce: 16 random bytes (hex), set at insert and never
-- changed (a trigger refuses), bound into the associated data of every sealed value of the
-- row. Values sealed before ("enc1:") are re-sealed with it by the next start that has the key
-- (keys.c), once: the settings row field_format_upgrade marks that the upgrade is pending.
--
-- The runner applies migrations with foreign keys off and checks them before it commits (the
-- rebuild drops tables that others refer to).

-- clients
CREATE TABLE clients_rebuilt (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    family_name         TEXT NOT NULL,
    given_name          TEXT NOT NULL,
    other_names         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(other_names)),
    date_of_birth       TEXT,
    country_of_birth    TEXT,
    citizenship         TEXT,
    a_number            TEXT,
    passport_number     TEXT,
    passport_country    TEXT,
    passport_expires_on TEXT,
    email               TEXT,
    phone               TEXT,
    address             TEXT,
    preferred_language  TEXT,
    notes               TEXT,
    search_key          TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    a_number_index TEXT,
    passport_number_index TEXT,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO clients_rebuilt (id, family_name, given_name, other_names, date_of_birth, country_of_birth, citizenship, a_number, passport_number, passport_country, passport_expires_on, email, phone, address, preferred_language, notes, search_key, created_at, updated_at, version, a_number_index, passport_number_index, row_nonce)
    SELECT id, family_name, given_name, other_names, date_of_birth, country_of_birth, citizenship, a_number, passport_number, passport_country, passport_expires_on, email, phone, address, preferred_language, notes, search_key, created_at, updated_at, version, a_number_index, passport_number_index, lower(hex(randomblob(16))) FROM clients;
DROP TABLE clients;
ALTER TABLE clients_rebuilt RENAME TO clients;
CREATE INDEX clients_by_a_number_index ON clients(a_number_index);
CREATE INDEX clients_by_passport_number_index ON clients(passport_number_index);
CREATE TRIGGER clients_row_nonce_fixed BEFORE UPDATE OF row_nonce ON clients
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'clients', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'clients');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM clients), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'clients'), 0))
    WHERE name = 'clients';

-- parole_requests
CREATE TABLE parole_requests_rebuilt (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id            INTEGER NOT NULL REFERENCES clients(id) ON DELETE RESTRICT,
    parole_type          TEXT NOT NULL CHECK (parole_type IN ('humanitarian',
                             'significant_public_benefit', 'medical', 'family_reunification',
                             'military_parole_in_place', 're_parole', 'program')),
    program              TEXT,
    location             TEXT CHECK (location IN ('outside_us', 'inside_us')),
    summary              TEXT,
    sponsor_name         TEXT,
    sponsor_relationship TEXT,
    sponsor_status       TEXT CHECK (sponsor_status IN ('us_citizen', 'lpr', 'other')),
    expedite             INTEGER NOT NULL DEFAULT 0 CHECK (expedite IN (0, 1)),
    search_key           TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    assigned_attorney_id INTEGER REFERENCES users(id),
    assigned_paralegal_id INTEGER REFERENCES users(id),
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO parole_requests_rebuilt (id, client_id, parole_type, program, location, summary, sponsor_name, sponsor_relationship, sponsor_status, expedite, search_key, created_at, updated_at, version, assigned_attorney_id, assigned_paralegal_id, row_nonce)
    SELECT id, client_id, parole_type, program, location, summary, sponsor_name, sponsor_relationship, sponsor_status, expedite, search_key, created_at, updated_at, version, assigned_attorney_id, assigned_paralegal_id, lower(hex(randomblob(16))) FROM parole_requests;
DROP TABLE parole_requests;
ALTER TABLE parole_requests_rebuilt RENAME TO parole_requests;
CREATE INDEX parole_requests_by_client ON parole_requests(client_id);
CREATE INDEX parole_requests_by_type ON parole_requests(parole_type, program);
CREATE INDEX parole_requests_by_attorney ON parole_requests(assigned_attorney_id);
CREATE INDEX parole_requests_by_paralegal ON parole_requests(assigned_paralegal_id);
CREATE TRIGGER parole_requests_row_nonce_fixed BEFORE UPDATE OF row_nonce ON parole_requests
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'parole_requests', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'parole_requests');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM parole_requests), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'parole_requests'), 0),
    coalesce((SELECT max(parole_request_id) FROM audit_events), 0))
    WHERE name = 'parole_requests';

-- filings
CREATE TABLE filings_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
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
    version           INTEGER NOT NULL DEFAULT 1,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO filings_rebuilt (id, parole_request_id, form, filed_on, kind, receipt_number, receipt_notice_on, fee_cents, method, notes, created_at, updated_at, version, row_nonce)
    SELECT id, parole_request_id, form, filed_on, kind, receipt_number, receipt_notice_on, fee_cents, method, notes, created_at, updated_at, version, lower(hex(randomblob(16))) FROM filings;
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
INSERT INTO sqlite_sequence (name, seq) SELECT 'filings', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'filings');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM filings), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'filings'), 0))
    WHERE name = 'filings';

-- rfes
CREATE TABLE rfes_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    issued_on         TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT 'rfe' CHECK (kind IN ('rfe', 'noid')),
    response_due_on   TEXT,
    mailed            INTEGER NOT NULL DEFAULT 0 CHECK (mailed IN (0, 1)),
    responded_on      TEXT,
    summary           TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO rfes_rebuilt (id, parole_request_id, issued_on, kind, response_due_on, mailed, responded_on, summary, created_at, updated_at, version, row_nonce)
    SELECT id, parole_request_id, issued_on, kind, response_due_on, mailed, responded_on, summary, created_at, updated_at, version, lower(hex(randomblob(16))) FROM rfes;
DROP TABLE rfes;
ALTER TABLE rfes_rebuilt RENAME TO rfes;
CREATE INDEX rfes_by_request ON rfes(parole_request_id);
CREATE TRIGGER rfes_row_nonce_fixed BEFORE UPDATE OF row_nonce ON rfes
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'rfes', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'rfes');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM rfes), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'rfes'), 0))
    WHERE name = 'rfes';

-- interviews
CREATE TABLE interviews_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
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
    version           INTEGER NOT NULL DEFAULT 1,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO interviews_rebuilt (id, parole_request_id, kind, scheduled_at, scheduled_at_utc, location, outcome, notes, created_at, updated_at, version, row_nonce)
    SELECT id, parole_request_id, kind, scheduled_at, scheduled_at_utc, location, outcome, notes, created_at, updated_at, version, lower(hex(randomblob(16))) FROM interviews;
DROP TABLE interviews;
ALTER TABLE interviews_rebuilt RENAME TO interviews;
CREATE INDEX interviews_by_request ON interviews(parole_request_id);
CREATE TRIGGER interviews_row_nonce_fixed BEFORE UPDATE OF row_nonce ON interviews
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'interviews', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'interviews');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM interviews), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'interviews'), 0))
    WHERE name = 'interviews';

-- decisions
CREATE TABLE decisions_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
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
    version           INTEGER NOT NULL DEFAULT 1,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO decisions_rebuilt (id, parole_request_id, decided_on, outcome, valid_from, valid_until, mailed, notes, created_at, updated_at, version, row_nonce)
    SELECT id, parole_request_id, decided_on, outcome, valid_from, valid_until, mailed, notes, created_at, updated_at, version, lower(hex(randomblob(16))) FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_rebuilt RENAME TO decisions;
CREATE INDEX decisions_by_request ON decisions(parole_request_id, decided_on);
CREATE TRIGGER decisions_row_nonce_fixed BEFORE UPDATE OF row_nonce ON decisions
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'decisions', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'decisions');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM decisions), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'decisions'), 0))
    WHERE name = 'decisions';

-- expirations
CREATE TABLE expirations_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    parole_request_id INTEGER NOT NULL REFERENCES parole_requests(id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK (kind IN ('parole', 'i94', 'ead', 'travel_document',
                          'passport', 'other')),
    expires_on        TEXT NOT NULL,
    document_number   TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    issued_on TEXT,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO expirations_rebuilt (id, parole_request_id, kind, expires_on, document_number, notes, created_at, updated_at, version, issued_on, row_nonce)
    SELECT id, parole_request_id, kind, expires_on, document_number, notes, created_at, updated_at, version, issued_on, lower(hex(randomblob(16))) FROM expirations;
DROP TABLE expirations;
ALTER TABLE expirations_rebuilt RENAME TO expirations;
CREATE INDEX expirations_by_request ON expirations(parole_request_id, kind);
CREATE TRIGGER expirations_row_nonce_fixed BEFORE UPDATE OF row_nonce ON expirations
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'expirations', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'expirations');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM expirations), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'expirations'), 0))
    WHERE name = 'expirations';

-- users
CREATE TABLE users_rebuilt (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    email               TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('admin', 'attorney', 'paralegal', 'viewer')),
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash       TEXT NOT NULL,
    -- TOTP: the secret is encrypted (crypto.c); pending until confirmed.
    totp_secret         BLOB,
    totp_pending_secret BLOB,
    totp_enabled        INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    totp_last_step      INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    row_nonce TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
        CHECK (length(row_nonce) = 32)
);
INSERT INTO users_rebuilt (id, email, name, role, disabled, password_hash, totp_secret, totp_pending_secret, totp_enabled, totp_last_step, created_at, updated_at, version, row_nonce)
    SELECT id, email, name, role, disabled, password_hash, totp_secret, totp_pending_secret, totp_enabled, totp_last_step, created_at, updated_at, version, lower(hex(randomblob(16))) FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE TRIGGER users_row_nonce_fixed BEFORE UPDATE OF row_nonce ON users
    WHEN new.row_nonce IS NOT old.row_nonce
BEGIN
    SELECT RAISE(ABORT, 'row_nonce never changes');
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'users', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM users), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'users'), 0))
    WHERE name = 'users';

-- api_keys
CREATE TABLE api_keys_rebuilt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL CHECK (json_valid(scopes)),
    prefix       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
INSERT INTO api_keys_rebuilt (id, name, scopes, prefix, secret_hash, created_by, created_at, last_used_at, revoked_at)
    SELECT id, name, scopes, prefix, secret_hash, created_by, created_at, last_used_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_rebuilt RENAME TO api_keys;
INSERT INTO sqlite_sequence (name, seq) SELECT 'api_keys', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'api_keys');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM api_keys), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'api_keys'), 0))
    WHERE name = 'api_keys';

-- deadline_rules
CREATE TABLE deadline_rules_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('rfe_response', 'noid_response', 'motion',
                          'interview', 'biometrics', 'parole_end', 'reparole_filing', 'ead_end',
                          'travel_by', 'passport_expiry', 'appointment')),
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
    version           INTEGER NOT NULL DEFAULT 1
);
INSERT INTO deadline_rules_rebuilt (id, code, kind, description, program, days, mailed_extra_days, opens_days_before, lead_times, enabled, effective_from, effective_to, citation_source, citation_date, created_at, updated_at, version)
    SELECT id, code, kind, description, program, days, mailed_extra_days, opens_days_before, lead_times, enabled, effective_from, effective_to, citation_source, citation_date, created_at, updated_at, version FROM deadline_rules;
DROP TABLE deadline_rules;
ALTER TABLE deadline_rules_rebuilt RENAME TO deadline_rules;
CREATE INDEX deadline_rules_by_code ON deadline_rules(code, effective_from);
INSERT INTO sqlite_sequence (name, seq) SELECT 'deadline_rules', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'deadline_rules');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM deadline_rules), 0),
    coalesce((SELECT max(entity_id) FROM audit_events WHERE entity = 'deadline_rules'), 0))
    WHERE name = 'deadline_rules';

INSERT INTO settings (key, value, updated_at)
    VALUES ('field_format_upgrade', 'pending', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;

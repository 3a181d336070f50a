-- Staff accounts, browser sessions, API keys, sign-in throttling, firm settings, the append-only
-- audit trail, assignment of parole requests, and blind indexes for encrypted identifiers.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
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
    version             INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   TEXT
);
CREATE INDEX recovery_codes_by_user ON recovery_codes(user_id);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    csrf_token    TEXT NOT NULL,
    second_factor TEXT NOT NULL CHECK (second_factor IN ('verified', 'not_enrolled',
                      'not_required')),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL CHECK (json_valid(scopes)),
    prefix       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE sign_in_failures (
    id        INTEGER PRIMARY KEY,
    email_key TEXT NOT NULL,
    address   TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures(email_key, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures(address, at);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE audit_events (
    id                INTEGER PRIMARY KEY,
    at                TEXT NOT NULL,
    actor_type        TEXT NOT NULL CHECK (actor_type IN ('user', 'api_key', 'cli', 'system')),
    actor_id          INTEGER,
    actor_label       TEXT NOT NULL,
    action            TEXT NOT NULL,
    entity            TEXT NOT NULL,
    entity_id         INTEGER,
    parole_request_id INTEGER,
    request_id        TEXT,
    changes           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL
);
CREATE INDEX audit_events_by_entity ON audit_events(entity, entity_id);
CREATE INDEX audit_events_by_request ON audit_events(parole_request_id);
CREATE INDEX audit_events_by_actor ON audit_events(actor_type, actor_id);

-- The audit trail is append-only: the database itself refuses to change or remove an event.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

ALTER TABLE parole_requests ADD COLUMN assigned_attorney_id INTEGER REFERENCES users(id);
ALTER TABLE parole_requests ADD COLUMN assigned_paralegal_id INTEGER REFERENCES users(id);
CREATE INDEX parole_requests_by_attorney ON parole_requests(assigned_attorney_id);
CREATE INDEX parole_requests_by_paralegal ON parole_requests(assigned_paralegal_id);

-- Keyed blind indexes (HMAC) of the normalised identifiers, for exact-match lookup while the
-- values themselves are stored encrypted.
ALTER TABLE clients ADD COLUMN a_number_index TEXT;
ALTER TABLE clients ADD COLUMN passport_number_index TEXT;
CREATE INDEX clients_by_a_number_index ON clients(a_number_index);
CREATE INDEX clients_by_passport_number_index ON clients(passport_number_index);

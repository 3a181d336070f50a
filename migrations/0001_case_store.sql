-- Clients and their parole requests: the two top-level records of a case.
-- Timestamps are RFC 3339 UTC text; calendar dates are YYYY-MM-DD text.

CREATE TABLE clients (
    id                  INTEGER PRIMARY KEY,
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
    version             INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE parole_requests (
    id                   INTEGER PRIMARY KEY,
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
    version              INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX parole_requests_by_client ON parole_requests(client_id);
CREATE INDEX parole_requests_by_type ON parole_requests(parole_type, program);

-- Idempotent writes (issue 13): a POST or PATCH sent with an Idempotency-Key answers a retry
-- with the first answer instead of doing the change again. One row per key and caller, kept a
-- day. The key and the request's fingerprint are stored as keyed hashes (the field key's blind
-- index: a body may hold an identifier); the answer's body may hold identifiers, so it is
-- sealed with the field key like any identifier (bound to the row).
CREATE TABLE idempotency_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    principal   TEXT NOT NULL,  -- who sent it: 'user:7', 'api_key:3'
    key_hash    TEXT NOT NULL CHECK (length(key_hash) = 64),
    -- keyed hash of the method, path and body: the same key with another request is refused
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    created_at  TEXT NOT NULL,
    -- the first answer; status NULL while the first request is still running
    status      INTEGER,
    is_problem  INTEGER NOT NULL DEFAULT 0 CHECK (is_problem IN (0, 1)),
    location    TEXT,
    etag        TEXT,
    body        TEXT,           -- sealed
    row_nonce   TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))) CHECK (length(row_nonce) = 32),
    UNIQUE (principal, key_hash)
);
-- The day-old rows go as new ones come.
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);

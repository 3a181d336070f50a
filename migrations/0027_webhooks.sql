-- Change webhooks with an outbox (issue 13). Admins register endpoints; every change the one
-- write path makes appends its events to the outbox in the same transaction, with one delivery
-- row per subscribed endpoint; a worker of `serve` (or `paroletrack webhooks deliver`) posts
-- them, signed per Standard Webhooks, in order per record, retrying with backoff for 3 days.

CREATE TABLE webhook_endpoints (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    url                 TEXT NOT NULL,
    description         TEXT,
    events              TEXT NOT NULL,  -- JSON array of event types, or ["*"]: every type
    -- whether payloads may carry identifiers and narratives (the record as stored)
    include_identifiers INTEGER NOT NULL DEFAULT 0 CHECK (include_identifiers IN (0, 1)),
    enabled             INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    secret              TEXT NOT NULL,  -- "whsec_<base64>", sealed with the field key
    row_nonce           TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
                        CHECK (length(row_nonce) = 32),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);

-- One row per event. `summary` is the payload without identifiers or narratives (plain JSON);
-- `detail`, kept only when some endpoint that may receive identifiers subscribes, is the payload
-- with the record, sealed with the field key like any identifier.
CREATE TABLE webhook_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL,       -- 'parole_request.updated', 'stage.changed', ...
    record_key  TEXT NOT NULL,       -- 'parole_request:7', 'client:3': events of one record go in order
    occurred_at TEXT NOT NULL,       -- RFC 3339 UTC
    summary     TEXT NOT NULL,
    detail      TEXT,
    row_nonce   TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))) CHECK (length(row_nonce) = 32)
);

-- One row per event and subscribed endpoint: the delivery's state and its next attempt.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    record_key      TEXT NOT NULL,   -- the event's, for the in-order rule
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,   -- RFC 3339 UTC; also the lease of a claimed attempt
    give_up_at      TEXT NOT NULL,   -- three days after the event (or its replay)
    last_attempt_at TEXT,
    last_status     INTEGER,         -- the receiver's HTTP status, NULL: no answer
    last_error      TEXT,
    delivered_at    TEXT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries(endpoint_id, record_key, event_id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, id);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries(event_id);

-- Every attempt: the delivery log an admin reads.
CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id  INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at TEXT NOT NULL,
    status       INTEGER,            -- HTTP status, NULL: no answer
    error        TEXT,               -- NULL: delivered
    duration_ms  INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts(delivery_id, id);

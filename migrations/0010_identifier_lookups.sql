-- Identifier look-ups (a client list filtered by `a_number` or `passport_number` through the
-- blind index) counted per principal, so that a key or account cannot enumerate identifiers:
-- lookups.c allows a fixed number per principal in a sliding window and prunes older rows. A
-- table rather than memory, so the count holds across restarts and across the worker threads.
CREATE TABLE identifier_lookups (
    id         INTEGER PRIMARY KEY,
    actor_type TEXT NOT NULL,
    actor_id   INTEGER NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX identifier_lookups_by_actor ON identifier_lookups(actor_type, actor_id, at);
CREATE INDEX identifier_lookups_by_at ON identifier_lookups(at);

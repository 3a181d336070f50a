-- The audit trail's head (newest event's id and hash, and the number of events) in a table of
-- its own, sealed with a MAC under a subkey of the audit key (audit.c). SQL holds no key, so this
-- migration only carries a legacy head over unsealed (mac NULL); the first process that opens
-- the database with its key checks the chain against it and seals it (keys.c, audit_head_adopt).
CREATE TABLE audit_head (
    slot        INTEGER PRIMARY KEY CHECK (slot = 1),
    event_id    INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    at          TEXT NOT NULL,
    mac         TEXT
);

-- The unkeyed head of older versions ("<id> <hash>" in settings), with the count of today.
INSERT INTO audit_head (slot, event_id, hash, event_count, at, mac)
SELECT 1, CAST(substr(value, 1, instr(value, ' ') - 1) AS INTEGER), substr(value, instr(value, ' ') + 1),
       (SELECT count(*) FROM audit_events), updated_at, NULL
  FROM settings WHERE key = 'audit_head';

-- Events without a recorded head: an unsealed head that no chain matches, so verify fails as
-- it did before.
INSERT INTO audit_head (slot, event_id, hash, event_count, at, mac)
SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000', count(*),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NULL
  FROM audit_events
 WHERE NOT EXISTS (SELECT 1 FROM audit_head)
HAVING count(*) > 0;

DELETE FROM settings WHERE key = 'audit_head';

-- The head is replaced, never removed.
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head is never removed');
END;

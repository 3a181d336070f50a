-- The reminder ledger: one row per reminder a deadline has crossed, per channel and recipient.
-- The unique key makes each reminder go out once: a second run the same night finds it sent, a
-- run killed halfway sends what is missing, and a failed delivery stays 'failed' until a later
-- run delivers it.

CREATE TABLE reminder_ledger (
    id          INTEGER PRIMARY KEY,
    deadline_id TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    lead_time   INTEGER NOT NULL, -- days before the due date; -1: overdue
    channel     TEXT NOT NULL CHECK (channel IN ('stdout', 'email', 'webhook')),
    recipient   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 1,
    last_error  TEXT,
    first_at    TEXT NOT NULL,
    sent_at     TEXT,
    UNIQUE (deadline_id, due_on, lead_time, channel, recipient)
);

-- The nightly jobs' runs (issue 13, metrics): when `remind` (and later `uscis-sync`) last ran,
-- how long it took and whether everything was delivered, so /metrics can say so and an
-- operator's monitoring can page when a night was missed or failed. One row per job: its last
-- run (the history is in the job's own log).
CREATE TABLE job_runs (
    job         TEXT PRIMARY KEY,      -- 'remind'
    started_at  TEXT NOT NULL,         -- RFC 3339 UTC
    finished_at TEXT NOT NULL,
    succeeded   INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    items       INTEGER NOT NULL DEFAULT 0,  -- what it handled (reminders due)
    failures    INTEGER NOT NULL DEFAULT 0   -- deliveries that failed
) WITHOUT ROWID;

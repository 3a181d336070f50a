-- The fee schedule is rules as data an admin edits (issue 12: "editable by an admin, audited"):
-- rows gain the version an edit checks (If-Match) and their times, like the deadline rules.
ALTER TABLE fee_schedule ADD COLUMN created_at TEXT NOT NULL DEFAULT '2026-12-07T00:00:00Z';
ALTER TABLE fee_schedule ADD COLUMN updated_at TEXT NOT NULL DEFAULT '2026-12-07T00:00:00Z';
ALTER TABLE fee_schedule ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX fee_schedule_code ON fee_schedule(code, effective_from);

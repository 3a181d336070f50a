-- A filing's outcome (issue 12: the client's whole legal position). An I-485 approved makes the
-- client a permanent resident: the parole, its work permit and its re-parole window no longer
-- need anyone's attention. Denied, withdrawn or rejected I-485s end a parole a program's
-- termination exception kept; a rejected filing was never filed, so it keeps nothing.
-- The ledger is recomputed at the next start (DEADLINE_COMPUTE_VERSION 10).
ALTER TABLE filings ADD COLUMN outcome TEXT
    CHECK (outcome IS NULL OR outcome IN ('approved', 'denied', 'withdrawn', 'rejected'));

-- Indexes the query plan test (tests/unit/test_query_plans.c) asked for, so no statement reads
-- a whole table that grows with the firm: pruning expired sessions and old sign-in failures
-- deletes by time; a rule limited to one program recomputes that program's requests.
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at);
CREATE INDEX parole_requests_by_program ON parole_requests(program);

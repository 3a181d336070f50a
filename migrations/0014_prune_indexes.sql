-- Pruning expired sessions and old sign-in failures deletes by time: an index on the time each
-- is pruned by, so the prune reads only what goes (tests/unit/test_query_plans.c).
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at);

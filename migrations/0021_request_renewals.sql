-- A re-parole request names the request it renews (issue 12): its first filing inside the old
-- request's re-parole window meets that window's deadline, which a filing kept on the new
-- request alone never did. The renewed request must be the same client's (records/
-- parole_requests.c); it cannot be deleted while a request renews it.
ALTER TABLE parole_requests ADD COLUMN renews_request_id INTEGER REFERENCES parole_requests(id);
CREATE INDEX parole_requests_by_renewed ON parole_requests(renews_request_id)
    WHERE renews_request_id IS NOT NULL;

-- Change webhooks (issue 13), after review: a delivery being posted is held by a lease of its
-- own, so a result can only be recorded by the worker that holds it (a late one is dropped), a
-- replay refuses a delivery in flight, and a scheduled retry is told apart from a post under
-- way.
ALTER TABLE webhook_deliveries ADD COLUMN leased_until TEXT;  -- RFC 3339 UTC; NULL: not held

-- stage.changed for the stages that turn by themselves (a parole ending, a termination taking
-- effect, an appointment passing): the worker reads the requests whose stage class turns in
-- the window since its last look as a range of this index.
CREATE INDEX parole_request_facts_by_boundary
    ON parole_request_facts(stage_class, stage_boundary);

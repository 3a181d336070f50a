-- The parole request list filtered by stage reads the requests of the stage's classes in id
-- order from here (SQL_REQUEST_LIST_BY_STAGE), instead of deriving every request's stage from
-- the first id on: a rare stage (a few filed requests among 250,000) no longer reads the firm.
CREATE INDEX parole_request_facts_by_class
    ON parole_request_facts(stage_class, parole_request_id, stage_boundary);

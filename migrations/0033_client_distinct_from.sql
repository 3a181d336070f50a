-- Duplicate clients (issue 15): a new client, or a renamed one, whose date of birth and name
-- match another's is a "possible duplicate" the paralegal confirms. The confirmation is kept:
-- distinct_from lists the clients someone checked and found to be other people (a JSON array
-- of ids), so the warning is not raised again between them.
ALTER TABLE clients ADD COLUMN distinct_from TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(distinct_from) AND json_type(distinct_from) = 'array');

-- Forgiving search (issue 15): a full-text index of every client's folded names (the
-- search_key the write path stores: family, given and other names, case- and accent-folded)
-- with SQLite FTS5's trigram tokenizer, so that a query finds names that share most of its
-- three-letter pieces ("gonzalves" finds "Gonzalez"). An external-content table: the text stays
-- in clients.search_key only; the triggers keep the index in step with every insert, update and
-- delete of a client, inside the same transaction.
-- A rebuild of the clients table (create, copy, drop, rename) drops these triggers with it: it
-- must make them again and 'rebuild' the index.
CREATE VIRTUAL TABLE client_names USING fts5(search_key, content='clients', content_rowid='id',
    tokenize='trigram');
INSERT INTO client_names (client_names) VALUES ('rebuild');
CREATE TRIGGER client_names_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_names (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER client_names_delete AFTER DELETE ON clients BEGIN
    INSERT INTO client_names (client_names, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER client_names_update AFTER UPDATE OF search_key ON clients BEGIN
    INSERT INTO client_names (client_names, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
    INSERT INTO client_names (rowid, search_key) VALUES (new.id, new.search_key);
END;
-- A name of one or two letters (Li, Ng, Vu, Do) has no three-letter piece: it is found by the
-- start of the folded names (the family name comes first), through this index.
CREATE INDEX clients_by_search_key ON clients(search_key);

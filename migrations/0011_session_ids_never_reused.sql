-- Session ids are never reused. Admins see a user's sessions by id and end one by id
-- (DELETE /api/v1/users/{id}/sessions/{child_id}); with the plain rowid a session that ended
-- gave its id to the next one signed in, so an id read from the list could end another session
-- than the one shown. Rebuilt with AUTOINCREMENT (SQLite cannot add it in place), keeping every
-- row; the sequence starts at the highest id in use. Nothing refers to sessions.
CREATE TABLE sessions_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    csrf_token    TEXT NOT NULL,
    second_factor TEXT NOT NULL CHECK (second_factor IN ('verified', 'not_enrolled',
                      'not_required')),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
INSERT INTO sessions_rebuilt (id, token_hash, user_id, csrf_token, second_factor, created_at,
                              last_seen_at, expires_at)
    SELECT id, token_hash, user_id, csrf_token, second_factor, created_at, last_seen_at,
           expires_at
    FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_rebuilt RENAME TO sessions;
CREATE INDEX sessions_by_user ON sessions(user_id);

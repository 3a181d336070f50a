-- Personal calendar feeds: one secret feed token per user (stored only hashed), for calendar
-- applications that subscribe to a URL and cannot sign in.

CREATE TABLE calendar_feeds (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

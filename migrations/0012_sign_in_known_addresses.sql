-- Where each account signed in successfully lately, so that the per-account delay after many
-- failures (sessions.c) holds back guessers but not the owner: an attempt from an address the
-- account signed in from in the last 30 days is never delayed by the account rule (the
-- (account, address) pair limit still applies). address is the throttling key (an IPv6
-- client's /64), email_key the lower-cased e-mail, as in sign_in_failures.
CREATE TABLE sign_in_known_addresses (
    email_key       TEXT NOT NULL,
    address         TEXT NOT NULL,
    last_success_at TEXT NOT NULL,
    PRIMARY KEY (email_key, address)
) WITHOUT ROWID;
CREATE INDEX sign_in_known_addresses_by_time ON sign_in_known_addresses(last_success_at);

/* session_store: the browser sessions kept in the `sessions` table: opening one at sign-in,
 * finding the live session of a cookie's token (and refreshing its last use), ending one at
 * sign-out, the session as the API shows it, and the rule of which users need a second factor.
 * A session's token is a 256-bit random value stored only as its SHA-256. A store module: it
 * may depend on db, settings, users, audit, crypto and dates, never on call, auth or anything
 * HTTP (the cookie is the API's business). */
#ifndef PAROLETRACK_SESSION_STORE_H
#define PAROLETRACK_SESSION_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "crypto.h"
#include "db.h"
#include "problem.h"
#include "settings.h"

/* A live session as the store finds it. */
struct session_store_session {
    int64_t id; /* 0: no live session */
    int64_t user_id;
    char email[256];
    char role[16];
    char csrf_token[64];
    char second_factor[16]; /* "verified", "not_enrolled", "not_required" */
    char expires_at[TIMESTAMP_LEN];
};

/* A session just opened: what its user's browser gets. The caller wipes token after use. */
struct session_store_opened {
    char token[CRYPTO_TOKEN_LEN + 1]; /* for the cookie; stored only as its hash */
    char csrf_token[CRYPTO_TOKEN_LEN + 1];
    char expires_at[TIMESTAMP_LEN]; /* the absolute end */
};

/* True when a user of `role` must use a second factor, given the firm's settings (admins and
 * attorneys always; everyone when the firm requires it). */
int session_store_factor_required(const char *role, const struct settings *settings);

/* Open a session for user_id with the given second-factor state, ending at now plus the
 * firm's absolute session length, inside the caller's write transaction; sessions past their
 * absolute end are pruned. Returns 0 and *out, or -1 with *p set. */
int session_store_open(struct db *db, int64_t user_id, const char *second_factor,
                       const struct settings *settings, const struct op_context *ctx,
                       struct session_store_opened *out, struct problem *p);

/* Find the live session of a cookie's token at `now`: not past its absolute end or idle
 * limit, its user not disabled; its second-factor state follows the user's role and the
 * firm's settings now. A session found is refreshed (its last use, in a write transaction of
 * its own) when that is older than a minute. Returns 0 with s->id 0 when there is none, or -1
 * with *p set. */
int session_store_find(struct db *db, const char *token, const char *now,
                       struct session_store_session *s, struct problem *p);

/* End session `id` of user_id (sign-out), audited as sign_out, in one transaction. Returns 0,
 * or -1 with *p set. */
int session_store_end(struct db *db, int64_t id, int64_t user_id, const struct op_context *ctx,
                      struct problem *p);

/* The session as the API shows it (user, CSRF token, second-factor state, absolute end, the
 * firm's zone and locale), read inside the caller's transaction. Returns a new object (caller
 * owns) or NULL with *p set. */
json_t *session_store_json(struct db *db, int64_t user_id, const char *csrf_token,
                           const char *second_factor, const char *expires_at, struct problem *p);

/* session_store_json in a read transaction of its own. */
json_t *session_store_read(struct db *db, int64_t user_id, const char *csrf_token,
                           const char *second_factor, const char *expires_at, struct problem *p);

#endif

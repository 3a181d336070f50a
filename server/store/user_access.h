/* user_access: the ways in a user holds besides the password: ending their browser sessions
 * (an admin's action) and creating or revoking their calendar feed token. Each is one change
 * through the write path, audited on the user. A store module: it depends on db, users (for
 * the user's existence) and the write path. */
#ifndef PAROLETRACK_USER_ACCESS_H
#define PAROLETRACK_USER_ACCESS_H

#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* End the sessions of user_id: every one (session_id 0) or that one, audited as sessions_end
 * on the user. Returns 0, or -1 with *p set: 404 for no such user, or no such session of the
 * user. */
int user_access_end_sessions(struct db *db, int64_t user_id, int64_t session_id,
                             const struct op_context *ctx, struct problem *p);

/* Store token_hash (the SHA-256 hex of a new feed token) as user_id's calendar feed token,
 * replacing any earlier one; audited as calendar_feed_create. Returns 0 or -1 with *p set. */
int user_access_feed_create(struct db *db, int64_t user_id, const char *token_hash,
                            const struct op_context *ctx, struct problem *p);

/* Revoke user_id's calendar feed token (none is fine); audited as calendar_feed_revoke.
 * Returns 0 or -1 with *p set. */
int user_access_feed_revoke(struct db *db, int64_t user_id, const struct op_context *ctx,
                            struct problem *p);

#endif

/* user_sessions: an admin's view of another user's browser sessions. Lists a user's live
 * sessions (never a token or its hash) and ends them, all or one, each end audited. */
#ifndef PAROLETRACK_USER_SESSIONS_H
#define PAROLETRACK_USER_SESSIONS_H

#include "call.h"

/* GET /api/v1/users/{id}/sessions (admin): one page of the user's live sessions, oldest first,
 * as {id, created_at, last_seen_at, expires_at, second_factor, current}; 404 for no such user. */
void user_sessions_list(struct call *call, struct call_reply *reply);

/* DELETE /api/v1/users/{id}/sessions (admin): end every session of the user (204, audited as
 * sessions_end); 404 for no such user. */
void user_sessions_end_all(struct call *call, struct call_reply *reply);

/* DELETE /api/v1/users/{id}/sessions/{child_id} (admin): end one session of the user (204,
 * audited as sessions_end); 404 when the user has no such session. */
void user_sessions_end_one(struct call *call, struct call_reply *reply);

#endif

/* accounts: the handlers of /api/v1/users, /api/v1/me/password and /api/v1/assignees. Each
 * parses the call, runs one operation of the user store (users.h) and replies. */
#ifndef PAROLETRACK_ACCOUNTS_H
#define PAROLETRACK_ACCOUNTS_H

#include "call.h"

/* The handlers of the users API and of the signed-in user's password change. */
void accounts_list(struct call *call, struct call_reply *reply);

/* GET /api/v1/assignees (read): the active users a parole request can be assigned to, as
 * {id, name, role} only (no e-mail), so every role can pick and show assignees by name. */
void accounts_assignees(struct call *call, struct call_reply *reply);
void accounts_post(struct call *call, struct call_reply *reply);
void accounts_get(struct call *call, struct call_reply *reply);
void accounts_patch(struct call *call, struct call_reply *reply);
void accounts_change_own_password(struct call *call, struct call_reply *reply);

#endif

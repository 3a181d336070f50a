/* apikeys: integration API keys. A key is "pt_<prefix>_<secret>"; only the SHA-256 of the
 * secret is stored, the key is shown once at creation, and revocation takes effect at once. */
#ifndef PAROLETRACK_APIKEYS_H
#define PAROLETRACK_APIKEYS_H

#include "call.h"

/* Create a key (name, scopes ["read"] or ["read", "write"]); audited. Returns the key record
 * with its one-time "key" (caller owns) or NULL with *p set. created_by 0: the command line. */
json_t *apikeys_create(struct db *db, const json_t *body, int64_t created_by,
                       const struct op_context *ctx, struct problem *p);

void apikeys_list(struct call *call, struct call_reply *reply);
void apikeys_post(struct call *call, struct call_reply *reply);
void apikeys_delete(struct call *call, struct call_reply *reply);

#endif

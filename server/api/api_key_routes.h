/* api_key_routes: the handlers of /api/v1/api-keys (admins only). They translate HTTP and call the
 * key store (api_key_store.h), which the command line uses too. A handler module: it may depend on
 * call, auth and the store. */
#ifndef PAROLETRACK_API_KEY_ROUTES_H
#define PAROLETRACK_API_KEY_ROUTES_H

#include "call.h"

/* GET /api/v1/api-keys: every key, without secrets. */
void api_key_routes_list(struct call *call, struct call_reply *reply);
/* POST /api/v1/api-keys: create a key (201 with its one-time secret and Location). */
void api_key_routes_create(struct call *call, struct call_reply *reply);
/* DELETE /api/v1/api-keys/{id}: revoke the key (204). */
void api_key_routes_revoke(struct call *call, struct call_reply *reply);

#endif

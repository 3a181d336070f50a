/* api_key_routes: the HTTP handlers of /api/v1/api-keys (list, create, revoke); the keys themselves
 * are kept by api_key_store.c. */
#include "api_key_routes.h"

#include <stdio.h>

#include "api_key_store.h"
#include "auth.h"

/* GET /api/v1/api-keys: every key, without secrets. */
void api_key_routes_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_KEY_LIST, api_key_store_row, reply);
}

/* POST /api/v1/api-keys: 201 with the new key, its one-time secret and its Location. */
void api_key_routes_create(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 0, &call->p), *key = NULL;

    if (body != NULL)
        key = api_key_store_create(call->db, body, call->principal->user_id, &call->ctx, &call->p);
    json_decref(body);
    if (key != NULL) {
        char location[64];

        snprintf(location, sizeof(location), "/api/v1/api-keys/%lld",
                 (long long)json_integer_value(json_object_get(key, "id")));
        call_reply_json(reply, 201, key);
        snprintf(reply->location, sizeof(reply->location), "%s", location);
    }
}

/* DELETE /api/v1/api-keys/{id}: revoke the key at once, 204. */
void api_key_routes_revoke(struct call *call, struct call_reply *reply)
{
    if (api_key_store_revoke(call->db, call->id, &call->ctx, &call->p) == 0)
        reply->status = 204;
}

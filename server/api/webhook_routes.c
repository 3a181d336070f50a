/* webhook_routes: the webhook endpoints' handlers (see webhook_routes.h). Handler layer: call.h
 * for the call and reply; the rows are read and changed by webhook_endpoints. */
#include "webhook_routes.h"

#include "webhook_endpoints.h"

#define ENDPOINTS "/api/v1/webhook-endpoints"

void webhook_routes_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_WEBHOOK_ENDPOINT_LIST, webhook_endpoints_row, reply);
}

void webhook_routes_create(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 0, &call->p), *row = NULL;

    if (body != NULL)
        row = webhook_endpoints_create(call->db, body, &call->ctx, &call->p);
    json_decref(body);
    if (row != NULL)
        call_reply_record(reply, 201, row, ENDPOINTS);
}

void webhook_routes_get(struct call *call, struct call_reply *reply)
{
    json_t *row = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        row = webhook_endpoints_read(call->db, call->id, &call->p);
        db_rollback(call->db);
    }
    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

void webhook_routes_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body, *row;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body == NULL)
        return;
    row = webhook_endpoints_patch(call->db, call->id, body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

void webhook_routes_delete(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *row;

    if (call_parse_if_match(call->request->if_match, &if_match, &call->p) != 0)
        return;
    row = webhook_endpoints_delete(call->db, call->id, &if_match, &call->ctx, &call->p);
    if (row != NULL)
        reply->status = 204;
    json_decref(row);
}

void webhook_routes_rotate_secret(struct call *call, struct call_reply *reply)
{
    json_t *row = webhook_endpoints_rotate_secret(call->db, call->id, &call->ctx, &call->p);

    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

static const char *const delivery_states[] = {"pending", "delivered", "failed", NULL};
static const struct filter_spec delivery_filters[] = {
    {.name = "status", .kind = FILTER_CHOICE, .choices = delivery_states},
    {.name = NULL},
};

void webhook_routes_deliveries(struct call *call, struct call_reply *reply)
{
    json_t *binds = json_pack("{s:I}", "endpoint_id", (json_int_t)call->id), *page = NULL,
           *endpoint = NULL;
    int64_t limit;

    if (listing_parse_query(delivery_filters, call->request->query, call->request->query_count,
                            binds, &limit, &call->p) == 0 &&
        db_begin_read(call->db, &call->p) == 0) {
        endpoint = webhook_endpoints_read(call->db, call->id, &call->p);
        if (endpoint != NULL)
            page = listing_page(call->db, SQL_WEBHOOK_DELIVERY_LIST, binds, limit,
                                webhook_endpoints_delivery_row, NULL, &call->p);
        db_rollback(call->db);
    }
    json_decref(endpoint);
    json_decref(binds);
    if (page != NULL)
        call_reply_json(reply, 200, page);
}

void webhook_routes_delivery(struct call *call, struct call_reply *reply)
{
    json_t *row = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        row = webhook_endpoints_delivery(call->db, call->id, call->child_id, &call->p);
        db_rollback(call->db);
    }
    if (row != NULL)
        call_reply_json(reply, 200, row);
}

void webhook_routes_replay(struct call *call, struct call_reply *reply)
{
    json_t *row =
        webhook_endpoints_replay(call->db, call->id, call->child_id, &call->ctx, &call->p);

    if (row != NULL)
        call_reply_json(reply, 202, row);
}

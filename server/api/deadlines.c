/* deadlines: the handlers of GET /api/v1/deadlines (filters: from, to, kind, status,
 * assigned_to) and GET /api/v1/parole-requests/{id}/deadlines, with their pager over the
 * computed list. Handler layer: parses the call and replies (call.h, listing.h for the query);
 * the deadlines themselves are read from the ledger below it (deadline_ledger.h). */
#include "deadlines.h"

#include <stdio.h>
#include <string.h>

#include "deadline_compute.h"
#include "deadline_kind.h"
#include "deadline_ledger.h"
#include "listing.h"

/* The statuses the ledger derives, for the status filter (the kinds: deadline_kind.h). */
static const char *const deadline_statuses[] = {"upcoming", "due_today", "overdue", "met", NULL};

/* Shared by both deadline routes: parse the query, read one page from the ledger (one row more
 * than the page, to know whether another follows), reply. */
static void reply_deadlines(struct call *call, int64_t request_id,
                            const struct filter_spec *filters, struct call_reply *reply)
{
    json_t *binds = json_object(), *rows = NULL, *d;
    struct deadline_query q = {.request_id = request_id};
    size_t i;

    if (listing_parse_query(filters, call->request->query, call->request->query_count, binds,
                            &q.limit, &call->p) != 0)
        goto out;
    q.offset = json_integer_value(json_object_get(binds, "after"));
    q.from = json_string_value(json_object_get(binds, "from"));
    q.to = json_string_value(json_object_get(binds, "to"));
    q.kind = json_string_value(json_object_get(binds, "kind"));
    q.status = json_string_value(json_object_get(binds, "status"));
    if (json_is_string(json_object_get(binds, "assigned_to"))) { /* "me" */
        if (call->ctx.actor.type != ACTOR_USER) {
            problem_add_field(&call->p, "assigned_to", "me needs a signed-in user");
            problem_set(&call->p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
            goto out;
        }
        q.assigned_to = call->ctx.actor.id;
    } else {
        q.assigned_to = json_integer_value(json_object_get(binds, "assigned_to"));
    }
    if (db_begin_read(call->db, &call->p) != 0)
        goto out;
    if (request_id != 0 && !listing_parent_exists(call->db, request_id, &call->p)) {
        db_rollback(call->db);
        goto out;
    }
    q.limit++;
    rows = deadline_ledger_select(call->db, &q, &call->ctx, &call->p);
    db_rollback(call->db);
    if (rows != NULL) {
        int more = (int64_t)json_array_size(rows) == q.limit;
        json_t *page;

        if (more)
            json_array_remove(rows, json_array_size(rows) - 1);
        json_array_foreach(rows, i, d)
        {
            deadline_compute_api_view(d);
        }
        page = json_pack("{s:O}", "items", rows);
        if (more) {
            char cursor[32];

            snprintf(cursor, sizeof(cursor), "c%lld", (long long)(q.offset + q.limit - 1));
            json_object_set_new(page, "next_cursor", json_string(cursor));
        } else {
            json_object_set_new(page, "next_cursor", json_null());
        }
        call_reply_json(reply, 200, page);
    }
out:
    json_decref(rows);
    json_decref(binds);
}

/* GET /api/v1/deadlines (see deadlines.h). */
void deadlines_list(struct call *call, struct call_reply *reply)
{
    static const struct filter_spec filters[] = {
        {.name = "from", .kind = FILTER_DATE},
        {.name = "to", .kind = FILTER_DATE},
        {.name = "kind", .kind = FILTER_CHOICE, .choices = deadline_kind_names},
        {.name = "status", .kind = FILTER_CHOICE, .choices = deadline_statuses},
        {.name = "assigned_to", .kind = FILTER_ASSIGNEE},
        {.name = NULL},
    };

    reply_deadlines(call, 0, filters, reply);
}

/* GET /api/v1/parole-requests/{id}/deadlines (see deadlines.h). */
void deadlines_of_request(struct call *call, struct call_reply *reply)
{

    reply_deadlines(call, call->id, listing_no_filters, reply);
}

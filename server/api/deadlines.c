/* deadlines: the handlers of GET /api/v1/deadlines (filters: from, to, kind, status,
 * assigned_to) and GET /api/v1/parole-requests/{id}/deadlines, with their pager over the
 * computed list. Handler layer: parses the call and replies (call.h, listing.h for the query);
 * the deadlines themselves come from the engine below it (deadline_engine.h). */
#include "deadlines.h"

#include <stdio.h>
#include <string.h>

#include "deadline_engine.h"
#include "deadline_kind.h"
#include "listing.h"

/* Text of a member of a row (NULL when null). */
static const char *text(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

/* The statuses the engine gives, for the status filter (the kinds: deadline_kind.h). */
static const char *const deadline_statuses[] = {"upcoming", "due_today", "overdue", "met", NULL};

/* A page of computed deadlines: filter, then take `limit` from offset `after`. */
static json_t *deadline_page(json_t *all, const json_t *binds, int64_t limit)
{
    const char *from = json_string_value(json_object_get(binds, "from"));
    const char *to = json_string_value(json_object_get(binds, "to"));
    const char *kind = json_string_value(json_object_get(binds, "kind"));
    const char *status = json_string_value(json_object_get(binds, "status"));
    int64_t skip = json_integer_value(json_object_get(binds, "after")), seen = 0;
    json_t *items = json_array(), *d, *page;
    size_t i;
    int more = 0;

    json_array_foreach(all, i, d)
    {
        const char *due = text(d, "due_on");

        if ((from && strcmp(due, from) < 0) || (to && strcmp(due, to) > 0) ||
            (kind && strcmp(text(d, "kind"), kind) != 0) ||
            (status && strcmp(text(d, "status"), status) != 0))
            continue;
        if (seen++ < skip)
            continue;
        if ((int64_t)json_array_size(items) == limit) {
            more = 1;
            break;
        }
        json_array_append(items, d);
    }
    page = json_pack("{s:o}", "items", items);
    if (more) {
        char cursor[32];

        snprintf(cursor, sizeof(cursor), "c%lld", (long long)(skip + limit));
        json_object_set_new(page, "next_cursor", json_string(cursor));
    } else {
        json_object_set_new(page, "next_cursor", json_null());
    }
    return page;
}

/* Shared by both deadline routes: parse the query, compute, page. */
static void reply_deadlines(struct call *call, int64_t request_id,
                            const struct filter_spec *filters, struct call_reply *reply)
{
    json_t *binds = json_object(), *all = NULL;
    int64_t limit, assigned_to = 0;

    if (listing_parse_query(filters, call->request->query, call->request->query_count, binds,
                            &limit, &call->p) != 0)
        goto out;
    json_object_set_new(binds, "after",
                        json_integer(json_integer_value(json_object_get(binds, "after"))));
    if (json_is_string(json_object_get(binds, "assigned_to"))) { /* "me" */
        if (call->ctx.actor.type != ACTOR_USER) {
            problem_add_field(&call->p, "assigned_to", "me needs a signed-in user");
            problem_set(&call->p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
            goto out;
        }
        assigned_to = call->ctx.actor.id;
    } else {
        assigned_to = json_integer_value(json_object_get(binds, "assigned_to"));
    }
    if (db_begin_read(call->db, &call->p) != 0)
        goto out;
    all = deadline_engine_compute(call->db, request_id, assigned_to, &call->ctx, &call->p);
    db_rollback(call->db);
    if (all != NULL)
        call_reply_json(reply, 200, deadline_page(all, binds, limit));
out:
    json_decref(all);
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

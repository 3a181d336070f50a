/* deadlines: the handlers of GET /api/v1/deadlines (filters: from, to, kind, status,
 * assigned_to), GET /api/v1/parole-requests/{id}/deadlines and GET /api/v1/clients/{id}/deadlines,
 * with their pager over the computed list. Handler layer: parses the call and replies (call.h,
 * listing.h for the query); the deadlines themselves are read from the ledger below it
 * (deadline_ledger.h). */
#include "deadlines.h"

#include <stdio.h>
#include <string.h>

#include "deadline_kind.h"
#include "deadline_ledger.h"
#include "json_text.h"
#include "listing.h"

/* The statuses the ledger derives, for the status filter (the kinds: deadline_kind.h). */
static const char *const deadline_statuses[] = {"upcoming", "due_today", "overdue",
                                                "met",      "moot",      NULL};

/* The query without its `cursor` (a deadline page's cursor is not the id cursor of the other
 * lists: listing_parse_query checks the rest), the cursor read into *place. Returns the
 * number of parameters kept in kept[] (at most `room`), and sets *has_cursor. A cursor this
 * server did not write is a field error on `cursor` in *p. */
static size_t without_cursor(const struct call_request *request, struct query_param *kept,
                             size_t room, struct deadline_place *place, int *has_cursor,
                             struct problem *p)
{
    size_t n = 0;

    *has_cursor = 0;
    for (size_t i = 0; i < request->query_count; i++) {
        const struct query_param *q = &request->query[i];

        if (strcmp(q->name, "cursor") != 0) {
            if (n < room)
                kept[n++] = *q;
            continue;
        }
        if (*has_cursor)
            problem_add_field(p, "cursor", "must be given at most once");
        else if (deadline_ledger_parse_cursor(q->value, place) != 0)
            problem_add_field(p, "cursor", "is not a cursor this server returned");
        *has_cursor = 1;
    }
    return n;
}

/* A page of deadlines as it is written: the reply's JSON text so far ({"items":[ and the items
 * written), how many rows the page takes and has seen, and the place of the last one written
 * (the next page's cursor). */
struct deadline_page {
    struct text_buffer text;
    int64_t limit, seen;
    struct deadline_place last;
};

/* A deadline_ledger_row_fn: write the row into the page, or, past the page's size, only note
 * that more follow (the query reads one row more than a page). */
static void add_to_page(const struct deadline_row *row, void *arg)
{
    struct deadline_page *page = arg;

    if (page->seen++ >= page->limit)
        return;
    if (page->seen > 1)
        text_buffer_add(&page->text, ",", 1);
    deadline_ledger_row_json(row, &page->text);
    deadline_ledger_place(row, &page->last);
}

/* Close the page's text: ],"next_cursor":...}. Returns 0, or -1 when memory ran out (the text
 * is then freed). */
static int finish_page(struct deadline_page *page)
{
    text_buffer_add_string(&page->text, "],\"next_cursor\":");
    if (page->seen > page->limit) {
        char cursor[512];

        deadline_ledger_cursor(&page->last, cursor, sizeof(cursor));
        json_text_string(&page->text, cursor);
    } else {
        text_buffer_add_string(&page->text, "null");
    }
    text_buffer_add_string(&page->text, "}");
    if (page->text.failed) {
        text_buffer_free(&page->text);
        return -1;
    }
    return 0;
}

/* Shared by the deadline routes: parse the query, read one page from the ledger (one row more
 * than the page, to know whether another follows) after the cursor's place, and reply with its
 * JSON text, written row by row. One request's (request_id), one client's (client_id), or the
 * firm's (both 0). */
static void reply_deadlines(struct call *call, int64_t request_id, int64_t client_id,
                            const struct filter_spec *filters, struct call_reply *reply)
{
    struct query_param kept[64];
    struct deadline_place after;
    json_t *binds = json_object();
    struct deadline_query q = {.request_id = request_id, .client_id = client_id};
    struct deadline_page page = {.text = {0}};
    size_t count;
    int has_cursor, rc;

    count = without_cursor(call->request, kept, sizeof(kept) / sizeof(kept[0]), &after, &has_cursor,
                           &call->p);
    if (listing_parse_query(filters, kept, count, binds, &q.limit, &call->p) != 0)
        goto out;
    if (problem_has_field_errors(&call->p)) { /* the cursor alone was bad */
        problem_set(&call->p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
        goto out;
    }
    q.after = has_cursor ? &after : NULL;
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
    if ((request_id != 0 && !listing_parent_exists(call->db, request_id, &call->p)) ||
        (client_id != 0 && !listing_client_exists(call->db, client_id, &call->p))) {
        db_rollback(call->db);
        goto out;
    }
    page.limit = q.limit;
    q.limit++;
    text_buffer_add_string(&page.text, "{\"items\":[");
    rc = deadline_ledger_each(call->db, &q, &call->ctx, add_to_page, &page, &call->p);
    db_rollback(call->db);
    if (rc == 0 && finish_page(&page) == 0) {
        call_reply_text(reply, 200, page.text.data, "application/json");
        page.text.data = NULL; /* the reply's now */
    } else if (rc == 0) {
        problem_set(&call->p, PROBLEM_INTERNAL, "out of memory writing the deadlines");
    }
out:
    text_buffer_free(&page.text);
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

    reply_deadlines(call, 0, 0, filters, reply);
}

/* GET /api/v1/parole-requests/{id}/deadlines (see deadlines.h). */
void deadlines_of_request(struct call *call, struct call_reply *reply)
{

    reply_deadlines(call, call->id, 0, listing_no_filters, reply);
}

/* GET /api/v1/clients/{id}/deadlines (see deadlines.h). */
void deadlines_of_client(struct call *call, struct call_reply *reply)
{
    static const struct filter_spec filters[] = {
        {.name = "from", .kind = FILTER_DATE},
        {.name = "to", .kind = FILTER_DATE},
        {.name = "kind", .kind = FILTER_CHOICE, .choices = deadline_kind_names},
        {.name = "status", .kind = FILTER_CHOICE, .choices = deadline_statuses},
        {.name = NULL},
    };

    reply_deadlines(call, 0, call->id, filters, reply);
}

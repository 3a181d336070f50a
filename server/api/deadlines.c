/* deadlines: the handlers of GET /api/v1/deadlines (filters: from, to, kind, status,
 * assigned_to), GET /api/v1/parole-requests/{id}/deadlines and GET /api/v1/clients/{id}/deadlines,
 * with their pager over the computed list. Handler layer: parses the call and replies (call.h,
 * listing.h for the query); the deadlines themselves are read from the ledger below it
 * (deadline_ledger.h). */
#include "deadlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_batch.h"
#include "csv.h"
#include "csv_export.h"
#include "deadline_kind.h"
#include "deadline_ledger.h"
#include "deadline_triage.h"
#include "json_text.h"
#include "listing.h"
#include "paged_stream.h"

/* The statuses the ledger derives, for the status filter (the kinds: deadline_kind.h). */
static const char *const deadline_statuses[] = {"upcoming", "due_today", "overdue",
                                                "met",      "moot",      NULL};
/* The triage states (deadline_triage.h), for the triage filter. */
static const char *const triage_states[] = {"open", "handled", "snoozed", NULL};

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

/* The columns of a deadline in CSV, in order (the API's members, source and rule flattened). */
static const char *const csv_columns[] = {"id",
                                          "kind",
                                          "due_on",
                                          "due_at",
                                          "opens_on",
                                          "status",
                                          "parole_request_id",
                                          "client_id",
                                          "source_resource",
                                          "source_id",
                                          "rule_code",
                                          "citation_source",
                                          "citation_date",
                                          "title",
                                          "program_code",
                                          "moot_decision_id",
                                          "basis",
                                          "premature",
                                          "triage",
                                          "handled_reason",
                                          "handled_at",
                                          "snoozed_until",
                                          "assignee_id",
                                          NULL};

/* A CSV export being written: the text and its row count. */
struct deadline_csv {
    struct text_buffer text;
    int64_t rows;
};

/* A deadline_ledger_row_fn: one deadline as a CSV record. */
static void add_csv_row(const struct deadline_row *row, void *arg)
{
    struct deadline_csv *csv = arg;
    char request[24], client[24], source[24], moot[24], assignee[24];

    snprintf(request, sizeof(request), "%lld", (long long)row->parole_request_id);
    snprintf(client, sizeof(client), "%lld", (long long)row->client_id);
    snprintf(source, sizeof(source), "%lld", (long long)row->source_id);
    snprintf(moot, sizeof(moot), "%lld", (long long)row->moot_decision_id);
    snprintf(assignee, sizeof(assignee), "%lld", (long long)row->assignee_id);
    csv_cell(&csv->text, row->id, 1);
    csv_cell(&csv->text, row->kind, 0);
    csv_cell(&csv->text, row->due_on, 0);
    csv_cell(&csv->text, row->due_at, 0);
    csv_cell(&csv->text, row->opens_on, 0);
    csv_cell(&csv->text, row->status, 0);
    csv_cell(&csv->text, row->parole_request_id > 0 ? request : NULL, 0);
    csv_cell(&csv->text, client, 0);
    csv_cell(&csv->text, row->source_resource, 0);
    csv_cell(&csv->text, source, 0);
    csv_cell(&csv->text, row->rule_code, 0);
    csv_cell(&csv->text, row->citation_source, 0);
    csv_cell(&csv->text, row->citation_date, 0);
    csv_cell(&csv->text, row->title, 0);
    csv_cell(&csv->text, row->program_code, 0);
    csv_cell(&csv->text, row->moot_decision_id > 0 ? moot : NULL, 0);
    csv_cell(&csv->text, row->basis, 0);
    csv_cell(&csv->text, row->premature ? "true" : "false", 0);
    csv_cell(&csv->text, row->triage, 0);
    csv_cell(&csv->text, row->handled_reason, 0);
    csv_cell(&csv->text, row->handled_at, 0);
    csv_cell(&csv->text, row->snoozed_until, 0);
    csv_cell(&csv->text, row->assignee_id > 0 ? assignee : NULL, 0);
    csv_end_record(&csv->text);
    csv->rows++;
}

/* The rows a streamed export reads from the ledger at a time. */
#define CSV_PAGE_ROWS 200

/* A deadline CSV export streamed after the handler returned: the query (its texts copied) and
 * the place after the last row sent. */
struct deadline_stream {
    struct paged_stream base; /* first */
    struct deadline_query q;
    struct deadline_place after;
    char *from, *to, *kind, *status, *triage;
    int started;
    int64_t page_rows;
    struct deadline_csv *page; /* the page being written, during deadline_stream_next */
};

static void deadline_stream_release(struct paged_stream *s)
{
    struct deadline_stream *x = (struct deadline_stream *)s;

    free(x->from);
    free(x->to);
    free(x->kind);
    free(x->status);
    free(x->triage);
}

/* A deadline_ledger_row_fn of a streamed page: the record, and the row's place. */
static void add_stream_row(const struct deadline_row *row, void *arg)
{
    struct deadline_stream *x = arg;

    add_csv_row(row, x->page);
    deadline_ledger_place(row, &x->after);
    x->page_rows++;
}

/* A deadline_ledger_row_fn that only counts. */
static void count_row(const struct deadline_row *row, void *arg)
{
    (void)row;
    ++*(int64_t *)arg;
}

/* The header record. */
static void csv_header(struct text_buffer *out)
{
    csv_begin(out);
    for (size_t i = 0; csv_columns[i]; i++)
        csv_cell(out, csv_columns[i], i == 0);
    csv_end_record(out);
}

/* The next part of the CSV (a paged_stream_next_fn): the header, then CSV_PAGE_ROWS records
 * at a time, each page after the last row's place. */
static int deadline_stream_next(struct paged_stream *s, struct text_buffer *out, int *done,
                                struct problem *p)
{
    struct deadline_stream *x = (struct deadline_stream *)s;
    struct deadline_csv page = {.text = *out};
    int rc;

    x->q.after = x->started ? &x->after : NULL;
    if (!x->started) {
        csv_header(&page.text);
        x->started = 1;
    }
    x->q.limit = CSV_PAGE_ROWS;
    x->page_rows = 0;
    x->page = &page;
    rc = deadline_ledger_each(s->db, &x->q, &s->ctx, add_stream_row, x, p);
    x->page = NULL;
    *out = page.text; /* the buffer, grown */
    *done = x->page_rows < CSV_PAGE_ROWS;
    return rc;
}

/* Reply with every deadline the query selects as CSV (a download), audited as an export of
 * `deadlines` with the filters' names and the row count before a byte leaves. The rows are
 * counted in a read snapshot of a connection of their own and streamed from it page by page
 * (paged_stream); without such a connection the whole file is built first. The caller's read
 * transaction is open; it is ended here before the audit event is written. */
static void reply_csv(struct call *call, struct deadline_query *q, const json_t *filters,
                      struct call_reply *reply)
{
    struct deadline_csv csv = {.text = {0}, .rows = 0};
    struct deadline_stream *x;
    int rc;

    q->limit = -1; /* every row */
    q->after = NULL;
    x = (struct deadline_stream *)paged_stream_open(sizeof(*x), call, "deadline export",
                                                    deadline_stream_next, deadline_stream_release);
    if (x != NULL) {
        db_rollback(call->db);
        x->q = *q;
        x->q.from = x->from = q->from ? strdup(q->from) : NULL;
        x->q.to = x->to = q->to ? strdup(q->to) : NULL;
        x->q.kind = x->kind = q->kind ? strdup(q->kind) : NULL;
        x->q.status = x->status = q->status ? strdup(q->status) : NULL;
        x->q.triage = x->triage = q->triage ? strdup(q->triage) : NULL;
        if (deadline_ledger_each(x->base.db, &x->q, &x->base.ctx, count_row, &csv.rows, &call->p) !=
                0 ||
            audit_batch_export(call->db, &call->ctx, "deadlines", q->request_id, q->client_id,
                               "csv", filters, csv.rows, &call->p) != 0) {
            paged_stream_free(&x->base);
            return;
        }
        paged_stream_reply(&x->base, reply, "text/csv; charset=utf-8");
        csv_export_disposition(reply, "deadlines", call->ctx.today);
        return;
    }
    csv_header(&csv.text);
    rc = deadline_ledger_each(call->db, q, &call->ctx, add_csv_row, &csv, &call->p);
    db_rollback(call->db);
    if (rc == 0 && csv.text.failed)
        rc = problem_set(&call->p, PROBLEM_INTERNAL, "out of memory writing the export");
    if (rc == 0 && audit_batch_export(call->db, &call->ctx, "deadlines", q->request_id,
                                      q->client_id, "csv", filters, csv.rows, &call->p) == 0) {
        call_reply_text(reply, 200, csv.text.data, "text/csv; charset=utf-8");
        csv.text.data = NULL;
        csv_export_disposition(reply, "deadlines", call->ctx.today);
    }
    text_buffer_free(&csv.text);
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
    struct query_param plain[64];
    struct call_request stripped = *call->request;
    json_t *filter_names = json_array();
    size_t count;
    int has_cursor, rc, csv = csv_export_wanted(call);

    if (csv < 0)
        goto out;
    /* the query without `format` (a CSV export: every row, no limit, no cursor) */
    stripped.query = plain;
    if (csv) {
        int n = csv_export_query(call, plain, sizeof(plain) / sizeof(plain[0]), filter_names);

        if (n < 0)
            goto out;
        stripped.query_count = (size_t)n;
    } else {
        stripped.query_count =
            csv_export_strip_format(call->request, plain, sizeof(plain) / sizeof(plain[0]));
    }
    count = without_cursor(&stripped, kept, sizeof(kept) / sizeof(kept[0]), &after, &has_cursor,
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
    q.triage = json_string_value(json_object_get(binds, "triage"));
    if (json_is_string(json_object_get(binds, "assignee_id"))) { /* "me" */
        if (call->ctx.actor.type != ACTOR_USER) {
            problem_add_field(&call->p, "assignee_id", "me needs a signed-in user");
            problem_set(&call->p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
            goto out;
        }
        q.assignee = call->ctx.actor.id;
    } else {
        q.assignee = json_integer_value(json_object_get(binds, "assignee_id"));
    }
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
    if (csv) {
        reply_csv(call, &q, filter_names, reply);
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
    json_decref(filter_names);
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
        {.name = "triage", .kind = FILTER_CHOICE, .choices = triage_states},
        {.name = "assignee_id", .kind = FILTER_ASSIGNEE},
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
        {.name = "triage", .kind = FILTER_CHOICE, .choices = triage_states},
        {.name = NULL},
    };

    reply_deadlines(call, 0, call->id, filters, reply);
}

/* The deadline id of the call's path: what follows "/api/v1/deadlines/" (the route matched
 * its three segments), copied into out. */
static void path_deadline_id(const struct call *call, char *out, size_t out_size)
{
    static const char prefix[] = "/api/v1/deadlines/";

    snprintf(out, out_size, "%s", call->request->path + sizeof(prefix) - 1);
}

/* GET /api/v1/deadlines/{resource}/{id}/{kind} (see deadlines.h). */
void deadlines_get(struct call *call, struct call_reply *reply)
{
    char id[128];
    json_t *deadline;

    path_deadline_id(call, id, sizeof(id));
    deadline = deadline_triage_read(call->db, id, &call->ctx, &call->p);
    if (deadline != NULL)
        call_reply_record(reply, 200, deadline, NULL);
}

/* PATCH /api/v1/deadlines/{resource}/{id}/{kind} (see deadlines.h). */
void deadlines_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    char id[128];
    json_t *body, *deadline;

    path_deadline_id(call, id, sizeof(id));
    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body == NULL)
        return;
    deadline = deadline_triage_patch(call->db, id, body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (deadline != NULL)
        call_reply_record(reply, 200, deadline, NULL);
}

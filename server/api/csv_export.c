/* csv_export: a resource list as CSV (see csv_export.h). */
#include "csv_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "paged_stream.h"
#include "text_buffer.h"

/* The page size the export reads with (the lists' largest). */
#define EXPORT_PAGE "200"
/* The most query parameters an export passes on. */
#define EXPORT_QUERY_MAX 64

int csv_export_wanted(struct call *call)
{
    const struct call_request *request = call->request;
    const char *accept = request->accept;

    for (size_t i = 0; i < request->query_count; i++) {
        const struct query_param *q = &request->query[i];

        if (strcmp(q->name, "format") != 0)
            continue;
        if (strcmp(q->value, "csv") == 0)
            return 1;
        if (strcmp(q->value, "json") == 0)
            return 0;
        problem_add_field(&call->p, "format", "must be csv or json");
        problem_set(&call->p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
        return -1;
    }
    return accept != NULL && strstr(accept, "text/csv") != NULL &&
           strstr(accept, "application/json") == NULL;
}

size_t csv_export_strip_format(const struct call_request *request, struct query_param *kept,
                               size_t room)
{
    size_t n = 0;

    for (size_t i = 0; i < request->query_count && n < room; i++)
        if (strcmp(request->query[i].name, "format") != 0)
            kept[n++] = request->query[i];
    return n;
}

/* One value of an item as a cell: text as it is, numbers and booleans as JSON writes them,
 * null empty, arrays and objects as compact JSON. */
static void value_cell(struct text_buffer *out, const json_t *value, int first)
{
    char number[32], *text = NULL;

    if (value == NULL || json_is_null(value)) {
        csv_cell(out, NULL, first);
    } else if (json_is_string(value)) {
        csv_cell(out, json_string_value(value), first);
    } else if (json_is_integer(value)) {
        snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(value));
        csv_cell(out, number, first);
    } else if (json_is_boolean(value)) {
        csv_cell(out, json_is_true(value) ? "true" : "false", first);
    } else {
        text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        csv_cell(out, text, first);
        free(text);
    }
}

/* The header row: the members of the first item, in order (into columns). */
static void header_row(struct text_buffer *out, const json_t *item, json_t *columns)
{
    const char *name;
    json_t *value;
    int first = 1;

    json_object_foreach((json_t *)item, name, value)
    {
        json_array_append_new(columns, json_string(name));
        csv_cell(out, name, first);
        first = 0;
    }
    csv_end_record(out);
}

/* Append a page's items as records (the header first, from the first item seen). Returns the
 * number of items. */
static int64_t page_rows(struct text_buffer *out, const json_t *items, json_t *columns)
{
    const json_t *item, *column;
    size_t i, c;

    json_array_foreach(items, i, item)
    {
        if (json_array_size(columns) == 0)
            header_row(out, item, columns);
        json_array_foreach(columns, c, column)
        {
            value_cell(out, json_object_get(item, json_string_value(column)), c == 0);
        }
        csv_end_record(out);
    }
    return (int64_t)json_array_size(items);
}

int csv_export_query(struct call *call, struct query_param *q, size_t room, json_t *filters)
{
    const struct call_request *request = call->request;
    int n = 0;

    for (size_t i = 0; i < request->query_count; i++) {
        const struct query_param *param = &request->query[i];

        if (strcmp(param->name, "format") == 0)
            continue;
        if (strcmp(param->name, "limit") == 0 || strcmp(param->name, "cursor") == 0) {
            problem_add_field(&call->p, param->name,
                              "a CSV export has every row of the list: no limit or cursor");
            continue;
        }
        if ((size_t)n >= room) {
            problem_add_field(&call->p, param->name, "too many query parameters");
            continue;
        }
        q[n++] = *param;
        json_array_append_new(filters, json_string(param->name));
    }
    if (problem_has_field_errors(&call->p)) {
        problem_set(&call->p, PROBLEM_INVALID_QUERY, "the export's query is invalid");
        return -1;
    }
    return n;
}

/* A page of the list into *items (a new page object the caller frees) and the next cursor
 * into *next (new, NULL at the end). Returns 0, or -1 with *p set. */
static int next_page(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                     struct query_param *q, size_t n, char **cursor, json_t **page,
                     const struct op_context *ctx, struct problem *p)
{
    char *text;

    q[n] = (struct query_param){"cursor", *cursor};
    text = resource_list(db, spec, parent_id, q, n + (*cursor != NULL), ctx, p);
    if (text == NULL)
        return -1;
    *page = json_loads(text, 0, NULL);
    free(text);
    if (*page == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "a list page is not JSON");
    free(*cursor);
    *cursor = json_is_string(json_object_get(*page, "next_cursor"))
                  ? strdup(json_string_value(json_object_get(*page, "next_cursor")))
                  : NULL;
    return 0;
}

/* True when the export's query makes its reads write (an identifier look-up, or narratives:
 * both audited page by page), so it is built whole on the call's own connection. */
static int export_writes(const struct resource_spec *spec, const struct query_param *q, int n)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(q[i].name, "include") == 0)
            return 1;
        for (const struct filter_spec *f = spec->filters; f != NULL && f->name != NULL; f++)
            if (f->kind == FILTER_BLIND && strcmp(f->name, q[i].name) == 0)
                return 1;
    }
    return 0;
}

/* A record list's CSV export streamed after the handler returned: the list, its query (copied),
 * the cursor and the columns (the header's, from the first item). */
struct export_stream {
    struct paged_stream base; /* first */
    const struct resource_spec *spec;
    int64_t parent_id;
    struct query_param q[EXPORT_QUERY_MAX];
    size_t n;
    char *cursor;
    int started;
    json_t *columns;
};

static void export_stream_release(struct paged_stream *s)
{
    struct export_stream *x = (struct export_stream *)s;

    for (size_t i = 0; i < x->n; i++) {
        free((char *)x->q[i].name);
        free((char *)x->q[i].value);
    }
    free(x->cursor);
    json_decref(x->columns);
}

/* The next part of the CSV (a paged_stream_next_fn): the byte order mark, then a page of
 * records at a time. */
static int export_stream_next(struct paged_stream *s, struct text_buffer *out, int *done,
                              struct problem *p)
{
    struct export_stream *x = (struct export_stream *)s;
    json_t *page = NULL;

    if (!x->started) {
        csv_begin(out);
        x->started = 1;
    }
    if (next_page(s->db, x->spec, x->parent_id, x->q, x->n, &x->cursor, &page, &s->ctx, p) != 0)
        return -1;
    page_rows(out, json_object_get(page, "items"), x->columns);
    json_decref(page);
    *done = x->cursor == NULL;
    return 0;
}

/* Count the export's rows in the stream's snapshot (its first read fixes it). Returns the
 * count, or -1 with *p set. */
static int64_t count_rows(struct export_stream *x, struct problem *p)
{
    char *cursor = NULL;
    int64_t rows = 0;

    do {
        json_t *page = NULL;

        if (next_page(x->base.db, x->spec, x->parent_id, x->q, x->n, &cursor, &page, &x->base.ctx,
                      p) != 0) {
            free(cursor);
            return -1;
        }
        rows += (int64_t)json_array_size(json_object_get(page, "items"));
        json_decref(page);
    } while (cursor != NULL);
    return rows;
}

/* Set up a streamed export of call's list, or NULL when it cannot be streamed here (no
 * connection of its own: the caller builds it whole). */
static struct export_stream *stream_open(struct call *call, int64_t parent_id,
                                         const struct query_param *q, int n)
{
    struct export_stream *x = (struct export_stream *)paged_stream_open(
        sizeof(*x), call, "CSV export", export_stream_next, export_stream_release);

    if (x == NULL)
        return NULL;
    x->spec = call->resource;
    x->parent_id = parent_id;
    x->columns = json_array();
    for (int i = 0; i < n; i++) {
        x->q[x->n].name = strdup(q[i].name);
        x->q[x->n].value = q[i].value ? strdup(q[i].value) : NULL;
        x->n++;
    }
    x->q[x->n].name = strdup("limit");
    x->q[x->n].value = strdup(EXPORT_PAGE);
    x->n++;
    return x;
}

void csv_export_disposition(struct call_reply *reply, const char *stem, const char *today)
{
    snprintf(reply->disposition, sizeof(reply->disposition), "attachment; filename=\"%s-%s.csv\"",
             stem, today);
}

void csv_export_list(struct call *call, int64_t parent_id, struct call_reply *reply)
{
    struct query_param q[EXPORT_QUERY_MAX];
    struct text_buffer out = {0};
    json_t *filters = json_array(), *columns = json_array();
    struct export_stream *stream = NULL;
    char *cursor = NULL;
    int64_t rows = 0;
    int n = csv_export_query(call, q, EXPORT_QUERY_MAX - 2, filters);

    if (n < 0)
        goto out;
    /* Streamed when its reads only read: counted in a snapshot of its own connection, the
     * count audited, then sent page by page from that same snapshot. */
    if (!export_writes(call->resource, q, n))
        stream = stream_open(call, parent_id, q, n);
    if (stream != NULL) {
        rows = count_rows(stream, &call->p);
        if (rows < 0 || resource_audit_export(call->db, call->resource, parent_id, "csv", filters,
                                              rows, &call->ctx, &call->p) != 0) {
            paged_stream_free(&stream->base);
            goto out;
        }
        paged_stream_reply(&stream->base, reply, "text/csv; charset=utf-8");
        csv_export_disposition(reply, call->resource->collection, call->ctx.today);
        goto out;
    }
    q[n++] = (struct query_param){"limit", EXPORT_PAGE};
    csv_begin(&out);
    for (;;) {
        json_t *page = NULL;

        if (next_page(call->db, call->resource, parent_id, q, (size_t)n, &cursor, &page, &call->ctx,
                      &call->p) != 0)
            goto out;
        rows += page_rows(&out, json_object_get(page, "items"), columns);
        json_decref(page);
        if (cursor == NULL)
            break;
    }
    if (out.failed) {
        problem_set(&call->p, PROBLEM_INTERNAL, "out of memory writing the export");
        goto out;
    }
    /* Recorded before anything is answered. */
    if (resource_audit_export(call->db, call->resource, parent_id, "csv", filters, rows, &call->ctx,
                              &call->p) != 0)
        goto out;
    call_reply_text(reply, 200, out.data, "text/csv; charset=utf-8");
    out.data = NULL;
    csv_export_disposition(reply, call->resource->collection, call->ctx.today);
out:
    free(cursor);
    text_buffer_free(&out);
    json_decref(filters);
    json_decref(columns);
}

/* csv_export: a resource list as CSV (see csv_export.h). */
#include "csv_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
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

void csv_export_list(struct call *call, int64_t parent_id, struct call_reply *reply)
{
    struct query_param q[EXPORT_QUERY_MAX];
    struct text_buffer out = {0};
    json_t *filters = json_array(), *columns = json_array();
    char *cursor = NULL;
    int64_t rows = 0;
    int n = csv_export_query(call, q, EXPORT_QUERY_MAX - 2, filters);

    if (n < 0)
        goto out;
    q[n++] = (struct query_param){"limit", EXPORT_PAGE};
    csv_begin(&out);
    for (;;) {
        char *text;
        json_t *page;

        q[n] = (struct query_param){"cursor", cursor};
        text = resource_list(call->db, call->resource, parent_id, q, (size_t)n + (cursor != NULL),
                             &call->ctx, &call->p);
        if (text == NULL)
            goto out;
        page = json_loads(text, 0, NULL);
        free(text);
        if (page == NULL) {
            problem_set(&call->p, PROBLEM_INTERNAL, "a list page is not JSON");
            goto out;
        }
        rows += page_rows(&out, json_object_get(page, "items"), columns);
        free(cursor);
        cursor = json_is_string(json_object_get(page, "next_cursor"))
                     ? strdup(json_string_value(json_object_get(page, "next_cursor")))
                     : NULL;
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
    snprintf(reply->disposition, sizeof(reply->disposition), "attachment; filename=\"%s-%s.csv\"",
             call->resource->collection, call->ctx.today);
out:
    free(cursor);
    text_buffer_free(&out);
    json_decref(filters);
    json_decref(columns);
}

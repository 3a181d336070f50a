/* stats: dashboard figures and the field catalogue (see stats.h). */
#include <stdio.h>
#include <string.h>

#include "deadline_engine.h"
#include "resources.h"
#include "stats.h"

#define MONTHS_AHEAD 12

/* Refuse any query parameter: these reads take none. Returns 0, or -1 with a 400 in *p. */
static int refuse_query(const struct call_request *request, struct problem *p)
{
    if (request->query_count == 0)
        return 0;
    for (size_t i = 0; i < request->query_count; i++)
        problem_add_field(p, request->query[i].name, "unknown query parameter");
    problem_set(p, PROBLEM_INVALID_QUERY, "this resource takes no query parameters");
    return -1;
}

/* {stage: count} with every stage present (zero when no request is in it); *total gets the sum.
 * Runs inside the caller's read transaction. Returns a new object or NULL with *p set. */
static json_t *stage_counts(struct db *db, const struct op_context *ctx, int64_t *total,
                            struct problem *p)
{
    json_t *counts = json_object(),
           *binds = json_pack("{s:s, s:s}", "today", ctx->today, "now", ctx->now);
    db_stmt *stmt = db_prepare(db, SQL_STAGE_COUNTS, p);
    enum db_step step = DB_ERROR;

    for (const char *const *s = parole_request_stages; *s; s++)
        json_object_set_new(counts, *s, json_integer(0));
    *total = 0;
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        while ((step = db_step(stmt)) == DB_ROW) {
            int64_t n = db_column_int(stmt, 1);

            json_object_set_new(counts, db_column_text(stmt, 0), json_integer(n));
            *total += n;
        }
    }
    db_finish(stmt);
    json_decref(binds);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "counting parole requests by stage failed");
        json_decref(counts);
        return NULL;
    }
    return counts;
}

/* Twelve {"month", "parole_end", "ead_end"} buckets from the firm-local current month, filled
 * from the computed deadlines (one parole end and one EAD end per open request at most: the
 * latest that no later expiry replaced). */
static json_t *expirations_by_month(const json_t *deadlines, const char *today)
{
    json_t *months = json_array(), *ends = json_object(), *d, *end;
    const char *key_of;
    struct civil_date first;
    char month[16];
    size_t i;

    dates_parse(today, &first);
    for (int m = 0; m < MONTHS_AHEAD; m++) {
        int index = first.month - 1 + m;

        snprintf(month, sizeof(month), "%04d-%02d", first.year + index / 12, index % 12 + 1);
        json_array_append_new(
            months, json_pack("{s:s, s:i, s:i}", "month", month, "parole_end", 0, "ead_end", 0));
    }
    /* Each open request's own end of each kind: "kind/request id" -> its latest due date. A
     * parole end or EAD end a later expiry replaced is "met" (the parole or permit does not end
     * then) and is left out; a parole and an I-94 date that coincide are one end. */
    json_array_foreach(deadlines, i, d)
    {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        const char *due = json_string_value(json_object_get(d, "due_on"));
        const char *status = json_string_value(json_object_get(d, "status"));
        const char *seen;
        char key[64];

        if (kind == NULL || due == NULL || status == NULL || strcmp(status, "met") == 0 ||
            (strcmp(kind, "parole_end") != 0 && strcmp(kind, "ead_end") != 0))
            continue;
        snprintf(key, sizeof(key), "%s/%lld", kind,
                 (long long)json_integer_value(json_object_get(d, "parole_request_id")));
        seen = json_string_value(json_object_get(ends, key));
        if (seen == NULL || strcmp(due, seen) > 0)
            json_object_set_new(ends, key, json_string(due));
    }
    json_object_foreach(ends, key_of, end)
    {
        const char *kind = strncmp(key_of, "ead_end/", 8) == 0 ? "ead_end" : "parole_end";
        struct civil_date due;
        json_t *bucket;

        if (dates_parse(json_string_value(end), &due) != 0)
            continue;
        /* months from the current one: the bucket's index, when within the twelve */
        bucket = json_array_get(months,
                                (size_t)((due.year - first.year) * 12 + (due.month - first.month)));
        if (bucket != NULL)
            json_object_set_new(
                bucket, kind, json_integer(json_integer_value(json_object_get(bucket, kind)) + 1));
    }
    json_decref(ends);
    return months;
}

void stats_get(struct call *call, struct call_reply *reply)
{
    json_t *stages = NULL, *deadlines = NULL;
    int64_t total = 0;

    if (refuse_query(call->request, &call->p) != 0 || db_begin_read(call->db, &call->p) != 0)
        return;
    stages = stage_counts(call->db, &call->ctx, &total, &call->p);
    if (stages != NULL)
        deadlines = deadline_engine_compute(call->db, 0, 0, &call->ctx, &call->p);
    db_rollback(call->db);
    if (stages != NULL && deadlines != NULL)
        call_reply_json(reply, 200,
                        json_pack("{s:s, s:I, s:O, s:o}", "as_of", call->ctx.today, "total",
                                  (json_int_t)total, "stages", stages, "expirations_by_month",
                                  expirations_by_month(deadlines, call->ctx.today)));
    json_decref(stages);
    json_decref(deadlines);
}

/* The name of a field type as the catalogue shows it. */
static const char *type_name(enum field_type type)
{
    switch (type) {
    case FIELD_TEXT:
        return "text";
    case FIELD_DATE:
        return "date";
    case FIELD_TIMESTAMP:
        return "timestamp";
    case FIELD_ENUM:
        return "enum";
    case FIELD_BOOL:
        return "boolean";
    case FIELD_INT:
        return "integer";
    case FIELD_TEXT_ARRAY:
        return "text_array";
    case FIELD_INT_ARRAY:
        return "integer_array";
    }
    return "text";
}

/* One field of a table as the catalogue shows it (a new object). */
static json_t *field_json(const struct field_spec *f)
{
    json_t *out = json_pack("{s:s, s:s, s:b}", "name", f->name, "type", type_name(f->type),
                            "required", (f->flags & FIELD_REQUIRED) != 0);

    if (f->flags & FIELD_SINGLE_LINE)
        json_object_set_new(out, "single_line", json_true());
    if (f->type == FIELD_TEXT || f->type == FIELD_TEXT_ARRAY)
        json_object_set_new(out, "max_length", json_integer((json_int_t)f->max_chars));
    if (f->type == FIELD_TEXT_ARRAY || f->type == FIELD_INT_ARRAY)
        json_object_set_new(out, "max_items", json_integer((json_int_t)f->max_items));
    if (f->type == FIELD_INT || f->type == FIELD_INT_ARRAY) {
        json_object_set_new(out, "minimum", json_integer(f->min));
        json_object_set_new(out, "maximum", json_integer(f->max));
    }
    if (f->type == FIELD_DATE && (f->flags & FIELD_NOT_FUTURE))
        json_object_set_new(out, "not_future", json_true());
    if (f->choices != NULL) {
        json_t *choices = json_array();

        for (const char *const *c = f->choices; *c; c++)
            json_array_append_new(choices, json_string(*c));
        json_object_set_new(out, "choices", choices);
    }
    if (f->default_choice != NULL)
        json_object_set_new(out, "default", json_string(f->default_choice));
    else if (f->default_json != NULL)
        json_object_set_new(out, "default", json_loads(f->default_json, JSON_DECODE_ANY, NULL));
    else if (f->type == FIELD_BOOL)
        json_object_set_new(out, "default", json_false());
    else if (f->type == FIELD_TEXT_ARRAY || f->type == FIELD_INT_ARRAY)
        json_object_set_new(out, "default", json_array());
    return out;
}

void stats_fields(struct call *call, struct call_reply *reply)
{
    static const struct resource_spec *const specs[] = {
        &clients_resource,    &parole_requests_resource, &filings_resource,    &rfes_resource,
        &interviews_resource, &decisions_resource,       &expirations_resource};
    json_t *out;

    if (refuse_query(call->request, &call->p) != 0)
        return;
    out = json_object();
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        json_t *fields = json_array();

        for (size_t f = 0; f < specs[i]->table.count; f++)
            json_array_append_new(fields, field_json(&specs[i]->table.fields[f]));
        json_object_set_new(out, specs[i]->collection, fields);
    }
    call_reply_json(reply, 200, out);
}

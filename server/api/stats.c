/* stats: the dashboard's figures (see stats.h). A handler module: it depends on call, the
 * deadline engine and the stage list (resources); the field catalogue is in field_catalogue.c. */
#include "stats.h"

#include <stdio.h>
#include <string.h>

#include "deadline_engine.h"
#include "records.h"
#include "stage.h"

#define MONTHS_AHEAD 12

/* {stage: count} with every stage present (zero when no request is in it); *total gets the sum.
 * Runs inside the caller's read transaction. Returns a new object or NULL with *p set. */
static json_t *stage_counts(struct db *db, const struct op_context *ctx, int64_t *total,
                            struct problem *p)
{
    json_t *counts = json_object(),
           *binds = json_pack("{s:s, s:s}", "today", ctx->today, "now", ctx->now);
    db_stmt *stmt = db_prepare(db, SQL_STAGE_COUNTS, p);
    enum db_step step = DB_ERROR;

    for (const char *const *s = stage_names; *s; s++)
        json_object_set_new(counts, *s, json_integer(0));
    *total = 0;
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        while ((step = db_step(stmt)) == DB_ROW) {
            int64_t n = db_row_int(stmt, "requests");

            json_object_set_new(counts, db_row_text(stmt, "stage"), json_integer(n));
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

    if (call_refuse_query(call->request, &call->p) != 0 || db_begin_read(call->db, &call->p) != 0)
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

/* stats: the dashboard's figures (see stats.h). A handler module: it depends on call, the
 * deadline ledger and the stage list; the field catalogue is in field_catalogue.c. */
#include "stats.h"

#include <stdio.h>
#include <string.h>

#include "deadline_ledger.h"
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

/* The name /stats remembers its figures under on each connection (db_memo_*). */
static const char stats_memo[] = "stats";

/* The figures as of the caller's today and now: a new object, or NULL with *p set. Runs inside
 * the caller's read transaction. */
static json_t *stats_compute(struct call *call)
{
    json_t *stages, *ends = NULL, *out = NULL;
    int64_t total = 0;

    stages = stage_counts(call->db, &call->ctx, &total, &call->p);
    if (stages != NULL)
        ends = deadline_ledger_ends_by_month(call->db, call->ctx.today, MONTHS_AHEAD, &call->p);
    if (stages != NULL && ends != NULL)
        out = json_pack("{s:s, s:I, s:O, s:O}", "as_of", call->ctx.today, "total",
                        (json_int_t)total, "stages", stages, "expirations_by_month", ends);
    json_decref(stages);
    json_decref(ends);
    return out;
}

void stats_get(struct call *call, struct call_reply *reply)
{
    char until[TIMESTAMP_LEN + 8] = "";
    json_t *memo, *figures = NULL;

    if (call_refuse_query(call->request, &call->p) != 0 || db_begin_read(call->db, &call->p) != 0)
        return;
    /* The figures change only with a commit (to this connection's file: any connection's or
     * process's), a new day, or an interview passing: remembered per connection until then.
     * The first read below also fixes the snapshot the memo is checked against. */
    if (deadline_ledger_next_stage_flip(call->db, call->ctx.now, until, sizeof(until), &call->p) !=
        0)
        goto out;
    memo = db_memo_get(call->db, stats_memo, call->ctx.today);
    if (memo != NULL &&
        (json_string_value(json_object_get(memo, "until"))[0] == '\0' ||
         strcmp(call->ctx.now, json_string_value(json_object_get(memo, "until"))) < 0))
        figures = json_incref(json_object_get(memo, "figures"));
    else if ((figures = stats_compute(call)) != NULL)
        db_memo_put(call->db, stats_memo, call->ctx.today,
                    json_pack("{s:O, s:s}", "figures", figures, "until", until));
out:
    db_rollback(call->db);
    if (figures != NULL)
        call_reply_json(reply, 200, figures);
}

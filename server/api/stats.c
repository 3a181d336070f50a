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

void stats_get(struct call *call, struct call_reply *reply)
{
    json_t *stages = NULL, *ends = NULL;
    int64_t total = 0;

    if (call_refuse_query(call->request, &call->p) != 0 || db_begin_read(call->db, &call->p) != 0)
        return;
    stages = stage_counts(call->db, &call->ctx, &total, &call->p);
    if (stages != NULL)
        ends = deadline_ledger_ends_by_month(call->db, call->ctx.today, MONTHS_AHEAD, &call->p);
    db_rollback(call->db);
    if (stages != NULL && ends != NULL)
        call_reply_json(reply, 200,
                        json_pack("{s:s, s:I, s:O, s:O}", "as_of", call->ctx.today, "total",
                                  (json_int_t)total, "stages", stages, "expirations_by_month",
                                  ends));
    json_decref(stages);
    json_decref(ends);
}

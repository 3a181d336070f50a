/* lookups: the per-principal limit on identifier look-ups. */
#include "lookups.h"

#include <time.h>

#include "dates.h"

int lookups_claim(struct db *db, const struct op_context *ctx, struct problem *p)
{
    char since[TIMESTAMP_LEN];
    time_t now = time(NULL);
    json_t *binds;
    db_stmt *stmt = NULL;
    int rc = -1;

    dates_format_utc(now - LOOKUPS_WINDOW_SECONDS, since);
    binds =
        json_pack("{s:s, s:I, s:s, s:s}", "actor_type", context_actor_type_name(ctx->actor.type),
                  "actor_id", (json_int_t)ctx->actor.id, "since", since, "now", ctx->now);
    if (binds == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "look-ups: out of memory");
        goto out;
    }
    if (db_exec_json(db, SQL_LOOKUP_PRUNE, binds, p) != 0)
        goto out;
    stmt = db_prepare(db, SQL_LOOKUP_COUNT, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    if (db_step(stmt) != DB_ROW) {
        problem_set(p, PROBLEM_INTERNAL, "lookup_count: %s", db_errmsg(db));
        goto out;
    }
    if (db_row_int(stmt, "lookups") >= LOOKUPS_LIMIT) {
        int64_t oldest = (int64_t)now;
        int wait;

        dates_parse_timestamp(db_row_text(stmt, "oldest"), NULL, &oldest);
        wait = (int)(oldest + LOOKUPS_WINDOW_SECONDS - (int64_t)now) + 1;
        p->retry_after = wait > 0 ? wait : 1;
        problem_set(p, PROBLEM_TOO_MANY_LOOKUPS,
                    "at most %d look-ups by identifier in %d minutes; try again in %d seconds "
                    "(a search by name is not limited)",
                    LOOKUPS_LIMIT, LOOKUPS_WINDOW_SECONDS / 60, p->retry_after);
        goto out;
    }
    db_finish(stmt);
    stmt = NULL;
    rc = db_exec_json(db, SQL_LOOKUP_INSERT, binds, p);
out:
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

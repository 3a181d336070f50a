/* timeline: one UNION query over the event tables (sql.c, SQL_REQUEST_TIMELINE). */
#include "timeline.h"

#include "listing.h"

json_t *timeline_of_request(struct db *db, int64_t id, const struct op_context *ctx,
                            struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id), *items = NULL, *result = NULL;
    db_stmt *stmt = NULL;
    enum db_step step;

    (void)ctx;
    if (db_begin_read(db, p) != 0)
        goto out;
    if (!listing_parent_exists(db, id, p))
        goto out;
    stmt = db_prepare(db, SQL_REQUEST_TIMELINE, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    items = json_array();
    while ((step = db_step(stmt)) == DB_ROW)
        json_array_append_new(items, db_row_to_json(stmt, NULL, NULL));
    if (step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "timeline: %s", db_errmsg(db));
        goto out;
    }
    result = json_pack("{s:O}", "items", items);
out:
    db_finish(stmt);
    db_rollback(db);
    json_decref(items);
    json_decref(binds);
    return result;
}

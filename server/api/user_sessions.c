/* user_sessions: listing and ending a user's sessions (admin). */
#include "user_sessions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "dates.h"
#include "listing.h"
#include "settings.h"

/* Whether user `id` exists (inside the caller's transaction). Returns 1, or 0 with a 404 in *p,
 * or -1 with *p set. */
static int user_exists(struct db *db, int64_t id, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id);
    db_stmt *stmt = db_prepare(db, SQL_USER_GET, p);
    enum db_step step = DB_ERROR;
    int rc = -1;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        step = db_step(stmt);
    if (step == DB_ROW)
        rc = 1;
    else if (step == DB_DONE) {
        problem_set(p, PROBLEM_NOT_FOUND, "no user with id %lld", (long long)id);
        rc = 0;
    } else if (p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_INTERNAL, "user_get: %s", db_errmsg(db));
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

/* A list row: the session's times and second factor, and whether it is the caller's own. */
static json_t *session_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    const struct principal *caller = arg;
    int64_t id = db_column_int(stmt, 0);

    (void)p;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "created_at",
                     db_column_text(stmt, 1), "last_seen_at", db_column_text(stmt, 2), "expires_at",
                     db_column_text(stmt, 3), "second_factor", db_column_text(stmt, 4), "current",
                     caller->kind == PRINCIPAL_SESSION && caller->session_id == id);
}

void user_sessions_list(struct call *call, struct call_reply *reply)
{
    struct settings settings;
    char idle_since[TIMESTAMP_LEN];
    json_t *binds = json_object(), *page = NULL;
    int64_t limit;

    if (listing_parse_query(listing_no_filters, call->request->query, call->request->query_count,
                            binds, &limit, &call->p) != 0 ||
        db_begin_read(call->db, &call->p) != 0)
        goto out;
    /* only live sessions: neither past their absolute end nor idle too long */
    if (user_exists(call->db, call->id, &call->p) == 1 &&
        settings_read(call->db, &settings, &call->p) == 0) {
        dates_format_utc(time(NULL) - (time_t)settings.session_idle_minutes * 60, idle_since);
        json_object_set_new(binds, "user_id", json_integer(call->id));
        json_object_set_new(binds, "now", json_string(call->ctx.now));
        json_object_set_new(binds, "idle_since", json_string(idle_since));
        page = listing_page(call->db, SQL_SESSION_LIST_USER, binds, limit, session_row,
                            call->principal, &call->p);
    }
    db_rollback(call->db);
out:
    json_decref(binds);
    if (page != NULL)
        call_reply_json(reply, 200, page);
}

/* End the sessions `sql` deletes (binds: user_id, id) in one audited transaction; 404 when the
 * user does not exist, or (one) when no session was ended. */
static void end_sessions(struct call *call, enum sql_id sql, int one, struct call_reply *reply)
{
    json_t *binds =
        json_pack("{s:I, s:I}", "user_id", (json_int_t)call->id, "id", (json_int_t)call->child_id);
    json_t *changes = NULL;
    int ended;

    if (db_begin_write(call->db, &call->p) != 0)
        goto out;
    if (user_exists(call->db, call->id, &call->p) != 1 ||
        db_exec_json(call->db, sql, binds, &call->p) != 0)
        goto fail;
    ended = db_changes(call->db);
    if (one && ended == 0) {
        problem_set(&call->p, PROBLEM_NOT_FOUND, "user %lld has no session %lld",
                    (long long)call->id, (long long)call->child_id);
        goto fail;
    }
    changes = one ? json_pack("{s:{s:n, s:I}}", "session_id", "before", "after",
                              (json_int_t)call->child_id)
                  : json_pack("{s:{s:n, s:i}}", "sessions_ended", "before", "after", ended);
    if (audit_append(call->db, &call->ctx, "sessions_end", "users", call->id, 0, changes,
                     &call->p) != 0 ||
        db_commit(call->db, &call->p) != 0)
        goto fail;
    reply->status = 204;
    goto out;
fail:
    db_rollback(call->db);
out:
    json_decref(changes);
    json_decref(binds);
}

void user_sessions_end_all(struct call *call, struct call_reply *reply)
{
    end_sessions(call, SQL_SESSION_DELETE_USER, 0, reply);
}

void user_sessions_end_one(struct call *call, struct call_reply *reply)
{
    end_sessions(call, SQL_SESSION_DELETE_OF_USER, 1, reply);
}

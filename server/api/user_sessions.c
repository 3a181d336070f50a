/* user_sessions: listing and ending a user's sessions (admin). */
#include "user_sessions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "dates.h"
#include "listing.h"
#include "settings.h"
#include "user_access.h"
#include "users.h"

/* A list row: the session's times and second factor, and whether it is the caller's own. */
static json_t *session_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    const struct principal *caller = arg;
    int64_t id = db_row_int(stmt, "id");

    (void)p;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "created_at",
                     db_row_text(stmt, "created_at"), "last_seen_at",
                     db_row_text(stmt, "last_seen_at"), "expires_at",
                     db_row_text(stmt, "expires_at"), "second_factor",
                     db_row_text(stmt, "second_factor"), "current",
                     caller->kind == PRINCIPAL_SESSION && caller->session_id == id);
}

void user_sessions_list(struct call *call, struct call_reply *reply)
{
    struct settings settings;
    char idle_since[TIMESTAMP_LEN];
    json_t *binds = json_object(), *page = NULL, *user = NULL;
    int64_t limit;

    if (listing_parse_query(listing_no_filters, call->request->query, call->request->query_count,
                            binds, &limit, &call->p) != 0 ||
        db_begin_read(call->db, &call->p) != 0)
        goto out;
    /* only live sessions: neither past their absolute end nor idle too long */
    user = users_read(call->db, call->id, &call->p);
    if (user != NULL && settings_read(call->db, &settings, &call->p) == 0) {
        dates_format_utc(time(NULL) - (time_t)settings.session_idle_minutes * 60, idle_since);
        json_object_set_new(binds, "user_id", json_integer(call->id));
        json_object_set_new(binds, "now", json_string(call->ctx.now));
        json_object_set_new(binds, "idle_since", json_string(idle_since));
        page = listing_page(call->db, SQL_SESSION_LIST_USER, binds, limit, session_row,
                            call->principal, &call->p);
    }
    db_rollback(call->db);
out:
    json_decref(user);
    json_decref(binds);
    if (page != NULL)
        call_reply_json(reply, 200, page);
}

void user_sessions_end_all(struct call *call, struct call_reply *reply)
{
    if (user_access_end_sessions(call->db, call->id, 0, &call->ctx, &call->p) == 0)
        reply->status = 204;
}

void user_sessions_end_one(struct call *call, struct call_reply *reply)
{
    if (user_access_end_sessions(call->db, call->id, call->child_id, &call->ctx, &call->p) == 0)
        reply->status = 204;
}

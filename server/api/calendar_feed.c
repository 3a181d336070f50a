/* calendar_feed: the feed token routes and the feed itself (see calendar_feed.h). A handler
 * module: it may depend on call, auth, db, crypto, user_access, the deadline ledger (read row by
 * row) and the renderer (calendar); nothing below the handlers depends on it. */
#include "calendar_feed.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "crypto.h"
#include "db.h"
#include "deadline_ledger.h"
#include "user_access.h"

void calendar_feed_create(struct call *call, struct call_reply *reply)
{
    char token[CRYPTO_TOKEN_LEN + 1], hash[65], url[160];

    crypto_token(token);
    crypto_sha256_hex(token, strlen(token), hash);
    if (user_access_feed_create(call->db, call->principal->user_id, hash, &call->ctx, &call->p) ==
        0) {
        snprintf(url, sizeof(url), "/api/v1/calendar.ics?token=%s", token);
        call_reply_json(reply, 201, json_pack("{s:s, s:s}", "token", token, "url", url));
    }
    crypto_wipe(token, sizeof(token));
}

void calendar_feed_revoke(struct call *call, struct call_reply *reply)
{
    if (user_access_feed_revoke(call->db, call->principal->user_id, &call->ctx, &call->p) == 0)
        reply->status = 204;
}

/* Add one stored deadline to the feed (arg: the calendar_writer). */
static void feed_add(const struct deadline_row *row, void *arg)
{
    const struct calendar_event event = {
        .id = row->id,
        .title = row->title,
        .kind = row->kind,
        .status = row->status,
        .due_on = row->due_on,
        .due_at = row->due_at,
        .rule_code = row->rule_code,
        .citation_source = row->citation_source,
        .citation_date = row->citation_date,
        .parole_request_id = row->parole_request_id,
    };

    calendar_writer_add(arg, &event);
}

/* The feed of the unmet deadlines of the open requests assigned to user_id, written row by row
 * as the ledger is read (a met deadline is not an event: not read at all). A new string, or
 * NULL with *p set. */
static char *feed_text(struct db *db, int64_t user_id, const struct op_context *ctx,
                       struct problem *p)
{
    const struct deadline_query q = {.assigned_to = user_id, .unmet = 1, .limit = -1};
    struct calendar_writer writer;
    char *text;

    calendar_writer_init(&writer, ctx->now);
    if (deadline_ledger_each(db, &q, ctx, feed_add, &writer, p) != 0) {
        text_buffer_free(&writer.events);
        return NULL;
    }
    text = calendar_writer_finish(&writer);
    if (text == NULL)
        problem_set(p, PROBLEM_INTERNAL, "out of memory rendering a feed");
    return text;
}

void calendar_feed_get(struct call *call, struct call_reply *reply)
{
    const char *token = NULL;
    char hash[65], *text = NULL;
    json_t *binds = NULL;
    int64_t user_id = 0;

    for (size_t i = 0; i < call->request->query_count; i++) {
        if (strcmp(call->request->query[i].name, "token") != 0 || token != NULL) {
            problem_add_field(&call->p, call->request->query[i].name,
                              "only one token parameter is expected");
            problem_set(&call->p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
            return;
        }
        token = call->request->query[i].value;
    }
    if (token == NULL || token[0] == '\0') {
        problem_set(&call->p, PROBLEM_UNAUTHENTICATED, "add the feed's token: ?token=...");
        return;
    }
    crypto_sha256_hex(token, strlen(token), hash);
    binds = json_pack("{s:s}", "token_hash", hash);
    if (db_begin_read(call->db, &call->p) != 0)
        goto out;
    if (db_scalar_int(call->db, SQL_FEED_LOOKUP, binds, &user_id, &call->p) == 0) {
        if (user_id == 0)
            problem_set(&call->p, PROBLEM_UNAUTHENTICATED, "this feed token is not valid");
        else
            text = feed_text(call->db, user_id, &call->ctx, &call->p);
    }
    db_rollback(call->db);
    if (text != NULL)
        call_reply_text(reply, 200, text, "text/calendar; charset=utf-8");
out:
    json_decref(binds);
}

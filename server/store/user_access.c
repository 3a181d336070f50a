/* user_access: ending sessions and the calendar feed token (see user_access.h). */
#include "user_access.h"

#include "users.h"
#include "write.h"

/* What an access change knows besides the call: the session to end (0: all) and how many
 * ended, or the new feed token's hash. */
struct access_write {
    int64_t session_id;
    int ended;
    const char *token_hash;
};

/* The user an access change is about (write_kind.read): 404 when there is none. */
static json_t *access_user_read(struct db *db, struct write_call *w, struct problem *p)
{
    return users_read(db, w->id, p);
}

/* Delete the sessions (write_kind.write): one ended session at least when one was named. */
static int sessions_delete(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    struct access_write *aw = w->arg;
    json_t *binds =
        json_pack("{s:I, s:I}", "user_id", (json_int_t)w->id, "id", (json_int_t)aw->session_id);
    int rc = db_exec_json(db, aw->session_id ? SQL_SESSION_DELETE_OF_USER : SQL_SESSION_DELETE_USER,
                          binds, p);

    (void)before;
    json_decref(binds);
    if (rc != 0)
        return -1;
    aw->ended = db_changes(db);
    if (aw->session_id && aw->ended == 0)
        return problem_set(p, PROBLEM_NOT_FOUND, "user %lld has no session %lld", (long long)w->id,
                           (long long)aw->session_id);
    return 0;
}

/* The changes of ending sessions: the one session's id, or how many ended. */
static json_t *sessions_ended(const struct write_call *w, const json_t *before, const json_t *after)
{
    const struct access_write *aw = w->arg;

    (void)before, (void)after;
    return aw->session_id
               ? json_pack("{s:{s:n, s:I}}", "session_id", "before", "after",
                           (json_int_t)aw->session_id)
               : json_pack("{s:{s:n, s:i}}", "sessions_ended", "before", "after", aw->ended);
}

static const struct write_kind sessions_end_kind = {
    .entity = "users",
    .noun = "user",
    .read = access_user_read,
    .write = sessions_delete,
    .changes = sessions_ended,
};

/* Run one access change of user_id; returns 0 or -1 with *p set. */
static int access_change(struct db *db, const struct write_kind *kind, const char *action,
                         int64_t user_id, struct access_write *aw, const struct op_context *ctx,
                         struct problem *p)
{
    struct write_call w = {
        .kind = kind, .mode = WRITE_UPDATE, .action = action, .id = user_id, .ctx = ctx, .arg = aw};
    json_t *done = write_run(db, &w, p);
    int rc = done != NULL ? 0 : -1;

    json_decref(done);
    return rc;
}

int user_access_end_sessions(struct db *db, int64_t user_id, int64_t session_id,
                             const struct op_context *ctx, struct problem *p)
{
    struct access_write aw = {.session_id = session_id};

    return access_change(db, &sessions_end_kind, "sessions_end", user_id, &aw, ctx, p);
}

/* Store the feed token's hash (write_kind.write). */
static int feed_put(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    const struct access_write *aw = w->arg;
    json_t *binds = json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)w->id, "token_hash",
                              aw->token_hash, "now", w->ctx->now);
    int rc = db_exec_json(db, SQL_FEED_PUT, binds, p);

    (void)before;
    json_decref(binds);
    return rc;
}

/* Delete the feed token (write_kind.write). */
static int feed_delete(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "user_id", (json_int_t)w->id);
    int rc = db_exec_json(db, SQL_FEED_DELETE, binds, p);

    (void)before;
    json_decref(binds);
    return rc;
}

static const struct write_kind feed_create_kind = {
    .entity = "users", .noun = "user", .write = feed_put};
static const struct write_kind feed_revoke_kind = {
    .entity = "users", .noun = "user", .write = feed_delete};

int user_access_feed_create(struct db *db, int64_t user_id, const char *token_hash,
                            const struct op_context *ctx, struct problem *p)
{
    struct access_write aw = {.token_hash = token_hash};

    return access_change(db, &feed_create_kind, "calendar_feed_create", user_id, &aw, ctx, p);
}

int user_access_feed_revoke(struct db *db, int64_t user_id, const struct op_context *ctx,
                            struct problem *p)
{
    struct access_write aw = {0};

    return access_change(db, &feed_revoke_kind, "calendar_feed_revoke", user_id, &aw, ctx, p);
}

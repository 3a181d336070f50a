/* session_store: the browser sessions (see session_store.h): open, find, end, show. A store
 * module: db, settings, users, audit, crypto and dates only; the cookie is in api/sessions.c
 * and api/auth.c. */
#include "session_store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "role.h"
#include "users.h"

/* How stale a session's last use may get before a request refreshes it (a write). */
#define SESSION_TOUCH_AFTER_SECONDS 60

int session_store_factor_required(const char *role, const struct settings *settings)
{
    return role_needs_totp(role_parse(role)) || settings->require_totp_for_all;
}

int session_store_open(struct db *db, int64_t user_id, const char *second_factor,
                       const struct settings *settings, const struct op_context *ctx,
                       struct session_store_opened *out, struct problem *p)
{
    char token_hash[65];
    json_t *binds;
    int rc = 0;

    crypto_token(out->token);
    crypto_token(out->csrf_token);
    crypto_sha256_hex(out->token, strlen(out->token), token_hash);
    dates_format_utc(time(NULL) + (time_t)settings->session_absolute_hours * 3600, out->expires_at);
    binds = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "token_hash", token_hash, "user_id",
                      (json_int_t)user_id, "csrf_token", out->csrf_token, "second_factor",
                      second_factor, "now", ctx->now, "expires_at", out->expires_at);
    /* the new session, then the sessions past their absolute end */
    if (db_exec_json(db, SQL_SESSION_INSERT, binds, p) != 0 ||
        db_exec_json(db, SQL_SESSION_PRUNE, binds, p) != 0)
        rc = -1;
    json_decref(binds);
    return rc;
}

int session_store_find(struct db *db, const char *token, const char *now,
                       struct session_store_session *s, struct problem *p)
{
    struct settings settings;
    char token_hash[65], last_seen[TIMESTAMP_LEN] = "";
    json_t *binds;
    db_stmt *stmt;
    int rc = -1;

    memset(s, 0, sizeof(*s));
    if (settings_read(db, &settings, p) != 0)
        return -1;
    crypto_sha256_hex(token, strlen(token), token_hash);
    binds = json_pack("{s:s}", "token_hash", token_hash);
    stmt = db_prepare(db, SQL_SESSION_LOOKUP, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    if (db_step(stmt) == DB_ROW) {
        int64_t now_epoch = dates_epoch_of(now);
        const char *expires_at = db_row_text(stmt, "expires_at");

        snprintf(last_seen, sizeof(last_seen), "%s", db_row_text(stmt, "last_seen_at"));
        if (!db_row_int(stmt, "disabled") && dates_epoch_of(expires_at) > now_epoch &&
            dates_epoch_of(last_seen) + settings.session_idle_minutes * 60 > now_epoch) {
            s->id = db_row_int(stmt, "id");
            s->user_id = db_row_int(stmt, "user_id");
            snprintf(s->csrf_token, sizeof(s->csrf_token), "%s", db_row_text(stmt, "csrf_token"));
            snprintf(s->second_factor, sizeof(s->second_factor), "%s",
                     db_row_text(stmt, "second_factor"));
            snprintf(s->expires_at, sizeof(s->expires_at), "%s", expires_at);
            snprintf(s->email, sizeof(s->email), "%s", db_row_text(stmt, "email"));
            snprintf(s->role, sizeof(s->role), "%s", db_row_text(stmt, "role"));
            /* The second factor a session needs follows the user's role and the firm's setting
             * now, not at sign-in: a promoted user or a newly strict firm must enrol first. */
            if (strcmp(s->second_factor, "verified") != 0 &&
                session_store_factor_required(s->role, &settings))
                snprintf(s->second_factor, sizeof(s->second_factor), "not_enrolled");
        }
    }
    db_finish(stmt);
    stmt = NULL;
    rc = 0;
    if (s->id != 0 &&
        dates_epoch_of(now) - dates_epoch_of(last_seen) >= SESSION_TOUCH_AFTER_SECONDS) {
        json_t *touch = json_pack("{s:I, s:s}", "id", (json_int_t)s->id, "now", now);

        rc = db_exec_alone(db, SQL_SESSION_TOUCH, touch, p);
        json_decref(touch);
    }
out:
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

int session_store_end(struct db *db, int64_t id, int64_t user_id, const struct op_context *ctx,
                      struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id);
    int rc = -1;

    if (db_begin_write(db, p) == 0) {
        if (db_exec_json(db, SQL_SESSION_DELETE, binds, p) == 0 &&
            audit_append(db, ctx, "sign_out", "users", user_id, 0, NULL, p) == 0 &&
            db_commit(db, p) == 0)
            rc = 0;
        db_rollback(db);
    }
    json_decref(binds);
    return rc;
}

json_t *session_store_json(struct db *db, int64_t user_id, const char *csrf_token,
                           const char *second_factor, const char *expires_at, struct problem *p)
{
    json_t *user = users_read(db, user_id, p);

    if (user == NULL) {
        if (p->kind == PROBLEM_NOT_FOUND)
            problem_set(p, PROBLEM_INTERNAL, "the session's user is gone");
        return NULL;
    }
    /* The firm's zone ("system": the server's own, which the browser may not share) and locale,
     * so the dashboard shows dates as the firm reads them. */
    return json_pack("{s:o, s:s, s:s, s:s, s:{s:s?, s:s}}", "user", user, "csrf_token", csrf_token,
                     "second_factor", second_factor, "expires_at", expires_at, "firm", "time_zone",
                     strcmp(dates_timezone_name(), "system") == 0 ? NULL : dates_timezone_name(),
                     "locale", dates_locale_name());
}

json_t *session_store_read(struct db *db, int64_t user_id, const char *csrf_token,
                           const char *second_factor, const char *expires_at, struct problem *p)
{
    json_t *session = NULL;

    if (db_begin_read(db, p) == 0) {
        session = session_store_json(db, user_id, csrf_token, second_factor, expires_at, p);
        db_rollback(db);
    }
    return session;
}

/* auth: identifying the caller and the permission check. */
#include "auth.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "role.h"
#include "settings.h"

/* How stale a session's or key's "last used" may get before a request refreshes it (a write). */
#define TOUCH_AFTER_SECONDS 60

/* Set once at start, before any request thread runs. */
static const char *session_cookie = SESSION_COOKIE;

void auth_configure(int secure_cookies)
{
    session_cookie = secure_cookies ? SESSION_COOKIE_SECURE : SESSION_COOKIE;
}

const char *auth_session_cookie(void)
{
    return session_cookie;
}

const char *auth_permission_name(enum permission permission)
{
    static const char *const names[PERM__MAX] = {
        [PERM_PUBLIC] = "public", [PERM_SIGNED_IN] = "signed_in", [PERM_READ] = "read",
        [PERM_WRITE] = "write",   [PERM_ADMIN] = "admin",
    };

    return permission < PERM__MAX ? names[permission] : "admin";
}

/* Seconds since the epoch of a stored UTC timestamp (0 when it does not parse). */
static int64_t epoch_of(const char *timestamp)
{
    int64_t epoch = 0;

    if (timestamp == NULL || dates_parse_timestamp(timestamp, NULL, &epoch) != 0)
        return 0;
    return epoch;
}

/* Run a one-row UPDATE (touching a last-used time) in its own write transaction. */
static int touch(struct db *db, enum sql_id sql, int64_t id, const char *now, struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)id, "now", now);
    db_stmt *stmt;
    int rc = -1;

    if (db_begin_write(db, p) != 0)
        goto out;
    stmt = db_prepare(db, sql, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_DONE) {
        db_finish(stmt);
        rc = db_commit(db, p);
    } else {
        db_finish(stmt);
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "touch: %s", db_errmsg(db));
    }
    if (rc != 0)
        db_rollback(db);
out:
    json_decref(binds);
    return rc;
}

/* The value of cookie `name` in a Cookie header, copied into out (empty when absent). */
static void cookie_value(const char *header, const char *name, char *out, size_t out_size)
{
    size_t name_len = strlen(name);

    out[0] = '\0';
    while (header != NULL && *header) {
        while (*header == ' ' || *header == ';')
            header++;
        if (strncmp(header, name, name_len) == 0 && header[name_len] == '=') {
            size_t len = strcspn(header + name_len + 1, ";");

            if (len < out_size) {
                memcpy(out, header + name_len + 1, len);
                out[len] = '\0';
            }
            return;
        }
        header = strchr(header, ';');
    }
}

/* Identify an API key "pt_<prefix>_<secret>". */
static int identify_key(struct db *db, const char *key, const char *now,
                        struct principal *principal, struct problem *p)
{
    char prefix[32], secret_hash[65];
    const char *secret;
    json_t *binds;
    db_stmt *stmt;
    size_t prefix_len;
    int rc = 0;

    if (strncmp(key, "pt_", 3) != 0)
        return 0;
    prefix_len = strcspn(key + 3, "_");
    if (prefix_len == 0 || prefix_len >= sizeof(prefix) || key[3 + prefix_len] != '_')
        return 0;
    memcpy(prefix, key + 3, prefix_len);
    prefix[prefix_len] = '\0';
    secret = key + 3 + prefix_len + 1;
    crypto_sha256_hex(secret, strlen(secret), secret_hash);
    binds = json_pack("{s:s}", "prefix", prefix);
    stmt = db_prepare(db, SQL_KEY_BY_PREFIX, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0) {
        rc = -1;
        goto out;
    }
    if (db_step(stmt) == DB_ROW && crypto_equal(db_column_text(stmt, 3), secret_hash)) {
        char last_used_copy[TIMESTAMP_LEN] = "";
        const char *last_used = NULL;
        int64_t id = db_column_int(stmt, 0);

        if (!db_column_is_null(stmt, 4)) {
            snprintf(last_used_copy, sizeof(last_used_copy), "%s", db_column_text(stmt, 4));
            last_used = last_used_copy;
        }

        principal->kind = PRINCIPAL_KEY;
        principal->key_id = id;
        snprintf(principal->key_name, sizeof(principal->key_name), "%s", db_column_text(stmt, 1));
        principal->key_can_write = strstr(db_column_text(stmt, 2), "\"write\"") != NULL;
        db_finish(stmt);
        stmt = NULL;
        if (last_used == NULL || epoch_of(now) - epoch_of(last_used) >= TOUCH_AFTER_SECONDS)
            rc = touch(db, SQL_KEY_TOUCH, id, now, p);
    }
out:
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

/* Identify a session from its cookie token. */
static int identify_session(struct db *db, const char *token, const char *now,
                            struct principal *principal, struct problem *p)
{
    struct settings settings;
    char token_hash[65], last_seen[TIMESTAMP_LEN];
    json_t *binds;
    db_stmt *stmt;
    int rc = -1;
    int64_t session_id = 0;

    if (settings_read(db, &settings, p) != 0)
        return -1;
    crypto_sha256_hex(token, strlen(token), token_hash);
    binds = json_pack("{s:s}", "token_hash", token_hash);
    stmt = db_prepare(db, SQL_SESSION_LOOKUP, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    if (db_step(stmt) == DB_ROW) {
        int64_t now_epoch = epoch_of(now);
        int disabled = (int)db_column_int(stmt, 8);

        snprintf(last_seen, sizeof(last_seen), "%s", db_column_text(stmt, 4));
        if (!disabled && epoch_of(db_column_text(stmt, 5)) > now_epoch &&
            epoch_of(last_seen) + settings.session_idle_minutes * 60 > now_epoch) {
            principal->kind = PRINCIPAL_SESSION;
            session_id = principal->session_id = db_column_int(stmt, 0);
            principal->user_id = db_column_int(stmt, 1);
            snprintf(principal->csrf_token, sizeof(principal->csrf_token), "%s",
                     db_column_text(stmt, 2));
            snprintf(principal->second_factor, sizeof(principal->second_factor), "%s",
                     db_column_text(stmt, 3));
            snprintf(principal->expires_at, sizeof(principal->expires_at), "%s",
                     db_column_text(stmt, 5));
            snprintf(principal->email, sizeof(principal->email), "%s", db_column_text(stmt, 6));
            snprintf(principal->role, sizeof(principal->role), "%s", db_column_text(stmt, 7));
            /* The second factor a session needs follows the user's role and the firm's setting
             * now, not at sign-in: a promoted user or a newly strict firm must enrol first. */
            if (strcmp(principal->second_factor, "verified") != 0 &&
                (role_needs_totp(role_parse(principal->role)) || settings.require_totp_for_all))
                snprintf(principal->second_factor, sizeof(principal->second_factor),
                         "not_enrolled");
        }
    }
    db_finish(stmt);
    stmt = NULL;
    rc = 0;
    if (session_id != 0 && epoch_of(now) - epoch_of(last_seen) >= TOUCH_AFTER_SECONDS)
        rc = touch(db, SQL_SESSION_TOUCH, session_id, now, p);
out:
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

int auth_identify(struct db *db, const struct call_request *request, const char *now,
                  struct principal *principal, struct problem *p)
{
    char token[128];

    memset(principal, 0, sizeof(*principal));
    if (request->authorization != NULL && strncmp(request->authorization, "Bearer ", 7) == 0)
        return identify_key(db, request->authorization + 7, now, principal, p);
    cookie_value(request->cookie, session_cookie, token, sizeof(token));
    if (token[0] == '\0')
        return 0;
    return identify_session(db, token, now, principal, p);
}

/* True for the methods that change something. */
static int unsafe_method(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

int auth_allow(const struct principal *principal, enum permission permission, int enrolment_ok,
               const struct call_request *request, struct problem *p)
{
    int is_session = principal->kind == PRINCIPAL_SESSION;

    if (permission == PERM_PUBLIC)
        return 0;
    if (principal->kind == PRINCIPAL_NONE)
        return problem_set(p, PROBLEM_UNAUTHENTICATED,
                           "sign in, or send an API key as Authorization: Bearer");
    if (is_session && unsafe_method(request->method) &&
        (request->csrf_token == NULL || !crypto_equal(request->csrf_token, principal->csrf_token)))
        return problem_set(p, PROBLEM_CSRF,
                           "send the session's CSRF token in the X-CSRF-Token header");
    if (is_session && strcmp(principal->second_factor, "not_enrolled") == 0 && !enrolment_ok)
        return problem_set(p, PROBLEM_ENROLMENT_REQUIRED,
                           "your role needs a second factor: set up an authenticator app at "
                           "POST /api/v1/me/totp first");
    switch (permission) {
    case PERM_SIGNED_IN:
        if (is_session)
            return 0;
        break;
    case PERM_READ:
        return 0;
    case PERM_WRITE:
        if (is_session ? role_may_write(role_parse(principal->role)) : principal->key_can_write)
            return 0;
        break;
    case PERM_ADMIN:
        if (is_session && strcmp(principal->role, "admin") == 0)
            return 0;
        break;
    case PERM_PUBLIC:
    case PERM__MAX:
        break;
    }
    return problem_set(p, PROBLEM_FORBIDDEN, "%s may not do this",
                       is_session ? "your role" : "this API key");
}

void auth_set_actor(const struct principal *principal, struct op_context *ctx)
{
    if (principal->kind == PRINCIPAL_SESSION) {
        ctx->actor.type = ACTOR_USER;
        ctx->actor.id = principal->user_id;
        snprintf(ctx->actor.label, sizeof(ctx->actor.label), "%s", principal->email);
    } else if (principal->kind == PRINCIPAL_KEY) {
        ctx->actor.type = ACTOR_API_KEY;
        ctx->actor.id = principal->key_id;
        snprintf(ctx->actor.label, sizeof(ctx->actor.label), "%s", principal->key_name);
    }
}

/* sessions: sign-in, sessions and TOTP enrolment. Attempts are counted and refused by
 * signin_throttle; the signed-in password re-check is users_confirm_password. */
#include "sessions.h"
#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "client_address.h"
#include "crypto.h"
#include "fields.h"
#include "resource.h"
#include "role.h"
#include "settings.h"
#include "signin_throttle.h"
#include "totp.h"
#include "users.h"

static int secure_cookies;

void sessions_configure(int secure)
{
    secure_cookies = secure;
    auth_configure(secure);
}

/* What the sign-in needs to know of a user. */
struct sign_in_user {
    int64_t id;
    char email[256];
    char role[16];
    int disabled;
    char password_hash[CRYPTO_PASSWORD_HASH_LEN];
    int totp_enabled;
    char totp_secret[256]; /* sealed */
    int64_t totp_last_step;
    char row_nonce[CRYPTO_ROW_NONCE_LEN + 1]; /* bound into its sealed secrets */
};

/* Load a user's sign-in data. Returns 1 when found, 0 when not, -1 on error. */
static int load_user(struct db *db, int64_t id, struct sign_in_user *u, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id);
    db_stmt *stmt = db_prepare(db, SQL_USER_SECRETS, p);
    int found = -1;

    memset(u, 0, sizeof(*u));
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        enum db_step step = db_step(stmt);

        found = step == DB_ROW ? 1 : (step == DB_DONE ? 0 : -1);
        if (found == 1) {
            u->id = db_column_int(stmt, 0);
            snprintf(u->email, sizeof(u->email), "%s", db_column_text(stmt, 1));
            snprintf(u->role, sizeof(u->role), "%s", db_column_text(stmt, 3));
            u->disabled = (int)db_column_int(stmt, 4);
            snprintf(u->password_hash, sizeof(u->password_hash), "%s", db_column_text(stmt, 5));
            u->totp_enabled = (int)db_column_int(stmt, 6);
            if (!db_column_is_null(stmt, 7))
                snprintf(u->totp_secret, sizeof(u->totp_secret), "%s", db_column_text(stmt, 7));
            u->totp_last_step = db_column_int(stmt, 9);
            if (!db_column_is_null(stmt, 10))
                snprintf(u->row_nonce, sizeof(u->row_nonce), "%s", db_column_text(stmt, 10));
        }
    }
    if (found < 0 && p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_INTERNAL, "user_secrets: %s", db_errmsg(db));
    db_finish(stmt);
    json_decref(binds);
    return found;
}

/* The changes an audited sign-in records: the client's address, and what else is given
 * (borrowed, may be NULL). Returns a new object. */
static json_t *sign_in_changes(const char *address, const json_t *more)
{
    json_t *changes = more ? json_deep_copy(more) : json_object();

    json_object_set_new(
        changes, "address",
        json_pack("{s:n, s:s}", "before", "after", address ? address : CLIENT_ADDRESS_UNKNOWN));
    return changes;
}

/* Audit a failed sign-in from the client's address, in its own transaction with the throttle
 * marking the claimed attempt as failed now (signin_throttle_fail). Errors are logged. */
static void record_failure(struct db *db, int64_t claim, const char *address, int64_t user_id,
                           const char *reason, const struct op_context *ctx)
{
    struct problem p;
    json_t *reason_change = json_pack("{s:{s:n, s:s}}", "reason", "before", "after", reason);
    json_t *changes = sign_in_changes(address, reason_change);

    problem_init(&p);
    if (db_begin_write(db, &p) == 0) {
        if (signin_throttle_fail(db, claim, &p) == 0 &&
            audit_append(db, ctx, "sign_in_failed", "users", user_id, 0, changes, &p) == 0)
            db_commit(db, &p);
        db_rollback(db);
    }
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: recording a failed sign-in: %s\n", p.detail);
    problem_clear(&p);
    json_decref(changes);
    json_decref(reason_change);
}

/* True when the sign-in body carries a TOTP code or a recovery code. */
static int second_factor_given(const json_t *record)
{
    const json_t *code = json_object_get(record, "totp_code"),
                 *recovery = json_object_get(record, "recovery_code");

    return (code != NULL && !json_is_null(code)) || (recovery != NULL && !json_is_null(recovery));
}

/* Forget a counted attempt that turned out not to be a failure (signin_throttle_release, its
 * own transaction). Errors are logged. */
static void release_attempt(struct db *db, int64_t claim)
{
    struct problem p;

    problem_init(&p);
    if (signin_throttle_release(db, claim, &p) != 0)
        fprintf(stderr, "paroletrack: releasing a sign-in attempt: %s\n", p.detail);
    problem_clear(&p);
}

/* Decode the sealed hex TOTP secret of a user into raw bytes. Returns the length or -1. */
static int unseal_totp(const char *column, int64_t user_id, const char *row_nonce,
                       const char *sealed, unsigned char raw[TOTP_SECRET_BYTES])
{
    char *hex = crypto_field_decrypt("users", column, user_id, row_nonce, sealed);
    int n = -1;

    if (hex != NULL && strlen(hex) == TOTP_SECRET_BYTES * 2) {
        n = TOTP_SECRET_BYTES;
        for (int i = 0; i < TOTP_SECRET_BYTES; i++) {
            unsigned int byte;

            if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
                n = -1;
            raw[i] = (unsigned char)byte;
        }
    }
    if (hex != NULL) {
        crypto_wipe_string(hex);
        free(hex);
    }
    return n;
}

/* Check a second factor inside the sign-in's write transaction: a TOTP code (usable once) or
 * a recovery code (usable once). Returns 1 when accepted, 0 when not, -1 on error. */
static int check_second_factor(struct db *db, const struct sign_in_user *u, const char *code,
                               const char *recovery, const struct op_context *ctx,
                               struct problem *p)
{
    unsigned char raw[TOTP_SECRET_BYTES];
    int64_t step = 0;
    int ok = 0;

    if (code != NULL) {
        if (unseal_totp("totp_secret", u->id, u->row_nonce, u->totp_secret, raw) < 0)
            return problem_set(p, PROBLEM_INTERNAL, "the TOTP secret does not open");
        if (totp_verify(raw, sizeof(raw), code, time(NULL), u->totp_last_step, &step) == 0) {
            json_t *binds =
                json_pack("{s:I, s:I}", "id", (json_int_t)u->id, "step", (json_int_t)step);

            ok = db_exec_json(db, SQL_USER_SET_TOTP_STEP, binds, p) == 0 ? 1 : -1;
            json_decref(binds);
        }
        crypto_wipe(raw, sizeof(raw));
    } else if (recovery != NULL) {
        char normalized[RECOVERY_CODE_SIZE];
        json_t *binds = json_pack("{s:I}", "user_id", (json_int_t)u->id);
        db_stmt *stmt;
        int64_t match = 0;

        if (recovery_code_normalize(recovery, normalized) != 0) {
            json_decref(binds);
            return 0;
        }
        /* every unused code is compared (no early exit), each in constant time */
        stmt = db_prepare(db, SQL_RECOVERY_UNUSED, p);
        if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
            while (db_step(stmt) == DB_ROW)
                if (recovery_code_matches(db_column_text(stmt, 1), normalized))
                    match = db_column_int(stmt, 0);
        crypto_wipe(normalized, sizeof(normalized));
        db_finish(stmt);
        json_decref(binds);
        if (match != 0) {
            binds = json_pack("{s:I, s:s}", "id", (json_int_t)match, "now", ctx->now);
            ok = db_exec_json(db, SQL_RECOVERY_USE, binds, p) == 0 ? 1 : -1;
            json_decref(binds);
        }
    }
    return ok;
}

/* The session reply: user, CSRF token, second-factor state, absolute expiry. */
static json_t *session_json(struct db *db, int64_t user_id, const char *csrf,
                            const char *second_factor, const char *expires_at, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)user_id), *user = NULL;
    static const char *const bools[] = {"disabled", "totp_enabled", NULL};
    db_stmt *stmt = db_prepare(db, SQL_USER_GET, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW)
        user = db_row_to_json(stmt, bools, NULL);
    db_finish(stmt);
    json_decref(binds);
    if (user == NULL) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "the session's user is gone");
        return NULL;
    }
    /* The firm's zone ("system": the server's own, which the browser may not share) and locale,
     * so the dashboard shows dates as the firm reads them. */
    return json_pack("{s:o, s:s, s:s, s:s, s:{s:s?, s:s}}", "user", user, "csrf_token", csrf,
                     "second_factor", second_factor, "expires_at", expires_at, "firm", "time_zone",
                     strcmp(dates_timezone_name(), "system") == 0 ? NULL : dates_timezone_name(),
                     "locale", dates_locale_name());
}

void sessions_sign_in(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "email", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 254},
        {.name = "password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
        {.name = "totp_code", .type = FIELD_TEXT, .max_chars = 16},
        {.name = "recovery_code", .type = FIELD_TEXT, .max_chars = 64},
    };
    static const struct field_table table = {fields, 4, NULL};
    struct problem *p = &call->p;
    struct sign_in_user u;
    struct settings settings;
    json_t *body = call_parse_body(call->request, 0, p), *record = NULL, *binds = NULL;
    json_t *session = NULL;
    char token[CRYPTO_TOKEN_LEN + 1], token_hash[65], csrf[CRYPTO_TOKEN_LEN + 1];
    char expires_at[TIMESTAMP_LEN], new_hash[CRYPTO_PASSWORD_HASH_LEN] = "";
    json_t *recovery_note = NULL, *changes = NULL;
    int used_recovery = 0;
    const char *email, *password, *address = call->request->client_address;
    const char *second_factor;
    int64_t user_id = 0, claim = 0;
    int found = 0, wait, password_ok;
    time_t now = time(NULL);

    memset(&u, 0, sizeof(u));
    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, p);
    if (record == NULL || problem_finish_checks(p) != 0)
        goto out;
    email = json_string_value(json_object_get(record, "email"));
    password = json_string_value(json_object_get(record, "password"));
    if (signin_throttle_claim(call->db, email, address, &wait, &claim, p) != 0)
        goto out;
    if (wait == 0 && db_begin_read(call->db, p) == 0) {
        if (settings_read(call->db, &settings, p) == 0 &&
            users_find(call->db, email, &user_id, p) == 0 && user_id != 0)
            found = load_user(call->db, user_id, &u, p);
        db_rollback(call->db);
    }
    if (wait < 0 || found < 0 || p->kind != PROBLEM_NONE)
        goto out;
    if (wait > 0) {
        reply->retry_after = wait;
        problem_set(p, PROBLEM_TOO_MANY_ATTEMPTS,
                    "too many failed sign-ins; try again in %d seconds", wait);
        goto out;
    }
    /* The same work and the same answer for an unknown e-mail, a wrong password and a
     * disabled account: nothing tells them apart. */
    password_ok = crypto_password_verify(found ? u.password_hash : NULL, password);
    if (!password_ok || u.disabled) {
        record_failure(call->db, claim, address, found ? u.id : 0,
                       !found ? "unknown e-mail" : (u.disabled ? "disabled" : "wrong password"),
                       &call->ctx);
        problem_set(p, PROBLEM_INVALID_CREDENTIALS, "wrong e-mail or password");
        goto out;
    }
    crypto_token(token);
    crypto_token(csrf);
    crypto_sha256_hex(token, strlen(token), token_hash);
    dates_format_utc(now + (time_t)settings.session_absolute_hours * 3600, expires_at);
    call->ctx.actor.type = ACTOR_USER;
    call->ctx.actor.id = u.id;
    snprintf(call->ctx.actor.label, sizeof(call->ctx.actor.label), "%s", u.email);
    /* A hash made with older parameters is replaced now that the password is known (made
     * before taking the write lock; stored in the sign-in's transaction). */
    if (crypto_password_needs_rehash(u.password_hash) &&
        crypto_password_hash(password, new_hash) != 0)
        new_hash[0] = '\0';
    if (db_begin_write(call->db, p) != 0)
        goto out;
    if (u.totp_enabled) {
        int accepted;

        /* re-read the last used step inside the transaction: a code works once */
        if (load_user(call->db, u.id, &u, p) != 1)
            goto fail;
        accepted = check_second_factor(
            call->db, &u, json_string_value(json_object_get(record, "totp_code")),
            json_string_value(json_object_get(record, "recovery_code")), &call->ctx, p);
        if (accepted < 0)
            goto fail;
        if (accepted == 0) {
            db_rollback(call->db);
            /* The right password and no code yet is the first step of every sign-in with an
             * authenticator (the dashboard asks for the code next): not a failure, so the
             * attempt is released; a wrong code is one. */
            if (second_factor_given(record))
                record_failure(call->db, claim, address, u.id, "second factor", &call->ctx);
            else
                release_attempt(call->db, claim);
            problem_add_field(p, "totp_code",
                              "send the current code from the authenticator app "
                              "(or a recovery code as recovery_code)");
            problem_set(p, PROBLEM_SECOND_FACTOR_REQUIRED,
                        "this account needs a code from its authenticator app");
            goto out;
        }
        second_factor = "verified";
        used_recovery = json_object_get(record, "totp_code") == NULL ||
                        json_is_null(json_object_get(record, "totp_code"));
        if (used_recovery)
            recovery_note =
                json_pack("{s:{s:n, s:s}}", "second_factor", "before", "after", "recovery_code");
    } else if (role_needs_totp(role_parse(u.role)) || settings.require_totp_for_all) {
        second_factor = "not_enrolled";
    } else {
        second_factor = "not_required";
    }
    binds = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "token_hash", token_hash, "user_id",
                      (json_int_t)u.id, "csrf_token", csrf, "second_factor", second_factor, "now",
                      call->ctx.now, "expires_at", expires_at);
    if (db_exec_json(call->db, SQL_SESSION_INSERT, binds, p) != 0 ||
        db_exec_json(call->db, SQL_SESSION_PRUNE, binds, p) !=
            0) /* sessions past their absolute end */
        goto fail;
    json_decref(binds);
    binds = json_pack("{s:I, s:s}", "id", (json_int_t)u.id, "password_hash", new_hash);
    if ((new_hash[0] && db_exec_json(call->db, SQL_USER_REHASH, binds, p) != 0) ||
        signin_throttle_clear(call->db, email, address, p) != 0)
        goto fail;
    changes = sign_in_changes(address, used_recovery ? recovery_note : NULL);
    if (audit_append(call->db, &call->ctx, "sign_in", "users", u.id, 0, changes, p) != 0)
        goto fail;
    session = session_json(call->db, u.id, csrf, second_factor, expires_at, p);
    if (session == NULL || db_commit(call->db, p) != 0)
        goto fail;
    snprintf(reply->set_cookie, sizeof(reply->set_cookie),
             "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", auth_session_cookie(), token,
             secure_cookies ? "; Secure" : "");
    call_reply_json(reply, 201, session);
    session = NULL;
    goto out;
fail:
    db_rollback(call->db);
out:
    crypto_wipe(&u, sizeof(u));
    crypto_wipe(token, sizeof(token));
    crypto_wipe(new_hash, sizeof(new_hash));
    json_decref(recovery_note);
    json_decref(changes);
    json_decref(session);
    json_decref(binds);
    json_decref(record);
    json_decref(body);
}

void sessions_get(struct call *call, struct call_reply *reply)
{
    json_t *session = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        session =
            session_json(call->db, call->principal->user_id, call->principal->csrf_token,
                         call->principal->second_factor, call->principal->expires_at, &call->p);
        db_rollback(call->db);
    }
    if (session != NULL)
        call_reply_json(reply, 200, session);
}

void sessions_sign_out(struct call *call, struct call_reply *reply)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)call->principal->session_id);

    if (db_begin_write(call->db, &call->p) == 0) {
        if (db_exec_json(call->db, SQL_SESSION_DELETE, binds, &call->p) == 0 &&
            audit_append(call->db, &call->ctx, "sign_out", "users", call->principal->user_id, 0,
                         NULL, &call->p) == 0 &&
            db_commit(call->db, &call->p) == 0) {
            reply->status = 204;
            snprintf(reply->set_cookie, sizeof(reply->set_cookie),
                     "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", auth_session_cookie(),
                     secure_cookies ? "; Secure" : "");
        }
        db_rollback(call->db);
    }
    json_decref(binds);
}

void sessions_totp_begin(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
    };
    static const struct field_table table = {fields, 1, NULL};
    unsigned char raw[TOTP_SECRET_BYTES];
    char base32[TOTP_BASE32_SIZE], hex[TOTP_SECRET_BYTES * 2 + 1], uri[1024];
    struct sign_in_user u;
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL, *binds = NULL;
    char *sealed = NULL;

    crypto_wipe(&u, sizeof(u));
    crypto_wipe(raw, sizeof(raw));
    crypto_wipe(hex, sizeof(hex));
    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, &call->p);
    if (record == NULL || problem_finish_checks(&call->p) != 0 ||
        users_confirm_password(call->db, call->principal->user_id, call->principal->email,
                               call->request->client_address,
                               json_string_value(json_object_get(record, "password")), "password",
                               "wrong password setting up an authenticator app", &call->ctx,
                               &call->p) != 0)
        goto out;
    if (db_begin_write(call->db, &call->p) != 0)
        goto out;
    if (load_user(call->db, call->principal->user_id, &u, &call->p) != 1)
        goto fail;
    if (u.totp_enabled) {
        problem_set(&call->p, PROBLEM_CONFLICT, "an authenticator app is already set up");
        goto fail;
    }
    if (totp_new_secret(raw, base32) != 0 || totp_uri(u.email, base32, uri, sizeof(uri)) != 0) {
        problem_set(&call->p, PROBLEM_INTERNAL, "cannot make a TOTP secret");
        goto fail;
    }
    for (int i = 0; i < TOTP_SECRET_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    sealed = crypto_field_encrypt("users", "totp_pending_secret", u.id, u.row_nonce, hex);
    binds = json_pack("{s:I, s:s}", "id", (json_int_t)u.id, "secret", sealed ? sealed : "");
    if (sealed == NULL || db_exec_json(call->db, SQL_USER_SET_TOTP_PENDING, binds, &call->p) != 0 ||
        db_commit(call->db, &call->p) != 0)
        goto fail;
    call_reply_json(reply, 201, json_pack("{s:s, s:s}", "secret", base32, "otpauth_uri", uri));
    goto out;
fail:
    db_rollback(call->db);
out:
    crypto_wipe(raw, sizeof(raw));
    crypto_wipe(hex, sizeof(hex));
    crypto_wipe(&u, sizeof(u));
    free(sealed);
    json_decref(binds);
    json_decref(record);
    json_decref(body);
}

void sessions_totp_confirm(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "code", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 16},
    };
    static const struct field_table table = {fields, 1, NULL};
    unsigned char raw[TOTP_SECRET_BYTES];
    char pending[256] = "", codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    char hex[TOTP_SECRET_BYTES * 2 + 1];
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL, *binds = NULL;
    json_t *list = NULL;
    struct sign_in_user u;
    db_stmt *stmt;
    char *sealed = NULL;
    int64_t step = 0;

    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, &call->p);
    if (record == NULL || problem_finish_checks(&call->p) != 0)
        goto out;
    if (db_begin_write(call->db, &call->p) != 0)
        goto out;
    if (load_user(call->db, call->principal->user_id, &u, &call->p) != 1)
        goto fail;
    binds = json_pack("{s:I}", "id", (json_int_t)u.id);
    stmt = db_prepare(call->db, SQL_USER_SECRETS, &call->p);
    if (stmt != NULL && db_bind_json(stmt, binds, &call->p) == 0 && db_step(stmt) == DB_ROW &&
        !db_column_is_null(stmt, 8))
        snprintf(pending, sizeof(pending), "%s", db_column_text(stmt, 8));
    db_finish(stmt);
    json_decref(binds);
    binds = NULL;
    if (u.totp_enabled || pending[0] == '\0') {
        problem_set(&call->p, PROBLEM_CONFLICT,
                    u.totp_enabled ? "an authenticator app is already set up"
                                   : "start with POST /api/v1/me/totp");
        goto fail;
    }
    if (unseal_totp("totp_pending_secret", u.id, u.row_nonce, pending, raw) < 0) {
        problem_set(&call->p, PROBLEM_INTERNAL, "the pending TOTP secret does not open");
        goto fail;
    }
    if (totp_verify(raw, sizeof(raw), json_string_value(json_object_get(record, "code")),
                    time(NULL), -1, &step) != 0) {
        problem_add_field(&call->p, "code", "is not the current code of the authenticator app");
        problem_finish_checks(&call->p);
        goto fail;
    }
    for (int i = 0; i < TOTP_SECRET_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    sealed = crypto_field_encrypt("users", "totp_secret", u.id, u.row_nonce, hex);
    binds = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)u.id, "step", (json_int_t)step,
                      "secret", sealed ? sealed : "", "now", call->ctx.now);
    if (sealed == NULL || db_exec_json(call->db, SQL_USER_ENABLE_TOTP, binds, &call->p) != 0)
        goto fail;
    json_decref(binds);
    binds = json_pack("{s:I}", "user_id", (json_int_t)u.id);
    if (db_exec_json(call->db, SQL_RECOVERY_DELETE_ALL, binds, &call->p) != 0)
        goto fail;
    recovery_codes_new(codes, RECOVERY_CODE_COUNT);
    list = json_array();
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
        char hash[RECOVERY_HASH_SIZE];

        recovery_code_hash(codes[i], hash);
        json_decref(binds);
        binds = json_pack("{s:I, s:s}", "user_id", (json_int_t)u.id, "code_hash", hash);
        if (db_exec_json(call->db, SQL_RECOVERY_INSERT, binds, &call->p) != 0)
            goto fail;
        json_array_append_new(list, json_string(codes[i]));
    }
    json_decref(binds);
    /* The session that confirmed becomes verified; every other session of the user ends (one
     * opened with a stolen password must sign in again, now with the second factor). */
    binds = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)call->principal->session_id, "user_id",
                      (json_int_t)u.id, "second_factor", "verified");
    if (db_exec_json(call->db, SQL_SESSION_SET_FACTOR, binds, &call->p) != 0 ||
        db_exec_json(call->db, SQL_SESSION_DELETE_USER_OTHERS, binds, &call->p) != 0 ||
        audit_append(call->db, &call->ctx, "totp_enable", "users", u.id, 0, NULL, &call->p) != 0 ||
        db_commit(call->db, &call->p) != 0)
        goto fail;
    call_reply_json(reply, 200, json_pack("{s:O}", "recovery_codes", list));
    goto out;
fail:
    db_rollback(call->db);
out:
    crypto_wipe(raw, sizeof(raw));
    crypto_wipe(hex, sizeof(hex));
    crypto_wipe(codes, sizeof(codes));
    free(sealed);
    json_decref(list);
    json_decref(binds);
    json_decref(record);
    json_decref(body);
}

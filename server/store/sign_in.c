/* sign_in: signing in and enrolling a second factor as store operations (see sign_in.h). A
 * store module: db, signin_throttle, session_store, users, settings, audit, crypto and totp
 * only; the HTTP side (body, cookie, reply) is api/sessions.c. */
#include "sign_in.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "client_address.h"
#include "qr.h"
#include "session_store.h"
#include "settings.h"
#include "signin_throttle.h"
#include "totp.h"
#include "users.h"
#include "write.h"

/* What the sign-in and the enrolment need to know of a user. */
struct sign_in_user {
    int64_t id;
    char email[256];
    char role[16];
    int disabled;
    char password_hash[CRYPTO_PASSWORD_HASH_LEN];
    int totp_enabled;
    char totp_secret[256];         /* sealed */
    char totp_pending_secret[256]; /* sealed; "" when no enrolment is pending */
    int64_t totp_last_step;
    char row_nonce[CRYPTO_ROW_NONCE_LEN + 1]; /* bound into its sealed secrets */
};

/* Copy text column `name` of the current row into out ("" for NULL). */
static void copy_column(db_stmt *stmt, const char *name, char *out, size_t out_size)
{
    const char *text = db_row_text(stmt, name);

    snprintf(out, out_size, "%s", text ? text : "");
}

/* Load a user's sign-in data (SQL_USER_SECRETS, columns by name) inside the caller's
 * transaction. Returns 1 when found, 0 when not, -1 with *p set. */
static int load_user(struct db *db, int64_t id, struct sign_in_user *u, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id);
    db_stmt *stmt = db_prepare(db, SQL_USER_SECRETS, p);
    int found = -1;

    crypto_wipe(u, sizeof(*u));
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        enum db_step step = db_step(stmt);

        found = step == DB_ROW ? 1 : (step == DB_DONE ? 0 : -1);
        if (found == 1) {
            u->id = db_row_int(stmt, "id");
            copy_column(stmt, "email", u->email, sizeof(u->email));
            copy_column(stmt, "role", u->role, sizeof(u->role));
            u->disabled = (int)db_row_int(stmt, "disabled");
            copy_column(stmt, "password_hash", u->password_hash, sizeof(u->password_hash));
            u->totp_enabled = (int)db_row_int(stmt, "totp_enabled");
            copy_column(stmt, "totp_secret", u->totp_secret, sizeof(u->totp_secret));
            copy_column(stmt, "totp_pending_secret", u->totp_pending_secret,
                        sizeof(u->totp_pending_secret));
            u->totp_last_step = db_row_int(stmt, "totp_last_step");
            copy_column(stmt, "row_nonce", u->row_nonce, sizeof(u->row_nonce));
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

/* Seal raw TOTP secret bytes as hex for column `column` of user u. Returns the sealed text
 * (caller frees) or NULL. */
static char *seal_totp(const char *column, const struct sign_in_user *u,
                       const unsigned char raw[TOTP_SECRET_BYTES])
{
    char hex[TOTP_SECRET_BYTES * 2 + 1];
    char *sealed;

    for (int i = 0; i < TOTP_SECRET_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    sealed = crypto_field_encrypt("users", column, u->id, u->row_nonce, hex);
    crypto_wipe(hex, sizeof(hex));
    return sealed;
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
                if (recovery_code_matches(db_row_text(stmt, "code_hash"), normalized))
                    match = db_row_int(stmt, "id");
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

/* Count the attempt and read the firm's settings and the user asked for. Returns 0 with *found
 * (1 or 0, u filled when 1), or -1 with *p set (429 with p->retry_after when the pair must
 * wait; nothing was counted then). */
static int claim_and_load(struct db *db, const struct sign_in_input *in, int64_t *claim,
                          struct settings *settings, struct sign_in_user *u, int *found,
                          struct problem *p)
{
    int64_t user_id = 0;
    int wait;

    *found = 0;
    if (signin_throttle_claim(db, in->email, in->address, &wait, claim, p) != 0)
        return -1;
    if (wait == 0 && db_begin_read(db, p) == 0) {
        if (settings_read(db, settings, p) == 0 && users_find(db, in->email, &user_id, p) == 0 &&
            user_id != 0)
            *found = load_user(db, user_id, u, p);
        db_rollback(db);
    }
    if (wait < 0 || *found < 0 || p->kind != PROBLEM_NONE)
        return -1;
    if (wait > 0) {
        p->retry_after = wait;
        return problem_set(p, PROBLEM_TOO_MANY_ATTEMPTS,
                           "too many failed sign-ins; try again in %d seconds", wait);
    }
    return 0;
}

int sign_in_attempt(struct db *db, const struct op_context *ctx, const struct sign_in_input *in,
                    struct sign_in_result *result, struct problem *p)
{
    struct sign_in_user u;
    struct settings settings;
    struct session_store_opened opened;
    struct op_context as_user = *ctx;
    char new_hash[CRYPTO_PASSWORD_HASH_LEN] = "";
    json_t *recovery_note = NULL, *changes = NULL, *binds = NULL, *session = NULL;
    const char *second_factor;
    int64_t claim = 0;
    int found = 0, rc = -1;

    crypto_wipe(&u, sizeof(u));
    crypto_wipe(&opened, sizeof(opened));
    crypto_wipe(result, sizeof(*result));
    if (claim_and_load(db, in, &claim, &settings, &u, &found, p) != 0)
        goto out;
    /* The same work and the same answer for an unknown e-mail, a wrong password and a
     * disabled account: nothing tells them apart. */
    if (!crypto_password_verify(found ? u.password_hash : NULL, in->password) || u.disabled) {
        record_failure(db, claim, in->address, found ? u.id : 0,
                       !found ? "unknown e-mail" : (u.disabled ? "disabled" : "wrong password"),
                       ctx);
        problem_set(p, PROBLEM_INVALID_CREDENTIALS, "wrong e-mail or password");
        goto out;
    }
    as_user.actor.type = ACTOR_USER;
    as_user.actor.id = u.id;
    snprintf(as_user.actor.label, sizeof(as_user.actor.label), "%s", u.email);
    /* A hash made with older parameters is replaced now that the password is known (made
     * before taking the write lock; stored in the sign-in's transaction). */
    if (crypto_password_needs_rehash(u.password_hash) &&
        crypto_password_hash(in->password, new_hash) != 0)
        new_hash[0] = '\0';
    if (db_begin_write(db, p) != 0)
        goto out;
    if (u.totp_enabled) {
        int accepted;

        /* re-read the last used step inside the transaction: a code works once */
        if (load_user(db, u.id, &u, p) != 1)
            goto fail;
        accepted = check_second_factor(db, &u, in->totp_code, in->recovery_code, &as_user, p);
        if (accepted < 0)
            goto fail;
        if (accepted == 0) {
            db_rollback(db);
            /* The right password and no code yet is the first step of every sign-in with an
             * authenticator (the dashboard asks for the code next): not a failure, so the
             * attempt is released; a wrong code is one. */
            if (in->totp_code != NULL || in->recovery_code != NULL)
                record_failure(db, claim, in->address, u.id, "second factor", &as_user);
            else
                release_attempt(db, claim);
            problem_add_field(p, "totp_code",
                              "send the current code from the authenticator app "
                              "(or a recovery code as recovery_code)");
            problem_set(p, PROBLEM_SECOND_FACTOR_REQUIRED,
                        "this account needs a code from its authenticator app");
            goto out;
        }
        second_factor = "verified";
        if (in->totp_code == NULL)
            recovery_note =
                json_pack("{s:{s:n, s:s}}", "second_factor", "before", "after", "recovery_code");
    } else if (session_store_factor_required(u.role, &settings)) {
        second_factor = "not_enrolled";
    } else {
        second_factor = "not_required";
    }
    if (session_store_open(db, u.id, second_factor, &settings, &as_user, &opened, p) != 0)
        goto fail;
    binds = json_pack("{s:I, s:s}", "id", (json_int_t)u.id, "password_hash", new_hash);
    if ((new_hash[0] && db_exec_json(db, SQL_USER_REHASH, binds, p) != 0) ||
        signin_throttle_clear(db, in->email, in->address, p) != 0)
        goto fail;
    changes = sign_in_changes(in->address, recovery_note);
    if (audit_append(db, &as_user, "sign_in", "users", u.id, 0, changes, p) != 0)
        goto fail;
    session = session_store_json(db, u.id, opened.csrf_token, second_factor, opened.expires_at, p);
    if (session == NULL || db_commit(db, p) != 0)
        goto fail;
    snprintf(result->token, sizeof(result->token), "%s", opened.token);
    result->session = session;
    session = NULL;
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    crypto_wipe(&u, sizeof(u));
    crypto_wipe(&opened, sizeof(opened));
    crypto_wipe(new_hash, sizeof(new_hash));
    json_decref(recovery_note);
    json_decref(changes);
    json_decref(session);
    json_decref(binds);
    return rc;
}

json_t *sign_in_totp_begin(struct db *db, int64_t user_id, const char *email, const char *address,
                           const char *password, const struct op_context *ctx, struct problem *p)
{
    unsigned char raw[TOTP_SECRET_BYTES];
    char base32[TOTP_BASE32_SIZE], uri[1024];
    struct sign_in_user u;
    json_t *binds = NULL, *reply = NULL;
    char *sealed = NULL;

    crypto_wipe(&u, sizeof(u));
    crypto_wipe(raw, sizeof(raw));
    if (users_confirm_password(db, user_id, email, address, password, "password",
                               "wrong password setting up an authenticator app", ctx, p) != 0)
        goto out;
    if (db_begin_write(db, p) != 0)
        goto out;
    if (load_user(db, user_id, &u, p) != 1)
        goto fail;
    if (u.totp_enabled) {
        problem_set(p, PROBLEM_CONFLICT, "an authenticator app is already set up");
        goto fail;
    }
    if (totp_new_secret(raw, base32) != 0 || totp_uri(u.email, base32, uri, sizeof(uri)) != 0) {
        problem_set(p, PROBLEM_INTERNAL, "cannot make a TOTP secret");
        goto fail;
    }
    sealed = seal_totp("totp_pending_secret", &u, raw);
    binds = json_pack("{s:I, s:s}", "id", (json_int_t)u.id, "secret", sealed ? sealed : "");
    if (sealed == NULL || db_exec_json(db, SQL_USER_SET_TOTP_PENDING, binds, p) != 0 ||
        db_commit(db, p) != 0)
        goto fail;
    /* the QR code of the URI, for a phone to scan (the dashboard draws its modules) */
    reply =
        json_pack("{s:s, s:s, s:o*}", "secret", base32, "otpauth_uri", uri, "qr", qr_modules(uri));
    goto out;
fail:
    db_rollback(db);
out:
    crypto_wipe(raw, sizeof(raw));
    crypto_wipe(&u, sizeof(u));
    free(sealed);
    json_decref(binds);
    return reply;
}

/* Replace the recovery codes of user_id by new ones inside the caller's write transaction.
 * Returns the new codes as a JSON array of strings (caller owns), or NULL with *p set. */
static json_t *new_recovery_codes(struct db *db, int64_t user_id, struct problem *p)
{
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    json_t *binds = json_pack("{s:I}", "user_id", (json_int_t)user_id), *list = NULL;

    if (db_exec_json(db, SQL_RECOVERY_DELETE_ALL, binds, p) != 0)
        goto out;
    recovery_codes_new(codes, RECOVERY_CODE_COUNT);
    list = json_array();
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
        char hash[RECOVERY_HASH_SIZE];

        recovery_code_hash(codes[i], hash);
        json_decref(binds);
        binds = json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "code_hash", hash);
        if (db_exec_json(db, SQL_RECOVERY_INSERT, binds, p) != 0) {
            json_decref(list);
            list = NULL;
            goto out;
        }
        json_array_append_new(list, json_string(codes[i]));
    }
out:
    crypto_wipe(codes, sizeof(codes));
    json_decref(binds);
    return list;
}

/* What a TOTP confirmation knows besides the call: the session that confirms and the code. */
struct totp_confirm {
    int64_t session_id;
    const char *code;
};

/* Turn the user's pending secret into their second factor when the code is right
 * (write_kind.write): new recovery codes (left in w->result), the confirming session verified,
 * every other session of the user ended. */
static int totp_enable_write(struct db *db, struct write_call *w, const json_t *before,
                             struct problem *p)
{
    const struct totp_confirm *tc = w->arg;
    unsigned char raw[TOTP_SECRET_BYTES];
    json_t *binds = NULL, *list = NULL;
    struct sign_in_user u;
    char *sealed = NULL;
    int64_t step = 0;
    int rc = -1;

    (void)before;
    crypto_wipe(&u, sizeof(u));
    crypto_wipe(raw, sizeof(raw));
    if (load_user(db, w->id, &u, p) != 1) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_NOT_FOUND, "no user with id %lld", (long long)w->id);
        goto out;
    }
    if (u.totp_enabled || u.totp_pending_secret[0] == '\0') {
        problem_set(p, PROBLEM_CONFLICT,
                    u.totp_enabled ? "an authenticator app is already set up"
                                   : "start with POST /api/v1/me/totp");
        goto out;
    }
    if (unseal_totp("totp_pending_secret", u.id, u.row_nonce, u.totp_pending_secret, raw) < 0) {
        problem_set(p, PROBLEM_INTERNAL, "the pending TOTP secret does not open");
        goto out;
    }
    if (totp_verify(raw, sizeof(raw), tc->code, time(NULL), -1, &step) != 0) {
        problem_add_field(p, "code", "is not the current code of the authenticator app");
        problem_finish_checks(p);
        goto out;
    }
    sealed = seal_totp("totp_secret", &u, raw);
    binds = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)u.id, "step", (json_int_t)step,
                      "secret", sealed ? sealed : "", "now", w->ctx->now);
    if (sealed == NULL || db_exec_json(db, SQL_USER_ENABLE_TOTP, binds, p) != 0)
        goto out;
    list = new_recovery_codes(db, u.id, p);
    if (list == NULL)
        goto out;
    json_decref(binds);
    /* The session that confirmed becomes verified; every other session of the user ends (one
     * opened with a stolen password must sign in again, now with the second factor). */
    binds = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)tc->session_id, "user_id",
                      (json_int_t)u.id, "second_factor", "verified");
    if (db_exec_json(db, SQL_SESSION_SET_FACTOR, binds, p) != 0 ||
        db_exec_json(db, SQL_SESSION_DELETE_USER_OTHERS, binds, p) != 0)
        goto out;
    w->result = json_pack("{s:O}", "recovery_codes", list);
    rc = 0;
out:
    crypto_wipe(raw, sizeof(raw));
    crypto_wipe(&u, sizeof(u));
    free(sealed);
    json_decref(list);
    json_decref(binds);
    return rc;
}

static const struct write_kind totp_enable_kind = {
    .entity = "users", .noun = "user", .write = totp_enable_write};

json_t *sign_in_totp_confirm(struct db *db, int64_t user_id, int64_t session_id, const char *code,
                             const struct op_context *ctx, struct problem *p)
{
    struct totp_confirm tc = {.session_id = session_id, .code = code};
    struct write_call w = {.kind = &totp_enable_kind,
                           .mode = WRITE_UPDATE,
                           .action = "totp_enable",
                           .id = user_id,
                           .ctx = ctx,
                           .arg = &tc};

    return write_run(db, &w, p);
}

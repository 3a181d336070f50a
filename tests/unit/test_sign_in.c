/* Unit tests of sign_in on a migrated in-memory store, without HTTP: the right password opens a
 * session the store then finds; a wrong password or an unknown e-mail is refused, counted and
 * audited; a role that needs a second factor signs in as not_enrolled; a user with an
 * authenticator app gets the first-step answer without a code (not counted) and a counted
 * failure with a wrong one; a recovery code works once; five failures from one address hold
 * the pair back (429); the enrolment refuses a confirmation with nothing pending or a wrong
 * code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "session_store.h"
#include "sign_in.h"
#include "store_fixture.h"
#include "totp.h"
#include "users.h"

#define PASSWORD "correct horse battery staple 42"

/* Create a user with PASSWORD; returns its id (0 on failure, reported). */
static int64_t add_user(const char *email, const char *role)
{
    struct problem p;
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Test User", "role",
                             role, "password", PASSWORD),
           *user;
    int64_t id = 0;

    problem_init(&p);
    user = users_create(db, body, &ctx, &p);
    if (user == NULL)
        fprintf(stderr, "  users_create %s: %s\n", email, p.detail);
    else
        id = json_integer_value(json_object_get(user, "id"));
    json_decref(user);
    json_decref(body);
    problem_clear(&p);
    return id;
}

/* One sign-in attempt. Returns the problem kind (PROBLEM_NONE on success); the session's
 * second-factor state is copied into factor (may be NULL), the token into token (may be NULL),
 * the wait into *retry_after (may be NULL). */
static enum problem_kind attempt(const char *email, const char *password, const char *code,
                                 const char *recovery, const char *address, char factor[16],
                                 char token[CRYPTO_TOKEN_LEN + 1], int *retry_after)
{
    struct sign_in_input in = {email, password, code, recovery, address};
    struct sign_in_result result;
    struct problem p;
    enum problem_kind kind;

    problem_init(&p);
    if (sign_in_attempt(db, &ctx, &in, &result, &p) == 0) {
        CHECK(p.kind == PROBLEM_NONE && result.session != NULL && result.token[0] != '\0');
        if (factor != NULL)
            snprintf(factor, 16, "%s",
                     json_string_value(json_object_get(result.session, "second_factor")));
        if (token != NULL)
            snprintf(token, CRYPTO_TOKEN_LEN + 1, "%s", result.token);
        json_decref(result.session);
    } else {
        CHECK(p.kind != PROBLEM_NONE);
    }
    if (retry_after != NULL)
        *retry_after = p.retry_after;
    kind = p.kind;
    problem_clear(&p);
    return kind;
}

/* The newest audit event as JSON (caller owns), or NULL. */
static json_t *last_event(void)
{
    static const char *const json_columns[] = {"changes", NULL};
    struct problem p;
    db_stmt *stmt;
    json_t *event = NULL;

    problem_init(&p);
    stmt = db_prepare(db, SQL_AUDIT_ALL, &p);
    while (stmt != NULL && db_step(stmt) == DB_ROW) {
        json_decref(event);
        event = db_row_to_json(stmt, NULL, json_columns);
    }
    db_finish(stmt);
    problem_clear(&p);
    return event;
}

/* The action of the newest audit event, copied into out. */
static const char *last_action(char out[64])
{
    json_t *event = last_event();

    snprintf(out, 64, "%s", event ? json_string_value(json_object_get(event, "action")) : "");
    json_decref(event);
    return out;
}

/* The changes.<field>.after of the newest audit event, copied into out ("" when none). */
static const char *last_change(const char *field, char out[64])
{
    json_t *event = last_event();
    const char *after = json_string_value(
        json_object_get(json_object_get(json_object_get(event, "changes"), field), "after"));

    snprintf(out, 64, "%s", after ? after : "");
    json_decref(event);
    return out;
}

/* Give user_id an authenticator app (a fixed secret, sealed as the enrolment would) and one
 * recovery code, as the store would after a confirmed enrolment. Returns 0 or -1. */
static int enable_totp(int64_t user_id, const char *recovery_code)
{
    char hex[TOTP_SECRET_BYTES * 2 + 1],
        nonce[CRYPTO_ROW_NONCE_LEN + 1] = "", normalized[RECOVERY_CODE_SIZE],
                                     hash[RECOVERY_HASH_SIZE];
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)user_id);
    struct problem p;
    db_stmt *stmt;
    char *sealed;
    int rc = -1;

    problem_init(&p);
    stmt = db_prepare(db, SQL_USER_SECRETS, &p);
    if (stmt != NULL && db_bind_json(stmt, binds, &p) == 0 && db_step(stmt) == DB_ROW &&
        !db_row_is_null(stmt, "row_nonce"))
        snprintf(nonce, sizeof(nonce), "%s", db_row_text(stmt, "row_nonce"));
    db_finish(stmt);
    json_decref(binds);
    for (int i = 0; i < TOTP_SECRET_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned)(i + 1));
    sealed = crypto_field_encrypt("users", "totp_secret", user_id, nonce, hex);
    if (recovery_code_normalize(recovery_code, normalized) != 0)
        goto out;
    recovery_code_hash(normalized, hash);
    binds = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)user_id, "step", (json_int_t)0,
                      "secret", sealed ? sealed : "", "now", ctx.now);
    if (sealed != NULL && db_begin_write(db, &p) == 0) {
        json_t *code = json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "code_hash", hash);

        if (db_exec_json(db, SQL_USER_ENABLE_TOTP, binds, &p) == 0 &&
            db_exec_json(db, SQL_RECOVERY_INSERT, code, &p) == 0 && db_commit(db, &p) == 0)
            rc = 0;
        db_rollback(db);
        json_decref(code);
    }
    json_decref(binds);
out:
    if (rc != 0)
        fprintf(stderr, "  enable_totp: %s\n", p.detail);
    free(sealed);
    problem_clear(&p);
    return rc;
}

/* The right password opens a session the store finds by its token; sign_in is audited with
 * the user as actor and the client's address. */
static void test_right_password(int64_t id)
{
    struct session_store_session s;
    struct problem p;
    char factor[16] = "", token[CRYPTO_TOKEN_LEN + 1] = "", action[64], address[64];
    json_t *event;

    CHECK(attempt("pat@example.org", PASSWORD, NULL, NULL, "203.0.113.1", factor, token, NULL) ==
          PROBLEM_NONE);
    CHECK_STR(factor, "not_required");
    CHECK_STR(last_action(action), "sign_in");
    CHECK_STR(last_change("address", address), "203.0.113.1");
    event = last_event();
    CHECK_STR(json_string_value(json_object_get(event, "actor_label")), "pat@example.org");
    json_decref(event);
    problem_init(&p);
    CHECK(session_store_find(db, token, ctx.now, &s, &p) == 0);
    CHECK(s.id != 0 && s.user_id == id);
    CHECK_STR(s.second_factor, "not_required");
    CHECK(session_store_find(db, "not-a-token", ctx.now, &s, &p) == 0 && s.id == 0);
    problem_clear(&p);
    crypto_wipe(token, sizeof(token));
}

/* A wrong password and an unknown e-mail: the same answer, each audited with its reason. */
static void test_wrong_password(void)
{
    char action[64], reason[64];

    CHECK(attempt("pat@example.org", "wrong", NULL, NULL, "203.0.113.2", NULL, NULL, NULL) ==
          PROBLEM_INVALID_CREDENTIALS);
    CHECK_STR(last_action(action), "sign_in_failed");
    CHECK_STR(last_change("reason", reason), "wrong password");
    CHECK(attempt("nobody@example.org", PASSWORD, NULL, NULL, "203.0.113.2", NULL, NULL, NULL) ==
          PROBLEM_INVALID_CREDENTIALS);
    CHECK_STR(last_action(action), "sign_in_failed");
    CHECK_STR(last_change("reason", reason), "unknown e-mail");
}

/* Five failures of an account from one address, then even the right password waits (429 with
 * a Retry-After), from that address only. */
static void test_throttle(void)
{
    int refused = 0, wait = 0;

    for (int i = 0; i < 5; i++)
        refused += attempt("tom@example.org", "wrong", NULL, NULL, "198.51.100.9", NULL, NULL,
                           NULL) == PROBLEM_INVALID_CREDENTIALS;
    CHECK(refused == 5);
    CHECK(attempt("tom@example.org", PASSWORD, NULL, NULL, "198.51.100.9", NULL, NULL, &wait) ==
          PROBLEM_TOO_MANY_ATTEMPTS);
    CHECK(wait > 0);
    CHECK(attempt("tom@example.org", PASSWORD, NULL, NULL, "198.51.100.10", NULL, NULL, NULL) ==
          PROBLEM_NONE);
}

/* An admin without an authenticator app signs in, and must enrol. */
static void test_not_enrolled(void)
{
    char factor[16] = "";

    CHECK(attempt("ada@example.org", PASSWORD, NULL, NULL, "203.0.113.3", factor, NULL, NULL) ==
          PROBLEM_NONE);
    CHECK_STR(factor, "not_enrolled");
}

/* With an authenticator app: the right password without a code is the first step, never
 * counted (six in a row from one address are not held back); a wrong code is a counted,
 * audited failure; a recovery code signs in once. */
static void test_second_factor(const char *recovery)
{
    char factor[16] = "", action[64], reason[64];
    int first_steps = 0;

    for (int i = 0; i < 6; i++)
        first_steps += attempt("ali@example.org", PASSWORD, NULL, NULL, "192.0.2.7", NULL, NULL,
                               NULL) == PROBLEM_SECOND_FACTOR_REQUIRED;
    CHECK(first_steps == 6);
    CHECK(strcmp(last_action(action), "sign_in_failed") != 0);
    CHECK(attempt("ali@example.org", PASSWORD, "abcdef", NULL, "192.0.2.7", NULL, NULL, NULL) ==
          PROBLEM_SECOND_FACTOR_REQUIRED);
    CHECK_STR(last_action(action), "sign_in_failed");
    CHECK_STR(last_change("reason", reason), "second factor");
    CHECK(attempt("ali@example.org", PASSWORD, NULL, recovery, "192.0.2.7", factor, NULL, NULL) ==
          PROBLEM_NONE);
    CHECK_STR(factor, "verified");
    CHECK_STR(last_action(action), "sign_in");
    CHECK_STR(last_change("second_factor", reason), "recovery_code");
    CHECK(attempt("ali@example.org", PASSWORD, NULL, recovery, "192.0.2.7", NULL, NULL, NULL) ==
          PROBLEM_SECOND_FACTOR_REQUIRED);
}

/* Enrolment: nothing pending is a 409; after the first step a wrong code is a 422 naming
 * `code`; with an app already set up the first step is a 409. */
static void test_enrolment(int64_t pat, int64_t ali)
{
    struct problem p;
    json_t *secret, *codes;

    problem_init(&p);
    codes = sign_in_totp_confirm(db, pat, 0, "123456", &ctx, &p);
    CHECK(codes == NULL && p.kind == PROBLEM_CONFLICT);
    problem_clear(&p);
    secret = sign_in_totp_begin(db, pat, "pat@example.org", "203.0.113.1", PASSWORD, &ctx, &p);
    CHECK(secret != NULL && json_string_value(json_object_get(secret, "secret")) != NULL);
    json_decref(secret);
    codes = sign_in_totp_confirm(db, pat, 0, "abcdef", &ctx, &p);
    CHECK(codes == NULL && p.kind == PROBLEM_VALIDATION && p.errors != NULL);
    problem_clear(&p);
    secret = sign_in_totp_begin(db, ali, "ali@example.org", "203.0.113.1", PASSWORD, &ctx, &p);
    CHECK(secret == NULL && p.kind == PROBLEM_CONFLICT);
    problem_clear(&p);
}

int main(void)
{
    static const char recovery[] = "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3456";
    int64_t pat, ali;

    if (fixture_open() != 0)
        return 1;
    pat = add_user("pat@example.org", "paralegal");
    ali = add_user("ali@example.org", "attorney");
    CHECK(pat != 0 && ali != 0 && add_user("tom@example.org", "viewer") != 0 &&
          add_user("ada@example.org", "admin") != 0);
    CHECK(enable_totp(ali, recovery) == 0);
    test_right_password(pat);
    test_wrong_password();
    test_throttle();
    test_not_enrolled();
    test_second_factor(recovery);
    test_enrolment(pat, ali);
    db_close(db);
    return CHECK_DONE();
}

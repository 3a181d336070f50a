/* users: the store of staff users (see users.h): create, find, read, update (keeping an
 * admin), set and confirm a password, disable. Every change is one transaction with its audit
 * event. A store module: it depends on db, audit, fields, passwords, crypto, signin_throttle
 * and the resource engine's types, never on call, auth or anything HTTP; the API is in
 * accounts.c, the commands in cli.c. */
#include "users.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "fields.h"
#include "passwords.h"
#include "role.h"
#include "signin_throttle.h"

static const char *const user_fields_audited[] = {"email", "name", "role", "disabled", NULL};
static const char *const user_bool_columns[] = {"disabled", "totp_enabled", NULL};

static const struct field_spec create_fields[] = {
    {.name = "email",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED,
     .max_chars = 254,
     .normalize = identifiers_email},
    {.name = "name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 200},
    {.name = "role", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = role_names},
    {.name = "password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
};
static const char *const create_read_only[] = {"id",       "created_at",   "updated_at", "version",
                                               "disabled", "totp_enabled", NULL};
static const struct field_table create_table = {
    create_fields, sizeof(create_fields) / sizeof(create_fields[0]), create_read_only};

static const struct field_spec patch_fields[] = {
    {.name = "name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 200},
    {.name = "role", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = role_names},
    {.name = "disabled", .type = FIELD_BOOL},
};
static const char *const patch_read_only[] = {"id",      "email",        "created_at", "updated_at",
                                              "version", "totp_enabled", NULL};
static const struct field_table patch_table = {
    patch_fields, sizeof(patch_fields) / sizeof(patch_fields[0]), patch_read_only};

/* Check a password against the policy: a refusal is a field error on "password"; a dictionary
 * that cannot be read is a 503 (the password is refused, never let through). Returns -1 only
 * for the 503. */
static int check_policy(const char *password, const char *email, const char *name,
                        struct problem *p)
{
    const char *message = NULL;
    int rc = passwords_check_policy(password, email, name, &message);

    if (rc == -2) {
        fprintf(stderr, "paroletrack: the password dictionary cannot be read: %s\n",
                message ? message : "?");
        return problem_set(p, PROBLEM_UNAVAILABLE, "passwords cannot be checked right now");
    }
    if (rc != 0)
        problem_add_field(p, "password", "%s", message ? message : "is too weak");
    return 0;
}

json_t *users_read(struct db *db, int64_t id, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id), *user = NULL;
    db_stmt *stmt = db_prepare(db, SQL_USER_GET, p);
    enum db_step step;

    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_ROW)
        user = db_row_to_json(stmt, user_bool_columns, NULL);
    else if (step == DB_DONE)
        problem_set(p, PROBLEM_NOT_FOUND, "no user with id %lld", (long long)id);
    else
        problem_set(p, PROBLEM_INTERNAL, "user_get: %s", db_errmsg(db));
out:
    db_finish(stmt);
    json_decref(binds);
    return user;
}

/* What a user write knows besides the call: the checked record (create and update) and the
 * new password's hash (create and password change), both borrowed; whether a password change
 * revoked a calendar feed token. */
struct user_write {
    const json_t *record;
    const char *hash;
    int feed_revoked;
};

/* The user a write reads before and after the change (write_kind.read). */
static json_t *user_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    return users_read(db, w->id, p);
}

int users_find(struct db *db, const char *email, int64_t *id, struct problem *p)
{
    json_t *binds = json_pack("{s:s}", "email", email);
    int rc = db_scalar_int(db, SQL_USER_BY_EMAIL, binds, id, p);

    json_decref(binds);
    return rc;
}

/* Insert a checked new user (write_kind.write of a create): 409 for an e-mail in use. */
static int user_insert(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    const struct user_write *uw = w->arg;
    const json_t *record = uw->record;
    json_t *binds;
    int64_t existing = 0;
    int rc;

    (void)before;
    if (users_find(db, json_string_value(json_object_get(record, "email")), &existing, p) != 0)
        return -1;
    if (existing != 0) {
        problem_add_field(p, "email", "another user has this e-mail address");
        return problem_set(p, PROBLEM_CONFLICT, "another user has this e-mail address");
    }
    binds =
        json_pack("{s:O, s:O, s:O, s:s, s:s}", "email", json_object_get(record, "email"), "name",
                  json_object_get(record, "name"), "role", json_object_get(record, "role"),
                  "password_hash", uw->hash, "now", w->ctx->now);
    rc = db_exec_json(db, SQL_USER_INSERT, binds, p);
    json_decref(binds);
    if (rc == 0)
        w->id = db_last_insert_id(db);
    return rc;
}

static const struct write_kind user_create_kind = {
    .entity = "users",
    .noun = "user",
    .read = user_write_read,
    .write = user_insert,
    .audited = user_fields_audited,
};

json_t *users_create(struct db *db, const json_t *body, const struct op_context *ctx,
                     struct problem *p)
{
    json_t *record = fields_check_create(&create_table, body, ctx->today, p), *user = NULL;
    char hash[CRYPTO_PASSWORD_HASH_LEN];
    const char *password;

    if (record == NULL)
        return NULL;
    password = json_string_value(json_object_get(record, "password"));
    if (password != NULL &&
        check_policy(password, json_string_value(json_object_get(record, "email")),
                     json_string_value(json_object_get(record, "name")), p) != 0)
        goto out;
    if (problem_finish_checks(p) != 0)
        goto out;
    /* Hash before taking the write lock: it takes a while and a lot of memory. */
    if (crypto_password_hash(password, hash) != 0) {
        problem_set(p, PROBLEM_UNAVAILABLE, "out of memory hashing the password");
        goto out;
    }
    {
        struct user_write uw = {.record = record, .hash = hash};
        struct write_call w = {.kind = &user_create_kind,
                               .mode = WRITE_CREATE,
                               .action = "user_create",
                               .ctx = ctx,
                               .arg = &uw};

        user = write_run(db, &w, p);
    }
out:
    crypto_wipe(hash, sizeof(hash));
    json_decref(record);
    return user;
}

/* End every session of a user (inside the caller's transaction). */
static int end_sessions(struct db *db, int64_t user_id, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "user_id", (json_int_t)user_id);
    int rc = db_exec_json(db, SQL_SESSION_DELETE_USER, binds, p);

    json_decref(binds);
    return rc;
}

/* Store a new password hash (write_kind.write of a password change). A new password ends
 * every session and revokes the calendar feed token: whoever held the old password (or a copy
 * of the feed URL made with it) is out. */
static int password_write(struct db *db, struct write_call *w, const json_t *before,
                          struct problem *p)
{
    struct user_write *uw = w->arg;
    json_t *binds = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)w->id, "user_id",
                              (json_int_t)w->id, "password_hash", uw->hash, "now", w->ctx->now);
    int rc;

    (void)before;
    rc = db_exec_json(db, SQL_USER_SET_PASSWORD, binds, p) != 0 ||
                 end_sessions(db, w->id, p) != 0 || db_exec_json(db, SQL_FEED_DELETE, binds, p) != 0
             ? -1
             : 0;
    uw->feed_revoked = rc == 0 && db_changes(db) > 0;
    json_decref(binds);
    return rc;
}

/* The changes of a password change: never the hash; the calendar feed when it was revoked. */
static json_t *password_changes(const struct write_call *w, const json_t *before,
                                const json_t *after)
{
    const struct user_write *uw = w->arg;

    (void)before, (void)after;
    return uw->feed_revoked ? json_pack("{s:{s:s, s:s}}", "calendar_feed", "before", "active",
                                        "after", "revoked")
                            : NULL;
}

static const struct write_kind password_change_kind = {
    .entity = "users",
    .noun = "user",
    .write = password_write,
    .changes = password_changes,
};

int users_set_password(struct db *db, int64_t user_id, const char *password,
                       const struct op_context *ctx, struct problem *p)
{
    char hash[CRYPTO_PASSWORD_HASH_LEN];
    json_t *user = NULL;
    int rc = -1;

    if (db_begin_read(db, p) != 0)
        return -1;
    user = users_read(db, user_id, p);
    db_rollback(db);
    if (user == NULL)
        return -1;
    if (check_policy(password, json_string_value(json_object_get(user, "email")),
                     json_string_value(json_object_get(user, "name")), p) != 0 ||
        problem_finish_checks(p) != 0)
        goto out;
    if (crypto_password_hash(password, hash) != 0) {
        problem_set(p, PROBLEM_UNAVAILABLE, "out of memory hashing the password");
        goto out;
    }
    {
        struct user_write uw = {.hash = hash};
        struct write_call w = {.kind = &password_change_kind,
                               .mode = WRITE_UPDATE,
                               .action = "password_change",
                               .id = user_id,
                               .ctx = ctx,
                               .arg = &uw};
        json_t *done = write_run(db, &w, p);

        rc = done != NULL ? 0 : -1;
        json_decref(done);
    }
out:
    crypto_wipe(hash, sizeof(hash));
    json_decref(user);
    return rc;
}

/* Copy the stored password hash of a user into hash (empty when there is no such user), in
 * its own read transaction. Returns 0, or -1 with *p set. */
static int read_password_hash(struct db *db, int64_t user_id, char hash[CRYPTO_PASSWORD_HASH_LEN],
                              struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)user_id);
    db_stmt *stmt = NULL;
    int rc = -1;

    hash[0] = '\0';
    if (db_begin_read(db, p) != 0)
        goto out;
    stmt = db_prepare(db, SQL_USER_SECRETS, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        enum db_step step = db_step(stmt);

        if (step == DB_ROW)
            snprintf(hash, CRYPTO_PASSWORD_HASH_LEN, "%s", db_row_text(stmt, "password_hash"));
        if (step == DB_ROW || step == DB_DONE)
            rc = 0;
        else
            problem_set(p, PROBLEM_INTERNAL, "user_secrets: %s", db_errmsg(db));
    }
    db_finish(stmt);
    db_rollback(db);
out:
    json_decref(binds);
    return rc;
}

/* Audit a wrong password given to a signed-in check, in its own transaction (the attempt itself
 * was counted when it was claimed). Errors are logged. */
static void audit_password_failure(struct db *db, int64_t user_id, const char *reason,
                                   const struct op_context *ctx)
{
    struct problem p;
    json_t *changes = json_pack("{s:{s:n, s:s}}", "reason", "before", "after", reason);

    problem_init(&p);
    if (db_begin_write(db, &p) == 0) {
        if (audit_append(db, ctx, "password_check_failed", "users", user_id, 0, changes, &p) == 0)
            db_commit(db, &p);
        db_rollback(db);
    }
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: recording a wrong password: %s\n", p.detail);
    problem_clear(&p);
    json_decref(changes);
}

int users_confirm_password(struct db *db, int64_t user_id, const char *email, const char *address,
                           const char *password, const char *field, const char *audit_reason,
                           const struct op_context *ctx, struct problem *p)
{
    char hash[CRYPTO_PASSWORD_HASH_LEN] = "";
    int wait = 0, rc = -1;

    if (signin_throttle_claim(db, email, address, &wait, NULL, p) != 0)
        return -1;
    if (wait > 0) {
        p->retry_after = wait;
        return problem_set(p, PROBLEM_TOO_MANY_ATTEMPTS,
                           "too many wrong passwords; try again in %d seconds", wait);
    }
    if (read_password_hash(db, user_id, hash, p) != 0)
        goto out;
    if (!crypto_password_verify(hash[0] ? hash : NULL, password)) {
        if (audit_reason != NULL)
            audit_password_failure(db, user_id, audit_reason, ctx);
        problem_add_field(p, field, "is not your current password");
        problem_finish_checks(p);
        goto out;
    }
    if (db_begin_write(db, p) != 0)
        goto out;
    if (signin_throttle_clear(db, email, address, p) != 0 || db_commit(db, p) != 0) {
        db_rollback(db);
        goto out;
    }
    rc = 0;
out:
    crypto_wipe(hash, sizeof(hash));
    return rc;
}

/* After an update inside the write transaction: refuse (409, naming the patched field) a change
 * that leaves the firm with no active admin, who alone can manage users and keys. */
static int keep_an_admin(struct db *db, const json_t *patch, struct problem *p)
{
    json_t *binds = json_object();
    int64_t admins = 0;
    int rc = db_scalar_int(db, SQL_ACTIVE_ADMIN_COUNT, binds, &admins, p);

    json_decref(binds);
    if (rc != 0)
        return -1;
    if (admins > 0)
        return 0;
    problem_add_field(p, json_object_get(patch, "role") ? "role" : "disabled",
                      "the last active admin cannot be demoted or disabled");
    problem_set(p, PROBLEM_CONFLICT, "the firm must keep at least one active admin");
    return -1;
}

/* Apply a merge patch to a user (write_kind.write of an update); the checked record stays in
 * the write's state (owned by users_update) for the after-write rules. */
static int user_patch_write(struct db *db, struct write_call *w, const json_t *before,
                            struct problem *p)
{
    struct user_write *uw = w->arg;
    json_t *record = fields_check_patch(&patch_table, before, w->input, w->ctx->today, p);
    json_t *binds;
    int rc;

    uw->record = record;
    if (record == NULL || problem_finish_checks(p) != 0)
        return -1;
    binds = json_pack("{s:I, s:O, s:O, s:O, s:O, s:s}", "id", (json_int_t)w->id, "name",
                      json_object_get(record, "name"), "role", json_object_get(record, "role"),
                      "disabled", json_object_get(record, "disabled"), "version",
                      json_object_get(before, "version"), "now", w->ctx->now);
    rc = db_exec_json(db, SQL_USER_UPDATE, binds, p);
    json_decref(binds);
    return rc;
}

/* The rules after a user update (write_kind.after_write): the firm keeps an active admin, and
 * a user who is disabled or changes role loses every session. */
static int user_patch_after(struct db *db, struct write_call *w, const json_t *before,
                            struct problem *p)
{
    const struct user_write *uw = w->arg;

    if (keep_an_admin(db, w->input, p) != 0)
        return -1;
    if (json_is_true(json_object_get(uw->record, "disabled")) ||
        !json_equal(json_object_get(uw->record, "role"), json_object_get(before, "role")))
        return end_sessions(db, w->id, p);
    return 0;
}

static const struct write_kind user_update_kind = {
    .entity = "users",
    .noun = "user",
    .read = user_write_read,
    .write = user_patch_write,
    .after_write = user_patch_after,
    .audited = user_fields_audited,
};

json_t *users_update(struct db *db, int64_t id, const json_t *patch,
                     const struct if_match *if_match, const struct op_context *ctx,
                     struct problem *p)
{
    struct user_write uw = {0};
    struct write_call w = {.kind = &user_update_kind,
                           .mode = WRITE_UPDATE,
                           .action = "user_update",
                           .id = id,
                           .input = patch,
                           .if_match = if_match,
                           .ctx = ctx,
                           .arg = &uw};
    json_t *user = write_run(db, &w, p);

    json_decref((json_t *)uw.record);
    return user;
}

int users_disable(struct db *db, int64_t user_id, const struct op_context *ctx, struct problem *p)
{
    json_t *patch = json_pack("{s:b}", "disabled", 1);
    json_t *user = users_update(db, user_id, patch, NULL, ctx, p);

    json_decref(patch);
    if (user == NULL)
        return -1;
    json_decref(user);
    return 0;
}

json_t *users_list_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, user_bool_columns, NULL);
}

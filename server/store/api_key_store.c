/* api_key_store: creating, revoking, listing and finding rows of integration API keys (the
 * store; the HTTP handlers are in apikeys.c, the Authorization header in auth.c). */
#include "api_key_store.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "fields.h"

/* How stale a key's last use may get before a request refreshes it (a write). */
#define KEY_TOUCH_AFTER_SECONDS 60

static const struct field_spec key_fields[] = {
    {.name = "name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 200},
    {.name = "scopes",
     .type = FIELD_TEXT_ARRAY,
     .flags = FIELD_REQUIRED,
     .max_chars = 8,
     .max_items = 2},
};
static const char *const key_read_only[] = {"id",         "prefix",       "key",
                                            "created_at", "last_used_at", NULL};
static const struct field_table key_table = {key_fields, 2, key_read_only};
static const char *const key_json_columns[] = {"scopes", NULL};

/* Check scopes: known names, no repeats, and "read" whenever "write" (writing implies reading).
 * Returns the canonical scopes array or NULL after adding the field error. */
static json_t *check_scopes(const json_t *scopes, struct problem *p)
{
    int read = 0, write = 0;
    size_t i;
    json_t *s;

    json_array_foreach(scopes, i, s)
    {
        const char *name = json_string_value(s);

        if (strcmp(name, "read") == 0 && !read)
            read = 1;
        else if (strcmp(name, "write") == 0 && !write)
            write = 1;
        else {
            problem_add_field(p, "scopes", "must be [\"read\"] or [\"read\", \"write\"]");
            return NULL;
        }
    }
    if (!read) {
        problem_add_field(p, "scopes", "must include \"read\" (writing implies reading)");
        return NULL;
    }
    return write ? json_pack("[s, s]", "read", "write") : json_pack("[s]", "read");
}

int api_key_store_find(struct db *db, const char *key, const char *now, struct api_key_store_key *k,
                       struct problem *p)
{
    char prefix[32], secret_hash[65];
    const char *secret;
    json_t *binds;
    db_stmt *stmt;
    size_t prefix_len;
    int rc = 0;

    memset(k, 0, sizeof(*k));
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
    if (db_step(stmt) == DB_ROW && crypto_equal(db_row_text(stmt, "secret_hash"), secret_hash)) {
        int64_t last_used = dates_epoch_of(db_row_text(stmt, "last_used_at"));

        k->id = db_row_int(stmt, "id");
        snprintf(k->name, sizeof(k->name), "%s", db_row_text(stmt, "name"));
        k->can_write = strstr(db_row_text(stmt, "scopes"), "\"write\"") != NULL;
        db_finish(stmt);
        stmt = NULL;
        /* an unset last use is the epoch: refreshed */
        if (dates_epoch_of(now) - last_used >= KEY_TOUCH_AFTER_SECONDS) {
            json_t *touch = json_pack("{s:I, s:s}", "id", (json_int_t)k->id, "now", now);

            rc = db_exec_alone(db, SQL_KEY_TOUCH, touch, p);
            json_decref(touch);
        }
    }
out:
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

json_t *api_key_store_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, NULL, key_json_columns);
}

json_t *api_key_store_create(struct db *db, const json_t *body, int64_t created_by,
                             const struct op_context *ctx, struct problem *p)
{
    json_t *record = fields_check_create(&key_table, body, ctx->today, p), *scopes = NULL;
    json_t *binds = NULL, *result = NULL, *changes = NULL;
    char prefix[17], secret[CRYPTO_TOKEN_LEN + 1], secret_hash[65], key[96];
    db_stmt *stmt;
    int64_t id;

    if (record == NULL)
        return NULL;
    if (json_object_get(record, "scopes") != NULL)
        scopes = check_scopes(json_object_get(record, "scopes"), p);
    if (problem_finish_checks(p) != 0)
        goto out;
    crypto_random_hex(prefix, 8);
    crypto_token(secret);
    crypto_sha256_hex(secret, strlen(secret), secret_hash);
    snprintf(key, sizeof(key), "pt_%s_%s", prefix, secret);
    binds = json_pack("{s:O, s:O, s:s, s:s, s:o, s:s}", "name", json_object_get(record, "name"),
                      "scopes", scopes, "prefix", prefix, "secret_hash", secret_hash, "created_by",
                      created_by > 0 ? json_integer(created_by) : json_null(), "now", ctx->now);
    if (db_begin_write(db, p) != 0)
        goto out;
    stmt = db_prepare(db, SQL_KEY_INSERT, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0 || db_step(stmt) != DB_DONE) {
        db_finish(stmt);
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "key_insert: %s", db_errmsg(db));
        goto fail;
    }
    db_finish(stmt);
    id = db_last_insert_id(db);
    json_decref(binds);
    binds = json_pack("{s:I}", "id", (json_int_t)id);
    stmt = db_prepare(db, SQL_KEY_GET, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW)
        result = db_row_to_json(stmt, NULL, key_json_columns);
    db_finish(stmt);
    if (result == NULL)
        goto fail;
    changes = json_pack("{s:{s:n, s:O}, s:{s:n, s:O}}", "name", "before", "after",
                        json_object_get(result, "name"), "scopes", "before", "after", scopes);
    if (audit_append(db, ctx, "api_key_create", "api_keys", id, 0, changes, p) != 0 ||
        db_commit(db, p) != 0) {
        json_decref(result);
        result = NULL;
        goto fail;
    }
    json_object_set_new(result, "key", json_string(key));
    goto out;
fail:
    db_rollback(db);
out:
    crypto_wipe(secret, sizeof(secret));
    crypto_wipe(key, sizeof(key));
    json_decref(changes);
    json_decref(binds);
    json_decref(scopes);
    json_decref(record);
    return result;
}

int api_key_store_revoke(struct db *db, int64_t id, const struct op_context *ctx, struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)id, "now", ctx->now);
    db_stmt *stmt;
    int rc = -1;

    if (db_begin_write(db, p) != 0)
        goto out;
    stmt = db_prepare(db, SQL_KEY_REVOKE, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0 || db_step(stmt) != DB_DONE) {
        db_finish(stmt);
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "key_revoke: %s", db_errmsg(db));
        goto fail;
    }
    db_finish(stmt);
    if (db_changes(db) != 1) {
        problem_set(p, PROBLEM_NOT_FOUND, "no API key with id %lld", (long long)id);
        goto fail;
    }
    if (audit_append(db, ctx, "api_key_revoke", "api_keys", id, 0, NULL, p) != 0 ||
        db_commit(db, p) != 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    json_decref(binds);
    return rc;
}

/* api_key_store: creating, revoking, listing and finding rows of integration API keys (the
 * store; the HTTP handlers are in api_key_routes.c, the Authorization header in auth.c). */
#include "api_key_store.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "fields.h"
#include "write.h"

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
     .max_items = 3},
};
static const char *const key_read_only[] = {"id",         "prefix",       "key",
                                            "created_at", "last_used_at", NULL};
static const struct field_table key_table = {key_fields, 2, key_read_only};
static const char *const key_json_columns[] = {"scopes", NULL};

/* Check scopes: known names (read, write, metrics), no repeats, "read" whenever "write"
 * (writing implies reading), and at least one. "metrics" alone is a monitoring key: it reads
 * /metrics and nothing else. Returns the canonical scopes array (read, write, metrics in that
 * order) or NULL after adding the field error. */
static json_t *check_scopes(const json_t *scopes, struct problem *p)
{
    int read = 0, write = 0, metrics = 0;
    json_t *canonical;
    size_t i;
    json_t *s;

    json_array_foreach(scopes, i, s)
    {
        const char *name = json_string_value(s);

        if (strcmp(name, "read") == 0 && !read)
            read = 1;
        else if (strcmp(name, "write") == 0 && !write)
            write = 1;
        else if (strcmp(name, "metrics") == 0 && !metrics)
            metrics = 1;
        else {
            problem_add_field(p, "scopes",
                              "must name each of \"read\", \"write\" and \"metrics\" at most "
                              "once, like [\"read\"], [\"read\", \"write\"] or [\"metrics\"]");
            return NULL;
        }
    }
    if ((write && !read) || (!read && !metrics)) {
        problem_add_field(p, "scopes",
                          "must include \"read\" (writing implies reading), or be "
                          "[\"metrics\"] for a monitoring key");
        return NULL;
    }
    canonical = json_array();
    if (read)
        json_array_append_new(canonical, json_string("read"));
    if (write)
        json_array_append_new(canonical, json_string("write"));
    if (metrics)
        json_array_append_new(canonical, json_string("metrics"));
    return canonical;
}

int api_key_parse(const char *key, char *prefix, size_t prefix_size, const char **secret)
{
    size_t prefix_len;

    if (strncmp(key, "pt_", 3) != 0)
        return -1;
    prefix_len = strcspn(key + 3, "_");
    if (prefix_len == 0 || prefix_len >= prefix_size || key[3 + prefix_len] != '_')
        return -1;
    memcpy(prefix, key + 3, prefix_len);
    prefix[prefix_len] = '\0';
    *secret = key + 3 + prefix_len + 1;
    return 0;
}

int api_key_store_find(struct db *db, const char *key, const char *now, struct api_key_store_key *k,
                       struct problem *p)
{
    char prefix[32], secret_hash[65];
    const char *secret;
    json_t *binds;
    db_stmt *stmt;
    int rc = 0;

    memset(k, 0, sizeof(*k));
    if (api_key_parse(key, prefix, sizeof(prefix), &secret) != 0)
        return 0;
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
        k->can_read = strstr(db_row_text(stmt, "scopes"), "\"read\"") != NULL;
        k->can_write = strstr(db_row_text(stmt, "scopes"), "\"write\"") != NULL;
        k->can_read_metrics = strstr(db_row_text(stmt, "scopes"), "\"metrics\"") != NULL;
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

/* What an API key write knows besides the call: the new key's checked values and canonical
 * scopes (borrowed). */
struct key_write {
    const json_t *binds;
    const json_t *scopes;
};

/* The key row a write reads after a create (write_kind.read): 404 when there is none. */
static json_t *key_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)w->id), *key = NULL;
    db_stmt *stmt = db_prepare(db, SQL_KEY_GET, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW)
        key = db_row_to_json(stmt, NULL, key_json_columns);
    else if (p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_NOT_FOUND, "no API key with id %lld", (long long)w->id);
    db_finish(stmt);
    json_decref(binds);
    return key;
}

/* Insert the new key's row (write_kind.write of a create). */
static int key_insert(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    const struct key_write *kw = w->arg;

    (void)before;
    if (db_exec_json(db, SQL_KEY_INSERT, kw->binds, p) != 0)
        return -1;
    w->id = db_last_insert_id(db);
    return 0;
}

/* The changes of a new key: its name and scopes, never its secret. */
static json_t *key_created(const struct write_call *w, const json_t *before, const json_t *after)
{
    const struct key_write *kw = w->arg;

    (void)before;
    return json_pack("{s:{s:n, s:O}, s:{s:n, s:O}}", "name", "before", "after",
                     json_object_get(after, "name"), "scopes", "before", "after", kw->scopes);
}

static const struct write_kind key_create_kind = {
    .entity = "api_keys",
    .noun = "API key",
    .read = key_write_read,
    .write = key_insert,
    .changes = key_created,
};

/* Mark a key revoked (write_kind.write): 404 when there is no such key not yet revoked. */
static int key_revoke(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)w->id, "now", w->ctx->now);
    int rc = db_exec_json(db, SQL_KEY_REVOKE, binds, p);

    (void)before;
    json_decref(binds);
    if (rc == 0 && db_changes(db) != 1)
        rc = problem_set(p, PROBLEM_NOT_FOUND, "no API key with id %lld", (long long)w->id);
    return rc;
}

static const struct write_kind key_revoke_kind = {
    .entity = "api_keys",
    .noun = "API key",
    .write = key_revoke,
};

json_t *api_key_store_create(struct db *db, const json_t *body, int64_t created_by,
                             const struct op_context *ctx, struct problem *p)
{
    json_t *record = fields_check_create(&key_table, body, ctx->today, p), *scopes = NULL;
    json_t *binds = NULL, *result = NULL;
    char prefix[17], secret[CRYPTO_TOKEN_LEN + 1], secret_hash[65], key[96];

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
    {
        struct key_write kw = {.binds = binds, .scopes = scopes};
        struct write_call w = {.kind = &key_create_kind,
                               .mode = WRITE_CREATE,
                               .action = "api_key_create",
                               .ctx = ctx,
                               .arg = &kw};

        result = write_run(db, &w, p);
    }
    if (result != NULL)
        json_object_set_new(result, "key", json_string(key));
out:
    crypto_wipe(secret, sizeof(secret));
    crypto_wipe(key, sizeof(key));
    json_decref(binds);
    json_decref(scopes);
    json_decref(record);
    return result;
}

int api_key_store_revoke(struct db *db, int64_t id, const struct op_context *ctx, struct problem *p)
{
    struct write_call w = {.kind = &key_revoke_kind,
                           .mode = WRITE_UPDATE,
                           .action = "api_key_revoke",
                           .id = id,
                           .ctx = ctx};
    json_t *done = write_run(db, &w, p);
    int rc = done != NULL ? 0 : -1;

    json_decref(done);
    return rc;
}

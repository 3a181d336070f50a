/* webhook_endpoints: the endpoints and their delivery log (see webhook_endpoints.h). */
#include "webhook_endpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "dates.h"
#include "fields.h"
#include "outbound_url.h"
#include "webhook_event.h"
#include "webhook_outbox.h"

#define ENDPOINTS_TABLE "webhook_endpoints"

static const char *const endpoint_bools[] = {"include_identifiers", "enabled", NULL};
static const char *const endpoint_json[] = {"events", NULL};

json_t *webhook_endpoints_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, endpoint_bools, endpoint_json);
}

json_t *webhook_endpoints_read(struct db *db, int64_t id, struct problem *p)
{
    return listing_read_one(db, SQL_WEBHOOK_ENDPOINT_GET, id, webhook_endpoints_row,
                            "webhook endpoint", p);
}

static const struct field_spec endpoint_fields[] = {
    {.name = "url",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 2000},
    {.name = "description", .type = FIELD_TEXT, .flags = FIELD_SINGLE_LINE, .max_chars = 200},
    {.name = "events",
     .type = FIELD_TEXT_ARRAY,
     .flags = FIELD_REQUIRED,
     .max_chars = 40,
     .max_items = 40},
    {.name = "include_identifiers", .type = FIELD_BOOL},
    {.name = "enabled", .type = FIELD_BOOL},
};
static const char *const endpoint_read_only[] = {
    "id",      "created_at", "updated_at",        "version", "secret",
    "pending", "failed",     "last_delivered_at", NULL};
static const struct field_table endpoint_table = {
    endpoint_fields, sizeof(endpoint_fields) / sizeof(endpoint_fields[0]), endpoint_read_only};
static const char *const endpoint_audited[] = {
    "url", "description", "events", "include_identifiers", "enabled", NULL};

/* Check an endpoint URL (outbound_url.h): adds the field error. */
static void check_url(const char *url, struct problem *p)
{
    char why[160];

    if (outbound_url_check(url, why, sizeof(why)) != 0)
        problem_add_field(p, "url", "%s", why);
}

/* Check the subscribed event types: each known, none twice, "*" alone. Adds the field error. */
static void check_events(const json_t *events, struct problem *p)
{
    size_t i, j;
    json_t *e;

    if (json_array_size(events) == 0) {
        problem_add_field(p, "events", "must name at least one event type, or \"*\" for all");
        return;
    }
    json_array_foreach(events, i, e)
    {
        const char *name = json_string_value(e);

        if (strcmp(name, WEBHOOK_EVENT_ALL) == 0 && json_array_size(events) > 1) {
            problem_add_field(p, "events", "\"*\" takes every type: list it alone");
            return;
        }
        if (strcmp(name, WEBHOOK_EVENT_ALL) != 0 && !webhook_event_type_known(name)) {
            problem_add_field(p, "events",
                              "\"%s\" is not an event type (see webhook_event_types in "
                              "GET /api/v1/fields)",
                              name);
            return;
        }
        for (j = 0; j < i; j++)
            if (strcmp(name, json_string_value(json_array_get(events, j))) == 0) {
                problem_add_field(p, "events", "lists \"%s\" twice", name);
                return;
            }
    }
}

/* Check a create body or the patched record. Returns the record or NULL (422 set). */
static json_t *check_endpoint(const json_t *before, const json_t *input, const char *today,
                              struct problem *p)
{
    json_t *record = before ? fields_check_patch(&endpoint_table, before, input, today, p)
                            : fields_check_create(&endpoint_table, input, today, p);

    if (record == NULL)
        return NULL;
    /* a new endpoint is enabled unless the body says otherwise */
    if (before == NULL && (json_object_get(input, "enabled") == NULL ||
                           json_is_null(json_object_get(input, "enabled"))))
        json_object_set_new(record, "enabled", json_true());
    if (json_is_string(json_object_get(record, "url")))
        check_url(json_string_value(json_object_get(record, "url")), p);
    if (json_is_array(json_object_get(record, "events")))
        check_events(json_object_get(record, "events"), p);
    if (problem_finish_checks(p) != 0) {
        json_decref(record);
        return NULL;
    }
    return record;
}

/* The secret made by a create or a rotation, to show once (write_call.arg). */
struct endpoint_secret {
    char text[CRYPTO_WEBHOOK_SECRET_LEN + 1];
};

/* Seal the secret for row id into binds' "secret" and "row_nonce" (the nonce is made when
 * `nonce` is NULL). Returns 0 or -1. */
static int seal_secret(json_t *binds, int64_t id, const char *nonce, const char *secret,
                       struct problem *p)
{
    char made[CRYPTO_ROW_NONCE_LEN + 1];
    char *sealed;

    if (nonce == NULL) {
        crypto_row_nonce(made);
        nonce = made;
        json_object_set_new(binds, "row_nonce", json_string(made));
    }
    sealed = crypto_field_encrypt(ENDPOINTS_TABLE, "secret", id, nonce, secret);
    if (sealed == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "sealing a webhook secret failed");
    json_object_set_new(binds, "secret", json_string(sealed));
    free(sealed);
    return 0;
}

/* The endpoint a write reads before and after the change (write_kind.read). */
static json_t *endpoint_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    return webhook_endpoints_read(db, w->id, p);
}

/* Check and write an endpoint (write_kind.write): a create makes and seals its secret. */
static int endpoint_write(struct db *db, struct write_call *w, const json_t *before,
                          struct problem *p)
{
    struct endpoint_secret *secret = w->arg;
    json_t *record = check_endpoint(before, w->input, w->ctx->today, p);
    int64_t id = 0;
    int rc = -1;

    if (record == NULL)
        return -1;
    if (before != NULL) {
        rc = write_store_row(db, w, before, record, SQL_NEXT_ID_WEBHOOK_ENDPOINTS,
                             SQL_WEBHOOK_ENDPOINT_INSERT, SQL_WEBHOOK_ENDPOINT_UPDATE, p);
        json_decref(record);
        return rc;
    }
    if (db_scalar_int(db, SQL_NEXT_ID_WEBHOOK_ENDPOINTS, NULL, &id, p) != 0)
        goto out;
    crypto_webhook_secret(secret->text);
    if (seal_secret(record, id, NULL, secret->text, p) != 0)
        goto out;
    json_object_set_new(record, "id", json_integer(id));
    json_object_set_new(record, "now", json_string(w->ctx->now));
    if (db_exec_json(db, SQL_WEBHOOK_ENDPOINT_INSERT, record, p) != 0)
        goto out;
    w->id = id;
    rc = 0;
out:
    json_decref(record);
    return rc;
}

/* Delete an endpoint's row; its deliveries go with it (write_kind.write). */
static int endpoint_remove(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)w->id);
    int rc = db_exec_json(db, SQL_WEBHOOK_ENDPOINT_DELETE, binds, p);

    (void)before;
    json_decref(binds);
    return rc;
}

/* Seal a new secret into the row (write_kind.write of a rotation). */
static int endpoint_rotate(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    struct endpoint_secret *secret = w->arg;
    json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)w->id, "now", w->ctx->now);
    char nonce[CRYPTO_ROW_NONCE_LEN + 1] = "";
    db_stmt *stmt = db_prepare(db, SQL_WEBHOOK_ENDPOINT_SECRET, p);
    int rc = -1;

    (void)before;
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW)
        snprintf(nonce, sizeof(nonce), "%s", db_row_text(stmt, "row_nonce"));
    db_finish(stmt);
    if (nonce[0] == '\0') {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_NOT_FOUND, "no webhook endpoint %lld", (long long)w->id);
        goto out;
    }
    crypto_webhook_secret(secret->text);
    if (seal_secret(binds, w->id, nonce, secret->text, p) == 0 &&
        db_exec_json(db, SQL_WEBHOOK_ENDPOINT_SET_SECRET, binds, p) == 0)
        rc = 0;
out:
    json_decref(binds);
    return rc;
}

/* The audit changes of a rotation: that the secret changed, never its value. */
static json_t *rotated(const struct write_call *w, const json_t *before, const json_t *after)
{
    (void)w, (void)before, (void)after;
    return json_pack("{s:{s:s, s:s}}", "secret", "before", "[redacted]", "after", "[redacted]");
}

static const struct write_kind endpoint_kind = {
    .entity = "webhook_endpoints",
    .noun = "webhook endpoint",
    .read = endpoint_write_read,
    .write = endpoint_write,
    .audited = endpoint_audited,
};
static const struct write_kind endpoint_delete_kind = {
    .entity = "webhook_endpoints",
    .noun = "webhook endpoint",
    .read = endpoint_write_read,
    .write = endpoint_remove,
    .audited = endpoint_audited,
};
static const struct write_kind endpoint_rotate_kind = {
    .entity = "webhook_endpoints",
    .noun = "webhook endpoint",
    .read = endpoint_write_read,
    .write = endpoint_rotate,
    .changes = rotated,
};

/* The record with the secret shown this once, wiping the copy in `secret`. */
static json_t *with_secret(json_t *record, struct endpoint_secret *secret)
{
    if (record != NULL)
        json_object_set_new(record, "secret", json_string(secret->text));
    crypto_wipe(secret->text, sizeof(secret->text));
    return record;
}

json_t *webhook_endpoints_create(struct db *db, const json_t *body, const struct op_context *ctx,
                                 struct problem *p)
{
    struct endpoint_secret secret = {""};
    struct write_call w = {.kind = &endpoint_kind,
                           .mode = WRITE_CREATE,
                           .action = "create",
                           .input = body,
                           .ctx = ctx,
                           .arg = &secret};

    if (!json_is_object(body)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a webhook endpoint must be a JSON object");
        return NULL;
    }
    return with_secret(write_run(db, &w, p), &secret);
}

json_t *webhook_endpoints_patch(struct db *db, int64_t id, const json_t *patch,
                                const struct if_match *if_match, const struct op_context *ctx,
                                struct problem *p)
{
    return write_patch(db, &endpoint_kind, id, patch, if_match, ctx, NULL, p);
}

json_t *webhook_endpoints_delete(struct db *db, int64_t id, const struct if_match *if_match,
                                 const struct op_context *ctx, struct problem *p)
{
    struct write_call w = {.kind = &endpoint_delete_kind,
                           .mode = WRITE_DELETE,
                           .action = "delete",
                           .id = id,
                           .if_match = if_match,
                           .ctx = ctx};

    return write_run(db, &w, p);
}

json_t *webhook_endpoints_rotate_secret(struct db *db, int64_t id, const struct op_context *ctx,
                                        struct problem *p)
{
    struct endpoint_secret secret = {""};
    struct write_call w = {.kind = &endpoint_rotate_kind,
                           .mode = WRITE_UPDATE,
                           .action = "rotate_secret",
                           .id = id,
                           .ctx = ctx,
                           .arg = &secret};

    return with_secret(write_run(db, &w, p), &secret);
}

json_t *webhook_endpoints_delivery_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, NULL, NULL);
}

json_t *webhook_endpoints_delivery(struct db *db, int64_t endpoint_id, int64_t delivery_id,
                                   struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:I}", "endpoint_id", (json_int_t)endpoint_id, "id",
                              (json_int_t)delivery_id);
    json_t *delivery = NULL, *attempts = NULL;
    db_stmt *stmt = db_prepare(db, SQL_WEBHOOK_DELIVERY_GET, p);
    enum db_step step = DB_ERROR;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && (step = db_step(stmt)) == DB_ROW)
        delivery = db_row_to_json(stmt, NULL, NULL);
    db_finish(stmt);
    if (delivery == NULL) {
        if (step == DB_DONE)
            problem_set(p, PROBLEM_NOT_FOUND, "webhook endpoint %lld has no delivery %lld",
                        (long long)endpoint_id, (long long)delivery_id);
        else if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "webhook delivery: %s", db_errmsg(db));
        goto out;
    }
    attempts = db_rows(db, SQL_WEBHOOK_ATTEMPT_LIST, binds, NULL, p);
    if (attempts == NULL) {
        json_decref(delivery);
        delivery = NULL;
        goto out;
    }
    json_object_set(delivery, "attempts_log", attempts);
out:
    json_decref(attempts);
    json_decref(binds);
    return delivery;
}

/* The delivery a replay works on (write_call.arg). */
struct replay_target {
    int64_t endpoint_id;
};

/* Read the delivery (write_kind.read of a replay). */
static json_t *replay_read(struct db *db, struct write_call *w, struct problem *p)
{
    const struct replay_target *t = w->arg;

    return webhook_endpoints_delivery(db, t->endpoint_id, w->id, p);
}

/* Queue the delivery again (write_kind.write of a replay). */
static int replay_write(struct db *db, struct write_call *w, const json_t *before,
                        struct problem *p)
{
    const struct replay_target *t = w->arg;
    char give_up[TIMESTAMP_LEN];
    json_t *binds;
    int rc;

    (void)before;
    dates_format_utc((time_t)(dates_epoch_of(w->ctx->now) + WEBHOOK_RETRY_SECONDS), give_up);
    binds = json_pack("{s:I, s:I, s:s, s:s}", "endpoint_id", (json_int_t)t->endpoint_id, "id",
                      (json_int_t)w->id, "now", w->ctx->now, "give_up_at", give_up);
    rc = db_exec_json(db, SQL_WEBHOOK_REPLAY, binds, p);
    json_decref(binds);
    if (rc == 0 && db_changes(db) == 0)
        return problem_set(p, PROBLEM_CONFLICT,
                           "delivery %lld is being posted right now: look at its log in a moment "
                           "and send it again if it failed",
                           (long long)w->id);
    return rc;
}

static const char *const replay_audited[] = {"status", "next_attempt_at", NULL};

static const struct write_kind replay_kind = {
    .entity = "webhook_deliveries",
    .noun = "webhook delivery",
    .read = replay_read,
    .write = replay_write,
    .audited = replay_audited,
};

json_t *webhook_endpoints_replay(struct db *db, int64_t endpoint_id, int64_t delivery_id,
                                 const struct op_context *ctx, struct problem *p)
{
    struct replay_target target = {.endpoint_id = endpoint_id};
    struct write_call w = {.kind = &replay_kind,
                           .mode = WRITE_UPDATE,
                           .action = "replay",
                           .id = delivery_id,
                           .ctx = ctx,
                           .arg = &target};

    return write_run(db, &w, p);
}

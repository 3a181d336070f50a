/* webhook_outbox: the change webhooks' outbox (see webhook_outbox.h). */
#include "webhook_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "dates.h"
#include "webhook_event.h"

#define EVENTS_TABLE    "webhook_events"
#define ENDPOINTS_TABLE "webhook_endpoints"
#define OVERDUE_SETTING "webhooks_overdue_through"
#define STAGE_SETTING   "webhooks_stages_through"
#define CLAIM_BATCH     16
/* Fields left out of the summary's `changed` list: they change on every write. */
static const char *const bookkeeping[] = {"version", "updated_at", "created_at", NULL};

/* ctx->now moved by `seconds`, as RFC 3339 UTC, into out. */
static void now_plus(const struct op_context *ctx, int64_t seconds, char out[TIMESTAMP_LEN])
{
    dates_format_utc((time_t)(dates_epoch_of(ctx->now) + seconds), out);
}

static int listed(const char *const *names, const char *name)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* The names of the fields whose values differ between before and after (none when either is
 * NULL: a create or a delete), in the record's member order, bookkeeping left out. Returns a
 * new array. */
static json_t *changed_fields(const json_t *before, const json_t *after)
{
    json_t *names = json_array();
    const char *key;
    json_t *value;

    if (before == NULL || after == NULL)
        return names;
    json_object_foreach((json_t *)before, key, value)
    {
        if (!listed(bookkeeping, key) && !json_equal(value, json_object_get(after, key)))
            json_array_append_new(names, json_string(key));
    }
    json_object_foreach((json_t *)after, key, value)
    {
        if (!listed(bookkeeping, key) && json_object_get(before, key) == NULL)
            json_array_append_new(names, json_string(key));
    }
    return names;
}

/* The stage and client of request `id` now into stage ("" when there is no such request) and
 * *client. Returns 0 or -1. */
static int request_stage(struct db *db, int64_t id, const struct op_context *ctx, char *stage,
                         size_t stage_size, int64_t *client, struct problem *p)
{
    json_t *binds =
        json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "today", ctx->today, "now", ctx->now);
    db_stmt *stmt = db_prepare(db, SQL_WEBHOOK_REQUEST_STAGE, p);
    enum db_step step = DB_ERROR;
    int rc = -1;

    stage[0] = '\0';
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        step = db_step(stmt);
        if (step == DB_ROW) {
            snprintf(stage, stage_size, "%s",
                     db_row_text(stmt, "stage") ? db_row_text(stmt, "stage") : "");
            *client = db_row_int(stmt, "client_id");
        }
        if (step == DB_ROW || step == DB_DONE)
            rc = 0;
        else if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "webhook stage: %s", db_errmsg(db));
    }
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

int webhook_outbox_before(struct db *db, int64_t request_id, const struct op_context *ctx,
                          struct webhook_change *change, struct problem *p)
{
    int64_t any = 0, client = 0;

    memset(change, 0, sizeof(*change));
    if (db_scalar_int(db, SQL_WEBHOOK_ANY_ENDPOINT, NULL, &any, p) != 0)
        return -1;
    if (!any)
        return 0;
    change->active = 1;
    change->request_id = request_id;
    if (request_id == 0)
        return 0;
    return request_stage(db, request_id, ctx, change->stage, sizeof(change->stage), &client, p);
}

/* A member `name` of `data` set to the id, or null for 0. */
static void set_id(json_t *data, const char *name, int64_t id)
{
    json_object_set_new(data, name, id ? json_integer(id) : json_null());
}

int webhook_outbox_note_stages(struct db *db, struct webhook_change *change, enum sql_id scope,
                               const char *program, int64_t client_id, const struct op_context *ctx,
                               struct problem *p)
{
    json_t *rows, *row;
    size_t i;

    if (!change->active)
        return 0;
    webhook_change_clear(change);
    change->stages_sql = scope;
    change->stages_binds = json_pack("{s:s, s:s, s:s?, s:I}", "today", ctx->today, "now", ctx->now,
                                     "program", program, "client_id", (json_int_t)client_id);
    rows = db_rows(db, scope, change->stages_binds, NULL, p);
    if (rows == NULL)
        return -1;
    change->stages = json_object();
    json_array_foreach(rows, i, row)
    {
        char id[32];

        snprintf(id, sizeof(id), "%lld",
                 (long long)json_integer_value(json_object_get(row, "parole_request_id")));
        json_object_set(change->stages, id, row);
    }
    json_decref(rows);
    return 0;
}

void webhook_change_clear(struct webhook_change *change)
{
    json_decref(change->stages);
    json_decref(change->stages_binds);
    change->stages = change->stages_binds = NULL;
}

/* stage.changed for every noted request (but `skip`, whose own change says it) whose stage
 * differs after the change; `cause` names the change. Returns 0, or -1 with *p set. */
static int noted_stage_changes(struct db *db, const struct webhook_change *change, int64_t skip,
                               const char *cause, const struct op_context *ctx, struct problem *p)
{
    json_t *rows = db_rows(db, change->stages_sql, change->stages_binds, NULL, p), *row;
    size_t i;
    int rc = 0;

    if (rows == NULL)
        return -1;
    json_array_foreach(rows, i, row)
    {
        int64_t request = json_integer_value(json_object_get(row, "parole_request_id"));
        const char *to = json_string_value(json_object_get(row, "stage"));
        const char *from;
        json_t *moved;
        char id[32], key[64];

        snprintf(id, sizeof(id), "%lld", (long long)request);
        from = json_string_value(json_object_get(json_object_get(change->stages, id), "stage"));
        if (request == skip || from == NULL || to == NULL || strcmp(from, to) == 0)
            continue;
        moved = json_pack("{s:I, s:O, s:s, s:s, s:s}", "parole_request_id", (json_int_t)request,
                          "client_id", json_object_get(row, "client_id"), "from", from, "to", to,
                          "cause", cause);
        snprintf(key, sizeof(key), "parole_request:%lld", (long long)request);
        rc = webhook_outbox_append(db, "stage.changed", key, moved, NULL, ctx, p);
        json_decref(moved);
        if (rc != 0)
            break;
    }
    json_decref(rows);
    return rc;
}

/* The events of a change of a record kind (see webhook_outbox_after), its request's id into
 * *request_out. Returns 0, or -1 with *p set. */
static int record_events(struct db *db, const struct webhook_change *change, const char *noun,
                         const char *type, int64_t id, int64_t request_id, int64_t client_id,
                         const json_t *before, const json_t *after, const struct op_context *ctx,
                         int64_t *request_out, struct problem *p)
{
    const json_t *record = after ? after : before;
    int is_request = strcmp(noun, "parole_request") == 0;
    int is_client = strcmp(noun, "client") == 0;
    char key[64], stage[32] = "";
    json_t *summary = NULL, *detail = NULL;
    int rc = -1;

    if (is_request)
        request_id = id;
    if (is_client)
        client_id = id;
    if (client_id == 0)
        client_id = json_integer_value(json_object_get(record, "client_id"));
    *request_out = request_id;
    if (request_id != 0) {
        int64_t owner = 0;

        if (request_stage(db, request_id, ctx, stage, sizeof(stage), &owner, p) != 0)
            return -1;
        if (client_id == 0)
            client_id = owner;
    }
    if (request_id != 0)
        snprintf(key, sizeof(key), "parole_request:%lld", (long long)request_id);
    else
        snprintf(key, sizeof(key), "client:%lld", (long long)client_id);
    summary = json_pack("{s:s, s:I}", "entity", noun, "id", (json_int_t)id);
    set_id(summary, "parole_request_id", request_id);
    set_id(summary, "client_id", client_id);
    json_object_set_new(summary, "changed", changed_fields(before, after));
    if (record != NULL && json_object_get(record, "version") != NULL)
        json_object_set(summary, "version", json_object_get(record, "version"));
    detail = json_deep_copy(summary);
    json_object_set(detail, "record", record ? (json_t *)record : json_null());
    if (webhook_outbox_append(db, type, key, summary, detail, ctx, p) != 0)
        goto out;
    /* the stage a write moved (a request created starts in its stage: no change) */
    if (request_id != 0 && change->request_id == request_id && change->stage[0] != '\0' &&
        stage[0] != '\0' && strcmp(change->stage, stage) != 0) {
        json_t *moved = json_pack("{s:I, s:s, s:s}", "parole_request_id", (json_int_t)request_id,
                                  "from", change->stage, "to", stage);

        set_id(moved, "client_id", client_id);
        json_object_set_new(moved, "cause", json_string(type));
        rc = webhook_outbox_append(db, "stage.changed", key, moved, NULL, ctx, p);
        json_decref(moved);
        goto out;
    }
    rc = 0;
out:
    json_decref(summary);
    json_decref(detail);
    return rc;
}

int webhook_outbox_after(struct db *db, const struct webhook_change *change, const char *entity,
                         const char *action, int64_t id, int64_t request_id, int64_t client_id,
                         const json_t *before, const json_t *after, const struct op_context *ctx,
                         struct problem *p)
{
    const char *noun = webhook_event_noun(entity);
    const char *verb = strcmp(action, "create") == 0   ? "created"
                       : strcmp(action, "delete") == 0 ? "deleted"
                                                       : "updated";
    char type[64];
    int64_t own_request = 0;

    if (!change->active)
        return 0;
    if (noun != NULL)
        snprintf(type, sizeof(type), "%s.%s", noun, verb);
    else
        snprintf(type, sizeof(type), "%s.%s", entity, action);
    if (noun != NULL && record_events(db, change, noun, type, id, request_id, client_id, before,
                                      after, ctx, &own_request, p) != 0)
        return -1;
    if (change->stages != NULL && noted_stage_changes(db, change, own_request, type, ctx, p) != 0)
        return -1;
    return 0;
}

/* The payload of an event as posted: {type, timestamp, data}. Returns new text (JSON). */
static char *payload_text(const char *type, const char *occurred_at, const json_t *data)
{
    json_t *payload =
        json_pack("{s:s, s:s, s:O}", "type", type, "timestamp", occurred_at, "data", data);
    char *text = json_dumps(payload, JSON_COMPACT);

    json_decref(payload);
    return text;
}

int webhook_outbox_append(struct db *db, const char *type, const char *record_key,
                          const json_t *summary, const json_t *detail, const struct op_context *ctx,
                          struct problem *p)
{
    char nonce[CRYPTO_ROW_NONCE_LEN + 1], give_up[TIMESTAMP_LEN];
    json_t *binds = json_pack("{s:s}", "type", type);
    db_stmt *stmt = db_prepare(db, SQL_WEBHOOK_SUBSCRIBERS, p);
    int64_t endpoints = 0, identifiers = 0, event_id;
    char *detail_text = NULL, *sealed = NULL;
    int rc = -1;

    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0 || db_step(stmt) != DB_ROW) {
        db_finish(stmt);
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "webhook subscribers: %s", db_errmsg(db));
        goto out;
    }
    endpoints = db_row_int(stmt, "endpoints");
    identifiers = db_row_int(stmt, "identifiers");
    db_finish(stmt);
    if (endpoints == 0) {
        rc = 0;
        goto out;
    }
    crypto_row_nonce(nonce);
    now_plus(ctx, WEBHOOK_RETRY_SECONDS, give_up);
    json_object_set_new(binds, "record_key", json_string(record_key));
    json_object_set_new(binds, "now", json_string(ctx->now));
    json_object_set(binds, "summary", (json_t *)summary); /* bound as JSON text */
    json_object_set_new(binds, "row_nonce", json_string(nonce));
    if (db_exec_json(db, SQL_WEBHOOK_EVENT_INSERT, binds, p) != 0)
        goto out;
    event_id = db_last_insert_id(db);
    if (identifiers && detail != NULL) {
        detail_text = json_dumps(detail, JSON_COMPACT);
        sealed = detail_text
                     ? crypto_field_encrypt(EVENTS_TABLE, "detail", event_id, nonce, detail_text)
                     : NULL;
        if (sealed == NULL) {
            problem_set(p, PROBLEM_INTERNAL, "sealing a webhook event failed");
            goto out;
        }
        json_object_set_new(binds, "id", json_integer(event_id));
        json_object_set_new(binds, "detail", json_string(sealed));
        if (db_exec_json(db, SQL_WEBHOOK_EVENT_SET_DETAIL, binds, p) != 0)
            goto out;
    }
    json_object_set_new(binds, "event_id", json_integer(event_id));
    json_object_set_new(binds, "give_up_at", json_string(give_up));
    rc = db_exec_json(db, SQL_WEBHOOK_DELIVERIES_INSERT, binds, p);
out:
    if (detail_text != NULL)
        crypto_wipe_string(detail_text);
    free(detail_text);
    free(sealed);
    json_decref(binds);
    return rc;
}

/* The payload of a sweep's event from its row (a new object), its record's key into key. */
typedef json_t *(*sweep_payload_fn)(json_t *row, char *key, size_t key_size);

/* Append an event of `type` for every row statement `sql` gives with binds (the caller's,
 * freed here), its payload made by `payload`; nothing is read while no enabled endpoint takes
 * the type. Returns the number raised, or -1 with *p set. */
static int64_t raise_each(struct db *db, enum sql_id sql, json_t *binds, const char *type,
                          sweep_payload_fn payload, const struct op_context *ctx, struct problem *p)
{
    json_t *subscribers = json_pack("{s:s}", "type", type), *rows = NULL, *row;
    int64_t raised = 0, endpoints = 0;
    size_t i;
    int rc = db_scalar_int(db, SQL_WEBHOOK_SUBSCRIBERS, subscribers, &endpoints, p);

    /* no endpoint takes the type: the rows are not even read */
    if (rc == 0 && endpoints > 0)
        rows = db_rows(db, sql, binds, NULL, p);
    json_decref(subscribers);
    json_decref(binds);
    if (rc != 0 || (endpoints > 0 && rows == NULL))
        return -1;
    if (rows == NULL)
        return 0;
    json_array_foreach(rows, i, row)
    {
        char key[64];
        json_t *data = payload(row, key, sizeof(key));
        int appended = webhook_outbox_append(db, type, key, data, NULL, ctx, p);

        json_decref(data);
        if (appended != 0) {
            json_decref(rows);
            return -1;
        }
        raised++;
    }
    json_decref(rows);
    return raised;
}

/* deadline.overdue's data: the ledger row (its id as `id`), of its request or client. */
static json_t *overdue_payload(json_t *row, char *key, size_t key_size)
{
    int64_t request = json_integer_value(json_object_get(row, "parole_request_id"));

    if (request != 0)
        snprintf(key, key_size, "parole_request:%lld", (long long)request);
    else
        snprintf(key, key_size, "client:%lld",
                 (long long)json_integer_value(json_object_get(row, "client_id")));
    json_object_set(row, "id", json_object_get(row, "ledger_id"));
    json_object_del(row, "ledger_id");
    return json_incref(row);
}

/* stage.changed's data for a stage that turned by itself (cause "date"). */
static json_t *stage_flip_payload(json_t *row, char *key, size_t key_size)
{
    int64_t request = json_integer_value(json_object_get(row, "parole_request_id"));

    snprintf(key, key_size, "parole_request:%lld", (long long)request);
    return json_pack("{s:I, s:O, s:O, s:O, s:s}", "parole_request_id", (json_int_t)request,
                     "client_id", json_object_get(row, "client_id"), "from",
                     json_object_get(row, "stage_from"), "to", json_object_get(row, "stage_to"),
                     "cause", "date");
}

/* Raise deadline.overdue for every deadline not met whose day ended in [from, ctx->today).
 * Returns the number raised, or -1 with *p set. */
static int64_t raise_overdue(struct db *db, const char *from, const struct op_context *ctx,
                             struct problem *p)
{
    return raise_each(db, SQL_WEBHOOK_OVERDUE_BETWEEN,
                      json_pack("{s:s, s:s}", "from", from, "today", ctx->today),
                      "deadline.overdue", overdue_payload, ctx, p);
}

/* Raise stage.changed for every request whose stage turned by itself since the instant
 * `from_now` (the day `from_day`) up to ctx's. Returns the number raised, or -1 with *p set. */
static int64_t raise_stage_flips(struct db *db, const char *from_now, const char *from_day,
                                 const struct op_context *ctx, struct problem *p)
{
    return raise_each(db, SQL_WEBHOOK_STAGE_FLIPS,
                      json_pack("{s:s, s:s, s:s, s:s}", "from_now", from_now, "from_day", from_day,
                                "now", ctx->now, "today", ctx->today),
                      "stage.changed", stage_flip_payload, ctx, p);
}

/* The stage flips since the last sweep (the first sweep only notes its instant). Inside the
 * sweep's transaction. Returns the number raised, or -1 with *p set. */
static int64_t sweep_stage_flips(struct db *db, const struct op_context *ctx, struct problem *p)
{
    json_t *binds =
        json_pack("{s:s, s:s, s:s}", "key", STAGE_SETTING, "value", ctx->now, "now", ctx->now);
    char through[TIMESTAMP_LEN + 1] = "", from_day[DATE_LEN];
    int64_t raised = 0;

    if (db_scalar_text(db, SQL_SETTING_GET, binds, through, sizeof(through), p) != 0)
        raised = -1;
    else if (through[0] != '\0' && strcmp(through, ctx->now) < 0) {
        dates_local_date_of(dates_epoch_of(through), from_day);
        raised = raise_stage_flips(db, through, from_day, ctx, p);
    }
    if (raised >= 0 && (through[0] == '\0' || strcmp(through, ctx->now) < 0) &&
        db_exec_json(db, SQL_SETTING_PUT, binds, p) != 0)
        raised = -1;
    json_decref(binds);
    return raised;
}

int webhook_outbox_sweep(struct db *db, const struct op_context *ctx, int64_t *raised,
                         struct problem *p)
{
    char through[DATE_LEN + 1] = "", keep[TIMESTAMP_LEN];
    json_t *binds = NULL;
    int64_t count = 0;
    int rc = -1;

    if (db_begin_write(db, p) != 0)
        return -1;
    /* the settings table keeps the day swept through (not through settings.h: it writes) */
    binds =
        json_pack("{s:s, s:s, s:s}", "key", OVERDUE_SETTING, "value", ctx->today, "now", ctx->now);
    if (db_scalar_text(db, SQL_SETTING_GET, binds, through, sizeof(through), p) != 0)
        goto out;
    if (through[0] == '\0') {
        struct civil_date today;

        dates_parse(ctx->today, &today);
        dates_format(dates_add_days(today, -1), through);
    }
    if (strcmp(through, ctx->today) < 0) {
        if ((count = raise_overdue(db, through, ctx, p)) < 0 ||
            db_exec_json(db, SQL_SETTING_PUT, binds, p) != 0)
            goto out;
    }
    if (sweep_stage_flips(db, ctx, p) < 0)
        goto out;
    now_plus(ctx, -(int64_t)WEBHOOK_KEEP_DAYS * 86400, keep);
    json_object_set_new(binds, "before", json_string(keep));
    if (db_exec_json(db, SQL_WEBHOOK_GIVE_UP, binds, p) != 0 ||
        db_exec_json(db, SQL_WEBHOOK_PURGE, binds, p) != 0 || db_commit(db, p) != 0)
        goto out;
    if (raised != NULL)
        *raised = count;
    rc = 0;
out:
    if (rc != 0)
        db_rollback(db);
    json_decref(binds);
    return rc;
}

/* Open a sealed column value of row `id` of `table`. Returns new text or NULL. */
static char *open_sealed(const char *table, const char *column, int64_t id, const char *nonce,
                         const char *sealed)
{
    return sealed ? crypto_field_decrypt(table, column, id, nonce, sealed) : NULL;
}

/* Fill one attempt from a due row; the payload is the detail for an endpoint that may receive
 * identifiers (when the event kept one), else the summary. Returns 0, or -1 when its secret or
 * payload does not open with this key (the attempt is then cleared by the caller). */
static int attempt_of_row(db_stmt *stmt, struct webhook_attempt *a)
{
    const char *detail = db_row_text(stmt, "detail");
    char *opened = NULL;
    json_t *data;

    memset(a, 0, sizeof(*a));
    a->delivery_id = db_row_int(stmt, "id");
    a->endpoint_id = db_row_int(stmt, "endpoint_id");
    a->event_id = db_row_int(stmt, "event_id");
    a->attempts = db_row_int(stmt, "attempts");
    snprintf(a->webhook_id, sizeof(a->webhook_id), "evt_%lld", (long long)a->event_id);
    snprintf(a->give_up_at, sizeof(a->give_up_at), "%s", db_row_text(stmt, "give_up_at"));
    a->url = strdup(db_row_text(stmt, "url"));
    a->secret = open_sealed(ENDPOINTS_TABLE, "secret", a->endpoint_id,
                            db_row_text(stmt, "endpoint_nonce"), db_row_text(stmt, "secret"));
    if (db_row_int(stmt, "include_identifiers") && detail != NULL)
        opened = open_sealed(EVENTS_TABLE, "detail", a->event_id, db_row_text(stmt, "event_nonce"),
                             detail);
    data = json_loads(opened ? opened : db_row_text(stmt, "summary"), 0, NULL);
    if (opened != NULL)
        crypto_wipe_string(opened);
    free(opened);
    if (data != NULL)
        a->body = payload_text(db_row_text(stmt, "type"), db_row_text(stmt, "occurred_at"), data);
    json_decref(data);
    return a->url == NULL || a->secret == NULL || a->body == NULL ? -1 : 0;
}

static void attempt_clear(struct webhook_attempt *a)
{
    if (a->secret != NULL)
        crypto_wipe_string(a->secret);
    if (a->body != NULL)
        crypto_wipe_string(a->body);
    free(a->url);
    free(a->secret);
    free(a->body);
    memset(a, 0, sizeof(*a));
}

void webhook_batch_clear(struct webhook_batch *batch)
{
    for (size_t i = 0; i < batch->count; i++)
        attempt_clear(&batch->items[i]);
    batch->count = 0;
}

int webhook_outbox_claim(struct db *db, const struct op_context *ctx, struct webhook_batch *out,
                         struct problem *p)
{
    char lease[TIMESTAMP_LEN];
    json_t *binds = json_pack("{s:s, s:i}", "now", ctx->now, "limit", CLAIM_BATCH);
    json_t *unopened = json_array(), *id;
    db_stmt *stmt;
    enum db_step step = DB_ERROR;
    size_t i;
    int rc = -1;

    out->count = 0;
    if (db_begin_write(db, p) != 0) {
        json_decref(binds);
        json_decref(unopened);
        return -1;
    }
    stmt = db_prepare(db, SQL_WEBHOOK_DUE, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while (out->count < CLAIM_BATCH && (step = db_step(stmt)) == DB_ROW) {
            struct webhook_attempt *a = &out->items[out->count];

            if (attempt_of_row(stmt, a) == 0) {
                out->count++;
            } else {
                /* one that does not open must not hold up the others */
                json_array_append_new(unopened, json_integer(a->delivery_id));
                attempt_clear(a);
            }
        }
    db_finish(stmt);
    if (step == DB_ERROR) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "webhook due: %s", db_errmsg(db));
        goto out;
    }
    json_object_set_new(binds, "error",
                        json_string("its secret or payload does not open with this key"));
    json_array_foreach(unopened, i, id)
    {
        json_object_set(binds, "id", id);
        if (db_exec_json(db, SQL_WEBHOOK_FAIL_NOW, binds, p) != 0)
            goto out;
    }
    /* held long enough for every post of the batch to time out, and a minute more */
    now_plus(ctx, (int64_t)out->count * WEBHOOK_POST_SECONDS + WEBHOOK_LEASE_SECONDS, lease);
    json_object_set_new(binds, "lease", json_string(lease));
    for (i = 0; i < out->count; i++) {
        snprintf(out->items[i].lease, sizeof(out->items[i].lease), "%s", lease);
        json_object_set_new(binds, "id", json_integer(out->items[i].delivery_id));
        if (db_exec_json(db, SQL_WEBHOOK_CLAIM, binds, p) != 0)
            goto out;
    }
    rc = db_commit(db, p);
    if (rc == 0 && json_array_size(unopened) > 0)
        fprintf(stderr,
                "paroletrack: webhooks: %zu deliveries failed: their secret or payload does not "
                "open with this key\n",
                json_array_size(unopened));
out:
    if (rc != 0) {
        db_rollback(db);
        webhook_batch_clear(out);
    }
    json_decref(unopened);
    json_decref(binds);
    return rc;
}

int64_t webhook_retry_delay(int64_t attempts)
{
    int64_t delay = 5;

    for (int64_t i = 1; i < attempts && delay < 8 * 3600; i++)
        delay *= 4;
    return delay < 8 * 3600 ? delay : 8 * 3600;
}

int webhook_outbox_last_attempt(const struct webhook_attempt *attempt, const struct op_context *ctx)
{
    char next[TIMESTAMP_LEN];

    now_plus(ctx, webhook_retry_delay(attempt->attempts + 1), next);
    return strcmp(next, attempt->give_up_at) > 0;
}

int webhook_outbox_record(struct db *db, const struct webhook_attempt *attempt, long status,
                          const char *error, int64_t duration_ms, const struct op_context *ctx,
                          struct problem *p)
{
    char next[TIMESTAMP_LEN];
    const char *state = "delivered";
    json_t *binds;
    int rc = -1;

    now_plus(ctx, webhook_retry_delay(attempt->attempts + 1), next);
    if (error != NULL)
        state = webhook_outbox_last_attempt(attempt, ctx) ? "failed" : "pending";
    binds = json_pack("{s:I, s:s, s:s, s:s?, s:I, s:s, s:s, s:s}", "id",
                      (json_int_t)attempt->delivery_id, "now", ctx->now, "state", state, "error",
                      error, "duration_ms", (json_int_t)duration_ms, "next_attempt_at", next,
                      "give_up_at", attempt->give_up_at, "lease", attempt->lease);
    json_object_set_new(binds, "status", status > 0 ? json_integer(status) : json_null());
    if (db_begin_write(db, p) != 0) {
        json_decref(binds);
        return -1;
    }
    /* the attempt is logged either way; its result counts only while its lease holds (a
     * worker that outlived its lease leaves the delivery to the one that took it over) */
    if (db_exec_json(db, SQL_WEBHOOK_ATTEMPT_INSERT, binds, p) == 0 &&
        db_exec_json(db, SQL_WEBHOOK_DELIVERY_RESULT, binds, p) == 0) {
        rc = db_changes(db) == 1 ? 0 : 1;
        if (db_commit(db, p) != 0)
            rc = -1;
    }
    if (rc != 0)
        db_rollback(db);
    json_decref(binds);
    return rc;
}

int webhook_outbox_backlog(struct db *db, int64_t *pending, int64_t *failed, int64_t *oldest_epoch,
                           struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_WEBHOOK_BACKLOG, p);
    int rc = -1;

    if (stmt != NULL && db_step(stmt) == DB_ROW) {
        *pending = db_row_int(stmt, "pending");
        *failed = db_row_int(stmt, "failed");
        *oldest_epoch = db_row_int(stmt, "oldest_epoch");
        rc = 0;
    } else if (p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_INTERNAL, "webhook backlog: %s", db_errmsg(db));
    db_finish(stmt);
    return rc;
}

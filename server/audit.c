/* audit: appending, listing and verifying the chained audit trail. */
#include "audit.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static const char *const audit_entities[] = {
    "clients",     "parole_requests", "filings",  "rfes",     "interviews",     "decisions",
    "expirations", "users",           "api_keys", "settings", "deadline_rules", NULL};
static const char *const audit_actor_types[] = {"user", "api_key", "cli", "system", NULL};

static const char *const audit_orders[] = {"asc", "desc", NULL};

static const struct filter_spec audit_filters[] = {
    {.name = "entity", .kind = FILTER_CHOICE, .choices = audit_entities},
    {.name = "entity_id", .kind = FILTER_ID},
    {.name = "actor_type", .kind = FILTER_CHOICE, .choices = audit_actor_types},
    {.name = "actor_id", .kind = FILTER_ID},
    {.name = "from", .kind = FILTER_TIMESTAMP},
    {.name = "to", .kind = FILTER_TIMESTAMP},
    {.name = "order", .kind = FILTER_CHOICE, .choices = audit_orders},
    {.name = NULL},
};

/* The hash of an event: HMAC-SHA-256 (under a subkey of the database's key) of its canonical
 * JSON (sorted keys, compact), which includes the previous event's hash. Without the key
 * nobody can recompute the chain after changing it. */
static void event_hash(const json_t *event, char out[65])
{
    char *canonical = json_dumps(event, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);

    crypto_audit_mac(canonical ? canonical : "", canonical ? strlen(canonical) : 0, out);
    free(canonical);
}

/* A JSON integer for an id, or null for 0. */
static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer(id) : json_null();
}

/* Record the newest event's id and hash (the chain's head) in the same transaction, so that
 * removing the newest events is seen by verify. */
static int put_head(struct db *db, int64_t id, const char *hash, const char *now, struct problem *p)
{
    char value[96];
    json_t *binds;
    db_stmt *stmt = db_prepare(db, SQL_SETTING_PUT, p);
    int rc = -1;

    snprintf(value, sizeof(value), "%lld %s", (long long)id, hash);
    binds = json_pack("{s:s, s:s, s:s}", "key", "audit_head", "value", value, "now", now);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        if (db_step(stmt) == DB_DONE)
            rc = 0;
        else
            problem_set(p, PROBLEM_INTERNAL, "audit head: %s", db_errmsg(db));
    }
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

int audit_append(struct db *db, const struct op_context *ctx, const char *action,
                 const char *entity, int64_t entity_id, int64_t parole_request_id,
                 const json_t *changes, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_AUDIT_LAST, p);
    char prev_hash[65] = GENESIS_HASH, hash[65];
    int64_t id = 1;
    json_t *event = NULL, *changes_copy;
    char *changes_text = NULL;
    enum db_step step;
    int rc = -1;

    if (stmt == NULL)
        return -1;
    if (!crypto_has_key()) {
        db_finish(stmt);
        return problem_set(p, PROBLEM_INTERNAL, "the audit trail needs the database's key");
    }
    step = db_step(stmt);
    if (step == DB_ROW) {
        id = db_column_int(stmt, 0) + 1;
        snprintf(prev_hash, sizeof(prev_hash), "%s", db_column_text(stmt, 1));
    } else if (step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "audit_last: %s", db_errmsg(db));
        goto out;
    }
    db_finish(stmt);
    stmt = NULL;
    changes_copy = changes ? json_deep_copy(changes) : json_object();
    changes_text = json_dumps(changes_copy, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    event =
        json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "id",
                  (json_int_t)id, "at", ctx->now, "actor_type",
                  context_actor_type_name(ctx->actor.type), "actor_id", id_or_null(ctx->actor.id),
                  "actor_label", ctx->actor.label, "action", action, "entity", entity, "entity_id",
                  id_or_null(entity_id), "parole_request_id", id_or_null(parole_request_id),
                  "request_id", ctx->request_id ? json_string(ctx->request_id) : json_null(),
                  "changes", changes_copy, "prev_hash", prev_hash);
    if (event == NULL || changes_text == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "audit: out of memory");
        goto out;
    }
    event_hash(event, hash);
    json_object_set_new(event, "hash", json_string(hash));
    json_object_set_new(event, "changes", json_string(changes_text));
    stmt = db_prepare(db, SQL_AUDIT_INSERT, p);
    if (stmt == NULL || db_bind_json(stmt, event, p) != 0)
        goto out;
    if (db_step(stmt) != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "audit_insert: %s", db_errmsg(db));
        goto out;
    }
    db_finish(stmt);
    stmt = NULL;
    rc = put_head(db, id, hash, ctx->now, p);
out:
    db_finish(stmt);
    json_decref(event);
    free(changes_text);
    return rc;
}

/* True when name is in the NULL-terminated list. */
static int listed(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

json_t *audit_changes(const json_t *before, const json_t *after, const char *const *fields,
                      const char *const *redacted)
{
    json_t *changes = json_object();

    for (; fields && *fields; fields++) {
        json_t *b = before ? json_object_get(before, *fields) : NULL;
        json_t *a = after ? json_object_get(after, *fields) : NULL;
        int secret = listed(*fields, redacted);

        if (before && after && json_equal(b ? b : json_null(), a ? a : json_null()))
            continue;
        if (!before && (a == NULL || json_is_null(a)))
            continue; /* a create lists what was set */
        if (!after && (b == NULL || json_is_null(b)))
            continue; /* a delete lists what was there */
        json_object_set_new(
            changes, *fields,
            json_pack("{s:o, s:o}", "before",
                      before ? (secret && b && !json_is_null(b) ? json_string(AUDIT_REDACTED)
                                                                : json_incref(b ? b : json_null()))
                             : json_null(),
                      "after",
                      after ? (secret && a && !json_is_null(a) ? json_string(AUDIT_REDACTED)
                                                               : json_incref(a ? a : json_null()))
                            : json_null()));
    }
    return changes;
}

/* Turn a stored row (SQL_AUDIT_* columns) into the API's event shape. Returns a new object. */
static json_t *event_from_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    json_t *row = db_row_to_json(stmt, NULL, NULL), *event;
    json_t *changes = json_loads(json_string_value(json_object_get(row, "changes")), 0, NULL);

    (void)arg, (void)p;
    event = json_pack("{s:O, s:O, s:{s:O, s:O, s:O}, s:O, s:O, s:O, s:O, s:O, s:o, s:O}", "id",
                      json_object_get(row, "id"), "at", json_object_get(row, "at"), "actor", "type",
                      json_object_get(row, "actor_type"), "id", json_object_get(row, "actor_id"),
                      "label", json_object_get(row, "actor_label"), "action",
                      json_object_get(row, "action"), "entity", json_object_get(row, "entity"),
                      "entity_id", json_object_get(row, "entity_id"), "parole_request_id",
                      json_object_get(row, "parole_request_id"), "request_id",
                      json_object_get(row, "request_id"), "changes",
                      changes ? changes : json_object(), "hash", json_object_get(row, "hash"));
    json_decref(row);
    return event;
}

/* Run a page of an audit list statement with the parsed query. */
static json_t *audit_page(struct db *db, enum sql_id sql, const struct filter_spec *filters,
                          int64_t request_id, const struct query_param *query, size_t query_count,
                          struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "parent_id", (json_int_t)request_id), *page = NULL;
    const char *order;
    int64_t limit;

    if (resource_parse_list_query(filters, query, query_count, binds, &limit, p) != 0)
        goto out;
    /* order=desc: newest first (the cursor then leads to older events) */
    order = json_string_value(json_object_get(binds, "order"));
    if (sql == SQL_AUDIT_LIST && order != NULL && strcmp(order, "desc") == 0)
        sql = SQL_AUDIT_LIST_DESC;
    if (db_begin_read(db, p) != 0)
        goto out;
    if (request_id > 0 && !resource_parent_exists(db, request_id, p))
        goto out;
    page = resource_page(db, sql, binds, limit, event_from_row, NULL, p);
out:
    db_rollback(db);
    json_decref(binds);
    return page;
}

json_t *audit_list(struct db *db, const struct query_param *query, size_t query_count,
                   struct problem *p)
{
    return audit_page(db, SQL_AUDIT_LIST, audit_filters, 0, query, query_count, p);
}

json_t *audit_history(struct db *db, int64_t request_id, const struct query_param *query,
                      size_t query_count, struct problem *p)
{
    static const struct filter_spec none[] = {{.name = NULL}};

    return audit_page(db, SQL_AUDIT_HISTORY, none, request_id, query, query_count, p);
}

int audit_verify(struct db *db, int64_t *events, int64_t *broken_at, char *why, size_t why_size,
                 struct problem *p)
{
    db_stmt *stmt;
    char prev_hash[65] = GENESIS_HASH;
    enum db_step step;
    int rc = 0;

    *events = 0;
    *broken_at = 0;
    if (db_begin_read(db, p) != 0)
        return -1;
    stmt = db_prepare(db, SQL_AUDIT_ALL, p);
    if (stmt == NULL) {
        db_rollback(db);
        return -1;
    }
    while (rc == 0 && (step = db_step(stmt)) == DB_ROW) {
        json_t *row = db_row_to_json(stmt, NULL, NULL);
        json_t *changes = json_loads(json_string_value(json_object_get(row, "changes")), 0, NULL);
        char computed[65], stored_hash[65];

        (*events)++;
        *broken_at = json_integer_value(json_object_get(row, "id"));
        snprintf(stored_hash, sizeof(stored_hash), "%s",
                 json_string_value(json_object_get(row, "hash"))
                     ? json_string_value(json_object_get(row, "hash"))
                     : "");
        if (changes == NULL) {
            snprintf(why, why_size, "its changes are not valid JSON");
            rc = 1;
        } else if (strcmp(json_string_value(json_object_get(row, "prev_hash")), prev_hash) != 0) {
            snprintf(why, why_size,
                     "it does not follow the event before it (an event was removed or "
                     "inserted)");
            rc = 1;
        } else {
            json_object_set_new(row, "changes", changes);
            changes = NULL;
            json_object_del(row, "hash");
            event_hash(row, computed);
            if (strcmp(computed, stored_hash) != 0) {
                snprintf(why, why_size, "its content does not match its hash (it was altered)");
                rc = 1;
            } else {
                snprintf(prev_hash, sizeof(prev_hash), "%s", stored_hash);
            }
        }
        json_decref(changes);
        json_decref(row);
    }
    if (rc == 0 && step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "audit_all: %s", db_errmsg(db));
        rc = -1;
    }
    db_finish(stmt);
    stmt = NULL;
    if (rc == 0) {
        /* The chain must end where the recorded head says: else the newest events are gone. */
        json_t *binds = json_pack("{s:s}", "key", "audit_head");
        db_stmt *head = db_prepare(db, SQL_SETTING_GET, p);
        char expected[96] = "", actual[96];

        if (head != NULL && db_bind_json(head, binds, p) == 0 && db_step(head) == DB_ROW)
            snprintf(expected, sizeof(expected), "%s", db_column_text(head, 0));
        db_finish(head);
        json_decref(binds);
        snprintf(actual, sizeof(actual), "%lld %s", (long long)*broken_at, prev_hash);
        if (expected[0] != '\0' && strcmp(expected, actual) != 0) {
            snprintf(why, why_size,
                     "the trail ends at event %lld but its recorded head is event %.20s: the "
                     "newest events were removed",
                     (long long)*broken_at, expected);
            rc = 1;
        } else if (expected[0] == '\0' && *events > 0) {
            snprintf(why, why_size, "the record of the trail's head is missing");
            rc = 1;
        }
    }
    if (rc == 0)
        *broken_at = 0;
    db_finish(stmt);
    db_rollback(db);
    return rc;
}

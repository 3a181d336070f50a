/* audit: appending, listing and verifying the chained audit trail. */
#include "audit.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "dates.h"
#include "text_buffer.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static const char *const audit_entities[] = {"clients",           "parole_requests",
                                             "filings",           "rfes",
                                             "interviews",        "decisions",
                                             "expirations",       "users",
                                             "api_keys",          "settings",
                                             "deadline_rules",    "programs",
                                             "fee_notices",       "entries",
                                             "fee_schedule",      "deadlines",
                                             "webhook_endpoints", "webhook_deliveries",
                                             "uscis_statuses",    NULL};
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

/* event_hash for a new event whose changes were just dumped (canonically) as changes_text: the
 * event is dumped with a one-character stand-in for its changes, which changes_text then
 * replaces in the text, instead of the changes being dumped a second time. The stand-in's
 * escaped form cannot occur in the text before it: a quote inside a string is escaped. Sets
 * the event's "changes" member to the stand-in (the caller replaces it). */
static int event_hash_spliced(json_t *event, const char *changes_text, char out[65])
{
    static const char stand_in[] = ",\"changes\":\"\\u0001\"";
    struct text_buffer canonical = {0};
    char *skeleton, *at;
    int rc = -1;

    json_object_set_new(event, "changes", json_string("\x01"));
    skeleton = json_dumps(event, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    at = skeleton != NULL ? strstr(skeleton, stand_in) : NULL;
    if (at != NULL) {
        text_buffer_add(&canonical, skeleton, (size_t)(at - skeleton));
        text_buffer_add_string(&canonical, ",\"changes\":");
        text_buffer_add_string(&canonical, changes_text);
        text_buffer_add_string(&canonical, at + sizeof(stand_in) - 1);
        if (!canonical.failed) {
            crypto_audit_mac(canonical.data, canonical.len, out);
            rc = 0;
        }
    }
    text_buffer_free(&canonical);
    free(skeleton);
    return rc;
}

/* A JSON integer for an id, or null for 0. */
static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer(id) : json_null();
}

/* The head record: the newest event's id and hash, the number of events and when it was
 * written, and its MAC (empty: not sealed yet, a head carried over by migration 0008). */
struct head {
    int64_t id, count;
    char hash[65], at[32], mac[65];
};

/* The MAC of a head's fields under the head key, into out. */
static void head_mac(const struct head *h, char out[65])
{
    char text[200];
    int n = snprintf(text, sizeof(text), "paroletrack-audit-head v1\n%lld\n%s\n%lld\n%s",
                     (long long)h->id, h->hash, (long long)h->count, h->at);

    crypto_audit_head_mac(text, n > 0 ? (size_t)n : 0, out);
}

/* Read the head into *h. Returns 1 when there is one, 0 when there is none, -1 with *p set. */
static int head_read(struct db *db, struct head *h, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_AUDIT_HEAD_GET, p);
    enum db_step step;
    int rc = -1;

    memset(h, 0, sizeof(*h));
    if (stmt == NULL)
        return -1;
    step = db_step(stmt);
    if (step == DB_ROW) {
        h->id = db_row_int(stmt, "event_id");
        snprintf(h->hash, sizeof(h->hash), "%s", db_row_text(stmt, "hash"));
        h->count = db_row_int(stmt, "event_count");
        snprintf(h->at, sizeof(h->at), "%s", db_row_text(stmt, "at"));
        if (!db_row_is_null(stmt, "mac"))
            snprintf(h->mac, sizeof(h->mac), "%s", db_row_text(stmt, "mac"));
        rc = 1;
    } else if (step == DB_DONE) {
        rc = 0;
    } else {
        problem_set(p, PROBLEM_INTERNAL, "audit head: %s", db_errmsg(db));
    }
    db_finish(stmt);
    return rc;
}

/* True when the head carries a MAC and it is the right one. */
static int head_sealed(const struct head *h)
{
    char expected[65];

    if (h->mac[0] == '\0')
        return 0;
    head_mac(h, expected);
    return crypto_equal(expected, h->mac);
}

/* Seal *h (fill its MAC) and store it as the head, inside the caller's write transaction. */
static int head_put(struct db *db, struct head *h, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_AUDIT_HEAD_PUT, p);
    json_t *binds;
    int rc = -1;

    head_mac(h, h->mac);
    binds = json_pack("{s:I, s:s, s:I, s:s, s:s}", "event_id", (json_int_t)h->id, "hash", h->hash,
                      "event_count", (json_int_t)h->count, "at", h->at, "mac", h->mac);
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

/* Move the head over the events just appended (first_id .. last_id, `appended` of them, the
 * first chained on prev_hash, the last hashed last_hash), in the same transaction, when the
 * head is sealed and ends where the chain ended before them. A head that does not (tampered
 * with, or never sealed) is left as it is so that `audit verify` keeps failing: carrying it
 * forward would launder the tampering. Said once per process on standard error. */
static int head_advance(struct db *db, int64_t first_id, const char *prev_hash, int64_t last_id,
                        const char *last_hash, int64_t appended, const char *now, struct problem *p)
{
    static atomic_int warned;
    struct head h;
    int found = head_read(db, &h, p);

    if (found < 0)
        return -1;
    if (found && head_sealed(&h) && h.id == first_id - 1 && strcmp(h.hash, prev_hash) == 0) {
        h.id = last_id;
        h.count += appended;
        snprintf(h.hash, sizeof(h.hash), "%s", last_hash);
        snprintf(h.at, sizeof(h.at), "%s", now);
        return head_put(db, &h, p);
    }
    if (atomic_exchange(&warned, 1) == 0)
        fprintf(stderr, "paroletrack: the audit trail's head is missing, unsealed or does not "
                        "match the trail; it is left as it is (run paroletrack audit verify)\n");
    return 0;
}

/* Read the newest event's id and hash into *id and prev_hash (0 and the genesis hash for an
 * empty trail). Returns 0 or -1 with *p set. */
static int chain_last(struct db *db, int64_t *id, char prev_hash[65], struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_AUDIT_LAST, p);
    enum db_step step;
    int rc = 0;

    *id = 0;
    snprintf(prev_hash, 65, "%s", GENESIS_HASH);
    if (stmt == NULL)
        return -1;
    step = db_step(stmt);
    if (step == DB_ROW) {
        *id = db_row_int(stmt, "id");
        snprintf(prev_hash, 65, "%s", db_row_text(stmt, "hash"));
    } else if (step != DB_DONE) {
        rc = problem_set(p, PROBLEM_INTERNAL, "audit_last: %s", db_errmsg(db));
    }
    db_finish(stmt);
    return rc;
}

/* Insert event `e` as event `id`, chained on prev_hash; its hash goes into hash. The head is
 * the caller's. Returns 0 or -1 with *p set. */
static int event_insert(struct db *db, const struct audit_event *e, int64_t id,
                        const char *prev_hash, char hash[65], struct problem *p)
{
    const struct op_context *ctx = e->ctx;
    json_t *event = NULL, *no_changes = json_object();
    char *changes_text = NULL;
    db_stmt *stmt = NULL;
    int rc = -1;

    changes_text = json_dumps(e->changes ? e->changes : no_changes,
                              JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    event = json_pack(
        "{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "id", (json_int_t)id, "at",
        ctx->now, "actor_type", context_actor_type_name(ctx->actor.type), "actor_id",
        id_or_null(ctx->actor.id), "actor_label", ctx->actor.label, "action", e->action, "entity",
        e->entity, "entity_id", id_or_null(e->entity_id), "parole_request_id",
        id_or_null(e->parole_request_id), "request_id",
        ctx->request_id ? json_string(ctx->request_id) : json_null(), "prev_hash", prev_hash);
    if (event == NULL || changes_text == NULL || event_hash_spliced(event, changes_text, hash)) {
        problem_set(p, PROBLEM_INTERNAL, "audit: out of memory");
        goto out;
    }
    json_object_set_new(event, "hash", json_string(hash));
    json_object_set_new(event, "changes", json_string(changes_text));
    stmt = db_prepare(db, SQL_AUDIT_INSERT, p);
    if (stmt == NULL || db_bind_json(stmt, event, p) != 0)
        goto out;
    if (db_step(stmt) != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "audit_insert: %s", db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_finish(stmt);
    json_decref(event);
    json_decref(no_changes);
    free(changes_text);
    return rc;
}

int audit_append_events(struct db *db, const struct audit_event *events, size_t count,
                        struct problem *p)
{
    char first_prev[65], prev[65], hash[65];
    int64_t last = 0;

    if (count == 0)
        return 0;
    if (!crypto_has_key())
        return problem_set(p, PROBLEM_INTERNAL, "the audit trail needs the database's key");
    if (chain_last(db, &last, first_prev, p) != 0)
        return -1;
    snprintf(prev, sizeof(prev), "%s", first_prev);
    for (size_t i = 0; i < count; i++) {
        if (event_insert(db, &events[i], last + 1, prev, hash, p) != 0)
            return -1;
        last++;
        snprintf(prev, sizeof(prev), "%s", hash);
    }
    return head_advance(db, last - (int64_t)count + 1, first_prev, last, prev, (int64_t)count,
                        events[count - 1].ctx->now, p);
}

int audit_append(struct db *db, const struct op_context *ctx, const char *action,
                 const char *entity, int64_t entity_id, int64_t parole_request_id,
                 const json_t *changes, struct problem *p)
{
    const struct audit_event e = {ctx, action, entity, entity_id, parole_request_id, changes};

    return audit_append_events(db, &e, 1, p);
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

    if (listing_parse_query(filters, query, query_count, binds, &limit, p) != 0)
        goto out;
    /* order=desc: newest first (the cursor then leads to older events) */
    order = json_string_value(json_object_get(binds, "order"));
    if (sql == SQL_AUDIT_LIST && order != NULL && strcmp(order, "desc") == 0)
        sql = SQL_AUDIT_LIST_DESC;
    if (db_begin_read(db, p) != 0)
        goto out;
    if (request_id > 0 && !listing_parent_exists(db, request_id, p))
        goto out;
    page = listing_page(db, sql, binds, limit, event_from_row, NULL, p);
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

    return audit_page(db, SQL_AUDIT_HISTORY, listing_no_filters, request_id, query, query_count, p);
}

/* Where a walk of the chain ended: the number of events, the last one's id and hash, and (when
 * anchor_id > 0) the number of events up to the anchored one and its hash. */
struct chain_end {
    int64_t events, last_id, anchor_id, anchor_position;
    char last_hash[65], anchor_hash[65];
};

/* Walk the whole chain (inside the caller's transaction) checking every event's hash and link.
 * Returns 0 when intact (*end filled), 1 when broken (*broken_at and why), -1 with *p set. */
static int chain_walk(struct db *db, struct chain_end *end, int64_t *broken_at, char *why,
                      size_t why_size, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_AUDIT_ALL, p);
    enum db_step step = DB_DONE;
    int rc = 0;

    end->events = end->last_id = end->anchor_position = 0;
    snprintf(end->last_hash, sizeof(end->last_hash), "%s", GENESIS_HASH);
    end->anchor_hash[0] = '\0';
    if (stmt == NULL)
        return -1;
    while (rc == 0 && (step = db_step(stmt)) == DB_ROW) {
        json_t *row = db_row_to_json(stmt, NULL, NULL);
        json_t *changes = json_loads(json_string_value(json_object_get(row, "changes")), 0, NULL);
        const char *prev = json_string_value(json_object_get(row, "prev_hash"));
        char computed[65], stored_hash[65];

        end->events++;
        *broken_at = json_integer_value(json_object_get(row, "id"));
        snprintf(stored_hash, sizeof(stored_hash), "%s",
                 json_string_value(json_object_get(row, "hash"))
                     ? json_string_value(json_object_get(row, "hash"))
                     : "");
        if (changes == NULL) {
            snprintf(why, why_size, "its changes are not valid JSON");
            rc = 1;
        } else if (prev == NULL || strcmp(prev, end->last_hash) != 0) {
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
                end->last_id = *broken_at;
                snprintf(end->last_hash, sizeof(end->last_hash), "%s", stored_hash);
                if (end->anchor_id > 0 && end->last_id == end->anchor_id) {
                    end->anchor_position = end->events;
                    snprintf(end->anchor_hash, sizeof(end->anchor_hash), "%s", stored_hash);
                }
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
    return rc;
}

/* Compare the sealed head with where the chain ends. Returns 0 when they agree (*h is the
 * head), 1 when not (*broken_at and why), -1 with *p set. */
static int head_check(struct db *db, const struct chain_end *end, struct head *h,
                      int64_t *broken_at, char *why, size_t why_size, struct problem *p)
{
    int found = head_read(db, h, p);

    *broken_at = end->last_id;
    if (found < 0)
        return -1;
    if (found == 0)
        snprintf(why, why_size,
                 "the audit head is missing (it was removed behind the "
                 "application's back)");
    else if (h->mac[0] == '\0')
        snprintf(why, why_size,
                 "the audit head is not sealed: its MAC was removed, or the trail did not end "
                 "at the head an older version recorded when the key was first used");
    else if (!head_sealed(h))
        snprintf(why, why_size,
                 "the audit head's MAC is wrong (the head was rewritten without "
                 "the key)");
    else if (end->last_id < h->id || end->events < h->count)
        snprintf(why, why_size,
                 "the trail ends at event %lld (%lld events) but its sealed head is event %lld "
                 "(%lld events): the newest events were removed",
                 (long long)end->last_id, (long long)end->events, (long long)h->id,
                 (long long)h->count);
    else if (end->last_id > h->id || end->events > h->count) {
        snprintf(why, why_size,
                 "the trail goes on after its sealed head, event %lld (%lld events): events "
                 "were added behind the application's back",
                 (long long)h->id, (long long)h->count);
        *broken_at = h->id + 1;
    } else if (strcmp(end->last_hash, h->hash) != 0)
        snprintf(why, why_size, "event %lld is not the one its sealed head records (replaced)",
                 (long long)h->id);
    else
        return 0;
    return 1;
}

/* Check that the trail still holds the anchored head. Returns 0 or 1 (why set). */
static int anchor_check(const struct chain_end *end, const struct audit_anchor *a,
                        int64_t *broken_at, char *why, size_t why_size)
{
    *broken_at = a->id;
    if (a->id == 0 ? a->count != 0 || strcmp(a->hash, GENESIS_HASH) != 0
                   : end->anchor_position == 0) {
        snprintf(why, why_size,
                 "the anchored event %lld is gone: the trail was rolled back past the anchor "
                 "(it ends at event %lld)",
                 (long long)a->id, (long long)end->last_id);
        return 1;
    }
    if (a->id > 0 && strcmp(end->anchor_hash, a->hash) != 0) {
        snprintf(why, why_size,
                 "event %lld does not have the anchored hash: the trail was rewritten",
                 (long long)a->id);
        return 1;
    }
    if (a->id > 0 && end->anchor_position != a->count) {
        snprintf(why, why_size,
                 "the trail holds %lld events up to event %lld, the anchor %lld: events before "
                 "it were removed or inserted",
                 (long long)end->anchor_position, (long long)a->id, (long long)a->count);
        return 1;
    }
    return 0;
}

int audit_verify(struct db *db, struct audit_check *c, struct problem *p)
{
    struct chain_end end;
    struct head h;
    int rc;

    c->events = 0;
    c->broken_at = 0;
    c->why[0] = '\0';
    memset(&c->head, 0, sizeof(c->head));
    memset(&end, 0, sizeof(end));
    end.anchor_id = c->anchor != NULL ? c->anchor->id : 0;
    if (db_begin_read(db, p) != 0)
        return -1;
    rc = chain_walk(db, &end, &c->broken_at, c->why, sizeof(c->why), p);
    c->events = end.events;
    if (rc == 0)
        rc = head_check(db, &end, &h, &c->broken_at, c->why, sizeof(c->why), p);
    if (rc == 0 && c->anchor != NULL)
        rc = anchor_check(&end, c->anchor, &c->broken_at, c->why, sizeof(c->why));
    if (rc == 0) {
        c->broken_at = 0;
        c->head.id = h.id;
        c->head.count = h.count;
        snprintf(c->head.hash, sizeof(c->head.hash), "%s", h.hash);
        snprintf(c->head.at, sizeof(c->head.at), "%s", h.at);
    }
    db_rollback(db);
    return rc;
}

int audit_head_adopt(struct db *db, struct problem *p)
{
    struct chain_end end;
    struct head h;
    int64_t broken_at = 0;
    char why[256];
    int found = head_read(db, &h, p), rc;

    if (found < 0)
        return -1;
    if (found && head_sealed(&h))
        return 0;
    memset(&end, 0, sizeof(end));
    rc = chain_walk(db, &end, &broken_at, why, sizeof(why), p);
    if (rc != 0)
        return rc;
    if (!found) {
        if (end.events != 0)
            return 1;
        snprintf(h.hash, sizeof(h.hash), "%s", GENESIS_HASH);
        dates_format_utc(time(NULL), h.at);
    } else if (h.mac[0] != '\0' || end.last_id != h.id || end.events != h.count ||
               strcmp(end.last_hash, h.hash) != 0) {
        return 1; /* a wrong MAC, or a legacy head the chain does not end at: left for verify */
    }
    return head_put(db, &h, p);
}

/* Parse a decimal number of at most 18 digits after prefix at the start of token. */
static int anchor_number(const char *token, const char *prefix, int64_t *out)
{
    size_t n = strlen(prefix), digits;

    if (strncmp(token, prefix, n) != 0)
        return -1;
    token += n;
    digits = strspn(token, "0123456789");
    if (digits == 0 || digits > 18 || token[digits] != '\0' || (token[0] == '0' && digits > 1))
        return -1;
    *out = strtoll(token, NULL, 10);
    return 0;
}

int audit_anchor_parse(const char *line, struct audit_anchor *a, char *why, size_t why_size)
{
    char copy[256], *tokens[7], *save = NULL, utc[TIMESTAMP_LEN];
    size_t n = 0, len = strlen(line);
    int64_t epoch;

    memset(a, 0, sizeof(*a));
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;
    if (len >= sizeof(copy)) {
        snprintf(why, why_size, "the anchor is too long to be one");
        return -1;
    }
    memcpy(copy, line, len);
    copy[len] = '\0';
    for (char *t = strtok_r(copy, " ", &save); t != NULL && n < 7; t = strtok_r(NULL, " ", &save))
        tokens[n++] = t;
    if (n != 6 || strcmp(tokens[0], AUDIT_ANCHOR_MAGIC) != 0 || strcmp(tokens[1], "v1") != 0) {
        snprintf(why, why_size,
                 "the anchor must read \"" AUDIT_ANCHOR_MAGIC
                 " v1 id=N count=N hash=HEX at=TIMESTAMP\" (as printed by audit anchor)");
        return -1;
    }
    if (anchor_number(tokens[2], "id=", &a->id) != 0) {
        snprintf(why, why_size, "the anchor's id= must be an event id (digits)");
        return -1;
    }
    if (anchor_number(tokens[3], "count=", &a->count) != 0 || (a->id > 0) != (a->count > 0)) {
        snprintf(why, why_size,
                 "the anchor's count= must be a number of events (0 only with "
                 "id=0)");
        return -1;
    }
    if (strncmp(tokens[4], "hash=", 5) != 0 || strlen(tokens[4] + 5) != 64 ||
        strspn(tokens[4] + 5, "0123456789abcdef") != 64) {
        snprintf(why, why_size, "the anchor's hash= must be 64 lower-case hex digits");
        return -1;
    }
    snprintf(a->hash, sizeof(a->hash), "%s", tokens[4] + 5);
    if (strncmp(tokens[5], "at=", 3) != 0 ||
        dates_parse_timestamp(tokens[5] + 3, utc, &epoch) != 0) {
        snprintf(why, why_size, "the anchor's at= must be an RFC 3339 timestamp");
        return -1;
    }
    snprintf(a->at, sizeof(a->at), "%s", tokens[5] + 3);
    return 0;
}

void audit_anchor_format(const struct audit_anchor *a, char *out, size_t out_size)
{
    snprintf(out, out_size, AUDIT_ANCHOR_MAGIC " v1 id=%lld count=%lld hash=%s at=%s",
             (long long)a->id, (long long)a->count, a->hash, a->at);
}

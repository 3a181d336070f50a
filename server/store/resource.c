/* resource: generic list / create / get / patch / delete over a resource_spec. */
#include "resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_batch.h"
#include "crypto.h"
#include "field_key.h"
#include "json_text.h"
#include "lookups.h"

const char *const resource_includes[] = {"notes", NULL};
const struct filter_spec resource_include_only[] = {RESOURCE_INCLUDE_FILTER, {.name = NULL}};

/* A new bind set holding the clock and the ids every statement may name. */
static json_t *binds_new(const struct op_context *ctx, int64_t parent_id, int64_t id)
{
    return json_pack("{s:s, s:s, s:I, s:I}", "now", ctx->now, "today", ctx->today, "parent_id",
                     (json_int_t)parent_id, "id", (json_int_t)id);
}

/* Set a 404 naming the resource and id. Returns -1. */
static int not_found(const struct resource_spec *spec, int64_t id, struct problem *p)
{
    return problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %lld", spec->noun, (long long)id);
}

/* Set *p for a sealed value that does not open: 503 when it names another key than the
 * process's (the database was rekeyed under this server: restart it with the new key), else
 * 500 (a value moved between rows, or forged). Returns NULL. */
static json_t *unreadable(const struct resource_spec *spec, const char *field, int64_t id,
                          const char *stored, struct problem *p)
{
    char key_id[CRYPTO_KEY_ID_LEN + 1];

    if (crypto_field_key_id(stored, key_id) == 0 && strcmp(key_id, crypto_key_id()) != 0)
        problem_set(p, PROBLEM_UNAVAILABLE, "%s", FIELD_KEY_CHANGED_DETAIL);
    else
        problem_set(p, PROBLEM_INTERNAL, "%s.%s of row %lld does not decrypt with this key",
                    spec->sql_table, field, (long long)id);
    return NULL;
}

/* The record in the current row of one of the resource's statements: columns to JSON, the
 * encrypted fields decrypted (bound to the row's id and row_nonce), computed members added,
 * the row nonce removed (copied into `nonce` when not NULL). Returns a new object or NULL
 * (500: a value that does not decrypt, which means a value moved between rows; 503: a value
 * sealed under another key). */
static json_t *record_from_row(const struct resource_spec *spec, db_stmt *stmt,
                               char nonce[CRYPTO_ROW_NONCE_LEN + 1], struct problem *p)
{
    json_t *record = db_row_to_json(stmt, spec->bool_columns, spec->json_columns);
    int64_t id = json_integer_value(json_object_get(record, "id"));
    const char *row_nonce = json_string_value(json_object_get(record, "row_nonce"));

    for (const char *const *f = spec->encrypted; f && *f; f++) {
        const char *stored = json_string_value(json_object_get(record, *f));
        char *plain;

        if (stored == NULL)
            continue;
        /* A value that is not sealed was put there behind the application's back (values
         * written before encryption are sealed at start): refuse it like a forged seal. */
        plain = crypto_field_decrypt(spec->sql_table, *f, id, row_nonce, stored);
        if (plain == NULL) {
            unreadable(spec, *f, id, stored, p);
            json_decref(record);
            return NULL;
        }
        json_object_set_new(record, *f, json_string(plain));
        free(plain);
    }
    if (nonce != NULL)
        snprintf(nonce, CRYPTO_ROW_NONCE_LEN + 1, "%s", row_nonce ? row_nonce : "");
    json_object_del(record, "row_nonce");
    if (spec->decorate != NULL)
        spec->decorate(record);
    return record;
}

/* A copy of the values to store for row `id` with nonce `nonce`: the encrypted fields sealed
 * to their place. Returns a new object or NULL (500). */
static json_t *values_to_store(const struct resource_spec *spec, const json_t *record, int64_t id,
                               const char *nonce, struct problem *p)
{
    json_t *values = json_deep_copy(record);

    for (const char *const *f = spec->encrypted; f && *f; f++) {
        const char *plain = json_string_value(json_object_get(values, *f));
        char *sealed;

        if (plain == NULL)
            continue;
        sealed = crypto_field_encrypt(spec->sql_table, *f, id, nonce, plain);
        if (sealed == NULL) {
            problem_set(p, PROBLEM_INTERNAL, "cannot encrypt %s.%s", spec->sql_table, *f);
            json_decref(values);
            return NULL;
        }
        json_object_set_new(values, *f, json_string(sealed));
        free(sealed);
    }
    return values;
}

/* The names of a resource's fields, for audit diffs (static, NULL-terminated; the table sizes
 * are small and fixed). */
static void field_names(const struct resource_spec *spec, const char *names[32])
{
    size_t n = 0;

    for (size_t i = 0; i < spec->table.count && n < 31; i++)
        names[n++] = spec->table.fields[i].name;
    names[n] = NULL;
}

/* What a resource write knows besides the call: its spec, its parent and the row nonce read
 * with the record (the encrypted values of an update are bound to it). */
struct resource_write {
    const struct resource_spec *spec;
    int64_t parent_id;
    char nonce[CRYPTO_ROW_NONCE_LEN + 1];
};

/* The audit changes of a resource write (write_kind.changes): every field of its table, the
 * encrypted ones redacted. Returns a new object. */
static json_t *resource_changes(const struct write_call *w, const json_t *before,
                                const json_t *after)
{
    const struct resource_write *rw = w->arg;
    const char *names[32];

    field_names(rw->spec, names);
    return audit_changes(before, after, names, rw->spec->encrypted);
}

/* Read one record inside the caller's transaction (or none); its row nonce is copied into
 * `nonce` when not NULL. Returns the record or NULL with 404 / internal in *p. */
static json_t *read_record(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                           int64_t id, const struct op_context *ctx,
                           char nonce[CRYPTO_ROW_NONCE_LEN + 1], struct problem *p)
{
    json_t *binds = binds_new(ctx, parent_id, id), *record = NULL;
    db_stmt *stmt = db_prepare(db, spec->sql_get, p);
    enum db_step step;

    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_ROW) {
        record = record_from_row(spec, stmt, nonce, p);
    } else if (step == DB_DONE) {
        not_found(spec, id, p);
    } else {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(spec->sql_get), db_errmsg(db));
    }
out:
    db_finish(stmt);
    json_decref(binds);
    return record;
}

/* Run the resource's cross-field and cross-record rules on a checked record (even one with bad
 * fields, so every problem is reported at once), then turn any field error into one 422.
 * Returns 0 when the record may be written. */
static int check_rules(struct db *db, const struct resource_spec *spec, json_t *record,
                       const json_t *stored, int64_t parent_id, int64_t id,
                       const struct op_context *ctx, struct problem *p)
{
    if (spec->before_write != NULL &&
        spec->before_write(db, record, stored, parent_id, id, ctx, p) != 0)
        return -1;
    return problem_finish_checks(p);
}

/* Run an INSERT or UPDATE with the record's values and the request's binds. Maps a unique
 * constraint to 409. Returns 0 or -1 with *p set. */
static int write_record(struct db *db, const struct resource_spec *spec, enum sql_id sql,
                        json_t *binds, const json_t *record, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step;
    int rc = -1;

    if (stmt == NULL)
        return -1;
    json_object_update(binds, (json_t *)record);
    if (db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_CONSTRAINT_UNIQUE) {
        problem_set(p, PROBLEM_CONFLICT, "this %s conflicts with an existing record", spec->noun);
        goto out;
    }
    if (step == DB_CONSTRAINT_FOREIGN_KEY) {
        problem_set(p, PROBLEM_CONFLICT, "this %s refers to a record that does not exist",
                    spec->noun);
        goto out;
    }
    if (step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_finish(stmt);
    return rc;
}

/* True when the resource has no parent, or its parent (a parole request, or a client) exists;
 * else false with 404 (or another problem) in *p. */
static int parent_exists(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                         struct problem *p)
{
    if (spec->is_child)
        return listing_parent_exists(db, parent_id, p);
    if (spec->is_client_child)
        return listing_client_exists(db, parent_id, p);
    return 1;
}

/* The record a resource write reads before and after the change (write_kind.read): 404 when
 * the parent request or the record is missing. Keeps the row nonce in the write's state. */
static json_t *resource_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    struct resource_write *rw = w->arg;

    if (!parent_exists(db, rw->spec, rw->parent_id, p))
        return NULL;
    return read_record(db, rw->spec, rw->parent_id, w->id, w->ctx, rw->nonce, p);
}

/* The history an event of this resource joins: the parent request's, or the request's own. */
static int64_t history_of(const struct resource_spec *spec, int64_t parent_id, int64_t id)
{
    return spec->is_child ? parent_id : (spec->is_parole_request ? id : 0);
}

/* Seal the record's encrypted values for row `id` and run `sql` (the insert or the update)
 * with them, the call's binds and one more bind `extra_name` (taken: the new row's nonce, or
 * the version the update expects). Returns 0 or -1 with *p set. */
static int store_row(struct db *db, const struct write_call *w, enum sql_id sql,
                     const json_t *record, int64_t id, const char *extra_name, json_t *extra,
                     struct problem *p)
{
    const struct resource_write *rw = w->arg;
    json_t *values = values_to_store(rw->spec, record, id, rw->nonce, p), *binds;
    int rc;

    if (values == NULL) {
        json_decref(extra);
        return -1;
    }
    binds = binds_new(w->ctx, rw->parent_id, id);
    json_object_set_new(binds, extra_name, extra);
    rc = write_record(db, rw->spec, sql, binds, values, p);
    json_decref(binds);
    json_decref(values);
    return rc;
}

/* Check a new record and insert it (write_kind.write of a create). */
static int resource_insert(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    struct resource_write *rw = w->arg;
    const struct resource_spec *spec = rw->spec;
    json_t *record = NULL;
    int64_t id = 0;
    int rc = -1;

    (void)before;
    if (!parent_exists(db, spec, rw->parent_id, p))
        return -1;
    record = fields_check_create(&spec->table, w->input, w->ctx->today, p);
    if (record == NULL || check_rules(db, spec, record, NULL, rw->parent_id, 0, w->ctx, p) != 0)
        goto out;
    /* The new row's id (from the table's AUTOINCREMENT sequence, so never one a deleted row
     * had) is known before the insert (writers are serialised), so the encrypted values can
     * be bound to it and to the row's new random nonce. */
    if (db_scalar_int(db, spec->sql_next_id, NULL, &id, p) != 0)
        goto out;
    crypto_row_nonce(rw->nonce);
    if (store_row(db, w, spec->sql_insert, record, id, "row_nonce", json_string(rw->nonce), p) != 0)
        goto out;
    w->id = id;
    w->request_id = history_of(spec, rw->parent_id, id);
    rc = 0;
out:
    json_decref(record);
    return rc;
}

/* Apply the merge patch to the record as it is and update its row (write_kind.write of an
 * update): the version in the WHERE clause, so a row changed meanwhile is a 412. */
static int resource_update(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    struct resource_write *rw = w->arg;
    const struct resource_spec *spec = rw->spec;
    json_t *record = NULL;
    int rc = -1;

    record = fields_check_patch(&spec->table, before, w->input, w->ctx->today, p);
    if (record == NULL ||
        check_rules(db, spec, record, before, rw->parent_id, w->id, w->ctx, p) != 0)
        goto out;
    if (store_row(db, w, spec->sql_update, record, w->id, "version",
                  json_incref(json_object_get(before, "version")), p) != 0)
        goto out;
    if (db_changes(db) != 1) {
        problem_set(p, PROBLEM_PRECONDITION_FAILED, "the record changed while it was updated");
        goto out;
    }
    rc = 0;
out:
    json_decref(record);
    return rc;
}

/* Delete the record's row unless other records depend on it (write_kind.write of a delete):
 * legal records never cascade away. */
static int resource_remove(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    struct resource_write *rw = w->arg;
    const struct resource_spec *spec = rw->spec;
    json_t *binds = binds_new(w->ctx, rw->parent_id, w->id);
    db_stmt *stmt = NULL;
    int rc = -1;

    (void)before;
    if (spec->has_dependents) {
        int64_t dependents = 0;

        if (db_scalar_int(db, spec->sql_dependents, binds, &dependents, p) != 0)
            goto out;
        if (dependents > 0) {
            problem_set(p, PROBLEM_CONFLICT, "%s (%lld found)", spec->dependents_message,
                        (long long)dependents);
            goto out;
        }
    }
    if (spec->before_delete != NULL && spec->before_delete(db, rw->parent_id, w->id, p) != 0)
        goto out;
    stmt = db_prepare(db, spec->sql_delete, p);
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    switch (db_step(stmt)) {
    case DB_DONE:
        rc = 0;
        break;
    case DB_CONSTRAINT_FOREIGN_KEY:
        problem_set(p, PROBLEM_CONFLICT, "other records still refer to this %s", spec->noun);
        break;
    default:
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(spec->sql_delete), db_errmsg(db));
        break;
    }
out:
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

/* Run one change of a resource through the write path. Returns what write_run returns. */
static json_t *resource_write(struct db *db, const struct resource_spec *spec, enum write_mode mode,
                              int64_t parent_id, int64_t id, const json_t *input,
                              const struct if_match *if_match, const struct op_context *ctx,
                              struct problem *p)
{
    static int (*const writers[])(struct db *, struct write_call *, const json_t *,
                                  struct problem *) = {
        [WRITE_CREATE] = resource_insert,
        [WRITE_UPDATE] = resource_update,
        [WRITE_DELETE] = resource_remove,
    };
    static const char *const actions[] = {
        [WRITE_CREATE] = "create", [WRITE_UPDATE] = "update", [WRITE_DELETE] = "delete"};
    struct resource_write rw = {.spec = spec, .parent_id = parent_id};
    const struct write_kind kind = {
        .entity = spec->entity,
        .noun = "record",
        .read = resource_write_read,
        .write = writers[mode],
        .changes = resource_changes,
        .ledger = spec->ledger,
    };
    struct write_call w = {
        .kind = &kind,
        .mode = mode,
        .action = actions[mode],
        .id = id,
        .request_id = history_of(spec, parent_id, id),
        .client_id = spec->is_client_child ? parent_id : 0,
        .input = input,
        .if_match = if_match,
        .ctx = ctx,
        .arg = &rw,
    };

    return write_run(db, &w, p);
}

json_t *resource_create(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                        const json_t *body, const struct op_context *ctx, struct problem *p)
{
    return resource_write(db, spec, WRITE_CREATE, parent_id, 0, body, NULL, ctx, p);
}

/* Show the last four characters of an identifier, the rest as asterisks. Returns a new JSON
 * string, or null for null. */
json_t *resource_masked(const json_t *value)
{
    const char *text = json_string_value(value);
    char out[48];
    size_t len, i;

    if (text == NULL)
        return json_null();
    len = strlen(text);
    for (i = 0; i + 4 < len && i < sizeof(out) - 5; i++)
        out[i] = '*';
    snprintf(out + i, sizeof(out) - i, "%s", len > 4 ? text + len - 4 : text);
    return json_string(out);
}

/* True when the record holds a value in one of the fields whose reading is audited. */
static int holds_audited_value(const struct resource_spec *spec, const json_t *record)
{
    for (const char *const *f = spec->audited_reads; f && *f; f++) {
        json_t *value = json_object_get(record, *f);

        if (value != NULL && !json_is_null(value))
            return 1;
    }
    return 0;
}

json_t *resource_get(struct db *db, const struct resource_spec *spec, int64_t parent_id, int64_t id,
                     const struct op_context *ctx, struct problem *p)
{
    json_t *record, *changes;
    int rc;

    if (spec->audited_reads == NULL) {
        if (!parent_exists(db, spec, parent_id, p))
            return NULL;
        return read_record(db, spec, parent_id, id, ctx, NULL, p);
    }
    /* A read of decrypted identifiers is itself an audited event. The read is one statement
     * (its own snapshot); its event is then committed, in a batch with the events of the
     * reads running alongside it (audit_batch), before the record is handed back: a read
     * whose event is not durable is never answered. */
    record = read_record(db, spec, parent_id, id, ctx, NULL, p);
    if (record == NULL || !holds_audited_value(spec, record))
        return record;
    changes = json_object();
    for (const char *const *f = spec->audited_reads; *f; f++)
        if (!json_is_null(json_object_get(record, *f)))
            json_object_set_new(changes, *f,
                                json_pack("{s:n, s:s}", "before", "after", AUDIT_REDACTED));
    rc = audit_batch_append(db,
                            &(const struct audit_event){.ctx = ctx,
                                                        .action = "read_identifiers",
                                                        .entity = spec->entity,
                                                        .entity_id = id,
                                                        .changes = changes},
                            p);
    json_decref(changes);
    if (rc != 0) {
        json_decref(record);
        return NULL;
    }
    return record;
}

json_t *resource_patch(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                       int64_t id, const json_t *patch, const struct if_match *if_match,
                       const struct op_context *ctx, struct problem *p)
{
    if (!json_is_object(patch)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
        return NULL;
    }
    return resource_write(db, spec, WRITE_UPDATE, parent_id, id, patch, if_match, ctx, p);
}

int resource_delete(struct db *db, const struct resource_spec *spec, int64_t parent_id, int64_t id,
                    const struct if_match *if_match, const struct op_context *ctx,
                    struct problem *p)
{
    json_t *before = resource_write(db, spec, WRITE_DELETE, parent_id, id, NULL, if_match, ctx, p);

    if (before == NULL)
        return -1;
    json_decref(before);
    return 0;
}

/* What a list's rows are read with; `ids` (owned by the caller) collects the id of every item
 * returned, for the audit of an audited list. */
struct list_call {
    const struct resource_spec *spec;
    int include_notes;
    json_t *ids;
    const char *skipped[16]; /* write_list_row: the columns a list leaves out, NULL-ended */
};

/* A list item of a resource: its record as read, then the list's own presentation, without its
 * narratives unless they were asked for. Returns a new object, or NULL with *p set. */
static json_t *list_item(db_stmt *stmt, const void *arg, struct problem *p)
{
    const struct list_call *call = arg;
    json_t *record = record_from_row(call->spec, stmt, NULL, p);

    if (record == NULL)
        return NULL;
    if (call->spec->present_in_list != NULL)
        call->spec->present_in_list(record);
    for (const char *const *f = call->spec->narratives; !call->include_notes && f && *f; f++)
        json_object_del(record, *f);
    json_array_append(call->ids, json_object_get(record, "id"));
    return record;
}

/* A listing_write_fn: a list item (list_item) written as JSON text. */
static int write_list_item(db_stmt *stmt, const void *arg, struct text_buffer *out,
                           struct problem *p)
{
    json_t *record = list_item(stmt, arg, p);

    if (record == NULL)
        return -1;
    json_text_value(out, record);
    json_decref(record);
    return 0;
}

/* Whether the items of a list of spec can be written straight from the rows: nothing reshapes
 * a record (no decorate or list hook), the only sealed fields are narratives (left out of a
 * list), and no audit event needs the ids (no look-up, no include=notes). */
static int list_writes_rows(const struct resource_spec *spec, int lookup, int include_notes)
{
    if (lookup || include_notes || spec->decorate != NULL || spec->present_in_list != NULL)
        return 0;
    for (const char *const *f = spec->encrypted; f && *f; f++) {
        const char *const *n = spec->narratives;

        while (n && *n && strcmp(*n, *f) != 0)
            n++;
        if (n == NULL || *n == NULL)
            return 0;
    }
    return 1;
}

/* The columns a list written from its rows leaves out, into call->skipped: row_nonce and the
 * narratives. */
static void list_skipped_columns(struct list_call *call)
{
    size_t n = 0, room = sizeof(call->skipped) / sizeof(call->skipped[0]);

    call->skipped[n++] = "row_nonce";
    for (const char *const *f = call->spec->narratives; f && *f && n + 1 < room; f++)
        call->skipped[n++] = *f;
    call->skipped[n] = NULL;
}

/* A listing_write_fn for list_writes_rows: the row as record_from_row and list_item would
 * show it (its columns but call->skipped), with no record built. */
static int write_list_row(db_stmt *stmt, const void *arg, struct text_buffer *out,
                          struct problem *p)
{
    const struct list_call *call = arg;

    (void)p;
    db_row_write_json(stmt, call->spec->bool_columns, call->spec->json_columns, call->skipped, out);
    return 0;
}

/* The names of the identifier filters (FILTER_BLIND) the query uses. Returns a new array. */
static json_t *lookup_filters_used(const struct resource_spec *spec, const json_t *binds)
{
    json_t *names = json_array();

    for (const struct filter_spec *f = spec->filters; f && f->name; f++)
        if (f->kind == FILTER_BLIND && json_is_string(json_object_get(binds, f->name)))
            json_array_append_new(names, json_string(f->name));
    return names;
}

/* Append the audit event of a list that read protected values: `action`, `what` (borrowed)
 * under the name `what_name` (the filters used, or the narrative fields read; never a value)
 * and the ids returned (borrowed). The entity id is the item's when exactly one was returned;
 * events of a request's children belong to its history. `batched`: outside any transaction,
 * committed with concurrent events by audit_batch (returns once durable); else inside the
 * caller's write transaction. Returns 0 or -1 with *p set. */
static int audit_list_read(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                           const char *action, const char *what_name, json_t *what, json_t *ids,
                           int batched, const struct op_context *ctx, struct problem *p)
{
    int64_t only = json_array_size(ids) == 1 ? json_integer_value(json_array_get(ids, 0)) : 0;
    json_t *changes = json_pack("{s:{s:n, s:O}, s:{s:n, s:O}}", what_name, "before", "after", what,
                                "ids", "before", "after", ids);
    const struct audit_event event = {
        .ctx = ctx,
        .action = action,
        .entity = spec->entity,
        .entity_id = only,
        .parole_request_id = spec->is_child ? parent_id : (spec->is_parole_request ? only : 0),
        .changes = changes,
    };
    int rc;

    if (changes == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "audit: out of memory");
    rc = batched ? audit_batch_append(db, &event, p) : audit_append_events(db, &event, 1, p);
    json_decref(changes);
    return rc;
}

/* The narrative fields of a resource as a new JSON array. */
static json_t *narrative_names(const struct resource_spec *spec)
{
    json_t *names = json_array();

    for (const char *const *f = spec->narratives; f && *f; f++)
        json_array_append_new(names, json_string(*f));
    return names;
}

/* The statement a list reads with: spec's sql_list_by when its filter is the only one given
 * (include= is not a filter of rows), else sql_list. */
static enum sql_id list_statement(const struct resource_spec *spec, const json_t *binds)
{
    const json_t *given;

    if (spec->list_by_filter == NULL)
        return spec->sql_list;
    given = json_object_get(binds, spec->list_by_filter);
    if (given == NULL || json_is_null(given))
        return spec->sql_list;
    for (const struct filter_spec *f = spec->filters; f && f->name; f++)
        if (strcmp(f->name, spec->list_by_filter) != 0 && strcmp(f->name, "include") != 0 &&
            !json_is_null(json_object_get(binds, f->name)))
            return spec->sql_list;
    return spec->sql_list_by;
}

char *resource_list(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                    const struct query_param *query, size_t query_count,
                    const struct op_context *ctx, struct problem *p)
{
    json_t *binds = binds_new(ctx, parent_id, 0), *lookups = NULL, *fields = NULL;
    char *page = NULL;
    struct list_call call = {.spec = spec, .ids = json_array()};
    int64_t limit;
    int lookup, from_rows;

    if (listing_parse_query(spec->filters, query, query_count, binds, &limit, p) != 0)
        goto out;
    if (spec->bind_list != NULL && spec->bind_list(binds, ctx, p) != 0)
        goto out;
    lookups = lookup_filters_used(spec, binds);
    lookup = json_array_size(lookups) > 0;
    call.include_notes = json_is_string(json_object_get(binds, "include"));
    /* A look-up by identifier reads inside a write transaction: the count of look-ups, the read
     * and its audit events are one, so no look-up goes unrecorded and parallel ones cannot
     * overshoot the limit. A list that reads narratives but looks nothing up reads in a
     * snapshot; its read_notes event is then committed in a batch with concurrent ones
     * (audit_batch) before the page is handed back. */
    if ((lookup ? db_begin_write(db, p) : db_begin_read(db, p)) != 0)
        goto out;
    if (!parent_exists(db, spec, parent_id, p))
        goto out;
    if (lookup && lookups_claim(db, ctx, p) != 0)
        goto out;
    from_rows = list_writes_rows(spec, lookup, call.include_notes);
    if (from_rows)
        list_skipped_columns(&call);
    page = listing_page_text(db, list_statement(spec, binds), binds, limit,
                             from_rows ? write_list_row : write_list_item, &call, p);
    if (page == NULL || (!lookup && !call.include_notes))
        goto out;
    fields = narrative_names(spec);
    if (!lookup)
        db_rollback(db); /* ends the read snapshot before the batched event */
    if ((lookup && audit_list_read(db, spec, parent_id, "lookup_identifiers", "filters", lookups,
                                   call.ids, 0, ctx, p) != 0) ||
        (call.include_notes && audit_list_read(db, spec, parent_id, "read_notes", "fields", fields,
                                               call.ids, !lookup, ctx, p) != 0) ||
        (lookup && db_commit(db, p) != 0)) {
        free(page);
        page = NULL;
    }
out:
    db_rollback(db); /* ends the read snapshot, or an audited list that failed */
    json_decref(fields);
    json_decref(lookups);
    json_decref(call.ids);
    json_decref(binds);
    return page;
}

int resource_audit_export(struct db *db, const struct resource_spec *spec, int64_t parent_id,
                          const char *format, const json_t *filters, int64_t rows,
                          const struct op_context *ctx, struct problem *p)
{
    return audit_batch_export(db, ctx, spec->entity, spec->is_child ? parent_id : 0,
                              spec->is_client_child ? parent_id : 0, format, filters, rows, p);
}

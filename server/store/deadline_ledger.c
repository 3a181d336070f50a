/* deadline_ledger: the stored deadlines (see deadline_ledger.h). */
#include "deadline_ledger.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dates.h"
#include "deadline_compute.h"
#include "deadline_engine.h"
#include "json_text.h"

/* The ledger row of a computed record (deadline_compute.h) of request `request_id` (0: a
 * client's own with no request, stored with a NULL request): exactly the table's columns, as
 * db_row_to_json reads them back. A new object. */
static json_t *row_of(const json_t *record, int64_t request_id)
{
    const json_t *rule = json_object_get(record, "rule");
    const json_t *source = json_object_get(record, "source");
    const char *due_at = json_string_value(json_object_get(record, "due_at"));

    /* a date deadline's due_at is '' in the table, so rows sort and page as the API orders */
    json_t *row = json_pack(
        "{s:o, s:O, s:O, s:O, s:O, s:s, s:O, s:O, s:i, s:O, s:O, s:O, s:O, s:O, s:O, s:i}",
        "parole_request_id", request_id ? json_integer(request_id) : json_null(), "deadline_id",
        json_object_get(record, "id"), "kind", json_object_get(record, "kind"), "client_id",
        json_object_get(record, "client_id"), "due_on", json_object_get(record, "due_on"), "due_at",
        due_at ? due_at : "", "due_at_utc", json_object_get(record, "due_at_utc"), "opens_on",
        json_object_get(record, "opens_on"), "met", json_is_true(json_object_get(record, "met")),
        "rule_id", json_object_get(rule, "id"), "rule_version", json_object_get(rule, "version"),
        "source_resource", json_object_get(source, "resource"), "source_id",
        json_object_get(source, "id"), "title", json_object_get(record, "title"), "program_code",
        json_object_get(record, "program_code"), "terminates",
        json_is_true(json_object_get(record, "terminates")));

    if (row != NULL &&
        (json_object_set(row, "moot_decision_id", json_object_get(record, "moot_decision_id")) !=
             0 ||
         json_object_set(row, "basis", json_object_get(record, "basis")) != 0 ||
         json_object_set_new(row, "premature",
                             json_integer(json_is_true(json_object_get(record, "premature")))) !=
             0)) {
        json_decref(row); /* a member the computation always sets is missing */
        return NULL;
    }
    return row;
}

/* What storing computed deadlines counts. */
struct store_state {
    struct db *db;
    int64_t stored;
};

/* Insert the rows of one request's computed deadlines, or of a client's with no request (a
 * deadline_engine_each_fn). */
static int store_request(int64_t request_id, int64_t client_id, const json_t *records, void *arg,
                         struct problem *p)
{
    struct store_state *st = arg;
    const json_t *record;
    size_t i;

    (void)client_id;
    json_array_foreach(records, i, record)
    {
        json_t *row = row_of(record, request_id);
        int rc = row ? db_exec_json(st->db, SQL_DLEDGER_INSERT, row, p)
                     : problem_set(p, PROBLEM_INTERNAL,
                                   "a deadline of request %lld lacks a "
                                   "member the ledger stores",
                                   (long long)request_id);

        json_decref(row);
        if (rc != 0)
            return -1;
        st->stored++;
    }
    return 0;
}

/* Delete the rows of the requests in [from_id, to_id) and store them again computed with
 * the rules and programs (basis). Returns the number of rows stored, or -1 with *p set. */
static int64_t store_range(struct db *db, const json_t *basis, int64_t from_id, int64_t to_id,
                           const struct op_context *ctx, struct problem *p)
{
    struct store_state st = {db, 0};

    json_t *binds = json_pack("{s:I, s:I, s:I}", "request_id", (json_int_t)from_id, "from_id",
                              (json_int_t)from_id, "to_id", (json_int_t)to_id);
    int rc;

    if (to_id == from_id + 1) /* one request: take its old stage class out of the tally */
        rc = db_exec_json(db, SQL_DLEDGER_DELETE_REQUEST, binds, p) != 0 ||
                     db_exec_json(db, SQL_FACTS_UNTALLY, binds, p) != 0 ||
                     db_exec_json(db, SQL_FACTS_DELETE_REQUEST, binds, p) != 0
                 ? -1
                 : 0;
    else
        rc = db_exec_json(db, SQL_DLEDGER_DELETE_ALL, NULL, p) != 0 ||
                     db_exec_json(db, SQL_FACTS_DELETE_ALL, NULL, p) != 0 ||
                     db_exec_json(db, SQL_TALLY_DELETE_ALL, NULL, p) != 0
                 ? -1
                 : 0;
    if (rc == 0)
        rc = deadline_engine_each(db, basis, from_id, to_id, ctx, store_request, &st, p);
    /* The whole ledger: the clients with no request have their own rows too. */
    if (rc == 0 && to_id != from_id + 1)
        rc = deadline_engine_each_client_alone(db, basis, 1, INT64_MAX, ctx, store_request, &st, p);
    /* The facts the stage is derived from (and what is still ahead, from the rows just stored)
     * go with the deadlines, and into the tally; a request that no longer exists leaves
     * neither. */
    if (rc == 0)
        rc = db_exec_json(db, SQL_FACTS_REFRESH, binds, p) != 0 ||
                     db_exec_json(db, SQL_FACTS_TALLY, binds, p) != 0 ||
                     db_exec_json(db, SQL_TALLY_PRUNE, NULL, p) != 0
                 ? -1
                 : 0;
    json_decref(binds);
    return rc != 0 ? -1 : st.stored;
}

int deadline_ledger_refresh_request(struct db *db, int64_t request_id, const struct op_context *ctx,
                                    struct problem *p)
{
    json_t *basis = deadline_engine_basis(db, p);
    int64_t stored = basis ? store_range(db, basis, request_id, request_id + 1, ctx, p) : -1;

    json_decref(basis);
    return stored < 0 ? -1 : 0;
}

/* Refresh every request the statement `sql` selects (one column, id) with `binds`; the rules
 * and programs are loaded only when there is one. Returns how many it refreshed, or -1 with *p
 * set. */
static int refresh_selected(struct db *db, enum sql_id sql, const json_t *binds,
                            const struct op_context *ctx, struct problem *p)
{
    json_t *ids = json_array(), *basis = NULL, *id;
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step = DB_ERROR;
    size_t i;
    int rc = -1;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW)
            json_array_append_new(ids, json_integer(db_row_int(stmt, "id")));
    db_finish(stmt);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
        goto out;
    }
    rc = 0;
    if (json_array_size(ids) == 0)
        goto out; /* a new client, or a program without requests: nothing to load */
    rc = -1;
    basis = deadline_engine_basis(db, p);
    if (basis == NULL)
        goto out;
    json_array_foreach(ids, i, id)
    {
        int64_t request_id = json_integer_value(id);

        if (store_range(db, basis, request_id, request_id + 1, ctx, p) < 0)
            goto out;
    }
    rc = (int)json_array_size(ids);
out:
    json_decref(basis);
    json_decref(ids);
    return rc;
}

/* Replace the rows of client `client_id` that stand without a request: none once it has a
 * request (`has_requests`: they are under each request then) or is gone, else its own
 * deadlines. Returns 0 or -1 with *p set. */
static int refresh_client_alone(struct db *db, int64_t client_id, int has_requests,
                                const struct op_context *ctx, struct problem *p)
{
    struct store_state st = {db, 0};
    json_t *binds = json_pack("{s:I}", "client_id", (json_int_t)client_id), *basis = NULL;
    int rc = db_exec_json(db, SQL_DLEDGER_DELETE_CLIENT_ALONE, binds, p);
    int64_t has_dates = 0;

    if (rc == 0 && !has_requests) /* a date to count from (else nothing to load or compute) */
        rc = db_scalar_int(db, SQL_DLEDGER_CLIENT_HAS_DATES, binds, &has_dates, p);
    json_decref(binds);
    if (rc != 0 || has_requests || !has_dates)
        return rc;
    basis = deadline_engine_basis(db, p);
    rc = basis ? deadline_engine_each_client_alone(db, basis, client_id, client_id + 1, ctx,
                                                   store_request, &st, p)
               : -1;
    json_decref(basis);
    return rc;
}

int deadline_ledger_refresh_client(struct db *db, int64_t client_id, const struct op_context *ctx,
                                   struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "client_id", (json_int_t)client_id);
    int refreshed = refresh_selected(db, SQL_DLEDGER_REQUESTS_OF_CLIENT, binds, ctx, p);

    json_decref(binds);
    return refreshed < 0 ? -1 : refresh_client_alone(db, client_id, refreshed > 0, ctx, p);
}

int deadline_ledger_refresh_program(struct db *db, const char *program,
                                    const struct op_context *ctx, struct problem *p)
{
    json_t *binds;
    int rc;

    if (program == NULL)
        return deadline_ledger_refresh_all(db, ctx, p);
    binds = json_pack("{s:s}", "program", program);
    rc = refresh_selected(db, SQL_DLEDGER_REQUESTS_OF_PROGRAM, binds, ctx, p);
    json_decref(binds);
    return rc < 0 ? -1 : 0;
}

/* Rewrite every row; the number stored, or -1 with *p set. */
static int64_t store_all(struct db *db, const struct op_context *ctx, struct problem *p)
{
    json_t *basis = deadline_engine_basis(db, p);
    int64_t stored = basis ? store_range(db, basis, 1, INT64_MAX, ctx, p) : -1;

    json_decref(basis);
    return stored;
}

int deadline_ledger_refresh_all(struct db *db, const struct op_context *ctx, struct problem *p)
{
    return store_all(db, ctx, p) < 0 ? -1 : 0;
}

/* What the stored deadlines depend on besides the rows the write path watches: the firm's time
 * zone (an appointment's local date), the schema (a migration may add or change rules) and the
 * computation's version in code. Written into out. Returns 0 or -1 with *p set. */
static int ledger_basis(struct db *db, char *out, size_t out_size, struct problem *p)
{
    int64_t schema = 0;

    if (db_scalar_int(db, SQL_DLEDGER_SCHEMA, NULL, &schema, p) != 0)
        return -1;
    snprintf(out, out_size, "zone=%s schema=%lld compute=%d", dates_timezone_name(),
             (long long)schema, DEADLINE_COMPUTE_VERSION);
    return 0;
}

/* Remember the basis the ledger was just built with (inside the caller's transaction). */
static int put_basis(struct db *db, const char *basis, const char *now, struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:s}", "basis", basis, "now", now);
    int rc = db_exec_json(db, SQL_DLEDGER_BASIS_PUT, binds, p);

    json_decref(binds);
    return rc;
}

int64_t deadline_ledger_rebuild(struct db *db, const struct op_context *ctx, struct problem *p)
{
    char basis[160];
    int64_t stored;

    if (db_begin_write(db, p) != 0)
        return -1;
    stored = store_all(db, ctx, p);
    if (stored < 0 || ledger_basis(db, basis, sizeof(basis), p) != 0 ||
        put_basis(db, basis, ctx->now, p) != 0 || db_commit(db, p) != 0) {
        db_rollback(db);
        return -1;
    }
    return stored;
}

int deadline_ledger_zone(struct db *db, char *zone, size_t zone_size, struct problem *p)
{
    char basis[160] = "";
    int rc;

    zone[0] = '\0';
    if (db_begin_read(db, p) != 0)
        return -1;
    rc = db_scalar_text(db, SQL_DLEDGER_BASIS_GET, NULL, basis, sizeof(basis), p);
    db_rollback(db);
    if (rc == 0 && strncmp(basis, "zone=", 5) == 0)
        snprintf(zone, zone_size, "%.*s", (int)strcspn(basis + 5, " "), basis + 5);
    return rc;
}

int deadline_ledger_ensure(struct db *db, const struct op_context *ctx, struct problem *p)
{
    char stored[160] = "", basis[160];

    if (db_begin_read(db, p) != 0)
        return -1;
    if (db_scalar_text(db, SQL_DLEDGER_BASIS_GET, NULL, stored, sizeof(stored), p) != 0 ||
        ledger_basis(db, basis, sizeof(basis), p) != 0) {
        db_rollback(db);
        return -1;
    }
    db_rollback(db);
    if (strcmp(stored, basis) == 0)
        return 0;
    return deadline_ledger_rebuild(db, ctx, p) < 0 ? -1 : 1;
}

/* What verifying compares and counts. */
struct verify_state {
    struct db *db;
    FILE *out;
    int64_t differences;
};

/* The stored rows of one request (request_id 0: those of client `client_id` standing without
 * a request), by deadline id. A new object, or NULL with *p set. */
static json_t *stored_rows(struct db *db, int64_t request_id, int64_t client_id, struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:I, s:I}", "from_id", (json_int_t)request_id, "to_id",
                              (json_int_t)(request_id + 1), "client_id", (json_int_t)client_id),
           *rows = json_object();
    enum sql_id sql = request_id ? SQL_DLEDGER_ROWS_RANGE : SQL_DLEDGER_ROWS_CLIENT_ALONE;
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step = DB_ERROR;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW)
            json_object_set_new(rows, db_row_text(stmt, "deadline_id"),
                                db_row_to_json(stmt, NULL, NULL));
    db_finish(stmt);
    json_decref(binds);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* Print the columns in which a stored row of `owner` ("request 7", "client 3") differs from the
 * computed one. */
static void print_columns(FILE *out, const char *owner, const char *id, const json_t *stored,
                          const json_t *computed)
{
    const char *column;
    json_t *want;

    json_object_foreach((json_t *)computed, column, want)
    {
        const json_t *have = json_object_get(stored, column);

        if (have == NULL || !json_equal((json_t *)have, want)) {
            char *a = have ? json_dumps(have, JSON_ENCODE_ANY) : NULL;
            char *b = json_dumps(want, JSON_ENCODE_ANY);

            fprintf(out, "%s: %s: %s is %s in the ledger, %s when computed\n", owner, id, column,
                    a ? a : "missing", b ? b : "?");
            free(a);
            free(b);
        }
    }
}

/* The one row of a facts statement (SQL_FACTS_COMPUTE or SQL_FACTS_STORED) for request
 * `request_id`, as a new object; JSON null when there is none; NULL with *p set. */
static json_t *facts_row(struct db *db, enum sql_id sql, int64_t request_id, struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:I}", "from_id", (json_int_t)request_id, "to_id",
                              (json_int_t)(request_id + 1)),
           *row = NULL;
    db_stmt *stmt = db_prepare(db, sql, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        enum db_step step = db_step(stmt);

        if (step == DB_ROW)
            row = db_row_to_json(stmt, NULL, NULL);
        else if (step == DB_DONE)
            row = json_null();
        else
            problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
    }
    db_finish(stmt);
    json_decref(binds);
    return row;
}

/* Compare the stored stage facts of one request with a fresh computation. */
static int compare_facts(struct verify_state *vs, int64_t request_id, struct problem *p)
{
    json_t *want = facts_row(vs->db, SQL_FACTS_COMPUTE, request_id, p);
    json_t *have = want ? facts_row(vs->db, SQL_FACTS_STORED, request_id, p) : NULL;
    int rc = have != NULL ? 0 : -1;

    if (rc == 0 && json_is_null(have)) {
        fprintf(vs->out, "request %lld: its stage facts are not stored\n", (long long)request_id);
        vs->differences++;
    } else if (rc == 0 && !json_equal(have, want)) {
        char owner[40];

        snprintf(owner, sizeof(owner), "request %lld", (long long)request_id);
        print_columns(vs->out, owner, "stage facts", have, want);
        vs->differences++;
    }
    json_decref(want);
    json_decref(have);
    return rc;
}

/* Compare one request's computed deadlines with its stored rows, and its stage facts; or those
 * of a client with no request (request_id 0), which has no stage (a deadline_engine_each_fn). */
static int compare_request(int64_t request_id, int64_t client_id, const json_t *records, void *arg,
                           struct problem *p)
{
    struct verify_state *vs = arg;
    json_t *stored = stored_rows(vs->db, request_id, client_id, p), *computed = json_object(), *row;
    const json_t *record;
    const char *id;
    char owner[64];
    size_t i;

    if (request_id)
        snprintf(owner, sizeof(owner), "request %lld", (long long)request_id);
    else
        snprintf(owner, sizeof(owner), "client %lld (no request)", (long long)client_id);
    if (stored == NULL) {
        json_decref(computed);
        return -1;
    }
    json_array_foreach(records, i, record)
    {
        json_object_set_new(computed, json_string_value(json_object_get(record, "id")),
                            row_of(record, request_id));
    }
    json_object_foreach(computed, id, row)
    {
        const json_t *have = json_object_get(stored, id);

        if (have == NULL) {
            fprintf(vs->out, "%s: %s (due %s) is computed but not in the ledger\n", owner, id,
                    json_string_value(json_object_get(row, "due_on")));
            vs->differences++;
        } else if (!json_equal((json_t *)have, row)) {
            print_columns(vs->out, owner, id, have, row);
            vs->differences++;
        }
    }
    json_object_foreach(stored, id, row)
    {
        if (json_object_get(computed, id) == NULL) {
            fprintf(vs->out, "%s: %s (due %s) is in the ledger but not computed\n", owner, id,
                    json_string_value(json_object_get(row, "due_on")));
            vs->differences++;
        }
    }
    json_decref(computed);
    json_decref(stored);
    return request_id ? compare_facts(vs, request_id, p) : 0;
}

int deadline_ledger_verify(struct db *db, const struct op_context *ctx, FILE *out,
                           int64_t *differences, struct problem *p)
{
    struct verify_state vs = {db, out, 0};
    json_t *basis;
    int rc = -1;

    if (db_begin_read(db, p) != 0)
        return -1;
    basis = deadline_engine_basis(db, p);
    if (basis != NULL &&
        deadline_engine_each(db, basis, 1, INT64_MAX, ctx, compare_request, &vs, p) == 0 &&
        deadline_engine_each_client_alone(db, basis, 1, INT64_MAX, ctx, compare_request, &vs, p) ==
            0) {
        json_t *binds = json_pack("{s:s, s:s}", "today", ctx->today, "now", ctx->now);
        int64_t disagreements = 0, tally = 0, stray = 0;

        /* Today's stage from the stored facts is the stage from the events themselves, and the
         * tally counts the stored facts (and nothing of a request that is gone). */
        if (db_scalar_int(db, SQL_STAGE_DISAGREEMENTS, binds, &disagreements, p) == 0 &&
            db_scalar_int(db, SQL_TALLY_DISAGREEMENTS, NULL, &tally, p) == 0 &&
            db_scalar_int(db, SQL_DLEDGER_STRAY_CLIENT_ROWS, NULL, &stray, p) == 0) {
            if (stray > 0)
                fprintf(out,
                        "%lld deadline(s) stand without a request for a client that has one, "
                        "or no longer exists\n",
                        (long long)stray);
            if (disagreements > 0)
                fprintf(out,
                        "%lld request(s) show another stage from their stored facts than "
                        "from their events\n",
                        (long long)disagreements);
            if (tally > 0)
                fprintf(out, "the stage tally differs from the stored facts in %lld row(s)\n",
                        (long long)tally);
            *differences = vs.differences + disagreements + tally + stray;
            rc = 0;
        }
        json_decref(binds);
    }
    db_rollback(db);
    json_decref(basis);
    return rc;
}

/* A nullable text column of the row under stmt: NULL for SQL NULL and for '' (a due_at left
 * empty). Borrowed from the statement. */
static const char *text_or_null(db_stmt *stmt, const char *column)
{
    const char *value = db_row_text(stmt, column);

    return value && value[0] ? value : NULL;
}

/* The later of two dates (either may be ""). */
static const char *later(const char *a, const char *b)
{
    return strcmp(a, b) >= 0 ? a : b;
}

/* The earlier of two dates. */
static const char *earlier(const char *a, const char *b)
{
    return strcmp(a, b) <= 0 ? a : b;
}

/* The prepared, bound statement of a query (see deadline_ledger_each), or NULL with *p set.
 * The caller steps it and finishes it. */
static db_stmt *select_statement(struct db *db, const struct deadline_query *q,
                                 const struct op_context *ctx, enum sql_id *sql, struct problem *p)
{
    const char *lo = q->from ? q->from : "", *hi = q->to ? q->to : "9999-12-31";
    const struct deadline_place start = {"", "", "", 0}, *after = q->after ? q->after : &start;
    const char *status = q->status;
    json_t *binds;
    db_stmt *stmt;

    /* An exact status holds only on one side of today: narrow the date range to it, so the
     * index does the work (an appointment's status also needs its instant: checked per row). */
    if (status != NULL && strcmp(status, "overdue") == 0)
        hi = earlier(hi, ctx->today);
    else if (status != NULL && strcmp(status, "due_today") == 0)
        lo = later(lo, ctx->today), hi = earlier(hi, ctx->today);
    else if (status != NULL && strcmp(status, "upcoming") == 0)
        lo = later(lo, ctx->today);
    lo = later(lo, after->due_on); /* the index starts at the cursor's date */
    *sql = SQL_DLEDGER_FIRM;
    if (q->deadline_id != NULL)
        *sql = SQL_DLEDGER_ONE;
    else if (q->request_id != 0)
        *sql = SQL_DLEDGER_REQUEST;
    else if (q->client_id != 0)
        *sql = SQL_DLEDGER_CLIENT;
    else if (q->assigned_to != 0)
        *sql = SQL_DLEDGER_ASSIGNED;
    else if ((status != NULL || q->unmet) && q->kind != NULL)
        *sql = SQL_DLEDGER_FIRM_BY_KIND;
    else if (status != NULL || q->unmet)
        *sql = SQL_DLEDGER_FIRM_BY_MET;
    binds = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:i, s:i, s:s, s:s, s:s, "
                      "s:I}",
                      "today", ctx->today, "now", ctx->now, "lo", lo, "hi", hi, "kind",
                      q->kind ? json_string(q->kind) : json_null(), "status",
                      status ? json_string(status) : json_null(), "limit", (json_int_t)q->limit,
                      "request_id", (json_int_t)q->request_id, "client_id",
                      (json_int_t)q->client_id, "assigned_to", (json_int_t)q->assigned_to, "met",
                      status != NULL && (strcmp(status, "met") == 0 || strcmp(status, "moot") == 0),
                      "unmet", q->unmet, "after_due", after->due_on, "after_at", after->due_at,
                      "after_id", after->id, "after_request", (json_int_t)after->request_id);
    json_object_set_new(binds, "deadline_id",
                        q->deadline_id ? json_string(q->deadline_id) : json_null());
    json_object_set_new(binds, "triage", q->triage ? json_string(q->triage) : json_null());
    json_object_set_new(binds, "assignee",
                        q->assignee ? json_integer((json_int_t)q->assignee) : json_null());
    stmt = db_prepare(db, *sql, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) != 0) {
        db_finish(stmt);
        stmt = NULL;
    }
    json_decref(binds);
    return stmt;
}

/* The handled reason of the row at `stmt`, opened from its seal: new text the caller wipes and
 * frees, or NULL (not handled, or a seal that does not open: the reason alone is left out). */
static char *open_reason(db_stmt *stmt)
{
    const char *sealed = text_or_null(stmt, "handled_reason");

    if (sealed == NULL)
        return NULL;
    return crypto_field_decrypt(DEADLINE_TRIAGE_TABLE, DEADLINE_TRIAGE_REASON,
                                db_row_int(stmt, "triage_id"), db_row_text(stmt, "triage_nonce"),
                                sealed);
}

int deadline_ledger_each(struct db *db, const struct deadline_query *q,
                         const struct op_context *ctx, deadline_ledger_row_fn fn, void *arg,
                         struct problem *p)
{
    enum sql_id sql;
    enum db_step step = DB_ERROR;
    db_stmt *stmt = select_statement(db, q, ctx, &sql, p);

    while (stmt != NULL && (step = db_step(stmt)) == DB_ROW) {
        char *reason = open_reason(stmt);
        const struct deadline_row row = {
            .id = db_row_text(stmt, "deadline_id"),
            .kind = db_row_text(stmt, "kind"),
            .status = db_row_text(stmt, "status"),
            .title = db_row_text(stmt, "title"),
            .due_on = db_row_text(stmt, "due_on"),
            .due_at = text_or_null(stmt, "due_at"),
            .opens_on = text_or_null(stmt, "opens_on"),
            .source_resource = db_row_text(stmt, "source_resource"),
            .rule_code = db_row_text(stmt, "rule_code"),
            .citation_source = text_or_null(stmt, "citation_source"),
            .citation_date = text_or_null(stmt, "citation_date"),
            .program_code = text_or_null(stmt, "program_code"),
            .basis = text_or_null(stmt, "basis"),
            .moot_decision_id = db_row_int(stmt, "moot_decision_id"),
            .premature = db_row_int(stmt, "premature") != 0,
            .parole_request_id = db_row_int(stmt, "parole_request_id"),
            .client_id = db_row_int(stmt, "client_id"),
            .source_id = db_row_int(stmt, "source_id"),
            .rule_id = db_row_int(stmt, "rule_id"),
            .triage = db_row_text(stmt, "triage"),
            .handled_reason = reason,
            .handled_at = text_or_null(stmt, "handled_at"),
            .snoozed_until = text_or_null(stmt, "snoozed_until"),
            .handled_by = db_row_int(stmt, "handled_by"),
            .assignee_id = db_row_int(stmt, "assignee_id"),
            .version = db_row_int(stmt, "triage_version"),
        };

        fn(&row, arg);
        crypto_wipe_string(reason);
        free(reason);
    }
    return db_finish_run(db, stmt, sql, step, p);
}

int deadline_ledger_next_stage_flip(struct db *db, const char *now, char *out, size_t out_size,
                                    struct problem *p)
{
    json_t *binds = json_pack("{s:s}", "now", now);
    int rc = db_scalar_text(db, SQL_TALLY_NEXT_FLIP, binds, out, out_size, p);

    json_decref(binds);
    return rc;
}

json_t *deadline_ledger_ends_by_month(struct db *db, const char *today, int months,
                                      struct problem *p)
{
    json_t *buckets = json_array(), *binds;
    struct civil_date first;
    char month[16], lo[DATE_LEN], hi[DATE_LEN];
    enum db_step step = DB_ERROR;
    db_stmt *stmt;

    if (dates_parse(today, &first) != 0) {
        json_decref(buckets);
        problem_set(p, PROBLEM_INTERNAL, "not a date: %s", today);
        return NULL;
    }
    for (int m = 0; m < months; m++) {
        int index = first.month - 1 + m;

        snprintf(month, sizeof(month), "%04d-%02d", first.year + index / 12, index % 12 + 1);
        json_array_append_new(
            buckets, json_pack("{s:s, s:i, s:i}", "month", month, "parole_end", 0, "ead_end", 0));
    }
    snprintf(lo, sizeof(lo), "%.7s-01",
             json_string_value(json_object_get(json_array_get(buckets, 0), "month")));
    snprintf(hi, sizeof(hi), "%.7s-31",
             json_string_value(json_object_get(json_array_get(buckets, months - 1), "month")));
    binds = json_pack("{s:s, s:s}", "lo", lo, "hi", hi);
    stmt = db_prepare(db, SQL_DLEDGER_ENDS, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW) {
            const char *row_month = db_row_text(stmt, "month");
            json_t *bucket;
            size_t i;

            json_array_foreach(buckets, i, bucket)
            {
                if (strcmp(json_string_value(json_object_get(bucket, "month")), row_month) == 0)
                    json_object_set_new(bucket, db_row_text(stmt, "kind"),
                                        json_integer(db_row_int(stmt, "ends")));
            }
        }
    db_finish(stmt);
    json_decref(binds);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "dledger_ends: %s", db_errmsg(db));
        json_decref(buckets);
        return NULL;
    }
    return buckets;
}

/* The separator of a cursor's fields (never in a date, an RFC 3339 time or a deadline id). */
#define CURSOR_SEPARATOR '\x1f'

void deadline_ledger_cursor(const struct deadline_place *place, char *out, size_t out_size)
{
    static const char hex[] = "0123456789abcdef";
    char text[200];
    size_t n = 0;

    snprintf(text, sizeof(text), "%s%c%s%c%s%c%lld", place->due_on, CURSOR_SEPARATOR, place->due_at,
             CURSOR_SEPARATOR, place->id, CURSOR_SEPARATOR, (long long)place->request_id);
    if (out_size == 0)
        return;
    out[n++] = 'k';
    for (const unsigned char *c = (const unsigned char *)text; *c && n + 3 <= out_size; c++) {
        out[n++] = hex[*c >> 4];
        out[n++] = hex[*c & 15];
    }
    out[n < out_size ? n : out_size - 1] = '\0';
}

void deadline_ledger_place(const struct deadline_row *row, struct deadline_place *place)
{
    snprintf(place->due_on, sizeof(place->due_on), "%s", row->due_on);
    snprintf(place->due_at, sizeof(place->due_at), "%s", row->due_at ? row->due_at : "");
    snprintf(place->id, sizeof(place->id), "%s", row->id);
    place->request_id = row->parole_request_id;
}

/* An id, or null for 0 (none). */
static void optional_id(struct text_buffer *out, int64_t id)
{
    if (id > 0)
        json_text_int(out, id);
    else
        text_buffer_add_string(out, "null");
}

void deadline_ledger_row_json(const struct deadline_row *row, struct text_buffer *out)
{
    text_buffer_add_string(out, "{\"id\":");
    json_text_string(out, row->id);
    text_buffer_add_string(out, ",\"kind\":");
    json_text_string(out, row->kind);
    text_buffer_add_string(out, ",\"due_on\":");
    json_text_string(out, row->due_on);
    text_buffer_add_string(out, ",\"due_at\":");
    json_text_string(out, row->due_at);
    text_buffer_add_string(out, ",\"opens_on\":");
    json_text_string(out, row->opens_on);
    text_buffer_add_string(out, ",\"status\":");
    json_text_string(out, row->status);
    text_buffer_add_string(out, ",\"parole_request_id\":");
    if (row->parole_request_id > 0)
        json_text_int(out, row->parole_request_id);
    else
        text_buffer_add_string(out, "null"); /* a client's own, with no request */
    text_buffer_add_string(out, ",\"client_id\":");
    json_text_int(out, row->client_id);
    text_buffer_add_string(out, ",\"source\":{\"resource\":");
    json_text_string(out, row->source_resource);
    text_buffer_add_string(out, ",\"id\":");
    json_text_int(out, row->source_id);
    text_buffer_add_string(out, "},\"rule\":{\"id\":");
    json_text_int(out, row->rule_id);
    text_buffer_add_string(out, ",\"code\":");
    json_text_string(out, row->rule_code);
    text_buffer_add_string(out, ",\"citation_source\":");
    json_text_string(out, row->citation_source);
    text_buffer_add_string(out, ",\"citation_date\":");
    json_text_string(out, row->citation_date);
    text_buffer_add_string(out, "},\"title\":");
    json_text_string(out, row->title);
    text_buffer_add_string(out, ",\"program_code\":");
    json_text_string(out, row->program_code);
    text_buffer_add_string(out, ",\"moot_decision_id\":");
    if (row->moot_decision_id > 0)
        json_text_int(out, row->moot_decision_id);
    else
        text_buffer_add_string(out, "null");
    text_buffer_add_string(out, ",\"basis\":");
    json_text_string(out, row->basis);
    text_buffer_add_string(out, row->premature ? ",\"premature\":true" : ",\"premature\":false");
    text_buffer_add_string(out, ",\"triage\":");
    json_text_string(out, row->triage);
    text_buffer_add_string(out, ",\"handled_reason\":");
    json_text_string(out, row->handled_reason);
    text_buffer_add_string(out, ",\"handled_by\":");
    optional_id(out, row->handled_by);
    text_buffer_add_string(out, ",\"handled_at\":");
    json_text_string(out, row->handled_at);
    text_buffer_add_string(out, ",\"snoozed_until\":");
    json_text_string(out, row->snoozed_until);
    text_buffer_add_string(out, ",\"assignee_id\":");
    optional_id(out, row->assignee_id);
    text_buffer_add_string(out, ",\"version\":");
    json_text_int(out, row->version);
    text_buffer_add_string(out, "}");
}

int deadline_ledger_parse_cursor(const char *cursor, struct deadline_place *place)
{
    char text[200], *field[4], *end;
    size_t len = cursor ? strlen(cursor) : 0, n = 0;
    int fields = 0;

    if (len < 3 || cursor[0] != 'k' || (len - 1) % 2 != 0 || (len - 1) / 2 >= sizeof(text))
        return -1;
    for (size_t i = 1; i < len; i += 2) {
        unsigned int byte;

        if (sscanf(cursor + i, "%2x", &byte) != 1 || !isxdigit((unsigned char)cursor[i]) ||
            !isxdigit((unsigned char)cursor[i + 1]) || byte == 0)
            return -1;
        text[n++] = (char)byte;
    }
    text[n] = '\0';
    field[fields++] = text;
    for (char *c = text; *c && fields <= 4; c++)
        if (*c == CURSOR_SEPARATOR) {
            *c = '\0';
            if (fields == 4)
                return -1;
            field[fields++] = c + 1;
        }
    if (fields != 4 || strlen(field[0]) != 10 || strlen(field[1]) >= sizeof(place->due_at) ||
        field[2][0] == '\0' || strlen(field[2]) >= sizeof(place->id))
        return -1;
    place->request_id = strtoll(field[3], &end, 10);
    if (*end != '\0' || place->request_id < 0) /* 0: a client's own, with no request */
        return -1;
    snprintf(place->due_on, sizeof(place->due_on), "%s", field[0]);
    snprintf(place->due_at, sizeof(place->due_at), "%s", field[1]);
    snprintf(place->id, sizeof(place->id), "%s", field[2]);
    return 0;
}

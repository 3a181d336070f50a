/* deadline_engine: the deadline engine's store side. It loads what deadlines are computed from
 * (the rule rows, a chunk of parole requests, their RFEs, interviews, decisions, expirations
 * and filings: one query each per chunk) and hands each request to the pure computation in
 * domain/deadline_compute.c. Its one caller is the deadline ledger (deadline_ledger.c), which
 * stores the output in the same transaction as the change that moved it. See
 * docs/deadlines-contract.md. Store layer: it reads through db (the statement catalogue) and
 * uses context, deadline_compute, stage and problem; it knows nothing of HTTP. */
#include "deadline_engine.h"

#include <stdio.h>
#include <string.h>

#include "deadline_compute.h"

static const char *const rule_json_columns[] = {"lead_times", NULL};
static const char *const rule_bool_columns[] = {"enabled", "cap_at_parole_end", NULL};

/* The rows of one of the event statements (SQL_DEADLINE_*) for the requests that binds select,
 * grouped by request: an object from the request id (decimal text) to its array of rows, in the
 * statement's order. A new object the caller owns, or NULL with *p set. */
static json_t *events_by_request(struct db *db, enum sql_id sql, const json_t *binds,
                                 const char *const *bools, struct problem *p)
{
    json_t *groups = json_object();
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step = DB_ERROR;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW) {
            json_t *row = db_row_to_json(stmt, bools, NULL), *rows;
            char key[24];

            snprintf(key, sizeof(key), "%lld",
                     (long long)json_integer_value(json_object_get(row, "parole_request_id")));
            rows = json_object_get(groups, key);
            if (rows == NULL) {
                rows = json_array();
                json_object_set_new(groups, key, rows);
            }
            json_array_append_new(rows, row);
        }
    db_finish(stmt);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
        json_decref(groups);
        return NULL;
    }
    return groups;
}

/* The rows of one request in a grouping of events_by_request (an empty array when it has none).
 * A borrowed reference: empty is a static array nobody changes. */
static const json_t *events_of(const json_t *groups, int64_t request_id, const json_t *empty)
{
    char key[24];
    const json_t *rows;

    snprintf(key, sizeof(key), "%lld", (long long)request_id);
    rows = json_object_get(groups, key);
    return rows ? rows : empty;
}

json_t *deadline_engine_rule_json(db_stmt *stmt)
{
    return db_row_to_json(stmt, rule_bool_columns, rule_json_columns);
}

json_t *deadline_engine_program_json(db_stmt *stmt)
{
    static const char *const json_columns[] = {"aliases", "exceptions", NULL};

    return db_row_to_json(stmt, NULL, json_columns);
}

json_t *deadline_engine_basis(struct db *db, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_RULES_ALL, p);
    json_t *rules = json_array(), *programs = json_object();
    enum db_step step = DB_ERROR;

    if (stmt != NULL)
        while ((step = db_step(stmt)) == DB_ROW)
            json_array_append_new(rules, deadline_engine_rule_json(stmt));
    db_finish(stmt);
    if (step == DB_DONE) {
        stmt = db_prepare(db, SQL_PROGRAMS_ALL, p);
        step = DB_ERROR;
        if (stmt != NULL)
            while ((step = db_step(stmt)) == DB_ROW) {
                json_t *program = deadline_engine_program_json(stmt);

                json_object_set_new(programs, json_string_value(json_object_get(program, "code")),
                                    program);
            }
        db_finish(stmt);
    }
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "the deadline rules and programs: %s", db_errmsg(db));
        json_decref(rules);
        json_decref(programs);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "rules", rules, "programs", programs);
}

/* Compute the requests with from_id <= id < to_id (loaded with one query per event kind) and
 * call each() for every one of them, in id order. Returns 0, or -1 with *p set. */
static int compute_range(struct db *db, const json_t *basis, int64_t from_id, int64_t to_id,
                         const struct op_context *ctx, deadline_engine_each_fn each, void *arg,
                         struct problem *p)
{
    enum {
        RFES,
        INTERVIEWS,
        DECISIONS,
        EXPIRATIONS,
        FILINGS,
        FEE_NOTICES,
        RENEWAL_FILINGS,
        EVENT_KINDS
    };
    static const enum sql_id event_sql[EVENT_KINDS] = {
        SQL_DEADLINE_RFES,           SQL_DEADLINE_INTERVIEWS, SQL_DEADLINE_DECISIONS,
        SQL_DEADLINE_EXPIRATIONS,    SQL_DEADLINE_FILINGS,    SQL_DEADLINE_FEE_NOTICES,
        SQL_DEADLINE_RENEWAL_FILINGS};
    static const char *const mailed[] = {"mailed", NULL};
    static const char *const *const event_bools[EVENT_KINDS] = {mailed, NULL, mailed, NULL,
                                                                NULL,   NULL, NULL};
    json_t *requests = json_array(), *events[EVENT_KINDS] = {NULL}, *empty = json_array(), *row;
    json_t *binds = json_pack("{s:I, s:I, s:s, s:s}", "from_id", (json_int_t)from_id, "to_id",
                              (json_int_t)to_id, "today", ctx->today, "now", ctx->now);
    static const char *const client_filings[] = {"client_filings", NULL};
    enum db_step step = DB_ERROR;
    db_stmt *stmt;
    size_t i;
    int rc = -1;

    stmt = db_prepare(db, SQL_DEADLINE_REQUESTS, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW)
            json_array_append_new(requests, db_row_to_json(stmt, NULL, client_filings));
    db_finish(stmt);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "deadline_requests: %s", db_errmsg(db));
        goto out;
    }
    for (i = 0; i < EVENT_KINDS; i++) {
        events[i] = events_by_request(db, event_sql[i], binds, event_bools[i], p);
        if (events[i] == NULL)
            goto out;
    }
    json_array_foreach(requests, i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        struct deadline_compute_input in = {
            .request = row,
            .rfes = events_of(events[RFES], id, empty),
            .interviews = events_of(events[INTERVIEWS], id, empty),
            .decisions = events_of(events[DECISIONS], id, empty),
            .expirations = events_of(events[EXPIRATIONS], id, empty),
            .filings = events_of(events[FILINGS], id, empty),
            .fee_notices = events_of(events[FEE_NOTICES], id, empty),
            .renewal_filings = events_of(events[RENEWAL_FILINGS], id, empty),
            .rules = json_object_get(basis, "rules"),
            .programs = json_object_get(basis, "programs"),
            .today = ctx->today,
            .now = ctx->now,
        };
        json_t *mine = deadline_compute_request(&in);
        int failed =
            each(id, json_integer_value(json_object_get(row, "client_id")), mine, arg, p) != 0;

        json_decref(mine);
        if (failed)
            goto out;
    }
    rc = 0;
out:
    for (i = 0; i < EVENT_KINDS; i++)
        json_decref(events[i]);
    json_decref(empty);
    json_decref(binds);
    json_decref(requests);
    return rc;
}

int deadline_engine_each(struct db *db, const json_t *basis, int64_t from_id, int64_t to_id,
                         const struct op_context *ctx, deadline_engine_each_fn each, void *arg,
                         struct problem *p)
{
    /* A chunk of requests at a time, so memory stays bounded whatever the firm's size. */
    enum { CHUNK = 512 };

    while (from_id < to_id) {
        json_t *binds = json_pack("{s:I, s:i}", "from_id", (json_int_t)from_id, "limit", CHUNK);
        db_stmt *stmt = db_prepare(db, SQL_DLEDGER_REQUEST_IDS, p);
        int64_t first = 0, last = 0;
        enum db_step step = DB_ERROR;

        if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
            while ((step = db_step(stmt)) == DB_ROW) {
                last = db_row_int(stmt, "id");
                if (first == 0)
                    first = last;
            }
        db_finish(stmt);
        json_decref(binds);
        if (step != DB_DONE) {
            if (p->kind == PROBLEM_NONE)
                problem_set(p, PROBLEM_INTERNAL, "dledger_request_ids: %s", db_errmsg(db));
            return -1;
        }
        if (first == 0 || first >= to_id)
            return 0;
        if (last >= to_id)
            last = to_id - 1;
        if (compute_range(db, basis, first, last + 1, ctx, each, arg, p) != 0)
            return -1;
        from_id = last + 1;
    }
    return 0;
}

int deadline_engine_each_client_alone(struct db *db, const json_t *basis, int64_t from_id,
                                      int64_t to_id, const struct op_context *ctx,
                                      deadline_engine_each_fn each, void *arg, struct problem *p)
{
    static const char *const client_filings[] = {"client_filings", NULL};
    json_t *binds =
               json_pack("{s:I, s:I}", "from_id", (json_int_t)from_id, "to_id", (json_int_t)to_id),
           *empty = json_array();
    db_stmt *stmt = db_prepare(db, SQL_DEADLINE_CLIENTS_ALONE, p);
    enum db_step step = DB_ERROR;
    int failed = 0;

    /* One row at a time: a client alone has no events to load. */
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while (!failed && (step = db_step(stmt)) == DB_ROW) {
            json_t *row = db_row_to_json(stmt, NULL, client_filings);
            struct deadline_compute_input in = {
                .request = row,
                .rfes = empty,
                .interviews = empty,
                .decisions = empty,
                .expirations = empty,
                .filings = empty,
                .fee_notices = empty,
                .renewal_filings = empty,
                .rules = json_object_get(basis, "rules"),
                .programs = json_object_get(basis, "programs"),
                .today = ctx->today,
                .now = ctx->now,
            };
            json_t *mine = deadline_compute_request(&in);

            failed =
                each(0, json_integer_value(json_object_get(row, "client_id")), mine, arg, p) != 0;
            json_decref(mine);
            json_decref(row);
        }
    db_finish(stmt);
    json_decref(binds);
    json_decref(empty);
    if (failed)
        return -1;
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "deadline_clients_alone: %s", db_errmsg(db));
        return -1;
    }
    return 0;
}

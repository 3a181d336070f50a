/* parole_requests: a request for parole filed (or to be filed) for a client. Its `stage` is
 * derived in SQL from its events and today's date (sql.c, STAGE_EXPRESSION). */
#include <string.h>

#include "program_store.h"
#include "records.h"
#include "role.h"
#include "stage.h"
#include "textfold.h"

static const char *const parole_types[] = {"humanitarian",
                                           "significant_public_benefit",
                                           "medical",
                                           "family_reunification",
                                           "military_parole_in_place",
                                           "re_parole",
                                           "program",
                                           NULL};
static const char *const locations[] = {"outside_us", "inside_us", NULL};
static const char *const sponsor_statuses[] = {"us_citizen", "lpr", "other", NULL};

static const struct field_spec request_fields[] = {
    {.name = "client_id", .type = FIELD_INT, .flags = FIELD_REQUIRED, .min = 1, .max = INT64_MAX},
    {.name = "parole_type", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = parole_types},
    {.name = "program", .type = FIELD_TEXT, .max_chars = 32, .normalize = identifiers_program},
    {.name = "location", .type = FIELD_ENUM, .choices = locations},
    {.name = "summary", .type = FIELD_TEXT, .max_chars = 10000},
    {.name = "sponsor_name", .type = FIELD_TEXT, .flags = FIELD_SINGLE_LINE, .max_chars = 200},
    {.name = "sponsor_relationship",
     .type = FIELD_TEXT,
     .flags = FIELD_SINGLE_LINE,
     .max_chars = 100},
    {.name = "sponsor_status", .type = FIELD_ENUM, .choices = sponsor_statuses},
    {.name = "expedite", .type = FIELD_BOOL},
    {.name = "assigned_attorney_id", .type = FIELD_INT, .min = 1, .max = INT64_MAX},
    {.name = "assigned_paralegal_id", .type = FIELD_INT, .min = 1, .max = INT64_MAX},
    /* the request this one renews (a re-parole): its filing inside the old request's window
     * meets that window's deadline */
    {.name = "renews_request_id", .type = FIELD_INT, .min = 1, .max = INT64_MAX},
};

static const char *const booleans[] = {"true", "false", NULL};

static const char *const request_read_only[] = {RECORD_READ_ONLY, "stage", NULL};

static const struct filter_spec request_filters[] = {
    {.name = "client_id", .kind = FILTER_ID},
    {.name = "stage", .kind = FILTER_CHOICE, .choices = stage_names},
    {.name = "parole_type", .kind = FILTER_CHOICE, .choices = parole_types},
    {.name = "program", .kind = FILTER_CODE, .normalize = identifiers_program},
    {.name = "q", .kind = FILTER_SEARCH},
    {.name = "assigned_to", .kind = FILTER_ASSIGNEE},
    {.name = "unguarded", .kind = FILTER_CHOICE, .choices = booleans},
    {.name = "id", .kind = FILTER_ID_LIST},
    RESOURCE_INCLUDE_FILTER,
    {.name = NULL},
};

static const char *const request_bool_columns[] = {"expedite", NULL};
static const char *const request_narratives[] = {"summary", NULL};
static const char *const request_encrypted[] = {"summary", NULL};

/* An assignee must be an active user whose role fits (`fits`: role_is_assignable_attorney or
 * role_is_assignable_paralegal). Checked when the assignment is made or changed: an existing
 * assignment to a user since disabled or re-roled does not block other edits of the request
 * (request_id 0: a create). */
static void check_assignee(struct db *db, const json_t *record, int64_t request_id,
                           const char *field, int (*fits)(enum role), struct problem *p)
{
    json_t *id = json_object_get(record, field);
    char role[32];
    json_t *binds;
    int rc;

    if (id == NULL || json_is_null(id))
        return;
    if (request_id != 0) {
        int64_t kept = 0;

        binds =
            json_pack("{s:I, s:s, s:O}", "id", (json_int_t)request_id, "field", field, "value", id);
        rc = db_scalar_int(db, SQL_REQUEST_ASSIGNEE_KEPT, binds, &kept, p);
        json_decref(binds);
        if (rc != 0 || kept)
            return;
    }
    binds = json_pack("{s:O}", "id", id);
    rc = db_scalar_text(db, SQL_USER_ROLE, binds, role, sizeof(role), p);
    json_decref(binds);
    if (rc != 0)
        return;
    if (fits(role_parse(role)))
        return;
    problem_add_field(p, field,
                      role[0] ? "this user's role cannot take this assignment"
                              : "no active user has this id");
}

/* The program must be a known one: a code or one of its aliases becomes the code. A request
 * that still names a program no row has (kept by migration 16) keeps it until it is changed
 * (request_id 0: a create). */
static int check_program(struct db *db, json_t *record, int64_t request_id, struct problem *p)
{
    const char *typed = json_string_value(json_object_get(record, "program"));
    char code[40], known[512];
    int found;

    if (typed == NULL)
        return 0;
    found = program_store_resolve(db, typed, code, sizeof(code), p);
    if (found < 0)
        return -1;
    if (found) {
        json_object_set_new(record, "program", json_string(code));
        return 0;
    }
    if (request_id != 0) {
        json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)request_id, "program", typed);
        int64_t kept = 0;
        int rc = db_scalar_int(db, SQL_REQUEST_PROGRAM_KEPT, binds, &kept, p);

        json_decref(binds);
        if (rc != 0)
            return -1;
        if (kept)
            return 0;
    }
    if (program_store_codes(db, known, sizeof(known), p) != 0)
        return -1;
    problem_add_field(p, "program", "must be one of the known programs: %s", known);
    return 0;
}

/* The renewed request must be another request of the same client, not one that renews this one
 * back; and a request others renew keeps their client (request_id 0: a create). */
static int check_renewal(struct db *db, const json_t *record, int64_t request_id, struct problem *p)
{
    json_t *renews = json_object_get(record, "renews_request_id"), *binds;
    int64_t client = 0, count = 0;
    int rc;

    /* (a client_id refused by its own check is named already) */
    if (request_id != 0 && json_is_integer(json_object_get(record, "client_id"))) {
        binds = json_pack("{s:I, s:O}", "id", (json_int_t)request_id, "client_id",
                          json_object_get(record, "client_id"));
        rc = db_scalar_int(db, SQL_REQUEST_RENEWERS_ELSEWHERE, binds, &count, p);
        json_decref(binds);
        if (rc != 0)
            return -1;
        if (count > 0)
            problem_add_field(p, "client_id",
                              "another request of the client renews this one; it stays the "
                              "same client's");
    }
    if (renews == NULL || json_is_null(renews))
        return 0;
    if (json_integer_value(renews) == request_id) {
        problem_add_field(p, "renews_request_id", "a request cannot renew itself");
        return 0;
    }
    binds = json_pack("{s:O}", "id", renews);
    rc = db_scalar_int(db, SQL_REQUEST_RENEWAL_CLIENT, binds, &client, p);
    json_decref(binds);
    if (rc != 0)
        return -1;
    if (client == 0) {
        problem_add_field(p, "renews_request_id", "no parole request has this id");
        return 0;
    }
    binds = json_pack("{s:I, s:O}", "id", (json_int_t)request_id, "renewed", renews);
    rc = db_scalar_int(db, SQL_REQUEST_RENEWS_BACK, binds, &count, p);
    json_decref(binds);
    if (rc != 0)
        return -1;
    if (count > 0)
        problem_add_field(p, "renews_request_id", "that request renews this one");
    else if (json_integer_value(json_object_get(record, "client_id")) != client)
        problem_add_field(p, "renews_request_id",
                          "the renewed request must be one of the same client's");
    return 0;
}

/* assigned_to=me means the signed-in user. */
static int request_bind_list(json_t *binds, const struct op_context *ctx, struct problem *p)
{
    const char *assignee = json_string_value(json_object_get(binds, "assigned_to"));

    if (assignee == NULL)
        return 0;
    if (ctx->actor.type != ACTOR_USER) {
        problem_add_field(p, "assigned_to", "me needs a signed-in user; an API key is no one");
        return problem_set(p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
    }
    json_object_set_new(binds, "assigned_to", json_integer(ctx->actor.id));
    return 0;
}

/* The client must exist; the sponsor's name is searchable like a client's. */
static int request_before_write(struct db *db, json_t *record, const json_t *stored,
                                int64_t parent_id, int64_t id, const struct op_context *ctx,
                                struct problem *p)
{
    json_t *client_id = json_object_get(record, "client_id");
    const char *sponsor = json_string_value(json_object_get(record, "sponsor_name"));

    (void)stored, (void)parent_id, (void)ctx;
    if (client_id != NULL) {
        json_t *binds = json_pack("{s:O}", "id", client_id);
        int64_t found = 0;
        int rc = db_scalar_int(db, SQL_CLIENT_EXISTS, binds, &found, p);

        json_decref(binds);
        if (rc != 0)
            return -1;
        if (!found)
            problem_add_field(p, "client_id", "no client has this id");
    }
    if (p->kind != PROBLEM_INTERNAL && check_program(db, record, id, p) != 0)
        return -1;
    if (p->kind != PROBLEM_INTERNAL && check_renewal(db, record, id, p) != 0)
        return -1;
    if (p->kind != PROBLEM_INTERNAL) {
        check_assignee(db, record, id, "assigned_attorney_id", role_is_assignable_attorney, p);
        check_assignee(db, record, id, "assigned_paralegal_id", role_is_assignable_paralegal, p);
    }
    json_object_set_new(record, "search_key", textfold_search_key(&sponsor, 1));
    return p->kind == PROBLEM_INTERNAL ? -1 : 0;
}

const struct resource_spec parole_requests_resource = {
    /* a request that renews another moves the renewed request's re-parole deadline */
    .ledger = WRITE_LEDGER_REQUEST_CLIENT,
    .collection = "parole-requests",
    .noun = "parole request",
    .entity = "parole_requests",
    .sql_table = "parole_requests",
    .is_parole_request = 1,
    .encrypted = request_encrypted,
    .narratives = request_narratives,
    .sql_next_id = SQL_NEXT_ID_PAROLE_REQUESTS,
    .bind_list = request_bind_list,
    .table = {request_fields, sizeof(request_fields) / sizeof(request_fields[0]),
              request_read_only},
    .filters = request_filters,
    .bool_columns = request_bool_columns,
    .sql_get = SQL_REQUEST_GET,
    .sql_list = SQL_REQUEST_LIST,
    .list_by_filter = "stage",
    .sql_list_by = SQL_REQUEST_LIST_BY_STAGE,
    .sql_insert = SQL_REQUEST_INSERT,
    .sql_update = SQL_REQUEST_UPDATE,
    .sql_delete = SQL_REQUEST_DELETE,
    .before_write = request_before_write,
    .has_dependents = 1,
    .sql_dependents = SQL_REQUEST_DEPENDENTS,
    .dependents_message = "this parole request still has filings, RFEs, appointments, decisions "
                          "or expiry dates; those are legal records, delete them first",
};

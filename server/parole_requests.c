/* parole_requests: a request for parole filed (or to be filed) for a client. Its `stage` is
 * derived in SQL from its events and today's date (sql.c, STAGE_EXPRESSION). */
#include "resources.h"

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

const char *const parole_request_stages[] = {
    "draft",  "filed",     "receipted", "interview_scheduled", "rfe_open", "approved",
    "denied", "withdrawn", "closed",    "terminated",          "paroled",  "expired",
    NULL};

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
};

static const char *const request_read_only[] = {RECORD_READ_ONLY, "stage", NULL};

static const struct filter_spec request_filters[] = {
    {.name = "client_id", .kind = FILTER_ID},
    {.name = "stage", .kind = FILTER_CHOICE, .choices = parole_request_stages},
    {.name = "parole_type", .kind = FILTER_CHOICE, .choices = parole_types},
    {.name = "program", .kind = FILTER_CODE, .normalize = identifiers_program},
    {.name = "q", .kind = FILTER_SEARCH},
    {.name = NULL},
};

static const char *const request_bool_columns[] = {"expedite", NULL};

/* The client must exist; the sponsor's name is searchable like a client's. */
static int request_before_write(struct db *db, json_t *record, int64_t parent_id, int64_t id,
                                const struct clock_now *clock, struct problem *p)
{
    json_t *client_id = json_object_get(record, "client_id");
    const char *sponsor = json_string_value(json_object_get(record, "sponsor_name"));

    (void)parent_id, (void)id, (void)clock;
    if (client_id != NULL) {
        json_t *binds = json_pack("{s:O}", "id", client_id);
        int64_t found = 0;
        int rc = resource_scalar_int(db, SQL_CLIENT_EXISTS, binds, &found, p);

        json_decref(binds);
        if (rc != 0)
            return -1;
        if (!found)
            problem_add_field(p, "client_id", "no client has this id");
    }
    json_object_set_new(record, "search_key", resource_search_key(&sponsor, 1));
    return 0;
}

const struct resource_spec parole_requests_resource = {
    .collection = "parole-requests",
    .noun = "parole request",
    .table = {request_fields, sizeof(request_fields) / sizeof(request_fields[0]),
              request_read_only},
    .filters = request_filters,
    .bool_columns = request_bool_columns,
    .sql_get = SQL_REQUEST_GET,
    .sql_list = SQL_REQUEST_LIST,
    .sql_insert = SQL_REQUEST_INSERT,
    .sql_update = SQL_REQUEST_UPDATE,
    .sql_delete = SQL_REQUEST_DELETE,
    .before_write = request_before_write,
    .has_dependents = 1,
    .sql_dependents = SQL_REQUEST_DEPENDENTS,
    .dependents_message = "this parole request still has filings, RFEs, appointments, decisions "
                          "or expiry dates; those are legal records, delete them first",
};

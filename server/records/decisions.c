/* decisions: the outcome of a parole request, with the validity period when approved. */
#include <string.h>

#include "records.h"

static const char *const decision_outcomes[] = {
    "approved", "denied", "withdrawn", "administratively_closed", "terminated", NULL};

static const struct field_spec decision_fields[] = {
    {.name = "decided_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED | FIELD_NOT_FUTURE},
    {.name = "outcome", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = decision_outcomes},
    {.name = "valid_from", .type = FIELD_DATE},
    {.name = "valid_until", .type = FIELD_DATE},
    {.name = "mailed", .type = FIELD_BOOL},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const decision_read_only[] = {RECORD_READ_ONLY, "parole_request_id", NULL};
static const char *const decision_bool_columns[] = {"mailed", NULL};

/* The validity period runs forwards, and no decision comes before the request's first filing. */
static int decision_before_write(struct db *db, json_t *record, const json_t *stored,
                                 int64_t parent_id, int64_t id, const struct op_context *ctx,
                                 struct problem *p)
{
    const char *decided_on = json_string_value(json_object_get(record, "decided_on"));
    json_t *binds =
        json_pack("{s:I, s:I}", "parent_id", (json_int_t)parent_id, "id", (json_int_t)0);
    char earliest_filing[DATE_LEN];
    int rc;

    (void)stored, (void)id, (void)ctx;
    records_check_order(record, "valid_from", "valid_until",
                        "must not be before the day the parole starts (valid from)", p);
    rc =
        db_scalar_text(db, SQL_FILING_EARLIEST, binds, earliest_filing, sizeof(earliest_filing), p);
    json_decref(binds);
    if (rc != 0)
        return -1;
    if (decided_on != NULL && earliest_filing[0] && strcmp(decided_on, earliest_filing) < 0)
        problem_add_field(p, "decided_on",
                          "must not be before the request's first filing (filed on %s)",
                          earliest_filing);
    return 0;
}

static const char *const decision_narratives[] = {"notes", NULL};
static const char *const decision_encrypted[] = {"notes", NULL};

const struct resource_spec decisions_resource = {
    .ledger = WRITE_LEDGER_REQUEST,
    .collection = "decisions",
    .entity = "decisions",
    .sql_table = "decisions",
    .encrypted = decision_encrypted,
    .narratives = decision_narratives,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_DECISIONS,
    .noun = "decision",
    .is_child = 1,
    .table = {decision_fields, sizeof(decision_fields) / sizeof(decision_fields[0]),
              decision_read_only},
    .bool_columns = decision_bool_columns,
    .sql_get = SQL_DECISION_GET,
    .sql_list = SQL_DECISION_LIST,
    .sql_insert = SQL_DECISION_INSERT,
    .sql_update = SQL_DECISION_UPDATE,
    .sql_delete = SQL_DECISION_DELETE,
    .before_write = decision_before_write,
};

/* rfes: requests for evidence and notices of intent to deny, each with a hard response date. */
#include "records.h"

static const char *const rfe_kinds[] = {"rfe", "noid", NULL};

static const struct field_spec rfe_fields[] = {
    {.name = "issued_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED | FIELD_NOT_FUTURE},
    {.name = "kind", .type = FIELD_ENUM, .choices = rfe_kinds, .default_choice = "rfe"},
    {.name = "response_due_on", .type = FIELD_DATE},
    {.name = "mailed", .type = FIELD_BOOL},
    {.name = "responded_on", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    {.name = "summary", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const rfe_read_only[] = {RECORD_READ_ONLY, "parole_request_id", NULL};
static const char *const rfe_bool_columns[] = {"mailed", NULL};

/* The response is due, and sent, on or after the day the notice was issued. */
static int rfe_before_write(struct db *db, json_t *record, const json_t *stored, int64_t parent_id,
                            int64_t id, const struct op_context *ctx, struct problem *p)
{
    (void)db, (void)stored, (void)parent_id, (void)id, (void)ctx;
    records_check_order(record, "issued_on", "response_due_on",
                        "must not be before the notice was issued", p);
    records_check_order(record, "issued_on", "responded_on",
                        "must not be before the notice was issued", p);
    return 0;
}

static const char *const rfe_narratives[] = {"summary", NULL};
static const char *const rfe_encrypted[] = {"summary", NULL};

const struct resource_spec rfes_resource = {
    .ledger = WRITE_LEDGER_REQUEST,
    .collection = "rfes",
    .entity = "rfes",
    .sql_table = "rfes",
    .encrypted = rfe_encrypted,
    .narratives = rfe_narratives,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_RFES,
    .noun = "RFE",
    .is_child = 1,
    .table = {rfe_fields, sizeof(rfe_fields) / sizeof(rfe_fields[0]), rfe_read_only},
    .bool_columns = rfe_bool_columns,
    .sql_get = SQL_RFE_GET,
    .sql_list = SQL_RFE_LIST,
    .sql_insert = SQL_RFE_INSERT,
    .sql_update = SQL_RFE_UPDATE,
    .sql_delete = SQL_RFE_DELETE,
    .before_write = rfe_before_write,
};

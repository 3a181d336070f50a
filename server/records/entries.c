/* entries: a client's travel history, each arrival in the United States (when, at which port,
 * in which class of admission) and the departure that ended it. The last arrival starts the
 * asylum one-year deadline (domain/deadline_compute.c); entries live under
 * /api/v1/clients/{id}/entries and move the deadlines of every request of the client. */
#include <ctype.h>
#include <string.h>

#include "records.h"

/* A class of admission as the I-94 prints it: 1 to 6 letters and digits, upper-cased (DT, UHP,
 * OAR, PAR, CHNV programs' DT, ...). An identifier_normalizer. */
static int class_of_admission(const char *in, char *out, size_t out_size, const char **message)
{
    size_t n = 0;

    *message = "must be the class of admission as the I-94 prints it: 1 to 6 letters and "
               "digits, like DT, UHP, OAR or PAR";
    for (const char *c = in; *c; c++) {
        if (*c == ' ' || *c == '-')
            continue;
        if (!isalnum((unsigned char)*c) || n + 1 >= out_size || n >= 6)
            return -1;
        out[n++] = (char)toupper((unsigned char)*c);
    }
    out[n] = '\0';
    return n > 0 ? 0 : -1;
}

static const struct field_spec entry_fields[] = {
    {.name = "arrived_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED | FIELD_NOT_FUTURE},
    {.name = "departed_on", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    {.name = "port", .type = FIELD_TEXT, .flags = FIELD_SINGLE_LINE, .max_chars = 200},
    {.name = "class_of_admission",
     .type = FIELD_TEXT,
     .max_chars = 12,
     .normalize = class_of_admission},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const entry_read_only[] = {RECORD_READ_ONLY, "client_id", NULL};

/* A departure comes after the arrival it ends. */
static int entry_before_write(struct db *db, json_t *record, const json_t *stored,
                              int64_t parent_id, int64_t id, const struct op_context *ctx,
                              struct problem *p)
{
    (void)db, (void)stored, (void)parent_id, (void)id, (void)ctx;
    records_check_order(record, "arrived_on", "departed_on",
                        "must not be before the arrival it ends", p);
    return 0;
}

static const char *const entry_narratives[] = {"notes", NULL};
static const char *const entry_encrypted[] = {"notes", NULL};

const struct resource_spec entries_resource = {
    .ledger = WRITE_LEDGER_CLIENT,
    .collection = "entries",
    .entity = "entries",
    .sql_table = "entries",
    .encrypted = entry_encrypted,
    .narratives = entry_narratives,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_ENTRIES,
    .noun = "entry",
    .is_client_child = 1,
    .table = {entry_fields, sizeof(entry_fields) / sizeof(entry_fields[0]), entry_read_only},
    .sql_get = SQL_ENTRY_GET,
    .sql_list = SQL_ENTRY_LIST,
    .sql_insert = SQL_ENTRY_INSERT,
    .sql_update = SQL_ENTRY_UPDATE,
    .sql_delete = SQL_ENTRY_DELETE,
    .before_write = entry_before_write,
};

/* expirations: the end dates that matter to a paroled client: parole, I-94, work permit (EAD),
 * travel document and passport. */
#include "resources.h"

static const char *const expiration_kinds[] = {"parole",   "i94",   "ead", "travel_document",
                                               "passport", "other", NULL};

static const struct field_spec expiration_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = expiration_kinds},
    {.name = "expires_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "document_number",
     .type = FIELD_TEXT,
     .max_chars = 40,
     .normalize = identifiers_document_number},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const expiration_read_only[] = {RECORD_READ_ONLY, "parole_request_id", NULL};

const struct resource_spec expirations_resource = {
    .collection = "expirations",
    .noun = "expiration",
    .is_child = 1,
    .table = {expiration_fields, sizeof(expiration_fields) / sizeof(expiration_fields[0]),
              expiration_read_only},
    .sql_get = SQL_EXPIRATION_GET,
    .sql_list = SQL_EXPIRATION_LIST,
    .sql_insert = SQL_EXPIRATION_INSERT,
    .sql_update = SQL_EXPIRATION_UPDATE,
    .sql_delete = SQL_EXPIRATION_DELETE,
};

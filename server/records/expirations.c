/* expirations: the end dates that matter to a paroled client: parole, I-94, work permit (EAD),
 * travel document and passport. */
#include <ctype.h>
#include <string.h>

#include "ead_category.h"
#include "records.h"

static const char *const expiration_kinds[] = {"parole",   "i94",   "ead", "travel_document",
                                               "passport", "other", NULL};

static const struct field_spec expiration_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = expiration_kinds},
    {.name = "issued_on", .type = FIELD_DATE},
    {.name = "expires_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "document_number",
     .type = FIELD_TEXT,
     .max_chars = 40,
     .normalize = identifiers_document_number},
    /* a work permit's category as printed on the card (c11, a12, c8, ...) */
    {.name = "ead_category",
     .type = FIELD_TEXT,
     .max_chars = 10,
     .normalize = ead_category_normalize},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const expiration_read_only[] = {RECORD_READ_ONLY, "parole_request_id", NULL};

/* True when text is `letters` upper-case letters followed by `digits` digits. */
static int shaped_like(const char *text, size_t letters, size_t digits)
{
    size_t len = strlen(text);

    if (len != letters + digits)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((i < letters) ? !isupper((unsigned char)text[i]) : !isdigit((unsigned char)text[i]))
            return 0;
    return 1;
}

/* True when the write leaves field `name` as it was stored (an update that does not change it). */
static int unchanged(const json_t *record, const json_t *stored, const char *name)
{
    return stored != NULL &&
           json_equal(json_object_get(record, name), json_object_get(stored, name));
}

/* The document number must have the shape of its kind: an EAD card number is 3 letters and 10
 * digits, an I-94 number 11 digits or 9 digits + a letter or digit + a digit
 * (../shared/DOMAIN.md). A number stored before the shape was checked (an older release took
 * any 11 letters and digits for an I-94) is checked only when the write changes it or its kind,
 * so its other fields can still be corrected. */
static int expiration_before_write(struct db *db, json_t *record, const json_t *stored,
                                   int64_t parent_id, int64_t id, const struct op_context *ctx,
                                   struct problem *p)
{
    const char *kind = json_string_value(json_object_get(record, "kind"));
    const char *number = json_string_value(json_object_get(record, "document_number"));

    (void)db, (void)parent_id, (void)id, (void)ctx;
    records_check_order(record, "issued_on", "expires_on", "must not be before the issue date", p);
    if (kind != NULL && strcmp(kind, "ead") != 0 &&
        json_is_string(json_object_get(record, "ead_category")))
        problem_add_field(p, "ead_category", "only a work permit (kind ead) has a category");
    if (kind == NULL || number == NULL ||
        (unchanged(record, stored, "kind") && unchanged(record, stored, "document_number")))
        return 0;
    if (strcmp(kind, "ead") == 0 && !shaped_like(number, 3, 10))
        problem_add_field(p, "document_number",
                          "an EAD card number is 3 letters and 10 digits, like SRC1234567890");
    else if (strcmp(kind, "i94") == 0 && !identifiers_i94_number_shaped(number))
        problem_add_field(p, "document_number",
                          "an I-94 number is 11 digits, or since 2019 9 digits, a letter or digit "
                          "and a digit, like 12345678901 or 123456789A1");
    return 0;
}

static const char *const expiration_narratives[] = {"notes", NULL};
/* The document number is an identifier (a passport's number above all): sealed at rest, masked
 * in lists, and its reading by id audited, as a client's passport number is. */
static const char *const expiration_encrypted[] = {"document_number", "notes", NULL};
static const char *const expiration_identifiers[] = {"document_number", NULL};

/* In lists the document number shows only its last four characters. */
static void expiration_present_in_list(json_t *record)
{
    json_object_set_new(record, "document_number",
                        resource_masked(json_object_get(record, "document_number")));
}

const struct resource_spec expirations_resource = {
    .ledger = WRITE_LEDGER_REQUEST,
    .collection = "expirations",
    .entity = "expirations",
    .sql_table = "expirations",
    .encrypted = expiration_encrypted,
    .narratives = expiration_narratives,
    .audited_reads = expiration_identifiers,
    .present_in_list = expiration_present_in_list,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_EXPIRATIONS,
    .noun = "expiration",
    .is_child = 1,
    .table = {expiration_fields, sizeof(expiration_fields) / sizeof(expiration_fields[0]),
              expiration_read_only},
    .sql_get = SQL_EXPIRATION_GET,
    .sql_list = SQL_EXPIRATION_LIST,
    .sql_insert = SQL_EXPIRATION_INSERT,
    .sql_update = SQL_EXPIRATION_UPDATE,
    .sql_delete = SQL_EXPIRATION_DELETE,
    .before_write = expiration_before_write,
};

/* fee_notices: the fees billed for a parole request (the parole fee of H.R. 1, a filing fee),
 * when they were issued, when they must be paid and when they were. An unpaid notice is a
 * `fee_payment` deadline on its due date (domain/deadline_compute.c); a notice typed without an
 * amount takes the fee schedule's (table fee_schedule, migration 19). */
#include <stdlib.h>
#include <string.h>

#include "filing_form.h"
#include "records.h"

static const char *const fee_kinds[] = {"parole_fee", "filing_fee", "other", NULL};

static const struct field_spec fee_notice_fields[] = {
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = fee_kinds},
    {.name = "form", .type = FIELD_ENUM, .choices = filing_form_names},
    {.name = "amount_cents", .type = FIELD_INT, .min = 0, .max = 100000000},
    {.name = "issued_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED | FIELD_NOT_FUTURE},
    {.name = "due_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "paid_on", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const fee_notice_read_only[] = {RECORD_READ_ONLY, "parole_request_id", NULL};

/* The amount of the fee schedule in force on the notice's issue date for its kind (and form)
 * into *cents. Returns 1 when the schedule has one, 0 when not, -1 with *p set. */
static int scheduled_amount(struct db *db, const json_t *record, int64_t *cents, struct problem *p)
{
    json_t *binds =
        json_pack("{s:O, s:O, s:O}", "kind", json_object_get(record, "kind"), "form",
                  json_object_get(record, "form"), "on", json_object_get(record, "issued_on"));
    char text[32];
    int rc = db_scalar_text(db, SQL_FEE_SCHEDULE_AMOUNT, binds, text, sizeof(text), p);

    json_decref(binds);
    if (rc != 0)
        return -1;
    if (text[0] == '\0')
        return 0;
    *cents = strtoll(text, NULL, 10);
    return 1;
}

/* Due and paid on or after the issue date; a form only on a filing fee; no amount typed: the
 * schedule's, else 422 naming amount_cents. */
static int fee_notice_before_write(struct db *db, json_t *record, const json_t *stored,
                                   int64_t parent_id, int64_t id, const struct op_context *ctx,
                                   struct problem *p)
{
    const char *kind = json_string_value(json_object_get(record, "kind"));

    (void)stored, (void)parent_id, (void)id, (void)ctx;
    records_check_order(record, "issued_on", "due_on", "must not be before the notice was issued",
                        p);
    records_check_order(record, "issued_on", "paid_on", "must not be before the notice was issued",
                        p);
    if (json_is_string(json_object_get(record, "form")) && kind != NULL &&
        strcmp(kind, "filing_fee") != 0)
        problem_add_field(p, "form", "only a filing fee names a form");
    if (json_is_null(json_object_get(record, "amount_cents")) && kind != NULL &&
        json_is_string(json_object_get(record, "issued_on"))) {
        int64_t cents = 0;
        int found = scheduled_amount(db, record, &cents, p);

        if (found < 0)
            return -1;
        if (found)
            json_object_set_new(record, "amount_cents", json_integer(cents));
        else
            problem_add_field(p, "amount_cents",
                              "is required: the fee schedule has no amount for this fee on its "
                              "issue date");
    }
    return 0;
}

static const char *const fee_notice_narratives[] = {"notes", NULL};
static const char *const fee_notice_encrypted[] = {"notes", NULL};

const struct resource_spec fee_notices_resource = {
    .ledger = WRITE_LEDGER_REQUEST,
    .collection = "fee-notices",
    .entity = "fee_notices",
    .sql_table = "fee_notices",
    .encrypted = fee_notice_encrypted,
    .narratives = fee_notice_narratives,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_FEE_NOTICES,
    .noun = "fee notice",
    .is_child = 1,
    .table = {fee_notice_fields, sizeof(fee_notice_fields) / sizeof(fee_notice_fields[0]),
              fee_notice_read_only},
    .sql_get = SQL_FEE_NOTICE_GET,
    .sql_list = SQL_FEE_NOTICE_LIST,
    .sql_insert = SQL_FEE_NOTICE_INSERT,
    .sql_update = SQL_FEE_NOTICE_UPDATE,
    .sql_delete = SQL_FEE_NOTICE_DELETE,
    .before_write = fee_notice_before_write,
};

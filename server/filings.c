/* filings: forms filed with USCIS for a parole request (I-131, I-134A, I-765, ...). */
#include <stdio.h>
#include <string.h>

#include "resources.h"

static const char *const forms[] = {"I-131", "I-131F", "I-134", "I-134A",
                                    "I-765", "I-290B", "other", NULL};
static const char *const filing_kinds[] = {
    "initial", "re_parole", "expedite_request", "rfe_response", "motion", "other", NULL};
static const char *const methods[] = {"mail", "online", NULL};

static const struct field_spec filing_fields[] = {
    {.name = "form", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = forms},
    {.name = "filed_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "kind", .type = FIELD_ENUM, .choices = filing_kinds, .default_choice = "initial"},
    {.name = "receipt_number",
     .type = FIELD_TEXT,
     .max_chars = 40,
     .normalize = identifiers_receipt_number},
    {.name = "receipt_notice_on", .type = FIELD_DATE},
    {.name = "fee_cents", .type = FIELD_INT, .min = 0, .max = 100000000},
    {.name = "method", .type = FIELD_ENUM, .choices = methods},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const filing_read_only[] = {RECORD_READ_ONLY, "parole_request_id", "warnings",
                                               NULL};

/* A receipt number belongs to one filing; the receipt notice comes after the filing; and no
 * decision of the request may come before its first filing. */
static int filing_before_write(struct db *db, json_t *record, int64_t parent_id, int64_t id,
                               const struct clock_now *clock, struct problem *p)
{
    const char *filed_on = json_string_value(json_object_get(record, "filed_on"));
    json_t *receipt = json_object_get(record, "receipt_number");
    json_t *binds = json_pack("{s:O, s:I, s:I}", "receipt_number", receipt, "id", (json_int_t)id,
                              "parent_id", (json_int_t)parent_id);
    char earliest_filing[DATE_LEN], earliest_decision[DATE_LEN];
    int64_t owner = 0;
    int rc = -1;

    (void)clock;
    resources_check_order(record, "filed_on", "receipt_notice_on",
                          "must not be before the filing date", p);
    if (resource_scalar_text(db, SQL_FILING_EARLIEST, binds, earliest_filing,
                             sizeof(earliest_filing), p) != 0 ||
        resource_scalar_text(db, SQL_DECISION_EARLIEST, binds, earliest_decision,
                             sizeof(earliest_decision), p) != 0)
        goto out;
    if (earliest_filing[0] == '\0' || strcmp(filed_on, earliest_filing) < 0)
        snprintf(earliest_filing, sizeof(earliest_filing), "%s", filed_on);
    if (earliest_decision[0] && strcmp(earliest_decision, earliest_filing) < 0)
        problem_add_field(p, "filed_on",
                          "would put the first filing after the decision of %s; a decision "
                          "cannot come before the first filing",
                          earliest_decision);
    if (resources_finish_checks(p) != 0)
        goto out;
    if (!json_is_null(receipt)) {
        if (resource_scalar_int(db, SQL_FILING_RECEIPT_OWNER, binds, &owner, p) != 0)
            goto out;
        if (owner != 0) {
            problem_add_field(p, "receipt_number", "is already on filing %lld", (long long)owner);
            problem_set(p, PROBLEM_CONFLICT, "receipt number %s is already on another filing",
                        json_string_value(receipt));
            goto out;
        }
    }
    rc = 0;
out:
    json_decref(binds);
    return rc;
}

/* Add `warnings`: things worth a second look that are not errors (an unknown receipt prefix). */
static void filing_decorate(json_t *record)
{
    const char *receipt = json_string_value(json_object_get(record, "receipt_number"));
    json_t *warnings = json_array();

    if (receipt != NULL && !identifiers_receipt_prefix_known(receipt)) {
        char message[128];

        snprintf(message, sizeof(message),
                 "%.3s is not a USCIS service-centre prefix we know; check the receipt notice",
                 receipt);
        json_array_append_new(
            warnings, json_pack("{s:s, s:s}", "field", "receipt_number", "message", message));
    }
    json_object_set_new(record, "warnings", warnings);
}

const struct resource_spec filings_resource = {
    .collection = "filings",
    .noun = "filing",
    .is_child = 1,
    .table = {filing_fields, sizeof(filing_fields) / sizeof(filing_fields[0]), filing_read_only},
    .sql_get = SQL_FILING_GET,
    .sql_list = SQL_FILING_LIST,
    .sql_insert = SQL_FILING_INSERT,
    .sql_update = SQL_FILING_UPDATE,
    .sql_delete = SQL_FILING_DELETE,
    .before_write = filing_before_write,
    .decorate = filing_decorate,
};

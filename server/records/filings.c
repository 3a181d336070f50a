/* filings: forms filed with USCIS for a parole request (I-131, I-134A, I-765, ...). */
#include <stdio.h>
#include <string.h>

#include "ead_category.h"
#include "filing_form.h"
#include "records.h"

static const char *const filing_kinds[] = {
    "initial", "re_parole", "expedite_request", "rfe_response", "motion", "other", NULL};
static const char *const methods[] = {"mail", "online", NULL};
/* What USCIS decided on the filing (a rejected filing was returned unfiled). */
static const char *const filing_outcomes[] = {"approved", "denied", "withdrawn", "rejected", NULL};

static const struct field_spec filing_fields[] = {
    {.name = "form", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = filing_form_names},
    {.name = "filed_on", .type = FIELD_DATE, .flags = FIELD_REQUIRED | FIELD_NOT_FUTURE},
    {.name = "kind", .type = FIELD_ENUM, .choices = filing_kinds, .default_choice = "initial"},
    {.name = "receipt_number",
     .type = FIELD_TEXT,
     .max_chars = 40,
     .normalize = identifiers_receipt_number},
    {.name = "receipt_notice_on", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    {.name = "fee_cents", .type = FIELD_INT, .min = 0, .max = 100000000},
    {.name = "method", .type = FIELD_ENUM, .choices = methods},
    /* the date USCIS decided the filing (an I-485's decision ends a parole a program's
     * termination exception kept) */
    {.name = "decided_on", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    /* the decision's outcome (an approved I-485: the client is a permanent resident) */
    {.name = "outcome", .type = FIELD_ENUM, .choices = filing_outcomes},
    /* the category an I-765 asks a work permit in (c11, c8, ...) */
    {.name = "ead_category",
     .type = FIELD_TEXT,
     .max_chars = 10,
     .normalize = ead_category_normalize},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
};

static const char *const filing_read_only[] = {RECORD_READ_ONLY, "parole_request_id", "warnings",
                                               NULL};

/* The earliest filing date of the request once this filing (id, 0 for a new one) has the date
 * filed_on (NULL: once it is deleted), into out ("" when no filing would remain). */
static int earliest_filing_with(struct db *db, int64_t parent_id, int64_t id, const char *filed_on,
                                char out[DATE_LEN], struct problem *p)
{
    json_t *binds =
        json_pack("{s:I, s:I}", "parent_id", (json_int_t)parent_id, "id", (json_int_t)id);
    int rc = db_scalar_text(db, SQL_FILING_EARLIEST, binds, out, DATE_LEN, p);

    json_decref(binds);
    if (rc == 0 && filed_on != NULL && (out[0] == '\0' || strcmp(filed_on, out) < 0))
        snprintf(out, DATE_LEN, "%s", filed_on);
    return rc;
}

/* The earliest decision date of the request into out ("" when it has none). */
static int earliest_decision(struct db *db, int64_t parent_id, char out[DATE_LEN],
                             struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "parent_id", (json_int_t)parent_id);
    int rc = db_scalar_text(db, SQL_DECISION_EARLIEST, binds, out, DATE_LEN, p);

    json_decref(binds);
    return rc;
}

/* A receipt number belongs to one filing; the receipt notice comes after the filing; an outcome
 * has its decision date; and no decision of the request may come before its first filing. */
static int filing_before_write(struct db *db, json_t *record, const json_t *stored,
                               int64_t parent_id, int64_t id, const struct op_context *ctx,
                               struct problem *p)
{
    const char *filed_on = json_string_value(json_object_get(record, "filed_on"));
    const char *receipt = json_string_value(json_object_get(record, "receipt_number"));
    char first_filing[DATE_LEN], first_decision[DATE_LEN];
    int64_t owner = 0;

    (void)stored, (void)ctx;
    records_check_order(record, "filed_on", "receipt_notice_on",
                        "must not be before the filing date", p);
    records_check_order(record, "filed_on", "decided_on", "must not be before the filing date", p);
    if (json_is_string(json_object_get(record, "outcome")) &&
        !json_is_string(json_object_get(record, "decided_on")) &&
        !problem_names_field(p, "decided_on"))
        problem_add_field(p, "decided_on", "is needed with an outcome: the date USCIS decided");
    if (json_is_string(json_object_get(record, "ead_category")) &&
        (json_string_value(json_object_get(record, "form")) == NULL ||
         strcmp(json_string_value(json_object_get(record, "form")), "I-765") != 0))
        problem_add_field(p, "ead_category", "only an I-765 asks for a work permit category");
    if (filed_on != NULL) {
        if (earliest_filing_with(db, parent_id, id, filed_on, first_filing, p) != 0 ||
            earliest_decision(db, parent_id, first_decision, p) != 0)
            return -1;
        if (first_decision[0] && strcmp(first_decision, first_filing) < 0)
            problem_add_field(p, "filed_on",
                              "would put the first filing after the decision of %s; a decision "
                              "cannot come before the first filing",
                              first_decision);
    }
    /* The caller answers 422 for any field error; a receipt conflict (409) is worth checking
     * only for an otherwise valid filing. */
    if (problem_has_field_errors(p) || receipt == NULL)
        return 0;
    {
        json_t *binds = json_pack("{s:s, s:I}", "receipt_number", receipt, "id", (json_int_t)id);
        int rc = db_scalar_int(db, SQL_FILING_RECEIPT_OWNER, binds, &owner, p);

        json_decref(binds);
        if (rc != 0)
            return -1;
    }
    if (owner != 0) {
        problem_add_field(p, "receipt_number", "is already on filing %lld", (long long)owner);
        return problem_set(p, PROBLEM_CONFLICT, "receipt number %s is already on another filing",
                           receipt);
    }
    return 0;
}

/* Deleting a filing must not leave a decision before the request's first remaining filing. */
static int filing_before_delete(struct db *db, int64_t parent_id, int64_t id, struct problem *p)
{
    char first_filing[DATE_LEN], first_decision[DATE_LEN];

    if (earliest_filing_with(db, parent_id, id, NULL, first_filing, p) != 0 ||
        earliest_decision(db, parent_id, first_decision, p) != 0)
        return -1;
    if (first_filing[0] && first_decision[0] && strcmp(first_decision, first_filing) < 0)
        return problem_set(p, PROBLEM_CONFLICT,
                           "deleting this filing would leave the decision of %s before the "
                           "request's first filing (%s)",
                           first_decision, first_filing);
    return 0;
}

/* Add `warnings`: things worth a second look that are not errors (an unknown receipt prefix, a
 * re-parole filed before its window opened); the window's opening date read with the row is
 * not a member of the record. */
static void filing_decorate(json_t *record)
{
    const char *receipt = json_string_value(json_object_get(record, "receipt_number"));
    const char *opens = json_string_value(json_object_get(record, "reparole_window_opens_on"));
    const char *kind = json_string_value(json_object_get(record, "kind"));
    const char *filed_on = json_string_value(json_object_get(record, "filed_on"));
    json_t *warnings = json_array();

    (void)kind; /* the window read with the row is only there for a re-parole filing */
    if (opens != NULL && filed_on != NULL && strcmp(filed_on, opens) < 0) {
        char message[200];

        snprintf(message, sizeof(message),
                 "filed before the re-parole window opens on %s: USCIS may reject it without a "
                 "refund, so the re-parole deadline stays open",
                 opens);
        json_array_append_new(warnings,
                              json_pack("{s:s, s:s}", "field", "filed_on", "message", message));
    }
    json_object_del(record, "reparole_window_opens_on");

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

static const char *const filing_narratives[] = {"notes", NULL};
static const char *const filing_encrypted[] = {"notes", NULL};

const struct resource_spec filings_resource = {
    /* an I-589 or AR-11 meets deadlines of the client's, shown under each of its requests */
    .ledger = WRITE_LEDGER_REQUEST_CLIENT,
    .collection = "filings",
    .entity = "filings",
    .sql_table = "filings",
    .encrypted = filing_encrypted,
    .narratives = filing_narratives,
    .filters = resource_include_only,
    .sql_next_id = SQL_NEXT_ID_FILINGS,
    .noun = "filing",
    .is_child = 1,
    .table = {filing_fields, sizeof(filing_fields) / sizeof(filing_fields[0]), filing_read_only},
    .sql_get = SQL_FILING_GET,
    .sql_list = SQL_FILING_LIST,
    .sql_insert = SQL_FILING_INSERT,
    .sql_update = SQL_FILING_UPDATE,
    .sql_delete = SQL_FILING_DELETE,
    .before_write = filing_before_write,
    .before_delete = filing_before_delete,
    .decorate = filing_decorate,
};

/* fee_schedule_store: reading and changing the fee schedule (see fee_schedule_store.h). */
#include "fee_schedule_store.h"

#include "listing.h"
#include <string.h>

#include "fields.h"
#include "filing_form.h"
#include "identifiers.h"

json_t *fee_schedule_store_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, NULL, NULL);
}

json_t *fee_schedule_store_read(struct db *db, int64_t id, struct problem *p)
{
    return listing_read_one(db, SQL_FEE_SCHEDULE_GET, id, fee_schedule_store_row,
                            "fee schedule row", p);
}

static const char *const fee_kinds[] = {"parole_fee", "filing_fee", "other", NULL};

static const struct field_spec fee_fields[] = {
    {.name = "code",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED,
     .max_chars = 32,
     .normalize = identifiers_program},
    {.name = "kind", .type = FIELD_ENUM, .flags = FIELD_REQUIRED, .choices = fee_kinds},
    {.name = "form", .type = FIELD_ENUM, .choices = filing_form_names},
    {.name = "amount_cents",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 0,
     .max = 100000000},
    {.name = "effective_from", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "effective_to", .type = FIELD_DATE},
    {.name = "citation_source", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 500},
    {.name = "citation_date", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
};
static const char *const fee_read_only[] = {"id", "created_at", "updated_at", "version", NULL};
static const struct field_table fee_table = {fee_fields, sizeof(fee_fields) / sizeof(fee_fields[0]),
                                             fee_read_only};
/* On a patch the code stays: it names the row in the audit trail and in citations. */
static const char *const fee_patch_read_only[] = {"id",         "code",    "created_at",
                                                  "updated_at", "version", NULL};
static const struct field_table fee_patch_table = {
    fee_fields, sizeof(fee_fields) / sizeof(fee_fields[0]), fee_patch_read_only};
static const char *const fee_audited[] = {"code",
                                          "kind",
                                          "form",
                                          "amount_cents",
                                          "effective_from",
                                          "effective_to",
                                          "citation_source",
                                          "citation_date",
                                          NULL};

/* The row a write reads before and after the change (write_kind.read). */
static json_t *fee_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    return fee_schedule_store_read(db, w->id, p);
}

/* Check the body (create) or merge patch (update) and write the row (write_kind.write): a form
 * only on a filing fee, the end after the start. */
static int fee_write(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    json_t *record = before
                         ? fields_check_patch(&fee_patch_table, before, w->input, w->ctx->today, p)
                         : fields_check_create(&fee_table, w->input, w->ctx->today, p);
    const char *kind;
    int rc = -1;

    if (record == NULL)
        return -1;
    kind = json_string_value(json_object_get(record, "kind"));
    if (json_is_string(json_object_get(record, "form")) && kind != NULL &&
        strcmp(kind, "filing_fee") != 0)
        problem_add_field(p, "form", "only a filing fee names a form");
    fields_check_effective_range(record, p);
    if (problem_finish_checks(p) != 0)
        goto out;
    rc = write_store_row(db, w, before, record, SQL_NEXT_ID_FEE_SCHEDULE, SQL_FEE_SCHEDULE_INSERT,
                         SQL_FEE_SCHEDULE_UPDATE, p);
out:
    json_decref(record);
    return rc;
}

static const struct write_kind fee_kind = {
    .entity = "fee_schedule",
    .noun = "fee schedule row",
    .read = fee_write_read,
    .write = fee_write,
    .audited = fee_audited,
    .ledger = WRITE_LEDGER_NONE, /* it proposes amounts; no deadline depends on it */
};

json_t *fee_schedule_store_create(struct db *db, const json_t *body, const struct op_context *ctx,
                                  struct problem *p)
{
    struct write_call w = {
        .kind = &fee_kind, .mode = WRITE_CREATE, .action = "create", .input = body, .ctx = ctx};

    if (!json_is_object(body)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a fee schedule row must be a JSON object");
        return NULL;
    }
    return write_run(db, &w, p);
}

json_t *fee_schedule_store_patch(struct db *db, int64_t id, const json_t *patch,
                                 const struct if_match *if_match, const struct op_context *ctx,
                                 struct problem *p)
{
    return write_patch(db, &fee_kind, id, patch, if_match, ctx, NULL, p);
}

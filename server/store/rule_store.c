/* rule_store: reading and changing deadline rules (see rule_store.h). */
#include "rule_store.h"

#include "listing.h"
#include <string.h>

#include "deadline_engine.h"
#include "fields.h"

json_t *rule_store_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return deadline_engine_rule_json(stmt);
}

json_t *rule_store_read(struct db *db, int64_t id, struct problem *p)
{
    return listing_read_one(db, SQL_RULE_GET, id, rule_store_row, "deadline rule", p);
}

/* What an admin may change in a rule; the rest is read-only. */
static const struct field_spec rule_fields[] = {
    {.name = "description", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 2000},
    {.name = "days", .type = FIELD_INT, .min = 0, .max = 3650},
    {.name = "mailed_extra_days", .type = FIELD_INT, .min = 0, .max = 30, .default_json = "0"},
    {.name = "opens_days_before", .type = FIELD_INT, .min = 0, .max = 3650},
    {.name = "lead_times",
     .type = FIELD_INT_ARRAY,
     .min = 0,
     .max = RULE_MAX_LEAD_DAYS,
     .max_items = 16,
     .default_json = "[180, 90, 60, 30, 14, 7, 1, 0]"},
    {.name = "enabled", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "effective_from", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "effective_to", .type = FIELD_DATE},
    {.name = "citation_source", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 500},
    {.name = "citation_date", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
};
static const char *const rule_read_only[] = {
    "id",         "code",       "kind",    "program", "ead_category", "cap_at_parole_end",
    "created_at", "updated_at", "version", NULL};
static const struct field_table rule_table = {
    rule_fields, sizeof(rule_fields) / sizeof(rule_fields[0]), rule_read_only};
static const char *const rule_audited[] = {
    "description", "days",           "mailed_extra_days", "opens_days_before", "lead_times",
    "enabled",     "effective_from", "effective_to",      "citation_source",   "citation_date",
    NULL};

/* The rule a write reads before and after the change (write_kind.read). */
static json_t *rule_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    return rule_store_read(db, w->id, p);
}

/* Check the merge patch against the rule as it is and update its row (write_kind.write). */
static int rule_write(struct db *db, struct write_call *w, const json_t *before, struct problem *p)
{
    json_t *record = fields_check_patch(&rule_table, before, w->input, w->ctx->today, p);
    int rc = -1;

    if (record == NULL)
        return -1;
    /* The requests the rule applies to: those of its program, or all */
    w->program = json_string_value(json_object_get(before, "program"));
    fields_check_effective_range(record, p);
    if (problem_finish_checks(p) != 0)
        goto out;
    /* (rules are seeded by migrations: no insert) */
    rc = write_store_row(db, w, before, record, SQL_RULES_ALL, SQL_RULE_UPDATE, SQL_RULE_UPDATE, p);
out:
    json_decref(record);
    return rc;
}

static const struct write_kind rule_kind = {
    .entity = "deadline_rules",
    .noun = "rule",
    .read = rule_write_read,
    .write = rule_write,
    .audited = rule_audited,
    .ledger = WRITE_LEDGER_PROGRAM,
    .program_member = "program",
};

json_t *rule_store_patch(struct db *db, int64_t id, const json_t *patch,
                         const struct if_match *if_match, const struct op_context *ctx,
                         struct problem *p)
{
    return write_patch(db, &rule_kind, id, patch, if_match, ctx, NULL, p);
}

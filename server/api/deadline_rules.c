/* deadline_rules: the handlers of the rules API, GET /api/v1/deadline-rules, GET and PATCH
 * /api/v1/deadline-rules/{id}: the field table of what an admin may change, the version check,
 * and the audit event of each change. Handler layer: call.h for the call and reply, fields for
 * the checks, audit, db, and deadline_engine.h for how a rule row reads. */
#include "deadline_rules.h"

#include <string.h>

#include "audit.h"
#include "deadline_engine.h"
#include "fields.h"

/* A rule row as the API shows it. */
static json_t *rule_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return deadline_engine_rule_json(stmt);
}

/* Read one rule (inside the caller's transaction); NULL with 404 when there is none. */
static json_t *read_rule(struct db *db, int64_t id, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id), *rule = NULL;
    db_stmt *stmt = db_prepare(db, SQL_RULE_GET, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW)
        rule = rule_row(stmt, NULL, p);
    else if (p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_NOT_FOUND, "no deadline rule with id %lld", (long long)id);
    db_finish(stmt);
    json_decref(binds);
    return rule;
}

/* GET /api/v1/deadline-rules (see deadline_rules.h). */
void deadline_rules_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_RULE_LIST, rule_row, reply);
}

/* GET /api/v1/deadline-rules/{id} (see deadline_rules.h). */
void deadline_rules_get(struct call *call, struct call_reply *reply)
{
    json_t *rule = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        rule = read_rule(call->db, call->id, &call->p);
        db_rollback(call->db);
    }
    if (rule != NULL)
        call_reply_record(reply, 200, rule, NULL);
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
     .max = 730,
     .max_items = 16,
     .default_json = "[180, 90, 60, 30, 14, 7, 1, 0]"},
    {.name = "enabled", .type = FIELD_BOOL, .flags = FIELD_REQUIRED},
    {.name = "effective_from", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
    {.name = "effective_to", .type = FIELD_DATE},
    {.name = "citation_source", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 500},
    {.name = "citation_date", .type = FIELD_DATE, .flags = FIELD_REQUIRED},
};
static const char *const rule_read_only[] = {"id",         "code",       "kind",    "program",
                                             "created_at", "updated_at", "version", NULL};
static const struct field_table rule_table = {
    rule_fields, sizeof(rule_fields) / sizeof(rule_fields[0]), rule_read_only};

/* PATCH /api/v1/deadline-rules/{id} (see deadline_rules.h). */
void deadline_rules_patch(struct call *call, struct call_reply *reply)
{
    static const char *const audited[] = {
        "description", "days",           "mailed_extra_days", "opens_days_before", "lead_times",
        "enabled",     "effective_from", "effective_to",      "citation_source",   "citation_date",
        NULL};
    struct problem *p = &call->p;
    struct if_match if_match;
    json_t *body = NULL, *current = NULL, *record = NULL, *binds = NULL, *stored = NULL;
    json_t *changes = NULL;

    if (call_parse_if_match(call->request->if_match, &if_match, p) != 0)
        return;
    body = call_parse_body(call->request, 1, p);
    if (body == NULL)
        return;
    if (!json_is_object(body)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
        goto out;
    }
    if (db_begin_write(call->db, p) != 0)
        goto out;
    current = read_rule(call->db, call->id, p);
    if (current == NULL)
        goto fail;
    if (if_match.present && !if_match.any) {
        int64_t version = json_integer_value(json_object_get(current, "version"));
        int matched = 0;

        for (size_t i = 0; i < if_match.count; i++)
            matched |= if_match.versions[i] == version;
        if (!matched) {
            problem_set(p, PROBLEM_PRECONDITION_FAILED,
                        "the rule is at version %lld: reload and apply your change again",
                        (long long)version);
            goto fail;
        }
    }
    record = fields_check_patch(&rule_table, current, body, call->ctx.today, p);
    if (record == NULL)
        goto fail;
    {
        const char *from = json_string_value(json_object_get(record, "effective_from"));
        const char *to = json_string_value(json_object_get(record, "effective_to"));

        if (from && to && strcmp(to, from) <= 0)
            problem_add_field(p, "effective_to", "must be after effective_from");
    }
    if (problem_finish_checks(p) != 0)
        goto fail;
    binds = json_deep_copy(record);
    json_object_set_new(binds, "id", json_integer(call->id));
    json_object_set(binds, "version", json_object_get(current, "version"));
    json_object_set_new(binds, "now", json_string(call->ctx.now));
    if (db_exec_json(call->db, SQL_RULE_UPDATE, binds, p) != 0)
        goto fail;
    stored = read_rule(call->db, call->id, p);
    if (stored == NULL)
        goto fail;
    changes = audit_changes(current, stored, audited, NULL);
    if (audit_append(call->db, &call->ctx, "update", "deadline_rules", call->id, 0, changes, p) !=
            0 ||
        db_commit(call->db, p) != 0) {
        json_decref(stored);
        stored = NULL;
        goto fail;
    }
    call_reply_record(reply, 200, stored, NULL);
    goto out;
fail:
    db_rollback(call->db);
out:
    json_decref(changes);
    json_decref(binds);
    json_decref(record);
    json_decref(current);
    json_decref(body);
}

/* settings: defaults, reading, and the audited patch. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "fields.h"

static const struct field_spec setting_fields[] = {
    {.name = "require_totp_for_all", .type = FIELD_BOOL},
    {.name = "session_idle_minutes",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 5,
     .max = 480},
    {.name = "session_absolute_hours",
     .type = FIELD_INT,
     .flags = FIELD_REQUIRED,
     .min = 1,
     .max = 72},
};
static const char *const setting_read_only[] = {"updated_at", NULL};
static const struct field_table setting_table = {
    setting_fields, sizeof(setting_fields) / sizeof(setting_fields[0]), setting_read_only};

int settings_read(struct db *db, struct settings *out, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_SETTINGS_ALL, p);
    enum db_step step;

    out->require_totp_for_all = 0;
    out->session_idle_minutes = 30;
    out->session_absolute_hours = 12;
    out->updated_at[0] = '\0';
    if (stmt == NULL)
        return -1;
    while ((step = db_step(stmt)) == DB_ROW) {
        const char *key = db_column_text(stmt, 0), *value = db_column_text(stmt, 1);
        const char *at = db_column_text(stmt, 2);

        if (strcmp(key, "require_totp_for_all") == 0)
            out->require_totp_for_all = strcmp(value, "true") == 0;
        else if (strcmp(key, "session_idle_minutes") == 0)
            out->session_idle_minutes = atoi(value);
        else if (strcmp(key, "session_absolute_hours") == 0)
            out->session_absolute_hours = atoi(value);
        else
            continue;
        if (strcmp(at, out->updated_at) > 0)
            snprintf(out->updated_at, sizeof(out->updated_at), "%s", at);
    }
    db_finish(stmt);
    if (step != DB_DONE)
        return problem_set(p, PROBLEM_INTERNAL, "settings: %s", db_errmsg(db));
    return 0;
}

json_t *settings_to_json(const struct settings *settings)
{
    return json_pack("{s:b, s:i, s:i, s:o}", "require_totp_for_all", settings->require_totp_for_all,
                     "session_idle_minutes", settings->session_idle_minutes,
                     "session_absolute_hours", settings->session_absolute_hours, "updated_at",
                     settings->updated_at[0] ? json_string(settings->updated_at) : json_null());
}

/* Store one setting (inside the caller's transaction). */
static int put_setting(struct db *db, const char *key, const char *value, const char *now,
                       struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:s, s:s}", "key", key, "value", value, "now", now);
    db_stmt *stmt = db_prepare(db, SQL_SETTING_PUT, p);
    int rc = -1;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0) {
        if (db_step(stmt) == DB_DONE)
            rc = 0;
        else
            problem_set(p, PROBLEM_INTERNAL, "settings: %s", db_errmsg(db));
    }
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

json_t *settings_patch(struct db *db, const json_t *patch, const struct op_context *ctx,
                       struct problem *p)
{
    static const char *const names[] = {"require_totp_for_all", "session_idle_minutes",
                                        "session_absolute_hours", NULL};
    struct settings current;
    json_t *before = NULL, *record = NULL, *changes = NULL, *result = NULL;
    char number[24];

    if (db_begin_write(db, p) != 0)
        return NULL;
    if (settings_read(db, &current, p) != 0)
        goto out;
    before = settings_to_json(&current);
    record = fields_check_patch(&setting_table, before, patch, ctx->today, p);
    if (record == NULL || problem_finish_checks(p) != 0)
        goto out;
    if (put_setting(db, "require_totp_for_all",
                    json_is_true(json_object_get(record, "require_totp_for_all")) ? "true"
                                                                                  : "false",
                    ctx->now, p) != 0)
        goto out;
    snprintf(number, sizeof(number), "%lld",
             (long long)json_integer_value(json_object_get(record, "session_idle_minutes")));
    if (put_setting(db, "session_idle_minutes", number, ctx->now, p) != 0)
        goto out;
    snprintf(number, sizeof(number), "%lld",
             (long long)json_integer_value(json_object_get(record, "session_absolute_hours")));
    if (put_setting(db, "session_absolute_hours", number, ctx->now, p) != 0)
        goto out;
    changes = audit_changes(before, record, names, NULL);
    if (audit_append(db, ctx, "settings_update", "settings", 0, 0, changes, p) != 0 ||
        settings_read(db, &current, p) != 0 || db_commit(db, p) != 0)
        goto out;
    result = settings_to_json(&current);
out:
    if (result == NULL)
        db_rollback(db);
    json_decref(changes);
    json_decref(record);
    json_decref(before);
    return result;
}

/* settings: defaults, reading, and the audited patch. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "write.h"

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
        const char *key = db_row_text(stmt, "key"), *value = db_row_text(stmt, "value");
        const char *at = db_row_text(stmt, "updated_at");

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

int settings_put(struct db *db, const char *key, const char *value, const char *now,
                 struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:s, s:s}", "key", key, "value", value, "now", now);
    int rc = db_exec_json(db, SQL_SETTING_PUT, binds, p);

    json_decref(binds);
    return rc;
}

int settings_value(struct db *db, const char *key, char *out, size_t out_size, struct problem *p)
{
    json_t *binds = json_pack("{s:s}", "key", key);
    int rc = db_scalar_text(db, SQL_SETTING_GET, binds, out, out_size, p);

    json_decref(binds);
    return rc;
}

static const char *const setting_names[] = {"require_totp_for_all", "session_idle_minutes",
                                            "session_absolute_hours", NULL};

/* The settings a write reads before and after the change (write_kind.read). */
static json_t *settings_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    struct settings current;

    (void)w;
    if (settings_read(db, &current, p) != 0)
        return NULL;
    return settings_to_json(&current);
}

/* Check the merge patch against the settings as they are and store every one of them
 * (write_kind.write). */
static int settings_write(struct db *db, struct write_call *w, const json_t *before,
                          struct problem *p)
{
    json_t *record = fields_check_patch(&setting_table, before, w->input, w->ctx->today, p);
    char number[24];
    int rc = -1;

    if (record == NULL || problem_finish_checks(p) != 0)
        goto out;
    if (settings_put(db, "require_totp_for_all",
                     json_is_true(json_object_get(record, "require_totp_for_all")) ? "true"
                                                                                   : "false",
                     w->ctx->now, p) != 0)
        goto out;
    snprintf(number, sizeof(number), "%lld",
             (long long)json_integer_value(json_object_get(record, "session_idle_minutes")));
    if (settings_put(db, "session_idle_minutes", number, w->ctx->now, p) != 0)
        goto out;
    snprintf(number, sizeof(number), "%lld",
             (long long)json_integer_value(json_object_get(record, "session_absolute_hours")));
    rc = settings_put(db, "session_absolute_hours", number, w->ctx->now, p);
out:
    json_decref(record);
    return rc;
}

static const struct write_kind settings_kind = {
    .entity = "settings",
    .noun = "settings",
    .read = settings_write_read,
    .write = settings_write,
    .audited = setting_names,
};

json_t *settings_patch(struct db *db, const json_t *patch, const struct op_context *ctx,
                       struct problem *p)
{
    struct write_call w = {.kind = &settings_kind,
                           .mode = WRITE_UPDATE,
                           .action = "settings_update",
                           .input = patch,
                           .ctx = ctx};

    return write_run(db, &w, p);
}

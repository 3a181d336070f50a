/* backup: the online copy and the checks of a copy (see backup.h). */
#include "backup.h"

#include <string.h>

#include "deadline_ledger.h"
#include "field_key.h"
#include "migrate.h"

int backup_copy(struct db *db, const char *path, struct problem *p)
{
    json_t *binds = json_pack("{s:s}", "path", path);
    int rc = db_exec_json(db, SQL_VACUUM_INTO, binds, p);

    json_decref(binds);
    if (rc != 0 && p->kind != PROBLEM_NONE) {
        char why[sizeof(p->detail)];

        snprintf(why, sizeof(why), "%s", p->detail); /* the detail is not its own argument */
        problem_set(p, p->kind, "copying the database to %s: %s", path, why);
    }
    return rc;
}

/* The first row's first value of a check statement's result as text ("" when no row), into
 * out. Returns the number of rows, or -1 with *p set. */
static int check_rows(struct db *db, enum sql_id check, char *first, size_t first_size,
                      struct problem *p)
{
    json_t *rows = db_rows(db, check, NULL, NULL, p), *row;
    const char *key;
    json_t *value;
    int count;

    first[0] = '\0';
    if (rows == NULL)
        return -1;
    count = (int)json_array_size(rows);
    row = json_array_get(rows, 0);
    json_object_foreach(row, key, value)
    {
        if (json_is_string(value))
            snprintf(first, first_size, "%s", json_string_value(value));
        else
            snprintf(first, first_size, "%s %lld", key, (long long)json_integer_value(value));
        break;
    }
    json_decref(rows);
    return count;
}

int backup_verify_file(struct db *copy, struct backup_check *c, struct problem *p)
{
    char first[300];
    int rows;

    memset(c, 0, sizeof(*c));
    rows = check_rows(copy, SQL_INTEGRITY_CHECK, first, sizeof(first), p);
    if (rows < 0)
        return -1;
    if (rows != 1 || strcmp(first, "ok") != 0) {
        snprintf(c->why, sizeof(c->why), "the file is damaged: integrity_check says %s", first);
        return 1;
    }
    rows = check_rows(copy, SQL_FOREIGN_KEY_CHECK, first, sizeof(first), p);
    if (rows < 0)
        return -1;
    if (rows > 0) {
        snprintf(c->why, sizeof(c->why),
                 "%d row(s) refer to rows that do not exist (foreign_key_check: table %s)", rows,
                 first);
        return 1;
    }
    if (migrate_check(copy, &c->schema, p) != 0) {
        snprintf(c->why, sizeof(c->why), "%s", p->detail);
        problem_clear(p);
        return 1;
    }
    return 0;
}

int backup_verify_contents(struct db *copy, const struct op_context *ctx, FILE *differences_out,
                           struct backup_check *c, struct problem *p)
{
    struct audit_check audit = {.anchor = NULL};
    int rc;

    if (field_key_verify_sealed(copy, &c->sealed_values, p) != 0) {
        if (p->kind != PROBLEM_UNAVAILABLE)
            return -1;
        snprintf(c->why, sizeof(c->why), "%s", p->detail);
        problem_clear(p);
        return 1;
    }
    rc = audit_verify(copy, &audit, p);
    if (rc < 0)
        return -1;
    c->audit_events = audit.events;
    if (rc == 1) {
        snprintf(c->why, sizeof(c->why), "the audit trail is broken at event %lld: %s",
                 (long long)audit.broken_at, audit.why);
        return 1;
    }
    c->head = audit.head;
    if (deadline_ledger_verify(copy, ctx, differences_out, &c->ledger_differences, p) != 0)
        return -1;
    if (c->ledger_differences > 0) {
        snprintf(c->why, sizeof(c->why),
                 "its deadline ledger differs from the computation in %lld deadline(s)",
                 (long long)c->ledger_differences);
        return 1;
    }
    return 0;
}

int backup_checkpoint(struct db *db, struct problem *p)
{
    char first[64];
    int rows = check_rows(db, SQL_CHECKPOINT_TRUNCATE, first, sizeof(first), p);

    if (rows < 0)
        return -1;
    /* The first column is "busy": 1 when another connection kept the WAL from being emptied. */
    if (strcmp(first, "busy 0") != 0)
        return problem_set(p, PROBLEM_UNAVAILABLE,
                           "another process is using the database (its WAL could not be emptied)");
    return 0;
}

/* migrate: forward-only schema migrations recorded in the database. */
#include "migrate.h"

#include <string.h>
#include <time.h>

#include "crypto.h"
#include "dates.h"

/* Compare the recorded migrations with the embedded ones. Writes the highest applied number
 * into *latest. Returns 0, or -1 with the reason in *p. */
static int migrate_verify(struct db *db, int *latest, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_MIGRATIONS_LIST, p);
    enum db_step step;
    int rc = -1;

    *latest = 0;
    if (stmt == NULL)
        return -1;
    while ((step = db_step(stmt)) == DB_ROW) {
        int number = (int)db_row_int(stmt, "number");
        const char *name = db_row_text(stmt, "name");
        const char *checksum = db_row_text(stmt, "checksum");
        char expected[65];

        if (number < 1) {
            problem_set(p, PROBLEM_UNAVAILABLE,
                        "schema_migrations holds a migration numbered %d; it has been tampered "
                        "with",
                        number);
            goto out;
        }
        if (number > migration_source_count) {
            problem_set(p, PROBLEM_UNAVAILABLE,
                        "the database is newer than this binary: it has migration %d (%s) but "
                        "this paroletrack knows only %d; run a newer paroletrack",
                        number, name, migration_source_count);
            goto out;
        }
        crypto_sha256_hex(migration_sources[number - 1].sql,
                          strlen(migration_sources[number - 1].sql), expected);
        if (strcmp(name, migration_sources[number - 1].name) != 0 ||
            strcmp(checksum, expected) != 0) {
            problem_set(p, PROBLEM_UNAVAILABLE,
                        "applied migration %d (%s) differs from this binary's %s.sql "
                        "(checksum %.12s... recorded, %.12s... expected); migrations must "
                        "never change once applied",
                        number, name, migration_sources[number - 1].name, checksum, expected);
            goto out;
        }
        *latest = number;
    }
    if (step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "reading schema_migrations: %s", db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_finish(stmt);
    return rc;
}

/* Fail when the migration left a row that refers to one that does not exist (inside its
 * transaction, foreign keys being off). Returns 0 or -1 with *p set. */
static int migrate_check_foreign_keys(struct db *db, const struct migration_source *m,
                                      struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_FOREIGN_KEY_CHECK, p);
    enum db_step step;

    if (stmt == NULL)
        return -1;
    step = db_step(stmt);
    db_finish(stmt);
    if (step == DB_DONE)
        return 0;
    return problem_set(p, PROBLEM_INTERNAL, "migration %s leaves a broken reference: %s", m->name,
                       step == DB_ROW ? "foreign_key_check found rows" : db_errmsg(db));
}

/* Apply one migration and its record in one transaction. Foreign keys are off while it runs
 * (SQLite's way to rebuild a table others refer to; the pragma cannot change inside a
 * transaction) and checked before the commit. Returns 0 or -1 with *p set. */
static int migrate_apply_one(struct db *db, const struct migration_source *m, struct problem *p)
{
    char checksum[65], now[TIMESTAMP_LEN];
    json_t *record = NULL;
    db_stmt *stmt;
    int rc = -1;

    crypto_sha256_hex(m->sql, strlen(m->sql), checksum);
    dates_format_utc(time(NULL), now);
    if (db_exec(db, "PRAGMA foreign_keys = OFF", p) != 0)
        return -1;
    if (db_begin_write(db, p) != 0)
        goto out;
    if (db_exec(db, m->sql, p) != 0) {
        problem_set(p, PROBLEM_INTERNAL, "migration %s failed: %s", m->name, db_errmsg(db));
        goto out;
    }
    if (migrate_check_foreign_keys(db, m, p) != 0)
        goto out;
    record = json_pack("{s:i, s:s, s:s, s:s}", "number", m->number, "name", m->name, "checksum",
                       checksum, "applied_at", now);
    stmt = db_prepare(db, SQL_MIGRATIONS_RECORD, p);
    if (stmt == NULL || db_bind_json(stmt, record, p) != 0)
        goto out;
    if (db_step(stmt) != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "recording migration %s: %s", m->name, db_errmsg(db));
        goto out;
    }
    db_finish(stmt);
    rc = db_commit(db, p);
out:
    if (rc != 0)
        db_rollback(db);
    {
        struct problem ignored; /* a failed migration's own problem is the one to report */

        problem_init(&ignored);
        if (db_exec(db, "PRAGMA foreign_keys = ON", rc == 0 ? p : &ignored) != 0)
            rc = -1;
        problem_clear(&ignored);
    }
    json_decref(record);
    return rc;
}

int migrate_check(struct db *db, int *latest, struct problem *p)
{
    return migrate_verify(db, latest, p);
}

int migrate_apply(struct db *db, int up_to, int *applied, struct problem *p)
{
    db_stmt *stmt;
    int latest = 0, count = 0;

    if (applied != NULL)
        *applied = 0;
    if (up_to <= 0 || up_to > migration_source_count)
        up_to = migration_source_count;
    stmt = db_prepare(db, SQL_MIGRATIONS_CREATE, p);
    if (stmt == NULL)
        return -1;
    if (db_step(stmt) != DB_DONE) {
        db_finish(stmt);
        return problem_set(p, PROBLEM_UNAVAILABLE, "cannot create schema_migrations: %s",
                           db_errmsg(db));
    }
    db_finish(stmt);
    if (migrate_verify(db, &latest, p) != 0)
        return -1;
    for (int n = latest + 1; n <= up_to; n++) {
        if (migrate_apply_one(db, &migration_sources[n - 1], p) != 0)
            return -1;
        count++;
    }
    if (applied != NULL)
        *applied = count;
    return 0;
}

/* Unit tests of migrate: upgrade from the first migration, refusal of a changed or newer
 * schema, idempotence. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "crypto.h"
#include "db.h"
#include "migrate.h"

/* Count rows of a query that returns one integer. */
static int64_t scalar(struct db *db, enum sql_id id, const char *key, int64_t value)
{
    struct problem p;
    json_t *binds = json_pack("{s:I}", key, (json_int_t)value);
    int64_t out = -1;

    problem_init(&p);
    if (db_scalar_int(db, id, binds, &out, &p) != 0)
        out = -1;
    json_decref(binds);
    problem_clear(&p);
    return out;
}

static void test_upgrade_from_first(void)
{
    struct problem p;
    struct db *db;
    int applied = -1;

    problem_init(&p);
    db = db_open(":memory:", &p);
    CHECK(db != NULL);
    CHECK(migration_source_count >= 2);
    CHECK(migrate_apply(db, 1, &applied, &p) == 0 && applied == 1);
    CHECK(db_exec(db,
                  "INSERT INTO clients (family_name, given_name, created_at, updated_at)"
                  " VALUES ('Kovalenko', 'Olena', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                  &p) == 0);
    CHECK(db_exec(db,
                  "INSERT INTO parole_requests (client_id, parole_type, created_at, updated_at)"
                  " VALUES (1, 'program', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                  &p) == 0);
    /* The events tables do not exist yet. */
    CHECK(db_exec(db, "SELECT 1 FROM filings", &p) != 0);
    problem_clear(&p);
    CHECK(migrate_apply(db, 0, &applied, &p) == 0 && applied == migration_source_count - 1);
    CHECK(scalar(db, SQL_CLIENT_EXISTS, "id", 1) == 1);
    CHECK(scalar(db, SQL_REQUEST_DEPENDENTS, "id", 1) == 0); /* event tables now exist */
    CHECK(migrate_apply(db, 0, &applied, &p) == 0 && applied == 0);
    db_close(db);
    problem_clear(&p);
}

static void test_refusals(void)
{
    struct problem p;
    struct db *db;

    problem_init(&p);
    db = db_open(":memory:", &p);
    CHECK(migrate_apply(db, 0, NULL, &p) == 0);
    CHECK(db_exec(db, "UPDATE schema_migrations SET checksum = 'x' WHERE number = 1", &p) == 0);
    CHECK(migrate_apply(db, 0, NULL, &p) != 0);
    CHECK(strstr(p.detail, "differs") != NULL);
    problem_clear(&p);
    db_close(db);

    db = db_open(":memory:", &p);
    CHECK(migrate_apply(db, 0, NULL, &p) == 0);
    CHECK(db_exec(db,
                  "INSERT INTO schema_migrations VALUES (99, '0099_future', 'abc',"
                  " '2030-01-01T00:00:00Z')",
                  &p) == 0);
    CHECK(migrate_apply(db, 0, NULL, &p) != 0);
    CHECK(strstr(p.detail, "newer than this binary") != NULL);
    problem_clear(&p);
    db_close(db);
}

static void test_file_database_is_wal(void)
{
    char dir[] = "/tmp/paroletrack-test-XXXXXX", path[64];
    struct problem p;
    struct db *db;

    problem_init(&p);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/t.db", dir);
    db = db_open(path, &p);
    CHECK(db != NULL && migrate_apply(db, 0, NULL, &p) == 0);
    db_close(db);
    snprintf(path, sizeof(path), "%s/t.db-wal", dir);
    /* closing the last connection checkpoints and removes the WAL: reopen to see the mode */
    snprintf(path, sizeof(path), "%s/t.db", dir);
    db = db_open(path, &p);
    CHECK(db != NULL && db_exec(db, "CREATE TABLE probe (x)", &p) == 0);
    {
        char wal[80];

        snprintf(wal, sizeof(wal), "%s-wal", path);
        CHECK(access(wal, F_OK) == 0);
        db_close(db);
        unlink(wal);
        snprintf(wal, sizeof(wal), "%s-shm", path);
        unlink(wal);
    }
    unlink(path);
    rmdir(dir);
    problem_clear(&p);
}

int main(void)
{
    crypto_init();
    test_upgrade_from_first();
    test_refusals();
    test_file_database_is_wal();
    return CHECK_DONE();
}

/* test_db_read_scope: a read scope (db_read_scope_begin/_end) gives every read of a call one
 * snapshot: reads begun and ended inside it join it (a commit by another connection meanwhile
 * stays unseen until the scope ends); a write inside it ends the snapshot first, so the write
 * works and reads after it see it; ending a scope that a write already ended, or one with
 * nothing read, is harmless. Two real connections to one WAL file. */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "db.h"
#include "temp_db.h"

/* The number of rows of schema_migrations as db reads it inside a read of its own (begun and
 * ended as a handler does), through the catalogue's health statement (count(*) of that
 * table: here a bare table of this test, not a migrated schema); -1 when the read failed. */
static int64_t rows_read(struct db *db)
{
    struct problem p;
    int64_t n = -1;

    problem_init(&p);
    if (db_begin_read(db, &p) == 0) {
        if (db_scalar_int(db, SQL_HEALTH, NULL, &n, &p) != 0)
            n = -1;
        db_rollback(db);
    }
    problem_clear(&p);
    return n;
}

int main(void)
{
    struct temp_db file;
    struct problem p;
    struct db *a, *b;
    int rc;

    problem_init(&p);
    rc = temp_db_two_connections(&file, "scope", &a, &b);
    CHECK(rc == 0);
    if (rc != 0)
        return 1;
    CHECK(temp_db_commit(a, "CREATE TABLE schema_migrations (x INTEGER)") == 0);
    CHECK(temp_db_commit(a, "INSERT INTO schema_migrations VALUES (1)") == 0);

    /* Reads inside a scope share its snapshot: another connection's commit stays unseen. */
    db_read_scope_begin(a);
    CHECK(rows_read(a) == 1);
    CHECK(db_in_transaction(a)); /* the handler's read ended; the scope's snapshot did not */
    CHECK(temp_db_commit(b, "INSERT INTO schema_migrations VALUES (2)") == 0);
    CHECK(rows_read(a) == 1);
    CHECK(rows_read(b) == 2);
    db_read_scope_end(a);
    CHECK(!db_in_transaction(a));
    CHECK(rows_read(a) == 2); /* after the scope: the file as it is */

    /* A write inside a scope ends the snapshot first: it commits, and later reads see it. */
    db_read_scope_begin(a);
    CHECK(rows_read(a) == 2);
    CHECK(temp_db_commit(b, "INSERT INTO schema_migrations VALUES (3)") == 0);
    CHECK(rows_read(a) == 2);
    CHECK(temp_db_commit(a, "INSERT INTO schema_migrations VALUES (4)") == 0);
    CHECK(!db_in_transaction(a));
    CHECK(rows_read(a) == 4);
    CHECK(temp_db_commit(b, "INSERT INTO schema_migrations VALUES (5)") == 0);
    CHECK(rows_read(a) == 5); /* the scope is over: each read sees the latest commit */
    db_read_scope_end(a);     /* a write already ended it: harmless */
    CHECK(!db_in_transaction(a));

    /* A scope with nothing read, and one whose read was rolled back by the reader's own end. */
    db_read_scope_begin(a);
    db_read_scope_end(a);
    CHECK(!db_in_transaction(a));
    CHECK(temp_db_commit(a, "INSERT INTO schema_migrations VALUES (6)") == 0);
    CHECK(rows_read(a) == 6);

    /* Without a scope a read ends its own transaction. */
    CHECK(rows_read(a) == 6);
    CHECK(!db_in_transaction(a));

    db_close(a);
    db_close(b);
    problem_clear(&p);
    temp_db_remove(&file);
    return CHECK_DONE();
}

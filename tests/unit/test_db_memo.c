/* test_db_memo: a connection's remembered values (db_memo_get/put) hold exactly while the
 * database file is unchanged: a commit by the same connection, by another connection of the
 * process, or by another process's connection forgets them; a read does not; the key must
 * match. Two real connections to one WAL file. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "temp_db.h"

static const char memo_name[] = "figures";

/* Start a read transaction on db and read a row, so its snapshot is current. */
static void read_snapshot(struct db *db)
{
    struct problem p;

    problem_init(&p);
    db_begin_read(db, &p);
    db_exec(db, "SELECT count(*) FROM t", &p);
    problem_clear(&p);
}

/* Whether db remembers a value under key, checked in a fresh read transaction. */
static int remembers(struct db *db, const char *key)
{
    json_t *value;

    read_snapshot(db);
    value = db_memo_get(db, memo_name, key);
    db_rollback(db);
    return value != NULL && json_integer_value(json_object_get(value, "n")) == 42;
}

/* Remember {"n": 42} under key in a fresh read transaction. */
static void remember(struct db *db, const char *key)
{
    read_snapshot(db);
    db_memo_put(db, memo_name, key, json_pack("{s:i}", "n", 42));
    db_rollback(db);
}

int main(void)
{
    struct temp_db file;
    struct problem p;
    struct db *a, *b;
    int rc;

    problem_init(&p);
    rc = temp_db_two_connections(&file, "memo", &a, &b);
    CHECK(rc == 0);
    if (rc != 0)
        return 1;
    CHECK(temp_db_commit(a, "CREATE TABLE t (x INTEGER)") == 0);

    remember(a, "2026-12-07");
    CHECK(remembers(a, "2026-12-07"));
    CHECK(!remembers(a, "2026-12-08")); /* another key: not this value */
    CHECK(remembers(a, "2026-12-07"));  /* reads change nothing */
    CHECK(!remembers(b, "2026-12-07")); /* per connection */

    CHECK(temp_db_commit(b, "INSERT INTO t VALUES (1)") == 0); /* another connection commits */
    CHECK(!remembers(a, "2026-12-07"));

    remember(a, "2026-12-07");
    CHECK(remembers(a, "2026-12-07"));
    CHECK(temp_db_commit(a, "INSERT INTO t VALUES (2)") == 0); /* its own commit */
    CHECK(!remembers(a, "2026-12-07"));

    remember(a, "2026-12-07");
    {
        /* A connection of another process: the sqlite3 shell. */
        char command[256];

        snprintf(command, sizeof(command), "sqlite3 '%s' 'INSERT INTO t VALUES (3)'", file.path);
        CHECK(system(command) == 0);
    }
    CHECK(!remembers(a, "2026-12-07"));

    /* A rolled-back write changes nothing in the file: the value stays. */
    remember(a, "2026-12-07");
    db_begin_write(b, &p);
    db_exec(b, "INSERT INTO t VALUES (4)", &p);
    db_rollback(b);
    CHECK(remembers(a, "2026-12-07"));

    db_close(a);
    db_close(b);
    problem_clear(&p);
    temp_db_remove(&file);
    return CHECK_DONE();
}

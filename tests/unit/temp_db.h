/* temp_db: a database file in a new private directory under /tmp, for the unit tests that need
 * a real file (WAL, real commits, several connections), and its removal with its -wal, -shm and
 * key files, and a commit of a statement on a connection to it. Include it in one test file
 * only. */
#ifndef PAROLETRACK_TEMP_DB_H
#define PAROLETRACK_TEMP_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"

struct temp_db {
    char dir[64];  /* /tmp/paroletrack-NAME-?????? */
    char path[96]; /* DIR/NAME.db */
    char key[104]; /* DIR/NAME.db.key, for a test that keeps its key in a file */
};

/* Make the directory and name the files in it after `name`. Returns 0, or -1 (reported). */
static inline int temp_db_make(struct temp_db *t, const char *name)
{
    /* mkdtemp replaces the template's six trailing X with a unique name */
    snprintf(t->dir, sizeof(t->dir), "/tmp/paroletrack-%s-%s", name, "XXXXXX");
    if (mkdtemp(t->dir) == NULL) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(t->path, sizeof(t->path), "%s/%s.db", t->dir, name);
    snprintf(t->key, sizeof(t->key), "%s.key", t->path);
    return 0;
}

/* Remove the database, its -wal, -shm and key files and the directory. */
static inline void temp_db_remove(const struct temp_db *t)
{
    char file[112];

    snprintf(file, sizeof(file), "%s-wal", t->path);
    unlink(file);
    snprintf(file, sizeof(file), "%s-shm", t->path);
    unlink(file);
    unlink(t->path);
    unlink(t->key);
    rmdir(t->dir);
}

/* Make the file (temp_db_make) and open two connections to it, as two threads of a server
 * would hold. Returns 0, or -1 (reported; whatever opened is closed). */
static inline int temp_db_two_connections(struct temp_db *t, const char *name, struct db **a,
                                          struct db **b)
{
    struct problem p;

    *a = *b = NULL;
    if (temp_db_make(t, name) != 0)
        return -1;
    problem_init(&p);
    *a = db_open(t->path, &p);
    *b = db_open(t->path, &p);
    if (*a == NULL || *b == NULL)
        fprintf(stderr, "temp_db: %s\n", p.detail);
    problem_clear(&p);
    if (*a != NULL && *b != NULL)
        return 0;
    db_close(*a);
    db_close(*b);
    *a = *b = NULL;
    return -1;
}

/* Run sql on connection in a write transaction of its own, as the write path would commit it.
 * Returns 0 or -1 (rolled back). */
static inline int temp_db_commit(struct db *connection, const char *sql)
{
    struct problem p;
    int rc;

    problem_init(&p);
    rc = db_begin_write(connection, &p) == 0 && db_exec(connection, sql, &p) == 0 &&
                 db_commit(connection, &p) == 0
             ? 0
             : -1;
    db_rollback(connection);
    problem_clear(&p);
    return rc;
}

#endif

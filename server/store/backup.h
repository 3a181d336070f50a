/* backup: a consistent online copy of the database and the checks that prove a copy can be
 * restored. The copy is SQLite's VACUUM INTO, one read snapshot of the whole database taken
 * while the server goes on writing (never a file copy, which could catch a half-written page
 * or miss the WAL). The checks are what a firm needs to trust it: the file's integrity and its
 * references, the schema's migrations against this binary's, every sealed value opening with
 * the key, the audit trail's chain up to its sealed head, and the deadline ledger against the
 * computation. `paroletrack backup` and `paroletrack restore` (cli/backup_command.c) use both.
 * A store module: depends on db, migrate, field_key, audit and deadline_ledger. */
#ifndef PAROLETRACK_BACKUP_H
#define PAROLETRACK_BACKUP_H

#include <stdint.h>
#include <stdio.h>

#include "audit.h"
#include "context.h"
#include "db.h"
#include "problem.h"

/* Write a consistent copy of the database db reads to the new file at path (which must not
 * exist), as of one read snapshot; concurrent writers are not held up. Returns 0, or -1 with
 * *p set. */
int backup_copy(struct db *db, const char *path, struct problem *p);

/* What backup_verify found in a copy. */
struct backup_check {
    int schema;                 /* the highest migration applied */
    int64_t sealed_values;      /* sealed values that opened with the key */
    int64_t audit_events;       /* events in the verified audit trail */
    struct audit_anchor head;   /* the trail's sealed head */
    int64_t ledger_differences; /* deadlines that differ from the computation */
    char why[640];              /* what is wrong, when the copy fails a check */
};

/* Check the file's integrity and foreign keys, and its migrations against this binary's.
 * Run before the key is loaded (a damaged file is named as such, not as a wrong key). Returns
 * 0 when they hold, 1 when not (c->why says which), -1 on a database error (*p). */
int backup_verify_file(struct db *copy, struct backup_check *c, struct problem *p);

/* Check what the key opens (the field key and audit key must be loaded for this database,
 * field_key_open): every sealed value, the audit trail up to its sealed head, and the deadline
 * ledger against the computation in ctx's firm time zone (each difference printed to
 * differences_out). Returns 0 when all hold, 1 when not (c->why), -1 on an error (*p). */
int backup_verify_contents(struct db *copy, const struct op_context *ctx, FILE *differences_out,
                           struct backup_check *c, struct problem *p);

/* Fold the database's WAL into its main file and empty it (before the file is moved aside by
 * a restore). Returns 0, or -1 with *p set (a reader still holds part of the WAL). */
int backup_checkpoint(struct db *db, struct problem *p);

#endif

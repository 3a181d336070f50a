/* program_store: the parole programs (u4u, oaw, frp, chnv, ...) as records: their names, the
 * spellings that stand for them, and their termination with its notice and exceptions, read by
 * everyone and changed by admins through the write path (a change recomputes the stored
 * deadlines of the program's requests). The deadline engine reads the rows for its computation
 * (deadline_engine_basis). A store module: it depends on db, fields, filing_form, the write path
 * and deadline_engine (how a program row reads). */
#ifndef PAROLETRACK_PROGRAM_STORE_H
#define PAROLETRACK_PROGRAM_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "write.h"

/* The migration that adds the programs table (a database migrated to an earlier one has none). */
#define PROGRAM_STORE_MIGRATION 16

/* A programs row of SQL_PROGRAM_LIST / SQL_PROGRAM_GET as the API shows it (a listing_row_fn).
 * Returns a new object. */
json_t *program_store_row(db_stmt *stmt, const void *arg, struct problem *p);

/* Read one program inside the caller's transaction. Returns it (caller owns) or NULL with 404 (or
 * another problem) in *p. */
json_t *program_store_read(struct db *db, int64_t id, struct problem *p);

/* Create a program from `body` (code, name, aliases, terminated_on, citation_source,
 * citation_date, exceptions) through the write path: every bad field named (422), a code or
 * alias another program has refused (409), audited as "create" of "programs". Returns the stored
 * program (caller owns) or NULL with *p set and nothing changed. */
json_t *program_store_create(struct db *db, const json_t *body, const struct op_context *ctx,
                             struct problem *p);

/* Apply a merge patch (everything but the code) through the write path: the version checked
 * against if_match, every bad field named (422), audited as "update" of "programs" with the
 * fields that changed, and the deadlines of the program's requests recomputed in the same
 * transaction. Returns the stored program (caller owns) or NULL with *p set, nothing changed. */
json_t *program_store_patch(struct db *db, int64_t id, const json_t *patch,
                            const struct if_match *if_match, const struct op_context *ctx,
                            struct problem *p);

/* The code of the program `typed` stands for (a code or alias, any case; already normalised by
 * identifiers_program) into code. Returns 1 when one does, 0 when none, -1 with *p set. */
int program_store_resolve(struct db *db, const char *typed, char *code, size_t code_size,
                          struct problem *p);

/* Every known code, sorted and joined by ", " (for messages) into out. Returns 0 or -1. */
int program_store_codes(struct db *db, char *out, size_t out_size, struct problem *p);

/* The programs that requests name but no program row has, as [{"program", "requests"}] (left
 * by migration 16 when it could not map a free-text value). A new array the caller owns, or
 * NULL with *p set. */
json_t *program_store_unknown(struct db *db, struct problem *p);

#endif

/* fee_schedule_store: the fee schedule as records (table fee_schedule): what a fee of a kind (and
 * a filing fee's form) costs from a date, with its citation. A fee notice typed without an
 * amount takes the row in force on its issue date (records/fee_notices.c). Everyone reads it;
 * admins add and change rows through the write path, audited as entity "fee_schedule". A store
 * module: it depends on db, fields, filing_form and the write path. */
#ifndef PAROLETRACK_FEE_SCHEDULE_STORE_H
#define PAROLETRACK_FEE_SCHEDULE_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "write.h"

/* A fee_schedule row of SQL_FEE_SCHEDULE_LIST / _GET as the API shows it (a listing_row_fn).
 * Returns a new object. */
json_t *fee_schedule_store_row(db_stmt *stmt, const void *arg, struct problem *p);

/* Read one row inside the caller's transaction: a new object, or NULL with 404 in *p. */
json_t *fee_schedule_store_read(struct db *db, int64_t id, struct problem *p);

/* Add a row (code, kind, form, amount_cents, effective_from, effective_to, citation_source,
 * citation_date): every bad field named (422), audited as "create". Returns the stored row
 * (caller owns) or NULL with *p set and nothing changed. */
json_t *fee_schedule_store_create(struct db *db, const json_t *body, const struct op_context *ctx,
                                  struct problem *p);

/* Apply a merge patch of everything but the code, checked against if_match, audited as
 * "update" with the fields that changed. Returns the stored row (caller owns) or NULL with *p
 * set and nothing changed. */
json_t *fee_schedule_store_patch(struct db *db, int64_t id, const json_t *patch,
                                 const struct if_match *if_match, const struct op_context *ctx,
                                 struct problem *p);

#endif

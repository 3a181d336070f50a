/* rule_store: the deadline rules as records an admin reads and changes (the engine reads them
 * for its computation through deadline_engine.h). A store module: it depends on db, audit,
 * fields, the write path and deadline_engine (how a rule row reads). */
#ifndef PAROLETRACK_RULE_STORE_H
#define PAROLETRACK_RULE_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "write.h"

/* The longest lead time a rule may give (days before a deadline a reminder may start). */
#define RULE_MAX_LEAD_DAYS 730

/* A rule row of SQL_RULE_LIST / SQL_RULE_GET as the API shows it (a listing_row_fn). Returns a
 * new object. */
json_t *rule_store_row(db_stmt *stmt, const void *arg, struct problem *p);

/* Read one rule inside the caller's transaction. Returns it (caller owns) or NULL with 404 (or
 * another problem) in *p. */
json_t *rule_store_read(struct db *db, int64_t id, struct problem *p);

/* Apply a merge patch of the fields an admin may change (description, days, mailed_extra_days,
 * opens_days_before, lead_times, enabled, effective dates, citation) through the write path:
 * the version checked against if_match, every bad field named (422), the change audited as
 * "update" of "deadline_rules" with the fields that changed. Returns the stored rule (caller
 * owns) or NULL with *p set and nothing changed. */
json_t *rule_store_patch(struct db *db, int64_t id, const json_t *patch,
                         const struct if_match *if_match, const struct op_context *ctx,
                         struct problem *p);

#endif

/* deadline_triage: what people decide about a deadline on the Today queue (issue 15): mark it
 * handled with a reason (sealed like every narrative; reopening it is an admin's), snooze it to
 * a later day, assign it to someone. The decisions live in table deadline_triage (migration
 * 0031), keyed by the deadline's API id ("rfes/12/rfe_response"), so they outlive every
 * recomputation of the ledger; the readers see them through the ledger's join
 * (deadline_ledger.h: triage, handled_reason, snoozed_until, assignee_id, version). Every change
 * goes through the write path: If-Match, audited as "update" of "deadlines", one transaction.
 * A store module: it depends on the write path, the ledger, db, fields, crypto and role. */
#ifndef PAROLETRACK_DEADLINE_TRIAGE_H
#define PAROLETRACK_DEADLINE_TRIAGE_H

#include <jansson.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "write.h"

/* The longest a handled reason may be, in characters. */
#define DEADLINE_TRIAGE_REASON_MAX 1000
/* How far ahead a deadline may be snoozed, in days. */
#define DEADLINE_TRIAGE_SNOOZE_MAX_DAYS 366

/* The deadline whose API id is `deadline_id` as the API shows it, triage included, read in the
 * caller's transaction (or a read of its own). Returns a new object the caller owns, or NULL
 * with 404 in *p when no deadline has that id (or another problem). */
json_t *deadline_triage_read(struct db *db, const char *deadline_id, const struct op_context *ctx,
                             struct problem *p);

/* Apply a merge patch of handled_reason (text: mark handled; null: reopen, admins only),
 * snoozed_until (a later day, or null) and assignee_id (an active user who may write, or null)
 * to deadline `deadline_id` through the write path, under if_match (NULL: none). Every bad
 * field is named (422); a member of the deadline that is not one of these is read-only.
 * Returns the deadline as stored (caller owns), or NULL with *p set and nothing changed. */
json_t *deadline_triage_patch(struct db *db, const char *deadline_id, const json_t *patch,
                              const struct if_match *if_match, const struct op_context *ctx,
                              struct problem *p);

#endif

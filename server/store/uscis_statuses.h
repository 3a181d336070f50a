/* uscis_statuses: what the USCIS case status sync keeps: each status change seen for a receipt
 * number (a record under the request whose filing holds it, written through the write path:
 * audited, and announced as `uscis_status.changed` to webhook endpoints), the event it proposes
 * (uscis_status_proposals, as data) and what a person made of the proposal, each receipt's last
 * check (the least recently checked go first), the daily quota of API requests, and which
 * changes the next `remind` digest still has to carry. Store layer. */
#ifndef PAROLETRACK_USCIS_STATUSES_H
#define PAROLETRACK_USCIS_STATUSES_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "write.h"

/* A case status as USCIS gave it (all borrowed; any but text_en may be NULL). */
struct uscis_case_status {
    const char *form_type, *text_en, *desc_en, *text_es, *desc_es, *uscis_date;
};

/* The receipt numbers to check now, least recently checked first (never checked first of all):
 * a new array of {receipt_number, parole_request_id, last_checked_at}, or NULL with *p set. */
json_t *uscis_statuses_receipts_due(struct db *db, struct problem *p);

/* Take one request from the daily quota of UTC day `day` ("YYYY-MM-DD") of `quota` requests,
 * in a write transaction of its own. Returns 1 taken, 0 none left today, -1 with *p set. */
int uscis_statuses_take_quota(struct db *db, const char *day, int64_t quota, struct problem *p);

/* What a check found. */
enum uscis_check_outcome { USCIS_CHECK_UNCHANGED, USCIS_CHECK_CHANGED, USCIS_CHECK_FAILED };

/* Record a check of `receipt` (of request `request_id`) at ctx->now: `status` as fetched, or
 * NULL when it failed for `error`. A status whose English title, description or date differs
 * from the last one kept for the receipt (or the first one seen) becomes a new record. Returns
 * the outcome, or -1 with *p set (nothing recorded). */
int uscis_statuses_record(struct db *db, int64_t request_id, const char *receipt,
                          const struct uscis_case_status *status, const char *error,
                          const struct op_context *ctx, struct problem *p);

/* A status row as the API shows it (a listing_row_fn). */
json_t *uscis_statuses_row(db_stmt *stmt, const void *arg, struct problem *p);

/* Status `id` of request `request_id` as a new object, or NULL with 404 in *p. */
json_t *uscis_statuses_read(struct db *db, int64_t request_id, int64_t id, struct problem *p);

/* Set the proposal of status `id` of request `request_id` from patch {proposal_state: "open" |
 * "confirmed" | "dismissed"} under if_match: a status that proposes nothing has no proposal
 * (422). Returns the record or NULL with *p set. */
json_t *uscis_statuses_patch(struct db *db, int64_t request_id, int64_t id, const json_t *patch,
                             const struct if_match *if_match, const struct op_context *ctx,
                             struct problem *p);

/* The status changes no `remind` digest has carried yet, oldest first: a new array of {id,
 * parole_request_id, status_text_en, uscis_date, fetched_at, proposes}, or NULL with *p set. */
json_t *uscis_statuses_to_remind(struct db *db, struct problem *p);

/* Mark the changes up to id `last_id` as carried by a digest at ctx->now, in a write
 * transaction of its own. Returns 0, or -1 with *p set. */
int uscis_statuses_mark_reminded(struct db *db, int64_t last_id, const struct op_context *ctx,
                                 struct problem *p);

#endif

/* timeline: every event of a parole request (filings, receipt notices, RFEs and their
 * responses, appointments, decisions, expiry dates) in date order. */
#ifndef PAROLETRACK_TIMELINE_H
#define PAROLETRACK_TIMELINE_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* The timeline of parole request `id` as {"items": [...]}. Returns a new object the caller owns,
 * or NULL with a 404 (unknown request) or another problem in *p. */
json_t *timeline_of_request(struct db *db, int64_t id, const struct op_context *ctx,
                            struct problem *p);

#endif

/* deadlines: the deadline engine. Computes, on every read, each deadline of a parole request
 * from its events and the rules in force on the date of each event (deadline_rules), with its
 * status against today in the firm's time zone and the rule and citation behind it. Nothing is
 * stored: a rule edit or a new event shows at once. See docs/deadlines-contract.md. */
#ifndef PAROLETRACK_DEADLINES_H
#define PAROLETRACK_DEADLINES_H

#include <jansson.h>

#include "call.h"
#include "context.h"
#include "db.h"
#include "problem.h"

/* Every deadline of parole request `request_id` (0: of every open request; assigned_to 0: anyone),
 * sorted by date, as a new array the caller owns; NULL with *p set on error (404 for an unknown
 * request). Runs inside the caller's read transaction. */
json_t *deadlines_compute(struct db *db, int64_t request_id, int64_t assigned_to,
                          const struct op_context *ctx, struct problem *p);

/* The handlers: GET /api/v1/deadlines, GET /api/v1/parole-requests/{id}/deadlines, and the
 * rules API (GET list, GET one, PATCH). */
void deadlines_list(struct call *call, struct call_reply *reply);
void deadlines_of_request(struct call *call, struct call_reply *reply);
void deadline_rules_list(struct call *call, struct call_reply *reply);
void deadline_rules_get(struct call *call, struct call_reply *reply);
void deadline_rules_patch(struct call *call, struct call_reply *reply);

#endif

/* stats: the figures behind the dashboard's Today page (open caseload by stage, parole and
 * work-permit ends per month for the next twelve months) and the field catalogue the dashboard
 * builds its forms from. Both are computed on every read; nothing is stored. */
#ifndef PAROLETRACK_STATS_H
#define PAROLETRACK_STATS_H

#include "call.h"

/* GET /api/v1/stats: {"as_of", "total", "stages": {stage: count}, "expirations_by_month":
 * [{"month": "YYYY-MM", "parole_end": n, "ead_end": n} x 12]}. Takes no query parameters. */
void stats_get(struct call *call, struct call_reply *reply);

/* GET /api/v1/fields: for every writable resource, its fields as the server checks them (name,
 * type, required, limits, choices, default), so a form never drifts from the validation. */
void stats_fields(struct call *call, struct call_reply *reply);

#endif

/* stats: the figures behind the dashboard's Today page (open caseload by stage, parole and
 * work-permit ends per month for the next twelve months), computed on every read; nothing is
 * stored. The field catalogue (/fields) is in field_catalogue. */
#ifndef PAROLETRACK_STATS_H
#define PAROLETRACK_STATS_H

#include "call.h"

/* GET /api/v1/stats: {"as_of", "total", "stages": {stage: count}, "expirations_by_month":
 * [{"month": "YYYY-MM", "parole_end": n, "ead_end": n} x 12]}. Takes no query parameters. */
void stats_get(struct call *call, struct call_reply *reply);

#endif

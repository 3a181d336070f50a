/* fee_schedule: GET /api/v1/fee-schedule, the fees USCIS charges with their effective dates and
 * citations (table fee_schedule, migration 19): what a fee notice typed without an amount takes,
 * and what the dashboard proposes. Read-only here; rows change by migration. */
#ifndef PAROLETRACK_FEE_SCHEDULE_H
#define PAROLETRACK_FEE_SCHEDULE_H

#include "call.h"

/* GET /api/v1/fee-schedule: every row, paged by id. */
void fee_schedule_list(struct call *call, struct call_reply *reply);

#endif

/* fee_schedule: the handlers of the fee schedule (/api/v1/fee-schedule): what USCIS charges
 * from which date, with its citation, what a fee notice typed without an amount takes and the
 * dashboard proposes. Everyone reads it; admins add and change rows (fee_schedule_store). */
#ifndef PAROLETRACK_FEE_SCHEDULE_H
#define PAROLETRACK_FEE_SCHEDULE_H

#include "call.h"

/* GET /api/v1/fee-schedule: every row, paged by id. */
void fee_schedule_list(struct call *call, struct call_reply *reply);

/* GET /api/v1/fee-schedule/{id}: one row, or 404. */
void fee_schedule_get(struct call *call, struct call_reply *reply);

/* POST /api/v1/fee-schedule: a new row (201 with its Location), audited. */
void fee_schedule_post(struct call *call, struct call_reply *reply);

/* PATCH /api/v1/fee-schedule/{id}: a merge patch of everything but the code, If-Match,
 * audited with the fields that changed. */
void fee_schedule_patch(struct call *call, struct call_reply *reply);

#endif

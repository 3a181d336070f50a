/* fee_schedule: the fee schedule's list (see fee_schedule.h). Handler layer: call.h for the call
 * and the paged reply; the rows are read through the statement catalogue. */
#include "fee_schedule.h"

/* A fee_schedule row as the API shows it (a listing_row_fn). Returns a new object. */
static json_t *fee_schedule_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, NULL, NULL);
}

void fee_schedule_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_FEE_SCHEDULE_LIST, fee_schedule_row, reply);
}

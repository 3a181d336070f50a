/* fee_schedule: the fee schedule's handlers (see fee_schedule.h). Handler layer: call.h for the
 * call and reply; the rows are read and changed by fee_schedule_store. */
#include "fee_schedule.h"

#include "fee_schedule_store.h"

void fee_schedule_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_FEE_SCHEDULE_LIST, fee_schedule_store_row, reply);
}

void fee_schedule_get(struct call *call, struct call_reply *reply)
{
    json_t *row = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        row = fee_schedule_store_read(call->db, call->id, &call->p);
        db_rollback(call->db);
    }
    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

void fee_schedule_post(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 0, &call->p), *row = NULL;

    if (body != NULL)
        row = fee_schedule_store_create(call->db, body, &call->ctx, &call->p);
    json_decref(body);
    if (row != NULL)
        call_reply_record(reply, 201, row, "/api/v1/fee-schedule");
}

void fee_schedule_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body, *row;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body == NULL)
        return;
    row = fee_schedule_store_patch(call->db, call->id, body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

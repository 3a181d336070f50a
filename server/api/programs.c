/* programs: the handlers of the programs API (see programs.h). Handler layer: call.h for the
 * call and reply; the programs are read and changed by program_store. */
#include "programs.h"

#include "program_store.h"

void programs_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_PROGRAM_LIST, program_store_row, reply);
}

void programs_get(struct call *call, struct call_reply *reply)
{
    json_t *program = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        program = program_store_read(call->db, call->id, &call->p);
        db_rollback(call->db);
    }
    if (program != NULL)
        call_reply_record(reply, 200, program, NULL);
}

void programs_post(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 0, &call->p), *program = NULL;

    if (body != NULL)
        program = program_store_create(call->db, body, &call->ctx, &call->p);
    json_decref(body);
    if (program != NULL)
        call_reply_record(reply, 201, program, "/api/v1/programs");
}

void programs_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body, *program;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body == NULL)
        return;
    program = program_store_patch(call->db, call->id, body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (program != NULL)
        call_reply_record(reply, 200, program, NULL);
}

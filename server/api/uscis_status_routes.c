/* uscis_status_routes: a request's USCIS statuses (see uscis_status_routes.h). Handler layer:
 * call.h for the call and reply; the records are read and changed by uscis_statuses. */
#include "uscis_status_routes.h"

#include "uscis_statuses.h"

static const char *const proposal_states[] = {"open", "confirmed", "dismissed", NULL};
static const struct filter_spec status_filters[] = {
    {.name = "proposal_state", .kind = FILTER_CHOICE, .choices = proposal_states},
    {.name = NULL},
};

void uscis_status_routes_list(struct call *call, struct call_reply *reply)
{
    json_t *binds = json_pack("{s:I}", "parent_id", (json_int_t)call->id), *page = NULL;
    int64_t limit;

    if (listing_parse_query(status_filters, call->request->query, call->request->query_count, binds,
                            &limit, &call->p) == 0 &&
        db_begin_read(call->db, &call->p) == 0) {
        if (listing_parent_exists(call->db, call->id, &call->p))
            page = listing_page(call->db, SQL_USCIS_STATUS_LIST, binds, limit, uscis_statuses_row,
                                NULL, &call->p);
        db_rollback(call->db);
    }
    json_decref(binds);
    if (page != NULL)
        call_reply_json(reply, 200, page);
}

void uscis_status_routes_get(struct call *call, struct call_reply *reply)
{
    json_t *row = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        if (listing_parent_exists(call->db, call->id, &call->p))
            row = uscis_statuses_read(call->db, call->id, call->child_id, &call->p);
        db_rollback(call->db);
    }
    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

void uscis_status_routes_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body, *row;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body == NULL)
        return;
    row = uscis_statuses_patch(call->db, call->id, call->child_id, body, &if_match, &call->ctx,
                               &call->p);
    json_decref(body);
    if (row != NULL)
        call_reply_record(reply, 200, row, NULL);
}

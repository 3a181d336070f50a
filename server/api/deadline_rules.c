/* deadline_rules: the handlers of the rules API, GET /api/v1/deadline-rules, GET and PATCH
 * /api/v1/deadline-rules/{id}. Handler layer: call.h for the call and reply; the rules are
 * read and changed by rule_store. */
#include "deadline_rules.h"

#include "rule_store.h"

/* GET /api/v1/deadline-rules (see deadline_rules.h). */
void deadline_rules_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_RULE_LIST, rule_store_row, reply);
}

/* GET /api/v1/deadline-rules/{id} (see deadline_rules.h). */
void deadline_rules_get(struct call *call, struct call_reply *reply)
{
    json_t *rule = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        rule = rule_store_read(call->db, call->id, &call->p);
        db_rollback(call->db);
    }
    if (rule != NULL)
        call_reply_record(reply, 200, rule, NULL);
}

/* PATCH /api/v1/deadline-rules/{id} (see deadline_rules.h). */
void deadline_rules_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body, *rule;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body == NULL)
        return;
    rule = rule_store_patch(call->db, call->id, body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (rule != NULL)
        call_reply_record(reply, 200, rule, NULL);
}

/* accounts: the users API (/api/v1/users), the signed-in user's password change
 * (/api/v1/me/password) and the assignee list (/api/v1/assignees). A handler module: it parses
 * the call, runs one operation of the user store (users.c) and replies; it depends on call,
 * fields and users. */
#include "accounts.h"

#include <string.h>

#include "auth.h"
#include "fields.h"
#include "users.h"

void accounts_list(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_USER_LIST, users_list_row, reply);
}

/* An assignee row: id, name, role. */
static json_t *assignee_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, NULL, NULL);
}

void accounts_assignees(struct call *call, struct call_reply *reply)
{
    call_reply_simple_list(call, SQL_ASSIGNEE_LIST, assignee_row, reply);
}

void accounts_post(struct call *call, struct call_reply *reply)
{
    json_t *body = call_parse_body(call->request, 0, &call->p), *user = NULL;

    if (body != NULL)
        user = users_create(call->db, body, &call->ctx, &call->p);
    json_decref(body);
    if (user != NULL)
        call_reply_record(reply, 201, user, "/api/v1/users");
}

void accounts_get(struct call *call, struct call_reply *reply)
{
    json_t *user = NULL;

    if (db_begin_read(call->db, &call->p) == 0) {
        user = users_read(call->db, call->id, &call->p);
        db_rollback(call->db);
    }
    if (user != NULL)
        call_reply_record(reply, 200, user, NULL);
}

void accounts_patch(struct call *call, struct call_reply *reply)
{
    struct if_match if_match;
    json_t *body = NULL, *user = NULL;

    body = call_parse_patch(call->request, &if_match, &call->p);
    if (body != NULL && !json_is_object(body))
        problem_set(&call->p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
    else if (body != NULL)
        user = users_update(call->db, call->id, body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (user != NULL)
        call_reply_record(reply, 200, user, NULL);
}

void accounts_change_own_password(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "old_password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
        {.name = "new_password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
    };
    static const struct field_table table = {fields, 2, NULL};
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL;

    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, &call->p);
    if (record == NULL || problem_finish_checks(&call->p) != 0)
        goto out;
    /* Guesses of the old password count like failed sign-ins (a stolen cookie is no oracle);
     * a wrong one is not audited. */
    if (users_confirm_password(call->db, call->principal->user_id, call->principal->email,
                               call->request->client_address,
                               json_string_value(json_object_get(record, "old_password")),
                               "old_password", NULL, &call->ctx, &call->p) != 0)
        goto out;
    if (users_set_password(call->db, call->principal->user_id,
                           json_string_value(json_object_get(record, "new_password")), &call->ctx,
                           &call->p) != 0) {
        /* the policy names "password"; here the field is new_password */
        json_t *e;
        size_t i;

        json_array_foreach(call->p.errors, i, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "field")), "password") == 0)
                json_object_set_new(e, "field", json_string("new_password"));
        }
        goto out;
    }
    reply->status = 204;
out:
    json_decref(record);
    json_decref(body);
}

/* sessions: the HTTP side of sign-in, sessions and TOTP enrolment. Each handler checks the
 * body, runs the store operation (sign_in, session_store) and replies; the cookie is set here.
 * Attempts are counted and refused by signin_throttle inside sign_in. */
#include "sessions.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "crypto.h"
#include "fields.h"
#include "session_store.h"
#include "sign_in.h"

static int secure_cookies;

void sessions_configure(int secure)
{
    secure_cookies = secure;
    auth_configure(secure);
}

void sessions_sign_in(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "email", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 254},
        {.name = "password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
        {.name = "totp_code", .type = FIELD_TEXT, .max_chars = 16},
        {.name = "recovery_code", .type = FIELD_TEXT, .max_chars = 64},
    };
    static const struct field_table table = {fields, 4, NULL};
    struct sign_in_result result;
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL;

    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, &call->p);
    if (record != NULL && problem_finish_checks(&call->p) == 0) {
        struct sign_in_input in = {
            .email = json_string_value(json_object_get(record, "email")),
            .password = json_string_value(json_object_get(record, "password")),
            .totp_code = json_string_value(json_object_get(record, "totp_code")),
            .recovery_code = json_string_value(json_object_get(record, "recovery_code")),
            .address = call->request->client_address,
        };

        if (sign_in_attempt(call->db, &call->ctx, &in, &result, &call->p) == 0) {
            snprintf(reply->set_cookie, sizeof(reply->set_cookie),
                     "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", auth_session_cookie(),
                     result.token, secure_cookies ? "; Secure" : "");
            crypto_wipe(result.token, sizeof(result.token));
            call_reply_json(reply, 201, result.session);
        }
    }
    json_decref(record);
    json_decref(body);
}

void sessions_get(struct call *call, struct call_reply *reply)
{
    json_t *session =
        session_store_read(call->db, call->principal->user_id, call->principal->csrf_token,
                           call->principal->second_factor, call->principal->expires_at, &call->p);

    if (session != NULL)
        call_reply_json(reply, 200, session);
}

void sessions_sign_out(struct call *call, struct call_reply *reply)
{
    if (session_store_end(call->db, call->principal->session_id, call->principal->user_id,
                          &call->ctx, &call->p) == 0) {
        reply->status = 204;
        snprintf(reply->set_cookie, sizeof(reply->set_cookie),
                 "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", auth_session_cookie(),
                 secure_cookies ? "; Secure" : "");
    }
}

void sessions_totp_begin(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "password", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 1024},
    };
    static const struct field_table table = {fields, 1, NULL};
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL, *secret = NULL;

    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, &call->p);
    if (record != NULL && problem_finish_checks(&call->p) == 0)
        secret = sign_in_totp_begin(call->db, call->principal->user_id, call->principal->email,
                                    call->request->client_address,
                                    json_string_value(json_object_get(record, "password")),
                                    &call->ctx, &call->p);
    if (secret != NULL)
        call_reply_json(reply, 201, secret);
    json_decref(record);
    json_decref(body);
}

void sessions_totp_confirm(struct call *call, struct call_reply *reply)
{
    static const struct field_spec fields[] = {
        {.name = "code", .type = FIELD_TEXT, .flags = FIELD_REQUIRED, .max_chars = 16},
    };
    static const struct field_table table = {fields, 1, NULL};
    json_t *body = call_parse_body(call->request, 0, &call->p), *record = NULL, *codes = NULL;

    if (body == NULL)
        return;
    record = fields_check_create(&table, body, call->ctx.today, &call->p);
    if (record != NULL && problem_finish_checks(&call->p) == 0)
        codes = sign_in_totp_confirm(
            call->db, call->principal->user_id, call->principal->session_id,
            json_string_value(json_object_get(record, "code")), &call->ctx, &call->p);
    if (codes != NULL)
        call_reply_json(reply, 200, codes);
    json_decref(record);
    json_decref(body);
}

/* replay: Idempotency-Key on POST and PATCH (see replay.h). */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idempotency.h"

/* The caller a key belongs to, e.g. "api_key:3", into out; "" when none (a public route). */
static void principal_of(const struct op_context *ctx, char *out, size_t out_size)
{
    out[0] = '\0';
    if (ctx->actor.type == ACTOR_USER)
        snprintf(out, out_size, "user:%lld", (long long)ctx->actor.id);
    else if (ctx->actor.type == ACTOR_API_KEY)
        snprintf(out, out_size, "api_key:%lld", (long long)ctx->actor.id);
}

/* Fill *reply with a kept answer (it takes the answer's body). */
static void give_again(struct idempotency_answer *answer, struct call_reply *reply)
{
    if (answer->is_problem) {
        call_reply_json(reply, answer->status,
                        answer->body ? json_loads(answer->body, 0, NULL) : NULL);
        reply->is_problem = 1;
        idempotency_answer_clear(answer);
    } else if (answer->body != NULL) {
        call_reply_text(reply, answer->status, answer->body, "application/json");
        answer->body = NULL;
    } else {
        call_reply_clear(reply);
        reply->status = answer->status;
    }
    snprintf(reply->location, sizeof(reply->location), "%s", answer->location);
    snprintf(reply->etag, sizeof(reply->etag), "%s", answer->etag);
    reply->replayed = 1;
}

int replay_begin(struct call *call, int secret_bearing, struct replay *r, struct call_reply *reply)
{
    const struct call_request *request = call->request;
    const char *key = request->idempotency_key;
    struct idempotency_answer answer;
    char principal[48], fingerprint[65];
    int found;

    r->reservation = 0;
    if (key == NULL ||
        (strcmp(request->method, "POST") != 0 && strcmp(request->method, "PATCH") != 0))
        return 0;
    principal_of(&call->ctx, principal, sizeof(principal));
    if (secret_bearing || principal[0] == '\0') {
        problem_add_field(&call->p, "Idempotency-Key",
                          "is not taken here: this request or its answer carries a secret, "
                          "which is never kept to be shown again");
        problem_set(&call->p, PROBLEM_BAD_REQUEST, "%s %s takes no Idempotency-Key",
                    request->method, request->path);
        return 1;
    }
    if (!idempotency_key_valid(key)) {
        problem_add_field(&call->p, "Idempotency-Key",
                          "must be 1 to %d visible ASCII characters (a UUID is a good key)",
                          IDEMPOTENCY_KEY_MAX);
        problem_set(&call->p, PROBLEM_BAD_REQUEST, "the Idempotency-Key header is not a key");
        return 1;
    }
    idempotency_fingerprint(request->method, request->path, request->body, request->body_len,
                            fingerprint);
    found = idempotency_begin(call->db, principal, key, fingerprint, call->ctx.now, &r->reservation,
                              &answer, &call->p);
    if (found < 0)
        return 1;
    if (found == 0)
        return 0;
    give_again(&answer, reply);
    return 1;
}

void replay_end(struct call *call, const struct replay *r, const struct call_reply *reply)
{
    struct idempotency_answer answer;
    struct problem p;
    int rc;

    if (r->reservation == 0)
        return;
    problem_init(&p);
    memset(&answer, 0, sizeof(answer));
    if (reply->status >= 500) {
        rc = idempotency_release(call->db, r->reservation, &p);
    } else {
        answer.status = reply->status;
        answer.is_problem = reply->is_problem;
        snprintf(answer.location, sizeof(answer.location), "%s", reply->location);
        snprintf(answer.etag, sizeof(answer.etag), "%s", reply->etag);
        if (reply->raw_body != NULL)
            answer.body = strdup(reply->raw_body);
        else if (reply->body != NULL)
            answer.body = json_dumps(reply->body, JSON_COMPACT);
        rc = (reply->raw_body != NULL || reply->body != NULL) && answer.body == NULL
                 ? problem_set(&p, PROBLEM_INTERNAL, "out of memory keeping an answer")
                 : idempotency_finish(call->db, r->reservation, &answer, &p);
    }
    if (rc != 0)
        fprintf(stderr, "paroletrack: request_id=%s idempotency key not kept: %s\n",
                call->ctx.request_id ? call->ctx.request_id : "-", p.detail);
    idempotency_answer_clear(&answer);
    problem_clear(&p);
}

/* deadlines: the handlers of the deadline list routes. The computation is the engine's
 * (deadline_engine.h); these only translate HTTP. The rules API is deadline_rules.h. */
#ifndef PAROLETRACK_DEADLINES_H
#define PAROLETRACK_DEADLINES_H

#include "call.h"

/* GET /api/v1/deadlines: the computed deadlines of every open request, filtered and paged. */
void deadlines_list(struct call *call, struct call_reply *reply);

/* GET /api/v1/parole-requests/{id}/deadlines: one request's deadlines, paged. */
void deadlines_of_request(struct call *call, struct call_reply *reply);

/* GET /api/v1/clients/{id}/deadlines: everything due for one client (under each of its requests,
 * the client's own dates once, and those it has with no request yet), filtered and paged. */
void deadlines_of_client(struct call *call, struct call_reply *reply);

/* GET /api/v1/deadlines/{resource}/{id}/{kind}: one deadline by its API id, with what people
 * decided about it (triage) and its ETag. */
void deadlines_get(struct call *call, struct call_reply *reply);

/* PATCH /api/v1/deadlines/{resource}/{id}/{kind}: mark the deadline handled (handled_reason;
 * null reopens it, admins only), snooze it (snoozed_until) or assign it (assignee_id), under
 * If-Match (deadline_triage.h). */
void deadlines_patch(struct call *call, struct call_reply *reply);

#endif

/* deadlines: the handlers of the deadline routes and of the rules API. The computation is the
 * engine's (deadline_engine.h); these only translate HTTP. */
#ifndef PAROLETRACK_DEADLINES_H
#define PAROLETRACK_DEADLINES_H

#include "call.h"

/* The handlers: GET /api/v1/deadlines, GET /api/v1/parole-requests/{id}/deadlines, and the
 * rules API (GET list, GET one, PATCH). */
void deadlines_list(struct call *call, struct call_reply *reply);
void deadlines_of_request(struct call *call, struct call_reply *reply);
void deadline_rules_list(struct call *call, struct call_reply *reply);
void deadline_rules_get(struct call *call, struct call_reply *reply);
void deadline_rules_patch(struct call *call, struct call_reply *reply);

#endif

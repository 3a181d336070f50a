/* resource_routes: the handlers the route table (api.c) lists for the generic routes: the five
 * operations over a resource spec (the route's spec arrives as call->resource; RESOURCE_ROUTES
 * and CHILD_ROUTES in api.c expand to them), a parole request's timeline and history, the audit
 * trail, the firm settings and /healthz. Each parses the call, runs one store operation and
 * replies; errors are left in call->p. A handler module: it may depend on call and the store,
 * never on api. */
#ifndef PAROLETRACK_RESOURCE_ROUTES_H
#define PAROLETRACK_RESOURCE_ROUTES_H

#include "call.h"

/* GET /healthz: 200 {"status": "ok"} when the database answers, else 503. */
void resource_routes_health(struct call *call, struct call_reply *reply);

/* GET of a resource collection: one page of call->resource. */
void resource_routes_list(struct call *call, struct call_reply *reply);

/* POST to a resource collection: 201 with the record, its ETag and Location. */
void resource_routes_create(struct call *call, struct call_reply *reply);

/* GET of one record of call->resource, with its ETag. */
void resource_routes_get(struct call *call, struct call_reply *reply);

/* PATCH (merge patch) of one record of call->resource, under its If-Match. */
void resource_routes_patch(struct call *call, struct call_reply *reply);

/* DELETE of one record of call->resource, under its If-Match: 204. */
void resource_routes_delete(struct call *call, struct call_reply *reply);

/* GET the date-ordered events of parole request call->id. */
void resource_routes_timeline(struct call *call, struct call_reply *reply);

/* GET one page of the audit events of parole request call->id. */
void resource_routes_history(struct call *call, struct call_reply *reply);

/* GET one page of the audit trail (admin). */
void resource_routes_audit_list(struct call *call, struct call_reply *reply);

/* GET the firm settings (admin). */
void resource_routes_settings_get(struct call *call, struct call_reply *reply);

/* PATCH the firm settings with a merge patch (admin). */
void resource_routes_settings_patch(struct call *call, struct call_reply *reply);

#endif

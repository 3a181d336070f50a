/* webhook_routes: the handlers of the change webhooks' endpoints (/api/v1/webhook-endpoints),
 * admins only: register, read, change, delete an endpoint, rotate its secret, read its delivery
 * log and send a delivery again. The store operations are webhook_endpoints'. */
#ifndef PAROLETRACK_WEBHOOK_ROUTES_H
#define PAROLETRACK_WEBHOOK_ROUTES_H

#include "call.h"

/* GET /api/v1/webhook-endpoints: every endpoint, paged by id, with its pending and failed
 * deliveries counted. */
void webhook_routes_list(struct call *call, struct call_reply *reply);

/* POST /api/v1/webhook-endpoints: a new endpoint (201 with its Location) and its secret,
 * shown this once; audited. */
void webhook_routes_create(struct call *call, struct call_reply *reply);

/* GET /api/v1/webhook-endpoints/{id}: one endpoint, or 404. */
void webhook_routes_get(struct call *call, struct call_reply *reply);

/* PATCH /api/v1/webhook-endpoints/{id}: a merge patch, If-Match, audited. */
void webhook_routes_patch(struct call *call, struct call_reply *reply);

/* DELETE /api/v1/webhook-endpoints/{id}: the endpoint and its delivery log (204), If-Match. */
void webhook_routes_delete(struct call *call, struct call_reply *reply);

/* POST /api/v1/webhook-endpoints/{id}/secret: a new secret, shown this once (200). */
void webhook_routes_rotate_secret(struct call *call, struct call_reply *reply);

/* GET /api/v1/webhook-endpoints/{id}/deliveries: the delivery log, newest first, paged;
 * ?status=pending|delivered|failed. */
void webhook_routes_deliveries(struct call *call, struct call_reply *reply);

/* GET /api/v1/webhook-endpoints/{id}/deliveries/{child_id}: one delivery with every attempt. */
void webhook_routes_delivery(struct call *call, struct call_reply *reply);

/* POST /api/v1/webhook-endpoints/{id}/deliveries/{child_id}/replay: send it again (202). */
void webhook_routes_replay(struct call *call, struct call_reply *reply);

#endif

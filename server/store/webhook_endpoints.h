/* webhook_endpoints: the endpoints change webhooks go to, as records (an admin's) and their
 * delivery log. Every change runs through the write path and is audited; an endpoint's secret
 * ("whsec_...", Standard Webhooks) is made here, sealed with the field key, and shown once: in
 * the answer of the create and of a rotation. The deliveries themselves are the outbox's
 * (webhook_outbox.h). Store layer. */
#ifndef PAROLETRACK_WEBHOOK_ENDPOINTS_H
#define PAROLETRACK_WEBHOOK_ENDPOINTS_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "listing.h"
#include "problem.h"
#include "write.h"

/* An endpoint row as the API shows it (a listing_row_fn): events parsed, flags as booleans,
 * its pending and failed deliveries counted. */
json_t *webhook_endpoints_row(db_stmt *stmt, const void *arg, struct problem *p);

/* Endpoint `id` as a new object, or NULL with 404 in *p. In the caller's read transaction. */
json_t *webhook_endpoints_read(struct db *db, int64_t id, struct problem *p);

/* Register an endpoint from body {url, events, description?, include_identifiers?, enabled?}:
 * https (http only to a loopback host), no credentials in the URL, known event types (or
 * ["*"]). Returns the new record with its `secret`, shown this once, or NULL with *p set. */
json_t *webhook_endpoints_create(struct db *db, const json_t *body, const struct op_context *ctx,
                                 struct problem *p);

/* Apply a merge patch to endpoint `id` under if_match. Returns the record or NULL with *p. */
json_t *webhook_endpoints_patch(struct db *db, int64_t id, const json_t *patch,
                                const struct if_match *if_match, const struct op_context *ctx,
                                struct problem *p);

/* Delete endpoint `id` and its delivery log. Returns the record as it was, or NULL with *p. */
json_t *webhook_endpoints_delete(struct db *db, int64_t id, const struct if_match *if_match,
                                 const struct op_context *ctx, struct problem *p);

/* Give endpoint `id` a new secret (the old one stops signing at once). Returns the record with
 * its new `secret`, shown this once, or NULL with *p set. */
json_t *webhook_endpoints_rotate_secret(struct db *db, int64_t id, const struct op_context *ctx,
                                        struct problem *p);

/* A delivery row of the log (a listing_row_fn). */
json_t *webhook_endpoints_delivery_row(db_stmt *stmt, const void *arg, struct problem *p);

/* Delivery `delivery_id` of endpoint `endpoint_id` with its `attempts` (oldest first), or NULL
 * with 404 in *p. In the caller's read transaction. */
json_t *webhook_endpoints_delivery(struct db *db, int64_t endpoint_id, int64_t delivery_id,
                                   struct problem *p);

/* Send delivery `delivery_id` of endpoint `endpoint_id` again (pending now, with three more
 * days to succeed, under the same webhook-id), audited. Returns the delivery or NULL with *p. */
json_t *webhook_endpoints_replay(struct db *db, int64_t endpoint_id, int64_t delivery_id,
                                 const struct op_context *ctx, struct problem *p);

#endif

/* webhook_delivery: posting the webhook outbox's due deliveries (store/webhook_outbox.h)
 * through notify, and recording each attempt. Runs as a worker thread of `serve` (a round a
 * second) and as `paroletrack webhooks deliver` (one round, for cron or a test's clock). */
#ifndef PAROLETRACK_WEBHOOK_DELIVERY_H
#define PAROLETRACK_WEBHOOK_DELIVERY_H

#include <stdatomic.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* What a round did. */
struct webhook_round {
    int64_t overdue_raised; /* deadline.overdue events the sweep raised */
    int64_t delivered;      /* attempts the receiver accepted (2xx) */
    int64_t retrying;       /* attempts that failed and will be tried again */
    int64_t given_up;       /* attempts that failed for the last time */
};

/* One round at ctx's time: the sweep (webhook_outbox_sweep) when `sweep`, then claim and post
 * due deliveries until none is due (at most `max_batches` batches; 0: no limit), each claim and
 * post at its own moment (ctx's clock moves on with the real one), stopping before the next
 * claim or post once *running (NULL: never) turns 0. notify_init() must have run. Returns 0, or
 * -1 with *p set (a failed post is not an error: it is counted and recorded). */
int webhook_delivery_round(struct db *db, const struct op_context *ctx, int max_batches, int sweep,
                           const atomic_int *running, struct webhook_round *out, struct problem *p);

/* How often the worker of serve sweeps (overdue deadlines, stages turning by themselves, given
 * up deliveries); it looks for due deliveries every second. */
#define WEBHOOK_SWEEP_SECONDS 30

/* Start the worker thread of serve: a round every second on its own pooled connection, errors
 * logged without payloads. Returns 0 or -1. */
int webhook_delivery_start(void);

/* Stop the worker thread (its current post finishes first) and wait for it. */
void webhook_delivery_stop(void);

#endif

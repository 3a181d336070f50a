/* webhook_outbox: the change webhooks' outbox. The write path appends each change's events here
 * in the change's own transaction (so an event exists exactly when its change was committed),
 * with one delivery per enabled endpoint subscribed to its type; the delivery worker
 * (cli/webhook_delivery.c) claims the due deliveries, and records each attempt's result with
 * the next attempt (exponential backoff, given up three days after the event). The delivery log
 * and replay for the admin routes read and change the same rows.
 *
 * Payloads: every event's `summary` carries no identifier and no narrative (ids, the type,
 * the names of the fields that changed, stages, deadline kinds and dates); endpoints allowed to
 * receive identifiers get its `detail` instead, which adds the record as stored (sealed in the
 * outbox with the field key). Store layer. */
#ifndef PAROLETRACK_WEBHOOK_OUTBOX_H
#define PAROLETRACK_WEBHOOK_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "sql.h"

/* How long a delivery is retried after its event (or its replay). */
#define WEBHOOK_RETRY_SECONDS (3 * 86400)
/* How long one post may take (notify's timeout, and some slack). */
#define WEBHOOK_POST_SECONDS 35
/* A claimed batch holds its deliveries for every post's time and this much more, before
 * another worker may try them again. */
#define WEBHOOK_LEASE_SECONDS 60
/* How long an event whose deliveries ended stays in the outbox (and its log). */
#define WEBHOOK_KEEP_DAYS 30

/* What the write path notes before a change, to compare after it. */
struct webhook_change {
    int active;         /* some endpoint is enabled: events are written */
    int64_t request_id; /* the request whose stage may move; 0: none */
    char stage[32];     /* its stage before the change; "" when it had none */
    /* the other requests the change may move (webhook_outbox_note_stages): which, and their
     * stages before it, {"<request id>": {"stage", "client_id"}}; NULL: none */
    enum sql_id stages_sql;
    json_t *stages_binds;
    json_t *stages;
};

/* Before a change that moves the stored deadlines of many requests (a program's, a rule's, a
 * client's), note their stages: those of program `program` when `scope` is
 * SQL_WEBHOOK_STAGES_OF_PROGRAM, of client `client_id` for SQL_WEBHOOK_STAGES_OF_CLIENT, of
 * every request for SQL_WEBHOOK_STAGES_ALL. Nothing when change->active is 0. Returns 0, or -1
 * with *p set. webhook_outbox_after compares them with the stages after the change (and frees
 * them; webhook_change_clear frees them when the change fails on the way). */
int webhook_outbox_note_stages(struct db *db, struct webhook_change *change, enum sql_id scope,
                               const char *program, int64_t client_id, const struct op_context *ctx,
                               struct problem *p);

/* Free what a change noted. */
void webhook_change_clear(struct webhook_change *change);

/* Before a change touching request `request_id` (0: none): whether events will be written
 * (some endpoint is enabled), and the request's stage. Inside the write transaction. Returns 0,
 * or -1 with *p set. */
int webhook_outbox_before(struct db *db, int64_t request_id, const struct op_context *ctx,
                          struct webhook_change *change, struct problem *p);

/* After the change (its audit event appended): the events it raises, `<noun>.created`,
 * `.updated` or `.deleted` (action 'create', 'update' or 'delete') for record `id` of `entity`
 * (before and after as the API shows it, either NULL; a record kind only), and `stage.changed`
 * when the request's stage moved, or the stage of one of the requests noted by
 * webhook_outbox_note_stages (cause: the change's event type, else "<entity>.<action>"). request_id
 * / client_id: the request and client the record belongs to (0: unknown, looked up). Nothing when
 * change->active is 0. Returns 0, or -1 with *p set. */
int webhook_outbox_after(struct db *db, const struct webhook_change *change, const char *entity,
                         const char *action, int64_t id, int64_t request_id, int64_t client_id,
                         const json_t *before, const json_t *after, const struct op_context *ctx,
                         struct problem *p);

/* Append one event of `type` for record `record_key` ("parole_request:7") with payload data
 * `summary` (no identifier) and `detail` (summary and more; NULL: the summary), with a delivery
 * for every enabled endpoint subscribed. Inside the caller's write transaction; nothing when no
 * endpoint subscribes. Returns 0, or -1 with *p set. */
int webhook_outbox_append(struct db *db, const char *type, const char *record_key,
                          const json_t *summary, const json_t *detail, const struct op_context *ctx,
                          struct problem *p);

/* The housekeeping of a worker's round, in a write transaction of its own: `deadline.overdue`
 * for every deadline not met whose day ended since the last round (the first round: since
 * yesterday), `stage.changed` (cause "date") for every stage that turned by itself since the
 * last round (a parole ending, a termination taking effect, an appointment passing; the first
 * round only notes its time), deliveries past their three days marked failed, and ended events
 * older than WEBHOOK_KEEP_DAYS removed. *raised (may be NULL) is set to the overdue events raised.
 * Returns 0, or -1 with *p set. */
int webhook_outbox_sweep(struct db *db, const struct op_context *ctx, int64_t *raised,
                         struct problem *p);

/* One delivery a worker attempts, with everything it needs to post it (owned by the batch). */
struct webhook_attempt {
    int64_t delivery_id, endpoint_id, event_id, attempts;
    char webhook_id[32]; /* "evt_<event id>": the same on every attempt and replay */
    char *url;
    char *secret; /* "whsec_...", opened; wiped when the batch is cleared */
    char *body;   /* the JSON payload */
    char give_up_at[32];
    char lease[32]; /* until when this worker holds the delivery */
};

struct webhook_batch {
    size_t count;
    struct webhook_attempt items[16];
};

/* Claim up to 16 due deliveries (pending, due at ctx->now, their endpoint enabled, none behind
 * an earlier pending event of its record) under a lease long enough for each of them to time
 * out (WEBHOOK_POST_SECONDS each, WEBHOOK_LEASE_SECONDS more), in a write transaction of its
 * own, and build their payloads. A delivery whose secret or payload does not open with this key
 * is failed at once (and said on stderr), not claimed. Returns 0 (out->count may be 0), or -1
 * with *p set. */
int webhook_outbox_claim(struct db *db, const struct op_context *ctx, struct webhook_batch *out,
                         struct problem *p);

/* Free what a batch holds, wiping the secrets. */
void webhook_batch_clear(struct webhook_batch *batch);

/* The delay before attempt number `attempts` + 1 after `attempts` failed ones: 5 s, then four
 * times longer each time, at most 8 hours. */
int64_t webhook_retry_delay(int64_t attempts);

/* True when an attempt of `attempt` failing at ctx->now is its last: the next one would come
 * after its give_up_at. */
int webhook_outbox_last_attempt(const struct webhook_attempt *attempt,
                                const struct op_context *ctx);

/* Record an attempt of a claimed delivery at ctx->now: `status` the receiver's HTTP status (0:
 * no answer), error NULL when it was delivered, else the reason; the delivery is delivered,
 * failed (the next attempt would pass its give_up_at) or pending with its next attempt. A write
 * transaction of its own. Returns 0; 1 when the attempt was logged but its lease had passed to
 * another worker (the result left to it); -1 with *p set. */
int webhook_outbox_record(struct db *db, const struct webhook_attempt *attempt, long status,
                          const char *error, int64_t duration_ms, const struct op_context *ctx,
                          struct problem *p);

/* The outbox's figures for /metrics, in the caller's read transaction: pending and failed
 * deliveries and the Unix time of the oldest pending event (0: none). Returns 0 or -1. */
int webhook_outbox_backlog(struct db *db, int64_t *pending, int64_t *failed, int64_t *oldest_epoch,
                           struct problem *p);

#endif

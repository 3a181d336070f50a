/* audit_batch: group commit of the audit events that are the only write of an operation (an
 * audited read: a client's identifiers, a list's narratives). Such an event used to cost a
 * write transaction and an fsync of its own; here the events that arrive while a commit is in
 * flight wait for it and are then appended together, in one write transaction with one commit
 * (one fsync), the chain hashed event by event and its sealed head moved once. Each caller
 * returns only once the commit holding its event succeeded, or with the error when it failed
 * (then every event of that batch failed and none is recorded), so a read whose event is not
 * durable is never answered. A lone event is committed at once, without waiting.
 *
 * The leader and followers are group_commit's: the first caller with no commit in flight leads;
 * it opens the write transaction on its own connection, takes up to AUDIT_BATCH_MAX queued
 * events (its own and those queued meanwhile), appends them, commits and wakes the followers
 * with the result. Depends on: audit, db, group_commit. */
#ifndef PAROLETRACK_AUDIT_BATCH_H
#define PAROLETRACK_AUDIT_BATCH_H

#include <stdint.h>

#include "audit.h"
#include "db.h"
#include "problem.h"

/* The most events one commit takes; later ones wait for the next commit. */
#define AUDIT_BATCH_MAX 64

/* Append one event (everything in *e borrowed until the call returns) in a write transaction
 * shared with the events other threads append at the same time, and wait until it is
 * committed. db is the calling thread's connection, outside any transaction (it runs the
 * commit when this call leads). Returns 0 once the event is durable, or -1 with *p set: the
 * event is not recorded, nor is any other of its batch. */
int audit_batch_append(struct db *db, const struct audit_event *e, struct problem *p);

/* Record that the caller exported `entity` (a list: clients, deadlines; one request's when
 * parole_request_id is not 0, one client's when client_id is not 0, named in the changes) as
 * `format`: an audit event `export` with the filters' names (never their values) and the
 * number of rows, appended with audit_batch_append (durable when this returns 0). Returns 0, or
 * -1 with *p set. */
int audit_batch_export(struct db *db, const struct op_context *ctx, const char *entity,
                       int64_t parole_request_id, int64_t client_id, const char *format,
                       const json_t *filters, int64_t rows, struct problem *p);

/* Counters since the process started, for tests and benchmarks. */
struct audit_batch_stats {
    int64_t commits;  /* batch transactions that committed */
    int64_t events;   /* events they held */
    int64_t failures; /* batch transactions that failed (every event of each one failed) */
    int64_t queued;   /* events waiting right now, the ones of the commit in flight included */
};

/* A consistent copy of the counters into *out. */
void audit_batch_stats(struct audit_batch_stats *out);

#endif

/* audit: the append-only, hash-chained audit trail. Every change, sign-in, key and user change
 * and every read of a client's identifiers appends one event, in the same transaction as what
 * it records. The database refuses UPDATE and DELETE on the table (triggers in migration 0003);
 * each event's hash covers the previous event's hash, so `paroletrack audit verify` finds the
 * first event that was altered, removed or inserted behind the application's back. */
#ifndef PAROLETRACK_AUDIT_H
#define PAROLETRACK_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "db.h"
#include "listing.h"
#include "problem.h"

#define AUDIT_REDACTED "[redacted]"

/* Append one event: action ("create", "sign_in", ...), entity ("client", "user", ...) and its
 * id (0: none), the parole request it belongs to (0: none) and the changes
 * ({"field": {"before": x, "after": y}}, borrowed, may be NULL). Call inside the caller's write
 * transaction. Returns 0 or -1 with *p set. */
int audit_append(struct db *db, const struct op_context *ctx, const char *action,
                 const char *entity, int64_t entity_id, int64_t parole_request_id,
                 const json_t *changes, struct problem *p);

/* One event to append (everything borrowed): as audit_append's arguments. */
struct audit_event {
    const struct op_context *ctx;
    const char *action, *entity;
    int64_t entity_id, parole_request_id;
    const json_t *changes;
};

/* Append `count` events in order, each chained on the one before, and move the sealed head
 * once, over all of them (audit_batch commits concurrent reads' events this way). Call inside
 * the caller's write transaction. Returns 0, or -1 with *p set (the caller rolls back: some
 * events may have been inserted). */
int audit_append_events(struct db *db, const struct audit_event *events, size_t count,
                        struct problem *p);

/* The changes between two versions of a record for the fields listed (NULL-terminated): every
 * field whose value differs, as {"before", "after"}; before or after may be NULL (a create or a
 * delete). Fields in `redacted` show "[redacted]" instead of their values. Returns a new
 * object the caller owns. */
json_t *audit_changes(const json_t *before, const json_t *after, const char *const *fields,
                      const char *const *redacted);

/* One page of events filtered by the query (entity, entity_id, actor_type, actor_id, from, to,
 * limit, cursor): {"items", "next_cursor"}. Returns a new object or NULL with *p set. */
json_t *audit_list(struct db *db, const struct query_param *query, size_t query_count,
                   struct problem *p);

/* One page of the events of parole request `request_id` (limit, cursor). */
json_t *audit_history(struct db *db, int64_t request_id, const struct query_param *query,
                      size_t query_count, struct problem *p);

/* An anchor: a head of the trail written down outside the database (`paroletrack audit
 * anchor`), as one line "paroletrack-audit-anchor v1 id=N count=N hash=HEX at=TIMESTAMP". */
#define AUDIT_ANCHOR_MAGIC "paroletrack-audit-anchor"
struct audit_anchor {
    int64_t id, count; /* the newest event's id and the number of events up to it */
    char hash[65];     /* that event's hash */
    char at[32];       /* when the head was written */
};

/* What audit_verify checks and finds. */
struct audit_check {
    const struct audit_anchor *anchor; /* in: a head the trail must still hold, or NULL */
    int64_t events;                    /* out: the number of events */
    int64_t broken_at;                 /* out: the event where it is broken (0: intact) */
    struct audit_anchor head;          /* out: the sealed head, when intact */
    char why[320];                     /* out: what is wrong, when broken */
};

/* Check the whole chain, then that it ends exactly at the sealed head (its MAC, id, hash and
 * event count), then (when c->anchor is set) that it still holds that anchor. Returns 0 when
 * intact, 1 when broken (c->broken_at and c->why say where and what), -1 on a database error
 * (in *p). */
int audit_verify(struct db *db, struct audit_check *c, struct problem *p);

/* Seal a head that has no MAC yet (carried over by migration 0008 from an older version), or
 * create the sealed empty head of a trail without events, when the chain is intact and ends
 * exactly at it. Only field_key_open calls it, inside its write transaction, and only while the
 * audit key is in its pre-0008 form or new with the database (see field_key.c), so a MAC stripped
 * later is never resealed. Returns 0 (sealed, or already sealed), 1 (left as it is, for verify
 * to report) or -1 with *p set. */
int audit_head_adopt(struct db *db, struct problem *p);

/* Parse an anchor line (a trailing newline allowed). Returns 0, or -1 with why. */
int audit_anchor_parse(const char *line, struct audit_anchor *a, char *why, size_t why_size);

/* Format an anchor as its one line (no newline) into out. */
void audit_anchor_format(const struct audit_anchor *a, char *out, size_t out_size);

#endif

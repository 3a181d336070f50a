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
#include "problem.h"
#include "resource.h"

#define AUDIT_REDACTED "[redacted]"

/* Append one event: action ("create", "sign_in", ...), entity ("client", "user", ...) and its
 * id (0: none), the parole request it belongs to (0: none) and the changes
 * ({"field": {"before": x, "after": y}}, borrowed, may be NULL). Call inside the caller's write
 * transaction. Returns 0 or -1 with *p set. */
int audit_append(struct db *db, const struct op_context *ctx, const char *action,
                 const char *entity, int64_t entity_id, int64_t parole_request_id,
                 const json_t *changes, struct problem *p);

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

/* Check the whole chain. Returns 0 when intact (events counted in *events), 1 when broken
 * (*broken_at is the first bad event's id and why says what is wrong), -1 on a database error
 * (in *p). */
int audit_verify(struct db *db, int64_t *events, int64_t *broken_at, char *why, size_t why_size,
                 struct problem *p);

#endif

/* idempotency: the first answers of POSTs and PATCHes sent with an Idempotency-Key, so a retry
 * (a timeout, a lost connection) gets that answer instead of a second change. A key belongs to
 * its caller (a user or an API key) and lives a day (IDEMPOTENCY_TTL_SECONDS). The key and the
 * request's fingerprint are kept as keyed hashes (the field key's blind index), the answer's
 * body sealed with the field key. Store layer: no HTTP; the route
 * dispatcher (api.c) decides when to use it. */
#ifndef PAROLETRACK_IDEMPOTENCY_H
#define PAROLETRACK_IDEMPOTENCY_H

#include <stdint.h>

#include "db.h"
#include "problem.h"

/* How long a key is remembered. */
#define IDEMPOTENCY_TTL_SECONDS (24 * 60 * 60)

/* The longest key taken (characters). */
#define IDEMPOTENCY_KEY_MAX 255

/* A first answer as it was given (and is given again). */
struct idempotency_answer {
    int status;
    int is_problem;     /* the body is application/problem+json */
    char location[224]; /* "" when none */
    char etag[32];      /* "" when none */
    char *body;         /* JSON text, owned (free with idempotency_answer_clear); NULL: empty */
};

/* True when `key` is a key this server takes: 1 to IDEMPOTENCY_KEY_MAX visible ASCII
 * characters (no spaces or controls). */
int idempotency_key_valid(const char *key);

/* The fingerprint of a request: a keyed hash (hex) of its method, path and body. */
void idempotency_fingerprint(const char *method, const char *path, const char *body,
                             size_t body_len, char out[65]);

/* Look up `key` of `principal` (e.g. "api_key:3"), forgetting keys older than a day first.
 * Returns:
 *   1 with *answer filled: the key answered before, to the same request (fingerprint): give
 *     that answer again;
 *   0 with *reservation set: the key is new, and now reserved for this request (in a
 *     transaction of its own); call idempotency_finish or idempotency_release with it;
 *  -1 with *p: a 422 naming Idempotency-Key (used with another request), a 409 (its first
 *     request is still running), or another failure.
 * `now` is the current RFC 3339 UTC time. */
int idempotency_begin(struct db *db, const char *principal, const char *key,
                      const char *fingerprint, const char *now, int64_t *reservation,
                      struct idempotency_answer *answer, struct problem *p);

/* Keep `answer` as the answer of reservation `reservation` (its body sealed). Returns 0, or -1
 * with *p set (the answer is then still given: only a retry would run again). */
int idempotency_finish(struct db *db, int64_t reservation, const struct idempotency_answer *answer,
                       struct problem *p);

/* Forget reservation `reservation` (its request failed before it changed anything: a server
 * error), so a retry with the key runs again. Returns 0 or -1 with *p set. */
int idempotency_release(struct db *db, int64_t reservation, struct problem *p);

/* Release what an answer owns. */
void idempotency_answer_clear(struct idempotency_answer *answer);

#endif

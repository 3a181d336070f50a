/* api_key_store: the store of integration API keys, used by the /api/v1/api-keys handlers
 * (api_key_routes.c) and by `paroletrack api-key add` (cli). A key is "pt_<prefix>_<secret>"; only
 * the SHA-256 of the secret is stored, the key is shown once at creation, and revocation takes
 * effect at once. Every change is audited. A store module: it may depend on db, audit, fields,
 * crypto, dates and context, never on call, auth or a handler. Identifying a request's key is
 * here too (api_key_store_find); auth.c only takes it from the Authorization header. */
#ifndef PAROLETRACK_API_KEY_STORE_H
#define PAROLETRACK_API_KEY_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "context.h"
#include "db.h"
#include "problem.h"

/* Create a key (name, scopes ["read"] or ["read", "write"]); audited. Returns the key record
 * with its one-time "key" (caller owns) or NULL with *p set. created_by 0: the command line. */
json_t *api_key_store_create(struct db *db, const json_t *body, int64_t created_by,
                             const struct op_context *ctx, struct problem *p);

/* Revoke key `id` at once; audited, in one transaction. Returns 0, or -1 with *p set (404 when
 * no such key). */
int api_key_store_revoke(struct db *db, int64_t id, const struct op_context *ctx,
                         struct problem *p);

/* A key that is not revoked, as a request presents it. */
struct api_key_store_key {
    int64_t id; /* 0: no such key */
    char name[201];
    int can_read;         /* its scopes include "read" */
    int can_write;        /* its scopes include "write" */
    int can_read_metrics; /* its scopes include "metrics" (GET /metrics) */
};

/* Split an API key "pt_<prefix>_<secret>" into its prefix (copied into prefix, prefix_size
 * bytes with the NUL) and *secret (pointing into key). Returns 0, or -1 when the key is not of
 * that shape (the caller treats it as no key). */
int api_key_parse(const char *key, char *prefix, size_t prefix_size, const char **secret);

/* Find the key a request presents ("pt_<prefix>_<secret>"): not revoked, its secret's hash
 * matching in constant time. A key found has its last_used_at refreshed (in a write
 * transaction of its own) when that is unset or older than a minute. Returns 0 with k->id 0
 * when the text is no valid key, or -1 with *p set. */
int api_key_store_find(struct db *db, const char *key, const char *now, struct api_key_store_key *k,
                       struct problem *p);

/* A key record as listed (never the secret) from a row of SQL_KEY_LIST or SQL_KEY_GET: a
 * listing_row_fn. Returns a new object (caller owns) or NULL. */
json_t *api_key_store_row(db_stmt *stmt, const void *arg, struct problem *p);

#endif

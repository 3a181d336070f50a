/* api_key_store: the store of integration API keys, used by the /api/v1/api-keys handlers
 * (apikeys.c) and by `paroletrack api-key add` (cli). A key is "pt_<prefix>_<secret>"; only the
 * SHA-256 of the secret is stored, the key is shown once at creation, and revocation takes
 * effect at once. Every change is audited. A store module: it may depend on db, audit, fields,
 * crypto and context, never on call, auth or a handler. (Identifying a request's key stays in
 * auth.c, which reads the same table.) */
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

/* A key record as listed (never the secret) from a row of SQL_KEY_LIST or SQL_KEY_GET: a
 * listing_row_fn. Returns a new object (caller owns) or NULL. */
json_t *api_key_store_row(db_stmt *stmt, const void *arg, struct problem *p);

#endif

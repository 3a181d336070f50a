/* users: the store of staff users, used by the API (accounts), by sign-in (sessions) and by
 * `paroletrack user ...` (cli) and the demo loader. Passwords are checked against the policy
 * (passwords.c) and stored only as argon2id hashes; every change is audited. A store module:
 * it may depend on db, audit, fields, passwords, crypto, signin_throttle and the resource
 * engine's types, never on call, auth or a handler. */
#ifndef PAROLETRACK_USERS_H
#define PAROLETRACK_USERS_H

#include <jansson.h>

#include "context.h"
#include "db.h"
#include "problem.h"
#include "resource.h"

/* Create a user (email, name, role, password) with the policy checked and the change audited, in
 * one transaction. Returns the user (caller owns) or NULL with *p set (422 naming each bad
 * field, 409 for an e-mail in use). */
json_t *users_create(struct db *db, const json_t *body, const struct op_context *ctx,
                     struct problem *p);

/* Find a user's id by e-mail (case-insensitive). Returns 0 and *id (0 when none), or -1. */
int users_find(struct db *db, const char *email, int64_t *id, struct problem *p);

/* Set a new password (policy checked; every session of the user ends; audited). */
int users_set_password(struct db *db, int64_t user_id, const char *password,
                       const struct op_context *ctx, struct problem *p);

/* Disable a user (every session ends; audited). */
int users_disable(struct db *db, int64_t user_id, const struct op_context *ctx, struct problem *p);

/* Check a signed-in user's password again before a change a stolen session cookie must not
 * make. Counted and throttled like a sign-in (signin_throttle; email and address are the
 * throttle's pair): past the limit a 429 with p->retry_after set. A wrong password is a 422
 * naming `field` (e.g. "password", "old_password"), audited as password_check_failed with
 * audit_reason as changes.reason (NULL: not audited); the right one forgets the pair's counted
 * attempts. Returns 0 when the password is right, else -1 with *p set. */
int users_confirm_password(struct db *db, int64_t user_id, const char *email, const char *address,
                           const char *password, const char *field, const char *audit_reason,
                           const struct op_context *ctx, struct problem *p);

/* A user as the API shows it (never a hash or a secret), read inside the caller's transaction.
 * Returns the user (caller owns) or NULL with *p set (404 when there is none). */
json_t *users_read(struct db *db, int64_t id, struct problem *p);

/* Apply a merge patch (name, role, disabled) to a user in one write transaction: the version
 * checked against if_match (NULL: no condition), the fields checked, the change refused (409)
 * when it leaves no active admin, every session ended when the user is disabled or changes
 * role, the change audited. Returns the updated user (caller owns) or NULL with *p set. */
json_t *users_update(struct db *db, int64_t id, const json_t *patch,
                     const struct if_match *if_match, const struct op_context *ctx,
                     struct problem *p);

/* A row of the user list (SQL_USER_LIST) as the API shows it, for listing_page /
 * call_reply_simple_list (a listing_row_fn). Returns a new object. */
json_t *users_list_row(db_stmt *stmt, const void *arg, struct problem *p);

#endif

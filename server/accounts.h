/* accounts: staff users. The store functions (used by the API and by `paroletrack user ...`)
 * and the handlers of /api/v1/users and /api/v1/me/password. Passwords are checked against the
 * policy (passwords.c) and stored only as argon2id hashes; every change is audited. */
#ifndef PAROLETRACK_ACCOUNTS_H
#define PAROLETRACK_ACCOUNTS_H

#include <jansson.h>

#include "call.h"
#include "context.h"
#include "db.h"
#include "problem.h"

/* Create a user (email, name, role, password) with the policy checked and the change audited, in
 * one transaction. Returns the user (caller owns) or NULL with *p set (422 naming each bad
 * field, 409 for an e-mail in use). */
json_t *accounts_create(struct db *db, const json_t *body, const struct op_context *ctx,
                        struct problem *p);

/* Find a user's id by e-mail (case-insensitive). Returns 0 and *id (0 when none), or -1. */
int accounts_find(struct db *db, const char *email, int64_t *id, struct problem *p);

/* Set a new password (policy checked; every session of the user ends; audited). */
int accounts_set_password(struct db *db, int64_t user_id, const char *password,
                          const struct op_context *ctx, struct problem *p);

/* Disable a user (every session ends; audited). */
int accounts_disable(struct db *db, int64_t user_id, const struct op_context *ctx,
                     struct problem *p);

/* Check a signed-in user's password again before a change a stolen session cookie must not
 * make. Counted and throttled like a sign-in (signin_throttle; email and address are the
 * throttle's pair): past the limit a 429 with p->retry_after set. A wrong password is a 422
 * naming `field` (e.g. "password", "old_password"), audited as password_check_failed with
 * audit_reason as changes.reason (NULL: not audited); the right one forgets the pair's counted
 * attempts. Returns 0 when the password is right, else -1 with *p set. */
int accounts_confirm_password(struct db *db, int64_t user_id, const char *email,
                              const char *address, const char *password, const char *field,
                              const char *audit_reason, const struct op_context *ctx,
                              struct problem *p);

/* The handlers of the users API and of the signed-in user's password change. */
void accounts_list(struct call *call, struct call_reply *reply);

/* GET /api/v1/assignees (read): the active users a parole request can be assigned to, as
 * {id, name, role} only (no e-mail), so every role can pick and show assignees by name. */
void accounts_assignees(struct call *call, struct call_reply *reply);
void accounts_post(struct call *call, struct call_reply *reply);
void accounts_get(struct call *call, struct call_reply *reply);
void accounts_patch(struct call *call, struct call_reply *reply);
void accounts_change_own_password(struct call *call, struct call_reply *reply);

#endif

/* signin_throttle: the throttle of every attempt that checks a password (sign-in, the password
 * re-checks of a signed-in user). It owns the rules (docs/accounts-contract.md, "Sign-in
 * throttling"), their constants and the statements over sign_in_failures and
 * sign_in_known_addresses. A store module: it may depend on db, sql, dates, client_address and
 * the statement helpers, never on accounts, sessions or anything HTTP; the callers (sessions,
 * accounts) turn a wait into a 429. */
#ifndef PAROLETRACK_SIGNIN_THROTTLE_H
#define PAROLETRACK_SIGNIN_THROTTLE_H

#include <stdint.h>

#include "db.h"
#include "problem.h"

/* Count an attempt that checks a password before checking it, in its own write transaction,
 * so that parallel attempts see each other. email: the account asked for (any case); address:
 * the client's address (its throttling key is derived here). *wait is 0 when the attempt may go
 * ahead (it is then counted as a failure of (account, address) until signin_throttle_clear or
 * signin_throttle_release), else the seconds to wait and nothing is counted. *claim (when not
 * NULL) is the counted attempt's id, or 0. Returns 0, or -1 with *p set. */
int signin_throttle_claim(struct db *db, const char *email, const char *address, int *wait,
                          int64_t *claim, struct problem *p);

/* After a success, inside the caller's write transaction: forget the counted attempts of the
 * account from this client's address (failures from other addresses stay counted) and record
 * the address as one the account is known at. Returns 0, or -1 with *p set. */
int signin_throttle_clear(struct db *db, const char *email, const char *address, struct problem *p);

/* Inside the caller's write transaction: a claimed attempt is now known to have failed, and its
 * time becomes now, so the account's delay runs from the failure and not from the start of a
 * slow password check. Returns 0, or -1 with *p set. */
int signin_throttle_fail(struct db *db, int64_t claim, struct problem *p);

/* Forget a claimed attempt that turned out not to be a failure (the right password, no second
 * factor yet), in its own write transaction. Returns 0, or -1 with *p set. */
int signin_throttle_release(struct db *db, int64_t claim, struct problem *p);

#endif

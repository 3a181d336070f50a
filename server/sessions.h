/* sessions: browser sign-in and sign-out, sign-in throttling, and enrolment of the second
 * factor (TOTP and recovery codes). Session tokens are 256-bit random values sent only in an
 * HttpOnly cookie and stored only as a SHA-256 hash. */
#ifndef PAROLETRACK_SESSIONS_H
#define PAROLETRACK_SESSIONS_H

#include "call.h"

/* Whether session cookies carry the Secure attribute (TLS in front of the server). */
void sessions_configure(int secure_cookies);

/* Count an attempt that checks a password (sign-in, password change) before checking it, in one
 * transaction, so that parallel attempts see each other: *wait is 0 when it may go ahead (the
 * attempt is counted as a failure of (account, address) until sessions_clear_attempts), else
 * the seconds to wait (5 failures of the pair or 100 from the address in 15 minutes, or the
 * account's growing delay after 10 failures in 24 hours). address: the client's address (its
 * throttling key is derived here). *claim (when not NULL) is the counted attempt's id, or 0.
 * Returns 0 or -1 (*p). */
int sessions_claim_attempt(struct db *db, const char *email, const char *address,
                           const struct op_context *ctx, int *wait, int64_t *claim,
                           struct problem *p);

/* Forget the counted attempts of the account from this client's address after a success
 * (inside the caller's transaction). Failures from other addresses stay counted. Returns 0 or
 * -1. */
int sessions_clear_attempts(struct db *db, const char *email, const char *address,
                            struct problem *p);

void sessions_sign_in(struct call *call, struct call_reply *reply);
void sessions_get(struct call *call, struct call_reply *reply);
void sessions_sign_out(struct call *call, struct call_reply *reply);
void sessions_totp_begin(struct call *call, struct call_reply *reply);
void sessions_totp_confirm(struct call *call, struct call_reply *reply);

#endif

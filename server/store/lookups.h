/* lookups: identifier look-ups. A list filtered by an encrypted identifier through its blind
 * index (`GET /api/v1/clients?a_number=` or `?passport_number=`) tells whether a guessed value
 * is some client's, so each one is a read of identifiers: limited per principal (a user or an
 * API key) to LOOKUPS_LIMIT in any LOOKUPS_WINDOW_SECONDS, counted in the identifier_lookups
 * table (migration 0010), and audited by the resource engine in the same transaction. */
#ifndef PAROLETRACK_LOOKUPS_H
#define PAROLETRACK_LOOKUPS_H

#include "context.h"
#include "db.h"
#include "problem.h"

/* 30 look-ups in 15 minutes: one every 30 seconds for a paralegal working through a stack of
 * notices, while guessing the 5 hidden digits of an A-number (10^5 candidates) takes weeks. */
#define LOOKUPS_LIMIT          30
#define LOOKUPS_WINDOW_SECONDS (15 * 60)

/* Claim one look-up for the context's actor, inside the caller's write transaction: forget
 * look-ups older than the window, then refuse with 429 too-many-lookups (p->retry_after set to
 * the seconds until the oldest counted one leaves the window) when the actor already made
 * LOOKUPS_LIMIT, or record this one. Returns 0, or -1 with *p set. */
int lookups_claim(struct db *db, const struct op_context *ctx, struct problem *p);

#endif

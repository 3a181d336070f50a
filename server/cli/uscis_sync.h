/* uscis_sync: `paroletrack uscis-sync`, the job that checks every receipt number of the
 * requests still being worked on against the USCIS Case Status API (base/uscis_api.h) and keeps
 * each change of status (store/uscis_statuses.h). It honours the API's limits: at most
 * `rate_per_second` requests a second, a daily quota (a run that reaches it stops, and the next
 * run starts with the receipts checked longest ago), Retry-After on a 429, and one token refresh
 * on a 401. A receipt that fails (unknown, refused, malformed answer, no answer in time) is
 * reported and recorded, and the run goes on; what was fetched is kept as it is fetched. */
#ifndef PAROLETRACK_USCIS_SYNC_H
#define PAROLETRACK_USCIS_SYNC_H

#include <stdint.h>

#include "db.h"

struct uscis_sync_config {
    const char *base_url;  /* the API's base URL */
    const char *client_id; /* the OAuth client credentials (never from the command line) */
    const char *client_secret;
    int64_t daily_quota;      /* requests a UTC day */
    double rate_per_second;   /* at most 5 */
    long timeout_seconds;     /* per request */
    int64_t max_wait_seconds; /* the longest Retry-After waited for; longer stops the run */
};

/* The run's counts. */
struct uscis_sync_result {
    int64_t checked, changed, failed, left; /* left: not checked because of the quota or a long
                                             * Retry-After, first in line next run */
};

/* Run the sync on db (its key loaded, the ledger's zone adopted). Prints each failure (the
 * request and the receipt's last four characters, never the whole receipt) to stderr and the
 * summary to stdout, and records the run for /metrics. Returns 0, or -1 when the run could
 * not go on (no token, the database failing). */
int uscis_sync_run(struct db *db, const struct uscis_sync_config *config,
                   struct uscis_sync_result *result);

/* Read `client_id=...` and `client_secret=...` lines from a credentials file that only its
 * owner may read (mode 0600 or stricter) into id and secret. Returns 0, or -1 with the reason
 * in why. */
int uscis_sync_read_credentials(const char *path, char *id, size_t id_size, char *secret,
                                size_t secret_size, char *why, size_t why_size);

#endif

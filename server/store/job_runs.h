/* job_runs: the last run of each nightly job (remind), for /metrics: when it started and
 * finished, whether it succeeded, how many items it handled and how many failed. Store layer. */
#ifndef PAROLETRACK_JOB_RUNS_H
#define PAROLETRACK_JOB_RUNS_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "problem.h"

/* Record a finished run of `job` (replacing the one before), in a write transaction of its
 * own. Times are RFC 3339 UTC. Returns 0, or -1 with *p set. */
int job_runs_record(struct db *db, const char *job, const char *started_at, const char *finished_at,
                    int succeeded, int64_t items, int64_t failures, struct problem *p);

/* Every job's last run as a new array of {job, started_at, finished_at, succeeded (boolean),
 * items, failures}, by job; NULL with *p set. Inside the caller's read transaction. */
json_t *job_runs_list(struct db *db, struct problem *p);

#endif

/* gate_guard: a write guard for the group commit tests. Set `gate` before a round of threads;
 * the next BEGIN of a batch leader then waits until `gate_queued()` reports `gate_threads`
 * queued items (at most ten seconds), so one batch holds them all, and then lets it commit
 * (GATE_HOLD) or refuses it (GATE_FAIL, a 503 for every item). Only the first call of a round
 * uses the gate. The test sets gate_queued and gate_threads, and installs the guard with
 * db_set_write_guard(gate_guard). Include it in one test file only. */
#ifndef PAROLETRACK_GATE_GUARD_H
#define PAROLETRACK_GATE_GUARD_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "db.h"

enum gate { GATE_NONE, GATE_HOLD, GATE_FAIL };
static atomic_int gate;
static int64_t (*gate_queued)(void); /* how many items wait right now */
static int64_t gate_threads;         /* how many a round queues */

/* The write guard (see above). */
static int gate_guard(struct db *conn, struct problem *p)
{
    enum gate g = (enum gate)atomic_exchange(&gate, GATE_NONE);
    struct timespec pause = {0, 1000000};

    (void)conn;
    if (g == GATE_NONE)
        return 0;
    for (int i = 0; i < 10000 && gate_queued() < gate_threads; i++)
        nanosleep(&pause, NULL);
    if (g == GATE_FAIL)
        return problem_set(p, PROBLEM_UNAVAILABLE, "injected failure of the batch");
    return 0;
}

#endif

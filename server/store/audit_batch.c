/* audit_batch: one write transaction and one commit for concurrent audit-only events. */
#include "audit_batch.h"

#include <pthread.h>

/* A caller's event while it waits: queued, then taken by a leader, then done. Lives on the
 * caller's stack; the leader reads it only between taking it and marking it done, while the
 * caller sleeps. */
struct pending {
    const struct audit_event *event;
    struct problem *result; /* the caller's; set by the leader under batch_lock on failure */
    struct pending *next;
    int done, rc;
};

/* Everything below is guarded by batch_lock. */
static pthread_mutex_t batch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_ended = PTHREAD_COND_INITIALIZER;
static struct pending *queue_head, **queue_tail = &queue_head;
static int committing; /* a leader is between taking the lead and waking its batch */
static struct audit_batch_stats totals;

/* Take up to AUDIT_BATCH_MAX events off the front of the queue (batch_lock held); their
 * events go to events[] in queue order. Returns the first taken (linked through next, the
 * last's next NULL) and the number in *count. */
static struct pending *batch_take(const struct audit_event **events, size_t *count)
{
    struct pending *first = queue_head, *last = NULL;
    size_t n = 0;

    for (struct pending *e = queue_head; e != NULL && n < AUDIT_BATCH_MAX; e = e->next) {
        events[n++] = e->event;
        last = e;
    }
    if (last != NULL) {
        queue_head = last->next;
        if (queue_head == NULL)
            queue_tail = &queue_head;
        last->next = NULL;
    }
    *count = n;
    return n > 0 ? first : NULL;
}

/* Lead one batch on db (called without batch_lock, with `committing` set by the caller):
 * open the write transaction (waiting for the process's other writers meanwhile lets more
 * events queue), take the queued events, append them, commit, then hand every taken event
 * its result and wake the waiters. */
static void batch_lead(struct db *db)
{
    const struct audit_event *taken[AUDIT_BATCH_MAX];
    struct audit_event events[AUDIT_BATCH_MAX];
    struct pending *batch;
    struct problem p;
    size_t count = 0;
    int rc;

    problem_init(&p);
    rc = db_begin_write(db, &p);
    pthread_mutex_lock(&batch_lock);
    batch = batch_take(taken, &count);
    pthread_mutex_unlock(&batch_lock);
    for (size_t i = 0; i < count; i++)
        events[i] = *taken[i];
    if (rc == 0 && (audit_append_events(db, events, count, &p) != 0 || db_commit(db, &p) != 0))
        rc = -1;
    if (rc != 0)
        db_rollback(db);
    pthread_mutex_lock(&batch_lock);
    for (struct pending *e = batch, *next; e != NULL; e = next) {
        next = e->next; /* e may be gone once done is set and the lock released */
        e->rc = rc;
        if (rc != 0)
            problem_set(e->result, p.kind != PROBLEM_NONE ? p.kind : PROBLEM_INTERNAL, "%s",
                        p.detail);
        e->done = 1;
    }
    if (count > 0) {
        totals.commits += rc == 0;
        totals.events += rc == 0 ? (int64_t)count : 0;
        totals.failures += rc != 0;
        totals.queued -= (int64_t)count;
    }
    committing = 0;
    pthread_cond_broadcast(&batch_ended);
    pthread_mutex_unlock(&batch_lock);
    problem_clear(&p);
}

int audit_batch_append(struct db *db, const struct audit_event *e, struct problem *p)
{
    struct pending self = {.event = e, .result = p};

    pthread_mutex_lock(&batch_lock);
    *queue_tail = &self;
    queue_tail = &self.next;
    totals.queued++;
    while (!self.done) {
        if (committing) {
            pthread_cond_wait(&batch_ended, &batch_lock);
            continue;
        }
        /* No commit in flight: lead one (a lone event is committed at once). Should the
         * queue be longer than one batch and this event not in the first, the loop leads
         * or waits again. */
        committing = 1;
        pthread_mutex_unlock(&batch_lock);
        batch_lead(db);
        pthread_mutex_lock(&batch_lock);
    }
    pthread_mutex_unlock(&batch_lock);
    return self.rc;
}

void audit_batch_stats(struct audit_batch_stats *out)
{
    pthread_mutex_lock(&batch_lock);
    *out = totals;
    pthread_mutex_unlock(&batch_lock);
}

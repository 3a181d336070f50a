/* group_commit: a leader and followers on one mutex, each follower waiting on a condition of
 * its own (see group_commit.h). */
#include "group_commit.h"

#include <stdatomic.h>
#include <stdio.h>

/* Said once per process: a group's own connection could not be opened. */
static atomic_int writer_warned;

struct group_item *group_commit_take(struct group_commit *g, size_t *count)
{
    struct group_item *first, *last = NULL;
    size_t n = 0;

    pthread_mutex_lock(&g->lock);
    first = g->head;
    for (struct group_item *e = g->head; e != NULL && n < g->max; e = e->next) {
        n++;
        last = e;
    }
    if (last != NULL) {
        g->head = last->next;
        if (g->head == NULL)
            g->tail = &g->head;
        last->next = NULL;
    }
    pthread_mutex_unlock(&g->lock);
    *count = n;
    return n > 0 ? first : NULL;
}

/* Lead one batch (called without g->lock, with g->committing set) on the group's writer
 * connection, or on db, the caller's, when there is none: the owner's lead function takes and
 * runs the batch; then mark its items done and wake the waiters. */
static void lead(struct group_commit *g, struct db *db)
{
    struct problem p;
    struct db *writer;
    struct group_item *batch;

    problem_init(&p);
    writer = db_pool_writer(g->writer, &p);
    if (writer == NULL && p.kind != PROBLEM_NONE && atomic_exchange(&writer_warned, 1) == 0)
        fprintf(stderr,
                "paroletrack: a writer's own connection (writes go on through the "
                "caller's): %s\n",
                p.detail);
    problem_clear(&p);
    batch = g->lead(writer != NULL ? writer : db, g);

    /* Wake only whom the end concerns: each caller of the batch, and the first one still
     * queued, who leads next (waking every waiter made most of them sleep again at once). */
    pthread_mutex_lock(&g->lock);
    for (struct group_item *e = batch, *next; e != NULL; e = next) {
        next = e->next; /* e may be gone once done is set and the lock released */
        e->done = 1;
        g->queued--;
        pthread_cond_signal(&e->wake);
    }
    g->committing = 0;
    if (g->head != NULL)
        pthread_cond_signal(&g->head->wake);
    pthread_mutex_unlock(&g->lock);
}

void group_commit_join(struct group_commit *g, struct group_item *item, struct db *db)
{
    /* A caller reading in a scope (a GET's audited read) lets its snapshot go before it queues:
     * a waiter holding a read lock could stall a checkpoint that the leader then waits on. */
    db_read_scope_end(db);
    item->next = NULL;
    item->done = 0;
    pthread_cond_init(&item->wake, NULL);
    pthread_mutex_lock(&g->lock);
    *g->tail = item;
    g->tail = &item->next;
    g->queued++;
    while (!item->done) {
        if (g->committing) {
            pthread_cond_wait(&item->wake, &g->lock);
            continue;
        }
        /* No commit in flight: lead one (a lone item at once). Should the queue be longer
         * than one batch and this item not in the first, the loop leads or waits again. */
        g->committing = 1;
        pthread_mutex_unlock(&g->lock);
        lead(g, db);
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    pthread_cond_destroy(&item->wake);
}

int64_t group_commit_queued(struct group_commit *g)
{
    int64_t queued;

    pthread_mutex_lock(&g->lock);
    queued = g->queued;
    pthread_mutex_unlock(&g->lock);
    return queued;
}

/* group_commit: one write transaction and one commit (one fsync) for work that several threads
 * queue at the same time. Each caller queues its item and either leads a batch or waits: the
 * first caller with no commit in flight leads, takes up to `max` queued items (its own and
 * those queued meanwhile), runs them through the owner's lead function on the group's own
 * connection, then wakes the callers of the batch and the first caller still queued (who
 * leads the next batch); a caller returns only once a batch that held its item ended. A lone
 * item leads at once, without waiting. The owners (write.c for changes, audit_batch.c for the
 * events of audited reads) say what a batch does and keep each item's result in their own
 * item. Depends on db only. */
#ifndef PAROLETRACK_GROUP_COMMIT_H
#define PAROLETRACK_GROUP_COMMIT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* The part of an owner's item the group uses: the first member of the owner's struct. Lives on
 * the caller's stack; the leader uses the item only between taking it and marking it done,
 * while the caller sleeps. */
struct group_item {
    struct group_item *next;
    int done;
    pthread_cond_t wake; /* signalled when done, or when it is first in the queue to lead */
};

struct group_commit;

/* Runs one batch on db, called without the group's lock: opens its transaction, then takes the
 * batch with group_commit_take (items that queued while it waited for the writer lock join
 * it), runs every item in queue order, commits, and sets each item's result in the owner's
 * struct. Returns the batch taken (NULL when none), which the group then marks done. */
typedef struct group_item *(*group_commit_lead_fn)(struct db *db, struct group_commit *g);

/* Each group commit's db_pool_writer slot: one per group of the process. */
enum group_writer { GROUP_WRITER_CHANGES, GROUP_WRITER_AUDIT_EVENTS, GROUP_WRITERS };
_Static_assert(GROUP_WRITERS <= DB_WRITER_SLOTS, "a writer slot for every group commit");

/* A queue of items and the one batch in flight. Define one with GROUP_COMMIT_INIT. */
struct group_commit {
    pthread_mutex_t lock;
    struct group_item *head, **tail;
    int committing; /* a leader is between taking the lead and waking its batch */
    size_t max;     /* the most items one batch takes */
    group_commit_lead_fn lead;
    int64_t queued; /* items waiting, the ones of the batch in flight included */
    int writer;     /* the group's db_pool_writer slot */
};

#define GROUP_COMMIT_INIT(name, max_items, lead_fn, writer_slot)                                   \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, NULL, &(name).head, 0, (max_items), (lead_fn), 0, (writer_slot) \
    }

/* Queue `item` and return once a batch that held it ended (leading one, when no commit is in
 * flight, on the group's own pool connection, db_pool_writer, or with no pool on db, the
 * calling thread's connection outside any transaction). A read scope the
 * caller is in ends first (db_read_scope_end). */
void group_commit_join(struct group_commit *g, struct group_item *item, struct db *db);

/* For the lead function: take up to the group's max queued items. Returns the first (linked
 * through next, in queue order, the last's next NULL) and their number in *count. */
struct group_item *group_commit_take(struct group_commit *g, size_t *count);

/* How many items are queued right now (the ones of the batch in flight included). */
int64_t group_commit_queued(struct group_commit *g);

#endif

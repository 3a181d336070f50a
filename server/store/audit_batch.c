/* audit_batch: one write transaction and one commit for concurrent audit-only events. */
#include "audit_batch.h"

#include <stdio.h>

#include <pthread.h>

#include "group_commit.h"

/* A caller's event while it waits (see group_commit.h). */
struct pending {
    struct group_item item; /* first: the group's part */
    const struct audit_event *event;
    struct problem *result; /* the caller's; set by the leader on failure */
    int rc;
};

static struct group_item *batch_lead(struct db *db, struct group_commit *g);

/* The audit-only events of the process waiting for, or in, a batch. */
static struct group_commit events =
    GROUP_COMMIT_INIT(events, AUDIT_BATCH_MAX, batch_lead, GROUP_WRITER_AUDIT_EVENTS);

/* Everything of a batch's outcome the counters add up (guarded by stats_lock). */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct audit_batch_stats totals;

/* Lead one batch (a group_commit_lead_fn): open the write transaction (waiting for the
 * process's other writers meanwhile lets more events queue), take the queued events, append
 * them with one move of the sealed head, commit, and hand every taken event its result. */
static struct group_item *batch_lead(struct db *db, struct group_commit *g)
{
    struct audit_event taken[AUDIT_BATCH_MAX];
    struct group_item *batch;
    struct problem p;
    size_t count = 0, n = 0;
    int rc;

    problem_init(&p);
    rc = db_begin_write(db, &p);
    batch = group_commit_take(g, &count);
    for (struct group_item *i = batch; i != NULL; i = i->next)
        taken[n++] = *((struct pending *)i)->event;
    if (rc == 0 && (audit_append_events(db, taken, count, &p) != 0 || db_commit(db, &p) != 0))
        rc = -1;
    if (rc != 0)
        db_rollback(db);
    /* a full or failing disk is the reader's 503 with its cause, not a bare 500 */
    if (rc != 0)
        db_storage_problem(&p, "an audited read's event");
    for (struct group_item *i = batch; i != NULL; i = i->next) {
        struct pending *e = (struct pending *)i;

        e->rc = rc;
        if (rc != 0)
            problem_set(e->result, p.kind != PROBLEM_NONE ? p.kind : PROBLEM_INTERNAL, "%s",
                        p.detail);
    }
    if (count > 0) {
        pthread_mutex_lock(&stats_lock);
        totals.commits += rc == 0;
        totals.events += rc == 0 ? (int64_t)count : 0;
        totals.failures += rc != 0;
        pthread_mutex_unlock(&stats_lock);
    }
    problem_clear(&p);
    return batch;
}

int audit_batch_append(struct db *db, const struct audit_event *e, struct problem *p)
{
    struct pending self = {.event = e, .result = p};

    group_commit_join(&events, &self.item, db);
    return self.rc;
}

void audit_batch_stats(struct audit_batch_stats *out)
{
    pthread_mutex_lock(&stats_lock);
    *out = totals;
    pthread_mutex_unlock(&stats_lock);
    out->queued = group_commit_queued(&events);
}

int audit_batch_export(struct db *db, const struct op_context *ctx, const char *entity,
                       int64_t parole_request_id, int64_t client_id, const char *format,
                       const json_t *filters, int64_t rows, struct problem *p)
{
    json_t *changes = json_pack("{s:{s:n, s:s}, s:{s:n, s:O}, s:{s:n, s:I}}", "format", "before",
                                "after", format, "filters", "before", "after", filters, "rows",
                                "before", "after", (json_int_t)rows);

    if (changes != NULL && client_id != 0) /* whose list it was */
        json_object_set_new(changes, "client_id",
                            json_pack("{s:n, s:I}", "before", "after", (json_int_t)client_id));
    const struct audit_event event = {
        .ctx = ctx,
        .action = "export",
        .entity = entity,
        .entity_id = 0,
        .parole_request_id = parole_request_id,
        .changes = changes,
    };
    int rc;

    if (changes == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "audit: out of memory");
    rc = audit_batch_append(db, &event, p);
    json_decref(changes);
    return rc;
}

/* write: the one write path (see write.h). */
#include "write.h"

#include <pthread.h>

#include "audit.h"
#include "deadline_ledger.h"

int write_check_version(const json_t *current, const struct if_match *if_match, const char *noun,
                        struct problem *p)
{
    int64_t version = json_integer_value(json_object_get(current, "version"));

    if (if_match == NULL || !if_match->present || if_match->any)
        return 0;
    for (size_t i = 0; i < if_match->count; i++)
        if (if_match->versions[i] == version)
            return 0;
    return problem_set(p, PROBLEM_PRECONDITION_FAILED,
                       "the %s is at version %lld, not the one you edited: reload it and apply "
                       "your change again",
                       noun, (long long)version);
}

/* Append the change's audit event (step 6). Returns 0 or -1 with *p set. */
static int audit_change(struct db *db, const struct write_call *w, const json_t *before,
                        const json_t *after, struct problem *p)
{
    const struct write_kind *kind = w->kind;
    json_t *changes = NULL;
    int rc;

    if (kind->changes != NULL)
        changes = kind->changes(w, before, after);
    else if (kind->audited != NULL)
        changes = audit_changes(before, after, kind->audited, kind->redacted);
    rc = audit_append(db, w->ctx, w->action, kind->entity, w->id, w->request_id, changes, p);
    json_decref(changes);
    return rc;
}

/* Recompute the stored deadlines the change moved (step 4). Returns 0 or -1 with *p set. */
static int refresh_ledger(struct db *db, const struct write_call *w, struct problem *p)
{
    switch (w->kind->ledger) {
    case WRITE_LEDGER_REQUEST:
        return w->request_id ? deadline_ledger_refresh_request(db, w->request_id, w->ctx, p) : 0;
    case WRITE_LEDGER_CLIENT:
        return deadline_ledger_refresh_client(db, w->id, w->ctx, p);
    case WRITE_LEDGER_PROGRAM:
        return deadline_ledger_refresh_program(db, w->program, w->ctx, p);
    case WRITE_LEDGER_NONE:
        break;
    }
    return 0;
}

/* The steps of one change inside the open transaction (1 to 6 of write.h; the caller commits
 * or rolls back). Returns what write_run returns, or NULL with *p set. */
static json_t *write_steps(struct db *db, struct write_call *w, struct problem *p)
{
    const struct write_kind *kind = w->kind;
    json_t *before = NULL, *after = NULL, *out = NULL;

    w->result = NULL;
    if (kind->read != NULL && w->mode != WRITE_CREATE) {
        before = kind->read(db, w, p);
        if (before == NULL || write_check_version(before, w->if_match, kind->noun, p) != 0)
            goto out;
    }
    if (kind->write(db, w, before, p) != 0)
        goto out;
    if ((kind->after_write != NULL && kind->after_write(db, w, before, p) != 0) ||
        refresh_ledger(db, w, p) != 0)
        goto out;
    if (kind->read != NULL && w->mode != WRITE_DELETE) {
        after = kind->read(db, w, p);
        if (after == NULL)
            goto out;
    }
    if (audit_change(db, w, before, after, p) != 0)
        goto out;
    if (kind->read == NULL)
        out = w->result != NULL ? json_incref(w->result) : json_null();
    else
        out = json_incref(w->mode == WRITE_DELETE ? before : after);
out:
    json_decref(w->result);
    w->result = NULL;
    json_decref(after);
    json_decref(before);
    return out;
}

/* A change while it waits for its commit: queued, then run by a leader, then done. Lives on
 * its caller's stack; the leader uses it only between taking it and marking it done, while
 * the caller sleeps. */
struct pending_write {
    struct write_call *w;
    struct problem *p; /* the caller's */
    json_t *out;       /* the result, NULL on failure */
    struct pending_write *next;
    int done;
};

/* Everything below is guarded by batch_lock. */
static pthread_mutex_t batch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_ended = PTHREAD_COND_INITIALIZER;
static struct pending_write *queue_head, **queue_tail = &queue_head;
static int committing; /* a leader is between taking the lead and waking its batch */
static struct write_batch_stats totals;

/* Take up to WRITE_BATCH_MAX changes off the front of the queue (batch_lock held). Returns the
 * first (linked through next, the last's next NULL) and the number in *count. */
static struct pending_write *batch_take(size_t *count)
{
    struct pending_write *first = queue_head, *last = NULL;
    size_t n = 0;

    for (struct pending_write *e = queue_head; e != NULL && n < WRITE_BATCH_MAX; e = e->next) {
        n++;
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

/* Run each taken change in its own savepoint of the batch's transaction: a change that fails
 * is rolled back to its savepoint alone. Returns 0, or -1 (with *p) when the transaction as a
 * whole is lost (SQLite rolled it back after a full disk or an I/O error, or a savepoint
 * could not be set), so nothing of the batch stands. */
static int run_batch(struct db *db, struct pending_write *batch, struct problem *p)
{
    for (struct pending_write *e = batch; e != NULL; e = e->next) {
        if (db_exec(db, "SAVEPOINT write_change", p) != 0)
            return -1;
        e->out = write_steps(db, e->w, e->p);
        if (!db_in_transaction(db))
            return problem_set(p, e->p->kind != PROBLEM_NONE ? e->p->kind : PROBLEM_INTERNAL, "%s",
                               e->p->detail);
        if ((e->out == NULL && db_exec(db, "ROLLBACK TO write_change", p) != 0) ||
            db_exec(db, "RELEASE write_change", p) != 0)
            return -1;
    }
    return 0;
}

/* Lead one batch on db (called without batch_lock, with `committing` set): open the write
 * transaction (waiting for the process's other writers meanwhile lets more changes queue),
 * take the queued changes, run them, commit once, then hand each its result and wake the
 * waiters. */
static void batch_lead(struct db *db)
{
    struct pending_write *batch;
    struct problem p;
    size_t count = 0;
    int rc;

    problem_init(&p);
    rc = db_begin_write(db, &p);
    pthread_mutex_lock(&batch_lock);
    batch = batch_take(&count);
    pthread_mutex_unlock(&batch_lock);
    if (rc == 0 && (run_batch(db, batch, &p) != 0 || db_commit(db, &p) != 0))
        rc = -1;
    if (rc != 0)
        db_rollback(db);
    pthread_mutex_lock(&batch_lock);
    for (struct pending_write *e = batch, *next; e != NULL; e = next) {
        next = e->next; /* e may be gone once done is set and the lock released */
        if (rc != 0 && e->out != NULL) {
            json_decref(e->out);
            e->out = NULL;
        }
        if (rc != 0 && e->p->kind == PROBLEM_NONE)
            problem_set(e->p, p.kind != PROBLEM_NONE ? p.kind : PROBLEM_INTERNAL, "%s", p.detail);
        e->done = 1;
    }
    if (count > 0) {
        totals.commits += rc == 0;
        totals.changes += (int64_t)count;
        totals.queued -= (int64_t)count;
    }
    committing = 0;
    pthread_cond_broadcast(&batch_ended);
    pthread_mutex_unlock(&batch_lock);
    problem_clear(&p);
}

json_t *write_run(struct db *db, struct write_call *w, struct problem *p)
{
    struct pending_write self = {.w = w, .p = p};

    pthread_mutex_lock(&batch_lock);
    *queue_tail = &self;
    queue_tail = &self.next;
    totals.queued++;
    while (!self.done) {
        if (committing) {
            pthread_cond_wait(&batch_ended, &batch_lock);
            continue;
        }
        /* No commit in flight: lead one (a lone change commits at once). */
        committing = 1;
        pthread_mutex_unlock(&batch_lock);
        batch_lead(db);
        pthread_mutex_lock(&batch_lock);
    }
    pthread_mutex_unlock(&batch_lock);
    return self.out;
}

void write_batch_stats(struct write_batch_stats *out)
{
    pthread_mutex_lock(&batch_lock);
    *out = totals;
    pthread_mutex_unlock(&batch_lock);
}

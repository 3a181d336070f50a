/* write: the one write path (see write.h). */
#include "write.h"

#include <stdatomic.h>
#include <stdio.h>

#include "audit.h"
#include "deadline_ledger.h"
#include "group_commit.h"
#include "webhook_outbox.h"

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

/* Recompute the stored deadlines the change moved (step 4); `before` is the record as it was
 * (NULL on create). Returns 0 or -1 with *p set. */
static int refresh_ledger(struct db *db, const struct write_call *w, const json_t *before,
                          struct problem *p)
{
    switch (w->kind->ledger) {
    case WRITE_LEDGER_REQUEST:
        return w->request_id ? deadline_ledger_refresh_request(db, w->request_id, w->ctx, p) : 0;
    case WRITE_LEDGER_CLIENT:
        return deadline_ledger_refresh_client(db, w->client_id ? w->client_id : w->id, w->ctx, p);
    case WRITE_LEDGER_REQUEST_CLIENT: {
        json_t *binds = json_pack("{s:I}", "id", (json_int_t)w->request_id);
        int64_t client = 0, prior;
        int rc = w->request_id ? db_scalar_int(db, SQL_REQUEST_CLIENT_ID, binds, &client, p) : 0;

        json_decref(binds);
        if (rc != 0)
            return -1;
        /* a deleted request: its own rows go (it had no filings: those are never deleted with
         * it, so no other request's deadline moves) */
        if (client == 0 && w->request_id &&
            deadline_ledger_refresh_request(db, w->request_id, w->ctx, p) != 0)
            return -1;
        if (client != 0 && deadline_ledger_refresh_client(db, client, w->ctx, p) != 0)
            return -1;
        /* the client a request belonged to (a parole request deleted, or moved to another
         * client; a filing has no client_id) may now have no request: its own deadlines stand
         * alone again */
        prior = json_integer_value(json_object_get(before, "client_id"));
        if (prior != 0 && prior != client)
            return deadline_ledger_refresh_client(db, prior, w->ctx, p);
        return 0;
    }
    case WRITE_LEDGER_PROGRAM:
        return deadline_ledger_refresh_program(db, w->program, w->ctx, p);
    case WRITE_LEDGER_NONE:
        break;
    }
    return 0;
}

/* When some webhook endpoint is enabled and the change moves the deadlines of requests other
 * than its own (a program's, a rule's, a client's), note their stages, so that the outbox can
 * say which of them it moved. `before` is the record as it was (NULL on a create). Returns 0, or
 * -1 with *p set. */
static int note_moved_stages(struct db *db, const struct write_call *w, const json_t *before,
                             struct webhook_change *hook, struct problem *p)
{
    const struct write_kind *kind = w->kind;
    int64_t client = 0;

    if (!hook->active)
        return 0;
    switch (kind->ledger) {
    case WRITE_LEDGER_PROGRAM: {
        const json_t *program =
            kind->program_member ? json_object_get(before, kind->program_member) : NULL;

        if (before == NULL) /* a new program or rule: no request names it yet */
            return 0;
        if (json_is_string(program))
            return webhook_outbox_note_stages(db, hook, SQL_WEBHOOK_STAGES_OF_PROGRAM,
                                              json_string_value(program), 0, w->ctx, p);
        return webhook_outbox_note_stages(db, hook, SQL_WEBHOOK_STAGES_ALL, NULL, 0, w->ctx, p);
    }
    case WRITE_LEDGER_CLIENT:
        client = w->client_id ? w->client_id : w->id;
        break;
    case WRITE_LEDGER_REQUEST_CLIENT:
        client = json_integer_value(json_object_get(before, "client_id"));
        if (client == 0 && json_is_integer(json_object_get(w->input, "client_id")))
            client = json_integer_value(json_object_get(w->input, "client_id"));
        if (client == 0 && w->request_id != 0) {
            json_t *binds = json_pack("{s:I}", "id", (json_int_t)w->request_id);
            int rc = db_scalar_int(db, SQL_REQUEST_CLIENT_ID, binds, &client, p);

            json_decref(binds);
            if (rc != 0)
                return -1;
        }
        break;
    case WRITE_LEDGER_REQUEST:
    case WRITE_LEDGER_NONE:
        return 0;
    }
    return client != 0 ? webhook_outbox_note_stages(db, hook, SQL_WEBHOOK_STAGES_OF_CLIENT, NULL,
                                                    client, w->ctx, p)
                       : 0;
}

/* The steps of one change inside the open transaction (1 to 7 of write.h; the caller commits
 * or rolls back). Returns what write_run returns, or NULL with *p set. */
static json_t *write_steps(struct db *db, struct write_call *w, struct problem *p)
{
    const struct write_kind *kind = w->kind;
    json_t *before = NULL, *after = NULL, *out = NULL;
    struct webhook_change hook;

    w->result = NULL;
    if (webhook_outbox_before(db, w->request_id, w->ctx, &hook, p) != 0)
        return NULL;
    if (kind->read != NULL && w->mode != WRITE_CREATE) {
        before = kind->read(db, w, p);
        if (before == NULL || write_check_version(before, w->if_match, kind->noun, p) != 0)
            goto out;
    }
    if (note_moved_stages(db, w, before, &hook, p) != 0 || kind->write(db, w, before, p) != 0)
        goto out;
    if ((kind->after_write != NULL && kind->after_write(db, w, before, p) != 0) ||
        refresh_ledger(db, w, before, p) != 0)
        goto out;
    if (kind->read != NULL && w->mode != WRITE_DELETE) {
        after = kind->read(db, w, p);
        if (after == NULL)
            goto out;
    }
    if (audit_change(db, w, before, after, p) != 0 ||
        webhook_outbox_after(db, &hook, kind->entity, w->action, w->id, w->request_id, w->client_id,
                             before, after, w->ctx, p) != 0)
        goto out;
    if (kind->read == NULL)
        out = w->result != NULL ? json_incref(w->result) : json_null();
    else
        out = json_incref(w->mode == WRITE_DELETE ? before : after);
out:
    webhook_change_clear(&hook);
    json_decref(w->result);
    w->result = NULL;
    json_decref(after);
    json_decref(before);
    return out;
}

/* A change while it waits for its commit (see group_commit.h). */
struct pending_write {
    struct group_item item; /* first: the group's part */
    struct write_call *w;
    struct problem *p; /* the caller's */
    json_t *out;       /* the result, NULL on failure */
};

static struct group_item *batch_lead(struct db *db, struct group_commit *g);

/* The changes of the process waiting for, or in, a batch. */
static struct group_commit changes =
    GROUP_COMMIT_INIT(changes, WRITE_BATCH_MAX, batch_lead, GROUP_WRITER_CHANGES);

/* The batches that committed and the changes they ran (a write_batch_stats without queued). */
static atomic_int_fast64_t committed_batches, batched_changes;

/* Run each taken change in its own savepoint of the batch's transaction: a change that fails
 * is rolled back to its savepoint alone. Returns 0, or -1 (with *p) when the transaction as a
 * whole is lost (SQLite rolled it back after a full disk or an I/O error, or a savepoint
 * could not be set), so nothing of the batch stands. */
static int run_batch(struct db *db, struct group_item *batch, struct problem *p)
{
    for (struct group_item *i = batch; i != NULL; i = i->next) {
        struct pending_write *e = (struct pending_write *)i;

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

/* Lead one batch (a group_commit_lead_fn): open the write transaction (waiting for the
 * process's other writers meanwhile lets more changes queue), take the queued changes, run
 * them, commit once, and give each its result. */
static struct group_item *batch_lead(struct db *db, struct group_commit *g)
{
    struct group_item *batch;
    struct problem p;
    size_t count = 0;
    int rc, storage_logged = 0;

    problem_init(&p);
    rc = db_begin_write(db, &p);
    batch = group_commit_take(g, &count);
    if (rc == 0 && (run_batch(db, batch, &p) != 0 || db_commit(db, &p) != 0))
        rc = -1;
    if (rc != 0)
        db_rollback(db);
    for (struct group_item *i = batch; i != NULL; i = i->next) {
        struct pending_write *e = (struct pending_write *)i;

        if (rc != 0 && e->out != NULL) {
            json_decref(e->out);
            e->out = NULL;
        }
        if (rc != 0 && e->p->kind == PROBLEM_NONE)
            problem_set(e->p, p.kind != PROBLEM_NONE ? p.kind : PROBLEM_INTERNAL, "%s", p.detail);
        /* a full or failing disk is the client's 503 with its cause, not a bare 500 */
        if (e->out == NULL && e->p->kind == PROBLEM_INTERNAL &&
            db_storage_problem(e->p, storage_logged ? NULL : "a write"))
            storage_logged = 1;
    }
    committed_batches += rc == 0 && count > 0;
    batched_changes += (int_fast64_t)count;
    problem_clear(&p);
    return batch;
}

/* Run one change inside the caller's own write transaction, in a savepoint of its own: a
 * change that fails is rolled back alone, and the caller decides whether the whole commits. */
static json_t *write_in_caller_transaction(struct db *db, struct write_call *w, struct problem *p)
{
    struct problem q;
    json_t *out;

    if (db_exec(db, "SAVEPOINT write_change", p) != 0)
        return NULL;
    out = write_steps(db, w, p);
    problem_init(&q);
    if (!db_in_transaction(db)) { /* SQLite rolled the whole transaction back (full disk, I/O) */
        json_decref(out);
        if (p->kind == PROBLEM_NONE || p->kind == PROBLEM_VALIDATION)
            problem_set(p, PROBLEM_INTERNAL, "the transaction was lost: nothing of it stands");
        return NULL;
    }
    if (out == NULL && db_exec(db, "ROLLBACK TO write_change", &q) != 0)
        fprintf(stderr, "paroletrack: rolling back a change: %s\n", q.detail);
    problem_clear(&q);
    if (db_exec(db, "RELEASE write_change", out ? p : &q) != 0 && out != NULL) {
        json_decref(out);
        out = NULL;
    }
    problem_clear(&q);
    return out;
}

json_t *write_run(struct db *db, struct write_call *w, struct problem *p)
{
    struct pending_write self = {.w = w, .p = p};

    /* A caller that opened a write transaction of its own (an all-or-nothing import) runs its
     * changes in it; everyone else shares the group commit. */
    if (db_in_transaction(db))
        return write_in_caller_transaction(db, w, p);

    group_commit_join(&changes, &self.item, db);
    return self.out;
}

json_t *write_patch(struct db *db, const struct write_kind *kind, int64_t id, const json_t *patch,
                    const struct if_match *if_match, const struct op_context *ctx, void *arg,
                    struct problem *p)
{
    struct write_call w = {.kind = kind,
                           .mode = WRITE_UPDATE,
                           .action = "update",
                           .id = id,
                           .input = patch,
                           .if_match = if_match,
                           .ctx = ctx,
                           .arg = arg};

    if (!json_is_object(patch)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
        return NULL;
    }
    return write_run(db, &w, p);
}

void write_batch_stats(struct write_batch_stats *out)
{
    out->commits = committed_batches;
    out->changes = batched_changes;
    out->queued = group_commit_queued(&changes);
}

int write_store_row(struct db *db, struct write_call *w, const json_t *before, const json_t *record,
                    enum sql_id next_id, enum sql_id insert, enum sql_id update, struct problem *p)
{
    json_t *binds = json_deep_copy(record);
    int rc = -1;

    json_object_set_new(binds, "now", json_string(w->ctx->now));
    if (before == NULL) {
        int64_t id = 0;

        if (db_scalar_int(db, next_id, NULL, &id, p) == 0) {
            w->id = id;
            json_object_set_new(binds, "id", json_integer(id));
            rc = db_exec_json(db, insert, binds, p);
        }
    } else {
        json_object_set_new(binds, "id", json_integer(w->id));
        json_object_set(binds, "version", json_object_get(before, "version"));
        rc = db_exec_json(db, update, binds, p);
    }
    json_decref(binds);
    return rc;
}

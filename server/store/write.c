/* write: the one write path (see write.h). */
#include "write.h"

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

json_t *write_run(struct db *db, struct write_call *w, struct problem *p)
{
    const struct write_kind *kind = w->kind;
    json_t *before = NULL, *after = NULL, *out = NULL;

    w->result = NULL;
    if (db_begin_write(db, p) != 0)
        return NULL;
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
    if (audit_change(db, w, before, after, p) != 0 || db_commit(db, p) != 0)
        goto out;
    if (kind->read == NULL)
        out = w->result != NULL ? json_incref(w->result) : json_null();
    else
        out = json_incref(w->mode == WRITE_DELETE ? before : after);
out:
    if (out == NULL)
        db_rollback(db);
    json_decref(w->result);
    w->result = NULL;
    json_decref(after);
    json_decref(before);
    return out;
}

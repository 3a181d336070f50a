/* uscis_statuses: the USCIS case status sync's records (see uscis_statuses.h). */
#include "uscis_statuses.h"

#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "listing.h"
#include "webhook_outbox.h"

json_t *uscis_statuses_receipts_due(struct db *db, struct problem *p)
{
    json_t *rows = NULL;

    if (db_begin_read(db, p) != 0)
        return NULL;
    rows = db_rows(db, SQL_USCIS_RECEIPTS_DUE, NULL, NULL, p);
    db_rollback(db);
    return rows;
}

int uscis_statuses_take_quota(struct db *db, const char *day, int64_t quota, struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:I}", "day", day, "quota", (json_int_t)quota);
    int rc = -1;

    if (db_begin_write(db, p) == 0) {
        if (db_exec_json(db, SQL_USCIS_QUOTA_TAKE, binds, p) == 0) {
            int taken = db_changes(db) == 1;

            if (db_commit(db, p) == 0)
                rc = taken;
        }
        if (rc < 0)
            db_rollback(db);
    }
    json_decref(binds);
    return rc;
}

/* Note the receipt's last check (inside the caller's write transaction). */
static int note_check(struct db *db, const char *receipt, const char *outcome, const char *error,
                      const struct op_context *ctx, struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:s, s:s, s:s?}", "receipt_number", receipt, "now", ctx->now,
                              "outcome", outcome, "error", error);
    int rc = db_exec_json(db, SQL_USCIS_CHECK_PUT, binds, p);

    json_decref(binds);
    return rc;
}

/* True when text a and b (either NULL) differ. */
static int differs(const char *a, const char *b)
{
    return (a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0);
}

/* Whether `status` is a change from the last one kept for the receipt (1), or the same (0);
 * -1 with *p set. Inside the caller's transaction. */
static int is_change(struct db *db, const char *receipt, const struct uscis_case_status *status,
                     struct problem *p)
{
    json_t *binds = json_pack("{s:s}", "receipt_number", receipt);
    json_t *rows = db_rows(db, SQL_USCIS_LATEST_OF_RECEIPT, binds, NULL, p), *last;
    int rc;

    json_decref(binds);
    if (rows == NULL)
        return -1;
    last = json_array_get(rows, 0);
    rc = last == NULL ||
         differs(json_string_value(json_object_get(last, "status_text_en")), status->text_en) ||
         differs(json_string_value(json_object_get(last, "status_desc_en")), status->desc_en) ||
         differs(json_string_value(json_object_get(last, "uscis_date")), status->uscis_date);
    json_decref(rows);
    return rc;
}

json_t *uscis_statuses_row(db_stmt *stmt, const void *arg, struct problem *p)
{
    (void)arg, (void)p;
    return db_row_to_json(stmt, NULL, NULL);
}

json_t *uscis_statuses_read(struct db *db, int64_t request_id, int64_t id, struct problem *p)
{
    json_t *binds =
        json_pack("{s:I, s:I}", "id", (json_int_t)id, "parent_id", (json_int_t)request_id);
    json_t *rows = db_rows(db, SQL_USCIS_STATUS_GET, binds, NULL, p), *row = NULL;

    json_decref(binds);
    if (rows != NULL && json_array_size(rows) == 1)
        row = json_incref(json_array_get(rows, 0));
    else if (rows != NULL)
        problem_set(p, PROBLEM_NOT_FOUND, "parole request %lld has no USCIS status %lld",
                    (long long)request_id, (long long)id);
    json_decref(rows);
    return row;
}

/* A new status's state while it is written (write_call.arg). */
struct new_status {
    int64_t request_id;
    const char *receipt;
    const struct uscis_case_status *status;
};

/* Read the new status (write_kind.read). */
static json_t *status_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    const struct new_status *n = w->arg;

    return uscis_statuses_read(db, n->request_id, w->id, p);
}

/* Insert the status with the event it proposes (write_kind.write of a create). */
static int status_insert(struct db *db, struct write_call *w, const json_t *before,
                         struct problem *p)
{
    const struct new_status *n = w->arg;
    const struct uscis_case_status *s = n->status;
    char proposes[32] = "";
    json_t *binds = json_pack(
        "{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s}", "parole_request_id",
        (json_int_t)n->request_id, "receipt_number", n->receipt, "form_type", s->form_type,
        "status_text_en", s->text_en, "status_desc_en", s->desc_en, "status_text_es", s->text_es,
        "status_desc_es", s->desc_es, "uscis_date", s->uscis_date, "now", w->ctx->now);
    int rc = -1;

    (void)before;
    if (db_scalar_text(db, SQL_USCIS_PROPOSAL_OF, binds, proposes, sizeof(proposes), p) != 0)
        goto out;
    json_object_set_new(binds, "proposes", proposes[0] ? json_string(proposes) : json_null());
    if (db_exec_json(db, SQL_USCIS_STATUS_INSERT, binds, p) != 0)
        goto out;
    w->id = db_last_insert_id(db);
    rc = 0;
out:
    json_decref(binds);
    return rc;
}

/* Announce the new status to webhook endpoints (write_kind.after_write): the summary carries
 * the status title and what it proposes; the detail adds the receipt and descriptions. */
static int status_announce(struct db *db, struct write_call *w, const json_t *before,
                           struct problem *p)
{
    const struct new_status *n = w->arg;
    json_t *row = uscis_statuses_read(db, n->request_id, w->id, p), *summary, *detail;
    char key[64];
    int rc;

    (void)before;
    if (row == NULL)
        return -1;
    summary = json_pack(
        "{s:I, s:I, s:O, s:O, s:O, s:O}", "id", (json_int_t)w->id, "parole_request_id",
        (json_int_t)n->request_id, "status_text_en", json_object_get(row, "status_text_en"),
        "uscis_date", json_object_get(row, "uscis_date"), "proposes",
        json_object_get(row, "proposes"), "fetched_at", json_object_get(row, "fetched_at"));
    detail = json_deep_copy(summary);
    json_object_set(detail, "record", row);
    snprintf(key, sizeof(key), "parole_request:%lld", (long long)n->request_id);
    rc = webhook_outbox_append(db, "uscis_status.changed", key, summary, detail, w->ctx, p);
    json_decref(summary);
    json_decref(detail);
    json_decref(row);
    return rc;
}

static const char *const status_audited[] = {"receipt_number", "status_text_en", "uscis_date",
                                             "proposes",       "proposal_state", NULL};

static const struct write_kind status_create_kind = {
    .entity = "uscis_statuses",
    .noun = "USCIS status",
    .read = status_write_read,
    .write = status_insert,
    .after_write = status_announce,
    .audited = status_audited,
};

int uscis_statuses_record(struct db *db, int64_t request_id, const char *receipt,
                          const struct uscis_case_status *status, const char *error,
                          const struct op_context *ctx, struct problem *p)
{
    struct new_status n = {.request_id = request_id, .receipt = receipt, .status = status};
    struct write_call w = {.kind = &status_create_kind,
                           .mode = WRITE_CREATE,
                           .action = "create",
                           .request_id = request_id,
                           .ctx = ctx,
                           .arg = &n};
    int outcome = USCIS_CHECK_FAILED, change = 0;
    json_t *made;

    if (db_begin_write(db, p) != 0)
        return -1;
    if (status != NULL) {
        change = is_change(db, receipt, status, p);
        if (change < 0)
            goto fail;
        outcome = change ? USCIS_CHECK_CHANGED : USCIS_CHECK_UNCHANGED;
    }
    if (note_check(db, receipt,
                   outcome == USCIS_CHECK_CHANGED     ? "changed"
                   : outcome == USCIS_CHECK_UNCHANGED ? "unchanged"
                                                      : "failed",
                   status ? NULL : error, ctx, p) != 0)
        goto fail;
    if (change) {
        /* inside this transaction: the write path runs it in a savepoint of its own */
        made = write_run(db, &w, p);
        if (made == NULL)
            goto fail;
        json_decref(made);
    }
    if (db_commit(db, p) != 0)
        goto fail;
    return outcome;
fail:
    db_rollback(db);
    return -1;
}

static const char *const proposal_states[] = {"open", "confirmed", "dismissed", NULL};
static const struct field_spec proposal_fields[] = {
    {.name = "proposal_state",
     .type = FIELD_ENUM,
     .flags = FIELD_REQUIRED,
     .choices = proposal_states},
};
static const char *const proposal_read_only[] = {"id",
                                                 "parole_request_id",
                                                 "receipt_number",
                                                 "form_type",
                                                 "status_text_en",
                                                 "status_desc_en",
                                                 "status_text_es",
                                                 "status_desc_es",
                                                 "uscis_date",
                                                 "fetched_at",
                                                 "proposes",
                                                 "updated_at",
                                                 "version",
                                                 NULL};
static const struct field_table proposal_table = {proposal_fields, 1, proposal_read_only};
static const char *const proposal_audited[] = {"proposal_state", NULL};

/* The status a proposal change reads (write_kind.read). */
static json_t *proposal_read(struct db *db, struct write_call *w, struct problem *p)
{
    return uscis_statuses_read(db, w->request_id, w->id, p);
}

/* Check and store the proposal's state (write_kind.write). */
static int proposal_write(struct db *db, struct write_call *w, const json_t *before,
                          struct problem *p)
{
    json_t *record = fields_check_patch(&proposal_table, before, w->input, w->ctx->today, p);
    int rc = -1;

    if (record == NULL)
        return -1;
    if (json_is_null(json_object_get(before, "proposes")))
        problem_add_field(p, "proposal_state",
                          "this status proposes no event, so there is nothing to confirm or "
                          "dismiss");
    if (problem_finish_checks(p) == 0) {
        json_object_set_new(record, "id", json_integer(w->id));
        json_object_set_new(record, "now", json_string(w->ctx->now));
        json_object_set(record, "version", json_object_get(before, "version"));
        rc = db_exec_json(db, SQL_USCIS_STATUS_SET_PROPOSAL, record, p);
    }
    json_decref(record);
    return rc;
}

static const struct write_kind proposal_kind = {
    .entity = "uscis_statuses",
    .noun = "USCIS status",
    .read = proposal_read,
    .write = proposal_write,
    .audited = proposal_audited,
};

json_t *uscis_statuses_patch(struct db *db, int64_t request_id, int64_t id, const json_t *patch,
                             const struct if_match *if_match, const struct op_context *ctx,
                             struct problem *p)
{
    struct write_call w = {.kind = &proposal_kind,
                           .mode = WRITE_UPDATE,
                           .action = "update",
                           .id = id,
                           .request_id = request_id,
                           .input = patch,
                           .if_match = if_match,
                           .ctx = ctx};

    if (!json_is_object(patch)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "a USCIS status change must be a JSON object");
        return NULL;
    }
    return write_run(db, &w, p);
}

json_t *uscis_statuses_to_remind(struct db *db, struct problem *p)
{
    json_t *rows;

    if (db_begin_read(db, p) != 0)
        return NULL;
    rows = db_rows(db, SQL_USCIS_TO_REMIND, NULL, NULL, p);
    db_rollback(db);
    return rows;
}

int uscis_statuses_mark_reminded(struct db *db, int64_t last_id, const struct op_context *ctx,
                                 struct problem *p)
{
    json_t *binds = json_pack("{s:I, s:s}", "id", (json_int_t)last_id, "now", ctx->now);
    int rc = db_exec_alone(db, SQL_USCIS_REMINDED, binds, p);

    json_decref(binds);
    return rc;
}

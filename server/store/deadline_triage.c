/* deadline_triage: marking a deadline handled, snoozing and assigning it (see
 * deadline_triage.h). */
#include "deadline_triage.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "dates.h"
#include "deadline_ledger.h"
#include "fields.h"
#include "role.h"
#include "text_buffer.h"

/* A deadline_ledger_row_fn: the one row, as the API's JSON text. */
static void row_text(const struct deadline_row *row, void *arg)
{
    deadline_ledger_row_json(row, arg);
}

json_t *deadline_triage_read(struct db *db, const char *deadline_id, const struct op_context *ctx,
                             struct problem *p)
{
    struct deadline_query q = {.deadline_id = deadline_id, .limit = 1};
    struct text_buffer text = {0};
    json_t *deadline = NULL;

    if (deadline_ledger_each(db, &q, ctx, row_text, &text, p) != 0)
        goto out;
    if (text.failed) {
        problem_set(p, PROBLEM_INTERNAL, "out of memory reading a deadline");
        goto out;
    }
    if (text.len == 0) {
        problem_set(p, PROBLEM_NOT_FOUND, "no deadline has this id");
        goto out;
    }
    deadline = json_loadb(text.data, text.len, 0, NULL);
    if (deadline == NULL)
        problem_set(p, PROBLEM_INTERNAL, "a deadline's JSON did not read back");
out:
    text_buffer_free(&text);
    return deadline;
}

/* What a person may change about a deadline; every other member is read-only. */
static const struct field_spec triage_fields[] = {
    {.name = "handled_reason", .type = FIELD_TEXT, .max_chars = DEADLINE_TRIAGE_REASON_MAX},
    {.name = "snoozed_until", .type = FIELD_DATE},
    {.name = "assignee_id", .type = FIELD_INT, .min = 1, .max = INT64_MAX},
};
static const char *const triage_read_only[] = {"id",
                                               "kind",
                                               "due_on",
                                               "due_at",
                                               "opens_on",
                                               "status",
                                               "parole_request_id",
                                               "client_id",
                                               "source",
                                               "rule",
                                               "title",
                                               "program_code",
                                               "moot_decision_id",
                                               "basis",
                                               "premature",
                                               "triage",
                                               "handled_by",
                                               "handled_at",
                                               "version",
                                               NULL};
static const struct field_table triage_table = {
    triage_fields, sizeof(triage_fields) / sizeof(triage_fields[0]), triage_read_only};
static const char *const triage_audited[] = {"handled_reason", "snoozed_until", "assignee_id",
                                             "triage", NULL};
static const char *const triage_redacted[] = {"handled_reason", NULL};

/* The deadline a write reads before and after the change (write_kind.read); the request it
 * belongs to becomes the change's, so the event joins that request's history. */
static json_t *triage_write_read(struct db *db, struct write_call *w, struct problem *p)
{
    json_t *deadline = deadline_triage_read(db, w->arg, w->ctx, p);

    if (deadline != NULL)
        w->request_id = json_integer_value(json_object_get(deadline, "parole_request_id"));
    return deadline;
}

/* Whether the caller is an admin (or the command line or the system, which act for one): 1
 * or 0, or -1 with *p set when the role could not be read. */
static int caller_is_admin(struct db *db, const struct op_context *ctx, struct problem *p)
{
    char role[32] = "";
    json_t *binds;
    int rc;

    if (ctx->actor.type == ACTOR_CLI || ctx->actor.type == ACTOR_SYSTEM)
        return 1;
    if (ctx->actor.type != ACTOR_USER)
        return 0;
    binds = json_pack("{s:I}", "id", (json_int_t)ctx->actor.id);
    rc = db_scalar_text(db, SQL_USER_ROLE, binds, role, sizeof(role), p);
    json_decref(binds);
    return rc != 0 ? -1 : role_parse(role) == ROLE_ADMIN;
}

/* Field errors of the checked record against the deadline as it was: a reason with some text
 * in it, reopening by an admin only (403), a snooze to a later day within the limit, an
 * assignee who is an active user that may write. Returns 0, or -1 with a 403 in *p. */
static int check_triage(struct db *db, const json_t *patch, const json_t *record,
                        const json_t *before, const struct op_context *ctx, struct problem *p)
{
    int admin;

    const char *reason = json_string_value(json_object_get(record, "handled_reason"));
    const char *snooze = json_string_value(json_object_get(record, "snoozed_until"));
    json_t *assignee = json_object_get(record, "assignee_id");

    if (reason != NULL && reason[strspn(reason, " \t\r\n")] == '\0')
        problem_add_field(p, "handled_reason", "say what was done, or why nothing more is needed");
    /* reopening: the patch sends null (not a reason the checks refused) over a handled one */
    if (json_is_null(json_object_get(patch, "handled_reason")) &&
        json_is_string(json_object_get(before, "handled_reason"))) {
        admin = caller_is_admin(db, ctx, p);
        if (admin < 0)
            return -1;
        if (!admin)
            return problem_set(p, PROBLEM_FORBIDDEN,
                               "only an admin may reopen a deadline someone marked handled");
    }
    if (snooze != NULL && !json_equal(json_object_get(record, "snoozed_until"),
                                      json_object_get(before, "snoozed_until"))) {
        struct civil_date today, until;

        if (dates_parse(ctx->today, &today) == 0 && dates_parse(snooze, &until) == 0 &&
            (dates_to_days(until) - dates_to_days(today) < 1 ||
             dates_to_days(until) - dates_to_days(today) > DEADLINE_TRIAGE_SNOOZE_MAX_DAYS))
            problem_add_field(p, "snoozed_until",
                              "must be a day after today and at most a year ahead");
    }
    if (json_is_integer(assignee) &&
        !json_equal(assignee, json_object_get(before, "assignee_id"))) {
        char role[32] = "";
        json_t *binds = json_pack("{s:O}", "id", assignee);
        int rc = db_scalar_text(db, SQL_USER_ROLE, binds, role, sizeof(role), p);

        json_decref(binds);
        if (rc != 0)
            return -1;
        if (!role[0])
            problem_add_field(p, "assignee_id", "no active user has this id");
        else if (!role_may_write(role_parse(role)))
            problem_add_field(p, "assignee_id", "this user's role cannot take this assignment");
    }
    return 0;
}

/* The triage row of w->arg, made when the deadline had none: its id and nonce. Returns 0 or
 * -1 with *p set. */
static int triage_row(struct db *db, struct write_call *w, char nonce[CRYPTO_ROW_NONCE_LEN + 1],
                      struct problem *p)
{
    json_t *binds;
    db_stmt *stmt;
    int rc = -1;

    crypto_row_nonce(nonce);
    binds = json_pack("{s:s, s:s, s:s}", "deadline_id", (const char *)w->arg, "row_nonce", nonce,
                      "now", w->ctx->now);
    if (db_exec_json(db, SQL_TRIAGE_ENSURE, binds, p) != 0)
        goto out;
    stmt = db_prepare(db, SQL_TRIAGE_ROW, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW) {
        w->id = db_row_int(stmt, "id");
        snprintf(nonce, CRYPTO_ROW_NONCE_LEN + 1, "%s", db_row_text(stmt, "row_nonce"));
        rc = 0;
    } else if (p->kind == PROBLEM_NONE) {
        problem_set(p, PROBLEM_INTERNAL, "triage_row: %s", db_errmsg(db));
    }
    db_finish(stmt);
out:
    json_decref(binds);
    return rc;
}

/* Check the merge patch against the deadline as it is and store the decision
 * (write_kind.write): the reason sealed, who marked it handled and when (kept while the reason
 * stays the same). */
static int triage_write(struct db *db, struct write_call *w, const json_t *before,
                        struct problem *p)
{
    json_t *current =
        json_pack("{s:O, s:O, s:O}", "handled_reason", json_object_get(before, "handled_reason"),
                  "snoozed_until", json_object_get(before, "snoozed_until"), "assignee_id",
                  json_object_get(before, "assignee_id"));
    json_t *record = fields_check_patch(&triage_table, current, w->input, w->ctx->today, p);
    json_t *binds = NULL;
    char nonce[CRYPTO_ROW_NONCE_LEN + 1], *sealed = NULL;
    const char *reason;
    int rc = -1;

    json_decref(current);
    if (record == NULL || check_triage(db, w->input, record, before, w->ctx, p) != 0 ||
        problem_finish_checks(p) != 0 || triage_row(db, w, nonce, p) != 0)
        goto out;
    reason = json_string_value(json_object_get(record, "handled_reason"));
    binds = json_pack("{s:I, s:I, s:s, s:O, s:O, s:b, s:O}", "id", (json_int_t)w->id, "version",
                      json_integer_value(json_object_get(before, "version")), "now", w->ctx->now,
                      "snoozed_until", json_object_get(record, "snoozed_until"), "assignee_id",
                      json_object_get(record, "assignee_id"), "keep_handled",
                      /* a patch without a reason leaves the mark as stored (even one whose seal
                       * did not open, or one made for an earlier due date) */
                      json_object_get(w->input, "handled_reason") == NULL, "handled_due_on",
                      json_object_get(before, "due_on"));
    if (reason == NULL) {
        json_object_set_new(binds, "handled_reason", json_null());
        json_object_set_new(binds, "handled_by", json_null());
        json_object_set_new(binds, "handled_at", json_null());
    } else {
        int same = json_equal(json_object_get(record, "handled_reason"),
                              json_object_get(before, "handled_reason"));

        sealed = crypto_field_encrypt(DEADLINE_TRIAGE_TABLE, DEADLINE_TRIAGE_REASON, w->id, nonce,
                                      reason);
        if (sealed == NULL) {
            problem_set(p, PROBLEM_INTERNAL, "sealing a handled reason failed");
            goto out;
        }
        json_object_set_new(binds, "handled_reason", json_string(sealed));
        /* a person marks it; an API key or the command line leaves no user */
        json_object_set_new(binds, "handled_by",
                            same ? json_incref(json_object_get(before, "handled_by"))
                            : w->ctx->actor.type == ACTOR_USER
                                ? json_integer((json_int_t)w->ctx->actor.id)
                                : json_null());
        json_object_set_new(binds, "handled_at",
                            same ? json_incref(json_object_get(before, "handled_at"))
                                 : json_string(w->ctx->now));
    }
    if (db_exec_json(db, SQL_TRIAGE_UPDATE, binds, p) != 0)
        goto out;
    if (db_changes(db) != 1) {
        problem_set(p, PROBLEM_PRECONDITION_FAILED, "the deadline changed meanwhile: reload it");
        goto out;
    }
    rc = 0;
out:
    free(sealed);
    json_decref(binds);
    json_decref(record);
    return rc;
}

/* The audit event's changes (write_kind.changes): the fields that changed, the reason redacted,
 * and always the deadline's id and due date (the event's entity_id is the triage row's, which
 * the API never shows). */
static json_t *triage_changes(const struct write_call *w, const json_t *before, const json_t *after)
{
    json_t *changes = audit_changes(before, after, triage_audited, triage_redacted);

    (void)w;
    if (changes != NULL && after != NULL) {
        json_object_set_new(changes, "deadline",
                            json_pack("{s:O, s:O}", "before", json_object_get(after, "id"), "after",
                                      json_object_get(after, "id")));
        json_object_set_new(changes, "due_on",
                            json_pack("{s:O, s:O}", "before", json_object_get(after, "due_on"),
                                      "after", json_object_get(after, "due_on")));
    }
    return changes;
}

static const struct write_kind triage_kind = {
    .entity = "deadlines",
    .noun = "deadline",
    .read = triage_write_read,
    .write = triage_write,
    .changes = triage_changes,
    .ledger = WRITE_LEDGER_NONE,
};

json_t *deadline_triage_patch(struct db *db, const char *deadline_id, const json_t *patch,
                              const struct if_match *if_match, const struct op_context *ctx,
                              struct problem *p)
{
    return write_patch(db, &triage_kind, 0, patch, if_match, ctx, (void *)deadline_id, p);
}

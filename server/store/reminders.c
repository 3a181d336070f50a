/* reminders: the reminders due on a day, per channel, and the delivery ledger (see
 * reminders.h). Store layer: reads the stored deadlines, the reminder ledger and the recipients
 * through db in one query (SQL_REMIND_DUE) into reminders whose texts live in an arena of the
 * run; uses dates, context, crypto (the message id), text_buffer and problem. No sending, no
 * printing, no HTTP. */
#include "reminders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dates.h"
#include "rule_store.h"
#include "sql.h"
#include "text_buffer.h"

/* Append a copy of r to batch, growing it by doubling (left as it was when memory runs out). */
static void batch_add(struct reminder_batch *batch, const struct reminder *r)
{
    if (batch->count == batch->capacity) {
        size_t capacity = batch->capacity ? batch->capacity * 2 : 64;
        struct reminder *grown = realloc(batch->items, capacity * sizeof(*grown));

        if (grown == NULL)
            return;
        batch->items = grown;
        batch->capacity = capacity;
    }
    batch->items[batch->count++] = *r;
}

/* Free what a batch owns and empty it. */
static void batch_free(struct reminder_batch *batch)
{
    free(batch->recipient);
    free(batch->items);
    memset(batch, 0, sizeof(*batch));
}

/* Append email to the array of addresses unless it is already there. */
static void add_address(json_t *addresses, const char *email)
{
    json_t *e;
    size_t i;

    if (email == NULL || email[0] == '\0')
        return;
    json_array_foreach(addresses, i, e)
    {
        if (strcmp(json_string_value(e), email) == 0)
            return;
    }
    json_array_append_new(addresses, json_string(email));
}

/* The recipients of a reminder: the request's assigned attorney and paralegal (enabled accounts),
 * else the firm's address; an overdue one also goes to every admin (admins: their addresses).
 * Returns a new array of e-mail strings. */
static json_t *recipients_of(const struct reminder *r, const char *firm, const json_t *admins)
{
    json_t *out = json_array(), *e;
    size_t i;

    add_address(out, r->attorney_email);
    add_address(out, r->paralegal_email);
    if (json_array_size(out) == 0)
        add_address(out, firm);
    if (r->lead == REMINDERS_OVERDUE)
        json_array_foreach(admins, i, e) add_address(out, json_string_value(e));
    return out;
}

/* The addresses of the enabled admins, in order; a new array (empty when the look-up fails,
 * with *p set). */
static json_t *admin_addresses(struct db *db, struct problem *p)
{
    json_t *out = json_array();
    db_stmt *stmt = db_prepare(db, SQL_REMIND_ADMINS, p);

    while (stmt != NULL && db_step(stmt) == DB_ROW)
        json_array_append_new(out, json_string(db_row_text(stmt, "email")));
    db_finish(stmt);
    return out;
}

/* The ledger binds of a reminder on a channel for a recipient; a new object. */
static json_t *ledger_binds(const struct reminder *r, const char *channel, const char *recipient)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:s}", "deadline_id", r->deadline_id, "due_on",
                     r->due_on, "lead_time", r->lead, "channel", channel, "recipient", recipient);
}

/* True when the ledger has this reminder as sent (a failed look-up sets *p and counts as not). */
static int already_sent(struct db *db, const struct reminder *r, const char *channel,
                        const char *recipient, struct problem *p)
{
    json_t *binds = ledger_binds(r, channel, recipient);
    char status[16];
    int rc = db_scalar_text(db, SQL_LEDGER_STATUS, binds, status, sizeof(status), p);

    json_decref(binds);
    return rc == 0 && strcmp(status, "sent") == 0;
}

/* One e-mail batch per recipient of the due reminders, in the order recipients first appear,
 * each with the reminders that recipient has not been sent; recipients with none are left out. */
static void collect_emails(struct db *db, const char *firm, struct reminders *out,
                           struct problem *p)
{
    json_t *by_recipient = json_object(), *indexes, *admins = admin_addresses(db, p);
    const char *to;
    size_t i;

    for (i = 0; i < out->due.count; i++) {
        json_t *recipients = recipients_of(&out->due.items[i], firm, admins), *e;
        size_t j;

        json_array_foreach(recipients, j, e)
        {
            json_t *mine = json_object_get(by_recipient, json_string_value(e));

            if (mine == NULL) {
                mine = json_array();
                json_object_set_new(by_recipient, json_string_value(e), mine);
            }
            json_array_append_new(mine, json_integer((json_int_t)i));
        }
        json_decref(recipients);
    }
    json_decref(admins);
    out->emails = calloc(json_object_size(by_recipient) + 1, sizeof(*out->emails));
    json_object_foreach(by_recipient, to, indexes)
    {
        struct reminder_batch batch = {0};
        json_t *ix;
        size_t j;

        json_array_foreach(indexes, j, ix)
        {
            const struct reminder *r = &out->due.items[json_integer_value(ix)];

            if (!already_sent(db, r, "email", to, p))
                batch_add(&batch, r);
        }
        if (batch.count > 0 && out->emails != NULL) {
            batch.recipient = strdup(to);
            out->emails[out->email_count++] = batch;
        } else
            batch_free(&batch);
    }
    json_decref(by_recipient);
}

/* A block of the run's text arena: the reminders' texts are copied in and never move. */
struct reminder_text_block {
    struct reminder_text_block *next;
    size_t used, size;
    char data[];
};

/* A copy of text (NULL stays NULL) in the run's arena; NULL when out of memory, with
 * out->failed set. */
static const char *keep_text(struct reminders *out, const char *text)
{
    struct reminder_text_block *block = out->texts;
    size_t n;

    if (text == NULL)
        return NULL;
    n = strlen(text) + 1;
    if (block == NULL || block->size - block->used < n) {
        size_t size = n > 65536 ? n : 65536;

        block = malloc(sizeof(*block) + size);
        if (block == NULL) {
            out->failed = 1;
            return NULL;
        }
        block->next = out->texts, block->used = 0, block->size = size;
        out->texts = block;
    }
    memcpy(block->data + block->used, text, n);
    block->used += n;
    return block->data + block->used - n;
}

/* A text column of the current row kept in the run's arena (NULL for NULL or ''). */
static const char *kept_column(struct reminders *out, db_stmt *stmt, const char *column)
{
    const char *text = db_row_text(stmt, column);

    return keep_text(out, text != NULL && text[0] ? text : NULL);
}

/* Read every reminder due on ctx->today (SQL_REMIND_DUE: the lead time crossed and whether the
 * digest and the webhook already carry it are worked out in the query) into out: the deadlines,
 * the due batch, the standard-output batch and, when options ask, the webhook batch. Returns 0,
 * or -1 with *p set. */
static int select_due(struct db *db, const struct op_context *ctx,
                      const struct reminders_options *options, struct reminders *out,
                      struct problem *p)
{
    struct civil_date today;
    char horizon[DATE_LEN];
    enum db_step step = DB_ERROR;
    json_t *binds;
    db_stmt *stmt;

    /* Nothing is reminded of earlier than the longest lead time a rule may have. */
    if (dates_parse(ctx->today, &today) != 0) {
        problem_set(p, PROBLEM_INTERNAL, "not a date: %s", ctx->today);
        return -1;
    }
    dates_format(dates_add_days(today, RULE_MAX_LEAD_DAYS), horizon);
    binds = json_pack("{s:s, s:s, s:s}", "today", ctx->today, "now", ctx->now, "horizon", horizon);
    stmt = db_prepare(db, SQL_REMIND_DUE, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW) {
            int print = options->dry_run || !db_row_int(stmt, "printed_before"),
                post = options->webhook && !db_row_int(stmt, "posted_before");
            struct reminder r = {.lead = (int)db_row_int(stmt, "lead"),
                                 .days_left = db_row_int(stmt, "days_left")};

            /* A nightly run reads every due reminder but keeps only those a channel still
             * needs (e-mail decides per recipient, later). */
            if (!print && !post && !options->email)
                continue;
            r.deadline_id = kept_column(out, stmt, "deadline_id");
            r.kind = kept_column(out, stmt, "kind");
            r.title = kept_column(out, stmt, "title");
            r.status = kept_column(out, stmt, "status");
            r.due_on = kept_column(out, stmt, "due_on");
            r.due_at = kept_column(out, stmt, "due_at");
            r.rule_code = kept_column(out, stmt, "rule_code");
            r.citation_source = kept_column(out, stmt, "citation_source");
            r.citation_date = kept_column(out, stmt, "citation_date");
            r.parole_request_id = db_row_int(stmt, "parole_request_id");
            r.client_id = db_row_int(stmt, "client_id");
            r.rule_id = db_row_int(stmt, "rule_id");
            if (options->email) {
                r.attorney_email = kept_column(out, stmt, "attorney_email");
                r.paralegal_email = kept_column(out, stmt, "paralegal_email");
            }
            if (out->failed)
                break;
            batch_add(&out->due, &r);
            if (print)
                batch_add(&out->printed, &r);
            if (post)
                batch_add(&out->webhooks, &r);
        }
    db_finish(stmt);
    json_decref(binds);
    if (out->failed)
        return problem_set(p, PROBLEM_INTERNAL, "out of memory selecting the reminders");
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(SQL_REMIND_DUE), db_errmsg(db));
        return -1;
    }
    return 0;
}

int reminders_collect(struct db *db, const struct op_context *ctx,
                      const struct reminders_options *options, struct reminders *out,
                      struct problem *p)
{
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (db_begin_read(db, p) != 0)
        return -1;
    if (select_due(db, ctx, options, out, p) != 0)
        goto out;
    if (options->email)
        collect_emails(db, options->firm_email, out, p);
    rc = 0;
out:
    db_rollback(db);
    return rc;
}

void reminders_free(struct reminders *r)
{
    for (size_t i = 0; i < r->email_count; i++)
        batch_free(&r->emails[i]);
    free(r->emails);
    batch_free(&r->due);
    batch_free(&r->printed);
    batch_free(&r->webhooks);
    while (r->texts != NULL) {
        struct reminder_text_block *next = r->texts->next;

        free(r->texts);
        r->texts = next;
    }
    memset(r, 0, sizeof(*r));
}

const char *reminders_urgency(const struct reminder *r)
{
    if (r->lead == REMINDERS_OVERDUE)
        return "OVERDUE";
    if (r->days_left == 0)
        return "DUE TODAY";
    if (r->days_left <= 7)
        return "THIS WEEK";
    return "COMING UP";
}

char *reminders_digest_text(const struct reminder_batch *batch, const char *base_url)
{
    static const char *const order[] = {"OVERDUE", "DUE TODAY", "THIS WEEK", "COMING UP"};
    struct text_buffer text = {0};

    text_buffer_add(&text, "", 0);
    for (size_t g = 0; g < 4; g++) {
        int heading = 0;

        for (size_t i = 0; i < batch->count; i++) {
            const struct reminder *r = &batch->items[i];
            char line[1024];
            int n;

            if (strcmp(reminders_urgency(r), order[g]) != 0)
                continue;
            if (!heading) {
                n = snprintf(line, sizeof(line), "\n%s\n", order[g]);
                heading = 1;
                text_buffer_add(&text, line, (size_t)n);
            }
            /* the case reference: the request, or the client who has none yet (CL-) */
            n = snprintf(line, sizeof(line),
                         "  %s-%lld  %s  due %s%s%s (%lld day(s) %s)\n"
                         "    rule %s: %s (%s)\n"
                         "    %s/%s/%lld\n",
                         r->parole_request_id ? "PR" : "CL",
                         (long long)(r->parole_request_id ? r->parole_request_id : r->client_id),
                         r->title, r->due_on, r->due_at ? " at " : "", r->due_at ? r->due_at : "",
                         (long long)(r->days_left < 0 ? -r->days_left : r->days_left),
                         r->days_left < 0 ? "late" : "left", r->rule_code,
                         r->citation_source ? r->citation_source : "(null)",
                         r->citation_date ? r->citation_date : "(null)",
                         base_url ? base_url : "http://127.0.0.1:8080",
                         r->parole_request_id ? "parole-requests" : "clients",
                         (long long)(r->parole_request_id ? r->parole_request_id : r->client_id));
            if (n > 0)
                text_buffer_add_string(&text, line);
        }
    }
    if (text.failed) {
        text_buffer_free(&text);
        return NULL;
    }
    return text.data;
}

/* A JSON string of text, or null when text is NULL; new. */
static json_t *string_or_null(const char *text)
{
    return text != NULL ? json_string(text) : json_null();
}

char *reminders_webhook_body(const struct reminder *r, const char *as_of)
{
    json_t *body = json_pack(
        "{s:s, s:s, s:{s:s, s:s, s:s, s:o, s:s, s:o, s:I, s:{s:I, s:s, s:o, s:o}, s:o, s:s}}",
        "type", "deadline.reminder", "timestamp", as_of, "data", "deadline_id", r->deadline_id,
        "kind", r->kind, "due_on", r->due_on, "due_at", string_or_null(r->due_at), "status",
        r->status, "parole_request_id",
        r->parole_request_id ? json_integer(r->parole_request_id) : json_null(), "client_id",
        (json_int_t)r->client_id, "rule", "id", (json_int_t)r->rule_id, "code", r->rule_code,
        "citation_source", string_or_null(r->citation_source), "citation_date",
        string_or_null(r->citation_date), "lead_time_days",
        r->lead == REMINDERS_OVERDUE ? json_null() : json_integer(r->lead), "urgency",
        reminders_urgency(r));
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);

    json_decref(body);
    return text;
}

void reminders_message_id(const struct reminder *r, char out[REMINDERS_MESSAGE_ID_LEN])
{
    char seed[256], hash[65];

    snprintf(seed, sizeof(seed), "%s|%s|%d", r->deadline_id, r->due_on, r->lead);
    crypto_sha256_hex(seed, strlen(seed), hash);
    snprintf(out, REMINDERS_MESSAGE_ID_LEN, "msg_%.32s", hash);
}

/* Orders reminders by their ledger key's leading column, so a night's thousands of inserts
 * walk the ledger's unique index in order instead of jumping about it. */
static int by_deadline_id(const void *a, const void *b)
{
    const struct reminder *x = *(const struct reminder *const *)a,
                          *y = *(const struct reminder *const *)b;

    return strcmp(x->deadline_id, y->deadline_id);
}

int reminders_record_deliveries(struct db *db, const struct reminder_batch *batch,
                                const char *channel, const char *recipient, const char *error,
                                const char *now, struct problem *p)
{
    const struct reminder **order;
    db_stmt *stmt;
    size_t i = 0;

    if (batch->count == 0)
        return 0;
    order = malloc(batch->count * sizeof(*order));
    if (order == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "out of memory recording the reminders");
    for (i = 0; i < batch->count; i++)
        order[i] = &batch->items[i];
    qsort(order, batch->count, sizeof(*order), by_deadline_id);
    if (db_begin_write(db, p) != 0) {
        free(order);
        return -1;
    }
    /* one statement, the batch's common values bound once and each row's three per row */
    stmt = db_prepare(db, SQL_LEDGER_RECORD, p);
    if (stmt == NULL || db_bind_text(stmt, ":channel", channel, p) != 0 ||
        db_bind_text(stmt, ":recipient", recipient, p) != 0 ||
        db_bind_text(stmt, ":status", error ? "failed" : "sent", p) != 0 ||
        db_bind_text(stmt, ":last_error", error, p) != 0 || db_bind_text(stmt, ":now", now, p) != 0)
        i = 0;
    else
        for (i = 0; i < batch->count; i++)
            if (db_bind_text(stmt, ":deadline_id", order[i]->deadline_id, p) != 0 ||
                db_bind_text(stmt, ":due_on", order[i]->due_on, p) != 0 ||
                db_bind_int(stmt, ":lead_time", order[i]->lead, p) != 0 ||
                db_step_write(db, stmt, p) != 0)
                break;
    db_finish(stmt);
    free(order);
    if (i == batch->count)
        db_commit(db, p);
    db_rollback(db);
    return p->kind == PROBLEM_NONE ? 0 : -1;
}

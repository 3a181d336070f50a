/* reminders: the reminders due on a day, per channel, and the delivery ledger (see
 * reminders.h). Store layer: reads the deadlines and rules through deadline_engine, the ledger
 * and recipients through db; uses dates, context, crypto (the message id) and problem. No
 * sending, no printing, no HTTP. */
#include "reminders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dates.h"
#include "deadline_compute.h"
#include "deadline_engine.h"
#include "deadline_ledger.h"
#include "rule_store.h"
#include "text_buffer.h"

/* No lead time crossed: no reminder. */
#define NO_LEAD (-2)

/* Days from `from` to `to` (both YYYY-MM-DD; 0 when one is not a date). */
static int64_t days_between(const char *from, const char *to)
{
    struct civil_date a, b;

    if (dates_parse(from, &a) != 0 || dates_parse(to, &b) != 0)
        return 0;
    return dates_to_days(b) - dates_to_days(a);
}

/* The most urgent lead time a deadline has crossed with days_left to go (REMINDERS_OVERDUE past
 * its date), or NO_LEAD when none: after days without a run only this one goes out, not a burst
 * of stale ones. */
static int crossed_lead(const json_t *lead_times, int64_t days_left)
{
    json_t *l;
    size_t i;
    int best = NO_LEAD;

    if (days_left < 0)
        return REMINDERS_OVERDUE;
    json_array_foreach(lead_times, i, l)
    {
        int64_t lead = json_integer_value(l);

        if (days_left <= lead && (best == NO_LEAD || lead < best))
            best = (int)lead;
    }
    return best;
}

/* The lead times of each rule, by rule id (decimal text); a new object the caller owns. */
static json_t *lead_times_by_rule(const json_t *rules)
{
    json_t *map = json_object(), *rule;
    size_t i;

    json_array_foreach(rules, i, rule)
    {
        char key[24];

        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(rule, "id")));
        json_object_set(map, key, json_object_get(rule, "lead_times"));
    }
    return map;
}

/* Append a copy of r to batch (left as it was when memory runs out). */
static void batch_add(struct reminder_batch *batch, const struct reminder *r)
{
    struct reminder *grown = realloc(batch->items, (batch->count + 1) * sizeof(*grown));

    if (grown == NULL)
        return;
    grown[batch->count++] = *r;
    batch->items = grown;
}

/* Free what a batch owns and empty it. */
static void batch_free(struct reminder_batch *batch)
{
    free(batch->recipient);
    free(batch->items);
    memset(batch, 0, sizeof(*batch));
}

/* The recipients of a reminder: the request's assigned attorney and paralegal, else the firm's
 * address; an overdue one also goes to every admin. Returns a new array of e-mail strings. */
static json_t *recipients_of(struct db *db, const struct reminder *r, const char *firm,
                             struct problem *p)
{
    json_t *out = json_array(),
           *binds = json_pack("{s:O}", "id", json_object_get(r->deadline, "parole_request_id"));
    db_stmt *stmt = db_prepare(db, SQL_REMIND_ASSIGNEES, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while (db_step(stmt) == DB_ROW)
            json_array_append_new(out, json_string(db_row_text(stmt, "email")));
    db_finish(stmt);
    json_decref(binds);
    if (json_array_size(out) == 0 && firm != NULL && firm[0])
        json_array_append_new(out, json_string(firm));
    if (r->lead == REMINDERS_OVERDUE) {
        stmt = db_prepare(db, SQL_REMIND_ADMINS, p);
        while (stmt != NULL && db_step(stmt) == DB_ROW) {
            const char *email = db_row_text(stmt, "email");
            json_t *e;
            size_t i;
            int seen = 0;

            json_array_foreach(out, i, e)
            {
                seen |= strcmp(json_string_value(e), email) == 0;
            }
            if (!seen)
                json_array_append_new(out, json_string(email));
        }
        db_finish(stmt);
    }
    return out;
}

/* The ledger binds of a reminder on a channel for a recipient; a new object. */
static json_t *ledger_binds(const struct reminder *r, const char *channel, const char *recipient)
{
    return json_pack("{s:O, s:O, s:i, s:s, s:s}", "deadline_id", json_object_get(r->deadline, "id"),
                     "due_on", json_object_get(r->deadline, "due_on"), "lead_time", r->lead,
                     "channel", channel, "recipient", recipient);
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

/* The due reminders among deadlines into out->due: each deadline not met that has crossed a
 * lead time of its rule (leads: by rule id), with the most urgent one. */
static void select_due(struct reminders *out, const json_t *leads, const char *today)
{
    json_t *d;
    size_t i;

    json_array_foreach(out->deadlines, i, d)
    {
        struct reminder r = {.deadline = d};
        char key[24];

        if (strcmp(json_string_value(json_object_get(d, "status")), "met") == 0)
            continue;
        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(json_object_get(d, "rule"), "id")));
        r.days_left = days_between(today, json_string_value(json_object_get(d, "due_on")));
        r.lead = crossed_lead(json_object_get(leads, key), r.days_left);
        if (r.lead != NO_LEAD)
            batch_add(&out->due, &r);
    }
}

/* One e-mail batch per recipient of the due reminders, in the order recipients first appear,
 * each with the reminders that recipient has not been sent; recipients with none are left out. */
static void collect_emails(struct db *db, const char *firm, struct reminders *out,
                           struct problem *p)
{
    json_t *by_recipient = json_object(), *indexes;
    const char *to;
    size_t i;

    for (i = 0; i < out->due.count; i++) {
        json_t *recipients = recipients_of(db, &out->due.items[i], firm, p), *e;
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

int reminders_collect(struct db *db, const struct op_context *ctx,
                      const struct reminders_options *options, struct reminders *out,
                      struct problem *p)
{
    json_t *rules = NULL, *leads = NULL, *d;
    size_t i;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (db_begin_read(db, p) != 0)
        return -1;
    rules = deadline_engine_rules(db, p);
    if (rules == NULL)
        goto out;
    {
        /* What is not met and due before the longest lead time a rule may have ends. */
        struct civil_date today;
        char horizon[DATE_LEN];
        struct deadline_query q = {.unmet = 1, .to = horizon, .limit = -1};

        dates_parse(ctx->today, &today);
        dates_format(dates_add_days(today, RULE_MAX_LEAD_DAYS), horizon);
        out->deadlines = deadline_ledger_select(db, &q, ctx, p);
        if (out->deadlines == NULL)
            goto out;
    }
    json_array_foreach(out->deadlines, i, d)
    {
        deadline_compute_api_view(d);
    }
    leads = lead_times_by_rule(rules);
    select_due(out, leads, ctx->today);
    /* Standard output: the digest of what was not printed before (crontab MAILTO). */
    for (i = 0; i < out->due.count; i++)
        if (options->dry_run || !already_sent(db, &out->due.items[i], "stdout", "stdout", p))
            batch_add(&out->printed, &out->due.items[i]);
    if (options->email)
        collect_emails(db, options->firm_email, out, p);
    for (i = 0; options->webhook && i < out->due.count; i++)
        if (!already_sent(db, &out->due.items[i], "webhook", "webhook", p))
            batch_add(&out->webhooks, &out->due.items[i]);
    rc = 0;
out:
    db_rollback(db);
    json_decref(leads);
    json_decref(rules);
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
    json_decref(r->deadlines);
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
            const json_t *d = r->deadline, *rule = json_object_get(d, "rule");
            char line[1024];
            int n;

            if (strcmp(reminders_urgency(r), order[g]) != 0)
                continue;
            if (!heading) {
                n = snprintf(line, sizeof(line), "\n%s\n", order[g]);
                heading = 1;
                text_buffer_add(&text, line, (size_t)n);
            }
            n = snprintf(line, sizeof(line),
                         "  PR-%lld  %s  due %s%s%s (%lld day(s) %s)\n"
                         "    rule %s: %s (%s)\n"
                         "    %s/parole-requests/%lld\n",
                         (long long)json_integer_value(json_object_get(d, "parole_request_id")),
                         json_string_value(json_object_get(d, "title")),
                         json_string_value(json_object_get(d, "due_on")),
                         json_string_value(json_object_get(d, "due_at")) ? " at " : "",
                         json_string_value(json_object_get(d, "due_at"))
                             ? json_string_value(json_object_get(d, "due_at"))
                             : "",
                         (long long)(r->days_left < 0 ? -r->days_left : r->days_left),
                         r->days_left < 0 ? "late" : "left",
                         json_string_value(json_object_get(rule, "code")),
                         json_string_value(json_object_get(rule, "citation_source")),
                         json_string_value(json_object_get(rule, "citation_date")),
                         base_url ? base_url : "http://127.0.0.1:8080",
                         (long long)json_integer_value(json_object_get(d, "parole_request_id")));
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

char *reminders_webhook_body(const struct reminder *r, const char *as_of)
{
    json_t *body = json_pack(
        "{s:s, s:s, s:{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:s}}", "type", "deadline.reminder",
        "timestamp", as_of, "data", "deadline_id", json_object_get(r->deadline, "id"), "kind",
        json_object_get(r->deadline, "kind"), "due_on", json_object_get(r->deadline, "due_on"),
        "due_at", json_object_get(r->deadline, "due_at"), "status",
        json_object_get(r->deadline, "status"), "parole_request_id",
        json_object_get(r->deadline, "parole_request_id"), "rule",
        json_object_get(r->deadline, "rule"), "lead_time_days",
        r->lead == REMINDERS_OVERDUE ? json_null() : json_integer(r->lead), "urgency",
        reminders_urgency(r));
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);

    json_decref(body);
    return text;
}

void reminders_message_id(const struct reminder *r, char out[REMINDERS_MESSAGE_ID_LEN])
{
    char seed[256], hash[65];

    snprintf(seed, sizeof(seed), "%s|%s|%d", json_string_value(json_object_get(r->deadline, "id")),
             json_string_value(json_object_get(r->deadline, "due_on")), r->lead);
    crypto_sha256_hex(seed, strlen(seed), hash);
    snprintf(out, REMINDERS_MESSAGE_ID_LEN, "msg_%.32s", hash);
}

int reminders_record_delivery(struct db *db, const struct reminder *r, const char *channel,
                              const char *recipient, const char *error, const char *now,
                              struct problem *p)
{
    json_t *binds = ledger_binds(r, channel, recipient);

    json_object_set_new(binds, "status", json_string(error ? "failed" : "sent"));
    json_object_set_new(binds, "last_error", error ? json_string(error) : json_null());
    json_object_set_new(binds, "now", json_string(now));
    if (db_begin_write(db, p) == 0) {
        if (db_exec_json(db, SQL_LEDGER_RECORD, binds, p) == 0)
            db_commit(db, p);
        db_rollback(db);
    }
    json_decref(binds);
    return p->kind == PROBLEM_NONE ? 0 : -1;
}

/* remind: which reminders are due, the ledger, and the deliveries. */
#include "remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "crypto.h"
#include "db.h"
#include "deadline_engine.h"
#include "notify.h"

#define OVERDUE (-1)

/* One reminder to deliver. */
struct reminder {
    json_t *deadline; /* borrowed from the computed list */
    int lead;         /* the lead time crossed (days), or OVERDUE */
    int64_t days_left;
};

/* Days from `from` to `to` (both YYYY-MM-DD). */
static int64_t days_between(const char *from, const char *to)
{
    struct civil_date a, b;

    if (dates_parse(from, &a) != 0 || dates_parse(to, &b) != 0)
        return 0;
    return dates_to_days(b) - dates_to_days(a);
}

/* The most urgent lead time a deadline has crossed on as_of (OVERDUE past its date), or -2 when
 * none: after days without a run only this one goes out, not a burst of stale ones. */
static int crossed_lead(const json_t *lead_times, int64_t days_left)
{
    json_t *l;
    size_t i;
    int best = -2;

    if (days_left < 0)
        return OVERDUE;
    json_array_foreach(lead_times, i, l)
    {
        int64_t lead = json_integer_value(l);

        if (days_left <= lead && (best == -2 || lead < best))
            best = (int)lead;
    }
    return best;
}

/* The lead times of each rule by id. */
static json_t *rule_lead_times(struct db *db, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_RULES_ALL, p);
    json_t *map = json_object();
    static const char *const json_columns[] = {"lead_times", NULL};

    if (stmt == NULL)
        return map;
    while (db_step(stmt) == DB_ROW) {
        json_t *row = db_row_to_json(stmt, NULL, json_columns);
        char key[24];

        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(row, "id")));
        json_object_set(map, key, json_object_get(row, "lead_times"));
        json_decref(row);
    }
    db_finish(stmt);
    return map;
}

/* The recipients of a reminder: the request's assigned attorney and paralegal, else the firm's
 * address; an overdue one also goes to every admin. Returns a new array of e-mail strings. */
static json_t *recipients_of(struct db *db, const json_t *deadline, int lead, const char *firm,
                             struct problem *p)
{
    json_t *out = json_array(),
           *binds = json_pack("{s:O}", "id", json_object_get(deadline, "parole_request_id"));
    db_stmt *stmt = db_prepare(db, SQL_REMIND_ASSIGNEES, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while (db_step(stmt) == DB_ROW)
            json_array_append_new(out, json_string(db_column_text(stmt, 0)));
    db_finish(stmt);
    json_decref(binds);
    if (json_array_size(out) == 0 && firm != NULL && firm[0])
        json_array_append_new(out, json_string(firm));
    if (lead == OVERDUE) {
        stmt = db_prepare(db, SQL_REMIND_ADMINS, p);
        while (stmt != NULL && db_step(stmt) == DB_ROW) {
            const char *email = db_column_text(stmt, 0);
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

/* The ledger binds of a reminder on a channel for a recipient. */
static json_t *ledger_binds(const struct reminder *r, const char *channel, const char *recipient)
{
    return json_pack("{s:O, s:O, s:i, s:s, s:s}", "deadline_id", json_object_get(r->deadline, "id"),
                     "due_on", json_object_get(r->deadline, "due_on"), "lead_time", r->lead,
                     "channel", channel, "recipient", recipient);
}

/* True when the ledger has this reminder as sent. */
static int already_sent(struct db *db, const struct reminder *r, const char *channel,
                        const char *recipient, struct problem *p)
{
    json_t *binds = ledger_binds(r, channel, recipient);
    char status[16];
    int rc = db_scalar_text(db, SQL_LEDGER_STATUS, binds, status, sizeof(status), p);

    json_decref(binds);
    return rc == 0 && strcmp(status, "sent") == 0;
}

/* Record a delivery (or its failure) in its own transaction, right after it happened. */
static void record(struct db *db, const struct reminder *r, const char *channel,
                   const char *recipient, const char *error, const char *now)
{
    struct problem p;
    json_t *binds = ledger_binds(r, channel, recipient);

    problem_init(&p);
    json_object_set_new(binds, "status", json_string(error ? "failed" : "sent"));
    json_object_set_new(binds, "last_error", error ? json_string(error) : json_null());
    json_object_set_new(binds, "now", json_string(now));
    if (db_begin_write(db, &p) == 0) {
        if (db_exec_json(db, SQL_LEDGER_RECORD, binds, &p) == 0)
            db_commit(db, &p);
        db_rollback(db);
    }
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: recording a reminder: %s\n", p.detail);
    problem_clear(&p);
    json_decref(binds);
}

/* How urgent a reminder reads, for grouping a digest. */
static const char *urgency(const struct reminder *r)
{
    if (r->lead == OVERDUE)
        return "OVERDUE";
    if (r->days_left == 0)
        return "DUE TODAY";
    if (r->days_left <= 7)
        return "THIS WEEK";
    return "COMING UP";
}

/* Append n bytes of add to the growing text (left as it was when memory runs out). */
static void append_text(char **text, size_t *len, const char *add, size_t n)
{
    char *grown = realloc(*text, *len + n + 1);

    if (grown == NULL)
        return;
    memcpy(grown + *len, add, n + 1);
    *text = grown;
    *len += n;
}

/* Append the digest lines of reminders (in urgency order) to text. */
static void digest(char **text, size_t *len, const struct reminder *list, size_t count,
                   const char *base_url)
{
    static const char *const order[] = {"OVERDUE", "DUE TODAY", "THIS WEEK", "COMING UP"};

    for (size_t g = 0; g < 4; g++) {
        int heading = 0;

        for (size_t i = 0; i < count; i++) {
            const json_t *d = list[i].deadline, *rule = json_object_get(d, "rule");
            char line[1024];
            int n;

            if (strcmp(urgency(&list[i]), order[g]) != 0)
                continue;
            if (!heading) {
                n = snprintf(line, sizeof(line), "\n%s\n", order[g]);
                heading = 1;
                append_text(text, len, line, (size_t)n);
            }
            n = snprintf(
                line, sizeof(line),
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
                (long long)(list[i].days_left < 0 ? -list[i].days_left : list[i].days_left),
                list[i].days_left < 0 ? "late" : "left",
                json_string_value(json_object_get(rule, "code")),
                json_string_value(json_object_get(rule, "citation_source")),
                json_string_value(json_object_get(rule, "citation_date")),
                base_url ? base_url : "http://127.0.0.1:8080",
                (long long)json_integer_value(json_object_get(d, "parole_request_id")));
            if (n > 0)
                append_text(text, len, line, strlen(line));
        }
    }
}

/* The webhook body of one reminder (no personal data). Returns a new string. */
static char *webhook_body(const struct reminder *r, const char *as_of)
{
    json_t *body = json_pack(
        "{s:s, s:s, s:{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:s}}", "type", "deadline.reminder",
        "timestamp", as_of, "data", "deadline_id", json_object_get(r->deadline, "id"), "kind",
        json_object_get(r->deadline, "kind"), "due_on", json_object_get(r->deadline, "due_on"),
        "due_at", json_object_get(r->deadline, "due_at"), "status",
        json_object_get(r->deadline, "status"), "parole_request_id",
        json_object_get(r->deadline, "parole_request_id"), "rule",
        json_object_get(r->deadline, "rule"), "lead_time_days",
        r->lead == OVERDUE ? json_null() : json_integer(r->lead), "urgency", urgency(r));
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);

    json_decref(body);
    return text;
}

int remind_run(struct db *db, const struct remind_config *config)
{
    struct op_context ctx;
    struct problem p;
    struct civil_date check;
    json_t *deadlines = NULL, *leads = NULL, *d, *by_recipient = json_object();
    struct reminder *list = NULL;
    size_t count = 0, i;
    int failures = 0, code = 1;
    char now[TIMESTAMP_LEN], why[256];
    const struct notify_smtp smtp = {.url = config->smtp_url,
                                     .from = config->smtp_from,
                                     .insecure = config->smtp_insecure,
                                     .ca_file = config->smtp_ca_file};

    problem_init(&p);
    context_init(&ctx);
    dates_format_utc(time(NULL), now);
    if (config->as_of != NULL) {
        if (dates_parse(config->as_of, &check) != 0) {
            fprintf(stderr, "paroletrack: --as-of wants a date YYYY-MM-DD\n");
            code = 2;
            goto out;
        }
        snprintf(ctx.today, sizeof(ctx.today), "%s", config->as_of);
        snprintf(ctx.now, sizeof(ctx.now), "%sT12:00:00Z", config->as_of);
    }
    if (config->webhook_url != NULL &&
        (config->webhook_secret == NULL || strncmp(config->webhook_secret, "whsec_", 6) != 0)) {
        fprintf(stderr, "paroletrack: a webhook needs --webhook-secret whsec_<base64>\n");
        code = 2;
        goto out;
    }
    if (config->smtp_url != NULL && config->smtp_from == NULL) {
        fprintf(stderr, "paroletrack: e-mail needs --smtp-from\n");
        code = 2;
        goto out;
    }
    if (config->smtp_url != NULL && notify_smtp_check(&smtp, why, sizeof(why)) != 0) {
        fprintf(stderr, "paroletrack: %s\n", why);
        code = 2;
        goto out;
    }
    if (db_begin_read(db, &p) != 0)
        goto out;
    deadlines = deadline_engine_compute(db, 0, 0, &ctx, &p);
    leads = rule_lead_times(db, &p);
    db_rollback(db);
    if (deadlines == NULL)
        goto out;
    list = calloc(json_array_size(deadlines) + 1, sizeof(*list));
    json_array_foreach(deadlines, i, d)
    {
        char key[24];
        int64_t days_left;
        int lead;

        if (strcmp(json_string_value(json_object_get(d, "status")), "met") == 0)
            continue;
        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(json_object_get(d, "rule"), "id")));
        days_left = days_between(ctx.today, json_string_value(json_object_get(d, "due_on")));
        lead = crossed_lead(json_object_get(leads, key), days_left);
        if (lead == -2)
            continue;
        list[count].deadline = d;
        list[count].lead = lead;
        list[count].days_left = days_left;
        count++;
    }

    /* Standard output: the digest of what was not printed before (crontab MAILTO). */
    {
        struct reminder *fresh = calloc(count + 1, sizeof(*fresh));
        size_t n = 0, len = 0;
        char *text = NULL;

        for (i = 0; i < count; i++)
            if (config->dry_run || !already_sent(db, &list[i], "stdout", "stdout", &p))
                fresh[n++] = list[i];
        if (n > 0) {
            digest(&text, &len, fresh, n, config->base_url);
            printf("paroletrack reminders for %s%s: %zu\n%s", ctx.today,
                   config->dry_run ? " (dry run: nothing sent)" : "", n, text);
            fflush(stdout);
            if (ferror(stdout))
                failures++;
            else if (!config->dry_run)
                for (i = 0; i < n; i++)
                    record(db, &fresh[i], "stdout", "stdout", NULL, now);
        }
        free(text);
        free(fresh);
    }

    /* E-mail: one digest per recipient. */
    for (i = 0; config->smtp_url != NULL && i < count; i++) {
        json_t *to = recipients_of(db, list[i].deadline, list[i].lead, config->firm_email, &p), *e;
        size_t j;

        json_array_foreach(to, j, e)
        {
            json_t *mine = json_object_get(by_recipient, json_string_value(e));

            if (mine == NULL) {
                mine = json_array();
                json_object_set_new(by_recipient, json_string_value(e), mine);
            }
            json_array_append_new(mine, json_integer((json_int_t)i));
        }
        json_decref(to);
    }
    {
        const char *to;
        json_t *indexes;

        json_object_foreach(by_recipient, to, indexes)
        {
            struct reminder *mine = calloc(json_array_size(indexes) + 1, sizeof(*mine));
            size_t n = 0, len = 0, j;
            char *text = NULL, subject[128], error[256] = "";
            json_t *ix;

            json_array_foreach(indexes, j, ix)
            {
                struct reminder *r = &list[json_integer_value(ix)];

                if (!already_sent(db, r, "email", to, &p))
                    mine[n++] = *r;
            }
            if (n > 0) {
                digest(&text, &len, mine, n, config->base_url);
                snprintf(subject, sizeof(subject), "paroletrack: %zu deadline reminder(s) for %s",
                         n, ctx.today);
                if (config->dry_run) {
                    printf("(dry run) would e-mail %zu reminder(s) to %s\n", n, to);
                } else {
                    int rc = notify_email(&smtp, to, subject, text, error, sizeof(error));

                    if (rc != 0) {
                        failures++;
                        fprintf(stderr, "paroletrack: e-mail to a recipient failed: %s\n", error);
                    }
                    for (j = 0; j < n; j++)
                        record(db, &mine[j], "email", to, rc ? error : NULL, now);
                }
            }
            free(text);
            free(mine);
        }
    }

    /* Webhook: one signed POST per reminder, retried with backoff. */
    for (i = 0; config->webhook_url != NULL && i < count; i++) {
        char msg_id[96], error[256] = "", hash[65];
        char *body;
        int rc = -1;

        if (already_sent(db, &list[i], "webhook", "webhook", &p))
            continue;
        body = webhook_body(&list[i], ctx.today);
        /* The same reminder always has the same id, so a receiver can drop a redelivery. */
        {
            char seed[256];

            snprintf(seed, sizeof(seed), "%s|%s|%d",
                     json_string_value(json_object_get(list[i].deadline, "id")),
                     json_string_value(json_object_get(list[i].deadline, "due_on")), list[i].lead);
            crypto_sha256_hex(seed, strlen(seed), hash);
            snprintf(msg_id, sizeof(msg_id), "msg_%.32s", hash);
        }
        if (config->dry_run) {
            printf("(dry run) would post reminder %s to the webhook\n", msg_id);
            free(body);
            continue;
        }
        for (int attempt = 0; attempt < 3 && rc != 0; attempt++) {
            if (attempt > 0)
                sleep((unsigned)attempt); /* 1 s, then 2 s */
            rc = notify_webhook(config->webhook_url, config->webhook_secret, msg_id,
                                (int64_t)time(NULL), body, error, sizeof(error));
        }
        if (rc != 0) {
            failures++;
            fprintf(stderr, "paroletrack: webhook delivery failed: %s\n", error);
        }
        record(db, &list[i], "webhook", "webhook", rc ? error : NULL, now);
        free(body);
    }
    code = failures ? 1 : 0;
    if (failures)
        fprintf(stderr, "paroletrack: %d delivery(ies) failed; they are retried on the next run\n",
                failures);
out:
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: %s\n", p.detail);
    problem_clear(&p);
    free(list);
    json_decref(by_recipient);
    json_decref(leads);
    json_decref(deadlines);
    return code;
}

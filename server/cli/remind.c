/* remind: the nightly reminder job's command: it checks its options, has the store select what
 * is due (store/reminders.c), prints the digest, sends e-mail and webhooks through notify and
 * records each delivery. CLI layer: depends on reminders, notify, context, dates and problem. */
#include "remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "deadline_ledger.h"
#include "job_runs.h"
#include "notify.h"
#include "reminders.h"
#include "text_buffer.h"
#include "uscis_statuses.h"

/* Record the deliveries of a batch in the ledger (one commit), saying so on standard error when
 * that fails. */
static void record(struct db *db, const struct reminder_batch *batch, const char *channel,
                   const char *recipient, const char *error, const char *now)
{
    struct problem p;

    problem_init(&p);
    if (reminders_record_deliveries(db, batch, channel, recipient, error, now, &p) != 0)
        fprintf(stderr, "paroletrack: recording a reminder: %s\n", p.detail);
    problem_clear(&p);
}

/* Check the options into ctx (the as-of date) and smtp. Returns 0, or 2 (the exit code) after
 * saying what is wrong on standard error. */
static int check_config(const struct remind_config *config, const struct notify_smtp *smtp,
                        struct op_context *ctx)
{
    struct civil_date check;
    char why[256];

    if (config->as_of != NULL) {
        if (dates_parse(config->as_of, &check) != 0) {
            fprintf(stderr, "paroletrack: --as-of wants a date YYYY-MM-DD\n");
            return 2;
        }
        snprintf(ctx->today, sizeof(ctx->today), "%s", config->as_of);
        snprintf(ctx->now, sizeof(ctx->now), "%sT12:00:00Z", config->as_of);
    }
    if (config->webhook_url != NULL &&
        (config->webhook_secret == NULL || strncmp(config->webhook_secret, "whsec_", 6) != 0)) {
        fprintf(stderr, "paroletrack: a webhook needs --webhook-secret whsec_<base64>\n");
        return 2;
    }
    if (config->smtp_url != NULL && config->smtp_from == NULL) {
        fprintf(stderr, "paroletrack: e-mail needs --smtp-from\n");
        return 2;
    }
    if (config->smtp_url != NULL && notify_smtp_check(smtp, why, sizeof(why)) != 0) {
        fprintf(stderr, "paroletrack: %s\n", why);
        return 2;
    }
    return 0;
}

/* Print the standard-output digest (crontab MAILTO) and record it unless a dry run. Returns the
 * number of failures (0 or 1). */
static int print_digest(struct db *db, const struct reminders *due,
                        const struct remind_config *config, const char *today, const char *now)
{
    const struct reminder_batch *batch = &due->printed;
    char *text;
    int failures = 0;

    if (batch->count == 0)
        return 0;
    text = reminders_digest_text(batch, config->base_url);
    printf("paroletrack reminders for %s%s: %zu\n%s", today,
           config->dry_run ? " (dry run: nothing sent)" : "", batch->count, text ? text : "");
    fflush(stdout);
    if (ferror(stdout))
        failures++;
    else if (!config->dry_run)
        record(db, batch, "stdout", "stdout", NULL, now);
    free(text);
    return failures;
}

/* Send one e-mail digest per recipient (or say what would go in a dry run) and record each.
 * Returns the number of failed e-mails. */
static int send_emails(struct db *db, const struct reminders *due,
                       const struct remind_config *config, const struct notify_smtp *smtp,
                       const char *today, const char *now)
{
    int failures = 0;

    for (size_t i = 0; i < due->email_count; i++) {
        const struct reminder_batch *batch = &due->emails[i];
        char *text = reminders_digest_text(batch, config->base_url);
        char subject[128], error[256] = "";

        snprintf(subject, sizeof(subject), "paroletrack: %zu deadline reminder(s) for %s",
                 batch->count, today);
        if (config->dry_run) {
            printf("(dry run) would e-mail %zu reminder(s) to %s\n", batch->count,
                   batch->recipient);
        } else {
            int rc = notify_email(smtp, batch->recipient, subject, text ? text : "", error,
                                  sizeof(error));

            if (rc != 0) {
                failures++;
                fprintf(stderr, "paroletrack: e-mail to a recipient failed: %s\n", error);
            }
            record(db, batch, "email", batch->recipient, rc ? error : NULL, now);
        }
        free(text);
    }
    return failures;
}

/* Post one signed webhook per reminder, retried with backoff (or say what would go in a dry
 * run), and record each. Returns the number of failed deliveries. */
static int send_webhooks(struct db *db, const struct reminders *due,
                         const struct remind_config *config, const char *today, const char *now)
{
    int failures = 0;

    for (size_t i = 0; i < due->webhooks.count; i++) {
        const struct reminder *r = &due->webhooks.items[i];
        char msg_id[REMINDERS_MESSAGE_ID_LEN], error[256] = "";
        char *body = reminders_webhook_body(r, today);
        int rc = -1;

        reminders_message_id(r, msg_id);
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
        {
            struct reminder copy = *r;
            const struct reminder_batch one = {.items = &copy, .count = 1};

            record(db, &one, "webhook", "webhook", rc ? error : NULL, now);
        }
        free(body);
    }
    return failures;
}

/* The digest of USCIS status changes no digest carried yet (new text; NULL when none), and the
 * id of the last one in *last_id. */
static char *uscis_digest_text(const json_t *changes, const struct remind_config *config,
                               int64_t *last_id)
{
    struct text_buffer text = {0};
    const json_t *c;
    size_t i;

    if (json_array_size(changes) == 0)
        return NULL;
    text_buffer_printf(&text, "\nUSCIS STATUS CHANGES (uscis-sync): %zu\n",
                       json_array_size(changes));
    json_array_foreach(changes, i, c)
    {
        const char *proposes = json_string_value(json_object_get(c, "proposes"));
        const char *date = json_string_value(json_object_get(c, "uscis_date"));

        *last_id = json_integer_value(json_object_get(c, "id"));
        text_buffer_printf(&text, "  PR-%lld  %s%s%s%s\n",
                           (long long)json_integer_value(json_object_get(c, "parole_request_id")),
                           json_string_value(json_object_get(c, "status_text_en")),
                           date ? " (USCIS date " : "", date ? date : "", date ? ")" : "");
        if (proposes != NULL)
            text_buffer_printf(&text, "    proposes: %s; a person confirms or dismisses it\n",
                               proposes);
        text_buffer_printf(&text, "    %s/parole-requests/%lld\n",
                           config->base_url ? config->base_url : "http://127.0.0.1:8080",
                           (long long)json_integer_value(json_object_get(c, "parole_request_id")));
    }
    if (text.failed) {
        text_buffer_free(&text);
        return NULL;
    }
    return text.data;
}

/* Print (and e-mail to the firm's address, when e-mail is set up) the USCIS status changes
 * since the last digest, then mark them carried unless a dry run or a delivery failed. Returns
 * the number of failures. */
static int report_uscis_changes(struct db *db, const struct remind_config *config,
                                const struct notify_smtp *smtp, const struct op_context *ctx)
{
    struct problem p;
    json_t *changes;
    int64_t last_id = 0;
    char *text;
    int failures = 0;

    problem_init(&p);
    changes = uscis_statuses_to_remind(db, &p);
    if (changes == NULL) {
        fprintf(stderr, "paroletrack: reading the USCIS status changes: %s\n", p.detail);
        problem_clear(&p);
        return 1;
    }
    text = uscis_digest_text(changes, config, &last_id);
    json_decref(changes);
    if (text == NULL)
        return 0;
    printf("%s", text);
    fflush(stdout);
    if (ferror(stdout))
        failures++;
    if (config->smtp_url != NULL && config->firm_email != NULL) {
        char error[256] = "";

        if (config->dry_run)
            printf("(dry run) would e-mail the USCIS status changes to %s\n", config->firm_email);
        else if (notify_email(smtp, config->firm_email, "paroletrack: USCIS status changes", text,
                              error, sizeof(error)) != 0) {
            failures++;
            fprintf(stderr, "paroletrack: e-mailing the USCIS status changes failed: %s\n", error);
        }
    }
    if (!config->dry_run && failures == 0 &&
        uscis_statuses_mark_reminded(db, last_id, ctx, &p) != 0) {
        failures++;
        fprintf(stderr, "paroletrack: recording the USCIS digest: %s\n", p.detail);
    }
    free(text);
    problem_clear(&p);
    return failures;
}

int remind_run(struct db *db, const struct remind_config *config)
{
    struct op_context ctx;
    struct problem p;
    struct reminders due;
    int failures = 0, code, checked = 0;
    char now[TIMESTAMP_LEN];
    const struct notify_smtp smtp = {.url = config->smtp_url,
                                     .from = config->smtp_from,
                                     .insecure = config->smtp_insecure,
                                     .ca_file = config->smtp_ca_file};
    const struct reminders_options options = {.dry_run = config->dry_run,
                                              .email = config->smtp_url != NULL,
                                              .firm_email = config->firm_email,
                                              .webhook = config->webhook_url != NULL};

    problem_init(&p);
    context_init(&ctx);
    memset(&due, 0, sizeof(due));
    dates_format_utc(time(NULL), now);
    code = check_config(config, &smtp, &ctx);
    if (code != 0)
        goto out;
    checked = 1;
    code = 1;
    /* A database from before the stored deadlines, or last computed in another time zone. */
    if (deadline_ledger_ensure(db, &ctx, &p) < 0 ||
        reminders_collect(db, &ctx, &options, &due, &p) != 0)
        goto out;
    failures += print_digest(db, &due, config, ctx.today, now);
    failures += send_emails(db, &due, config, &smtp, ctx.today, now);
    failures += send_webhooks(db, &due, config, ctx.today, now);
    failures += report_uscis_changes(db, config, &smtp, &ctx);
    code = failures ? 1 : 0;
    if (failures)
        fprintf(stderr, "paroletrack: %d delivery(ies) failed; they are retried on the next run\n",
                failures);
out:
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: %s\n", p.detail);
    problem_clear(&p);
    /* The run, for /metrics (a dry run, or a configuration refused, is no run). */
    if (!config->dry_run && checked) {
        char finished[TIMESTAMP_LEN];

        dates_format_utc(time(NULL), finished);
        if (job_runs_record(db, "remind", now, finished, code == 0, (int64_t)due.due.count,
                            failures, &p) != 0)
            fprintf(stderr, "paroletrack: the run was not recorded: %s\n", p.detail);
        problem_clear(&p);
    }
    reminders_free(&due);
    return code;
}

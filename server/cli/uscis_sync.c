/* uscis_sync: the USCIS case status job (see uscis_sync.h). */
#include "uscis_sync.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "context.h"
#include "crypto.h"
#include "job_runs.h"
#include "uscis_api.h"
#include "uscis_statuses.h"

/* How many times one receipt is asked again after a short Retry-After. */
#define MAX_RETRY_AFTERS 3
/* The longest text kept of a field of the answer. */
#define MAX_FIELD_CHARS 2000

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The pacing of requests: at most rate_per_second, whatever the kind. */
struct pacer {
    int64_t interval_ms, last_ms;
};

static void pace(struct pacer *pacer)
{
    int64_t now = dates_monotonic_ms();

    if (pacer->last_ms != 0 && now - pacer->last_ms < pacer->interval_ms)
        sleep_ms(pacer->interval_ms - (now - pacer->last_ms));
    pacer->last_ms = dates_monotonic_ms();
}

int uscis_sync_read_credentials(const char *path, char *id, size_t id_size, char *secret,
                                size_t secret_size, char *why, size_t why_size)
{
    struct stat st;
    char line[1024];
    FILE *f;

    id[0] = secret[0] = '\0';
    f = fopen(path, "r");
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        snprintf(why, why_size, "cannot read the USCIS credentials file %s", path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    if ((st.st_mode & 077) != 0) {
        fclose(f);
        snprintf(why, why_size, "the USCIS credentials file %s may be read by others: chmod 600 it",
                 path);
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "client_id=", 10) == 0)
            snprintf(id, id_size, "%s", line + 10);
        else if (strncmp(line, "client_secret=", 14) == 0)
            snprintf(secret, secret_size, "%s", line + 14);
    }
    crypto_wipe(line, sizeof(line));
    fclose(f);
    if (id[0] == '\0' || secret[0] == '\0') {
        snprintf(why, why_size,
                 "the USCIS credentials file %s needs client_id= and "
                 "client_secret= lines",
                 path);
        return -1;
    }
    return 0;
}

/* A string member of obj of at most MAX_FIELD_CHARS bytes, else NULL. */
static const char *text_of(const json_t *obj, const char *name)
{
    const char *text = json_string_value(json_object_get(obj, name));

    return text != NULL && strlen(text) <= MAX_FIELD_CHARS ? text : NULL;
}

/* Read a case status answer for `receipt` into *status (borrowing from *parsed, which the
 * caller frees). Returns 0, or -1 when it is not a case status of that receipt. */
static int read_case_status(const char *body, const char *receipt, json_t **parsed,
                            struct uscis_case_status *status)
{
    const json_t *cs;
    const char *asked;

    *parsed = body ? json_loads(body, 0, NULL) : NULL;
    cs = json_object_get(*parsed, "case_status");
    if (!json_is_object(cs))
        return -1;
    asked = text_of(cs, "receiptNumber");
    if (asked != NULL && strcmp(asked, receipt) != 0)
        return -1;
    status->text_en = text_of(cs, "current_case_status_text_en");
    if (status->text_en == NULL || status->text_en[0] == '\0')
        return -1;
    status->form_type = text_of(cs, "formType");
    status->desc_en = text_of(cs, "current_case_status_desc_en");
    status->text_es = text_of(cs, "current_case_status_text_es");
    status->desc_es = text_of(cs, "current_case_status_desc_es");
    status->uscis_date = text_of(cs, "modifiedDate");
    return 0;
}

/* Why an answer that is not a usable case status failed, into why. */
static void failure_of(const struct uscis_answer *a, char *why, size_t size)
{
    if (a->status == 0)
        snprintf(why, size, "no answer: %s", a->error);
    else if (a->status == 404)
        snprintf(why, size, "USCIS does not know this receipt number (404)");
    else if (a->status == 400 || a->status == 422)
        snprintf(why, size, "USCIS refused the receipt number (%ld)", a->status);
    else if (a->status == 401 || a->status == 403)
        snprintf(why, size, "USCIS refused the credentials (%ld)", a->status);
    else if (a->status == 429)
        snprintf(why, size, "USCIS asked to slow down (429)");
    else if (a->status == 200)
        snprintf(why, size, "the answer is not a case status (malformed JSON)");
    else
        snprintf(why, size, "USCIS answered %ld", a->status);
}

/* The state of one run. */
struct run {
    struct db *db;
    const struct uscis_sync_config *config;
    struct uscis_api api;
    struct pacer pacer;
    struct op_context ctx;
    int stop;   /* the run ends before the next receipt (quota, long wait) */
    int broken; /* no token: nothing can be checked */
};

/* Ask for one receipt's status, within the quota and the pace, refreshing the token once on
 * a 401 and waiting out a short Retry-After. Returns 1 with an answer in *a (the caller
 * clears it), 0 when the run must stop before it (quota, long wait, no token). */
static int ask(struct run *run, const char *receipt, struct uscis_answer *a, struct problem *p)
{
    int force = 0, refreshed = 0, waits = 0;

    for (;;) {
        struct uscis_answer token;
        int64_t now = (int64_t)time(NULL);
        char day[TIMESTAMP_LEN];
        int taken;

        /* the quota's day is the one of this request (a run may cross midnight UTC) */
        dates_format_utc((time_t)now, day);
        day[10] = '\0';
        taken = uscis_statuses_take_quota(run->db, day, run->config->daily_quota, p);

        if (taken <= 0) {
            run->stop = 1;
            return 0;
        }
        /* a token request is a request too: paced like the others */
        if (force || run->api.token[0] == '\0' || now >= run->api.token_until)
            pace(&run->pacer);
        if (uscis_api_ensure_token(&run->api, now, force, &token) != 0) {
            int64_t wait = token.retry_after >= 0 ? token.retry_after : 1;

            /* the token endpoint asks to slow down: waited out like a case status's 429 */
            if (token.status == 429 && waits < MAX_RETRY_AFTERS &&
                wait <= run->config->max_wait_seconds) {
                waits++;
                uscis_answer_clear(&token);
                sleep_ms(wait * 1000);
                continue;
            }
            fprintf(stderr, "paroletrack: uscis-sync: no token: %s\n",
                    token.error[0] ? token.error : "the token endpoint failed");
            uscis_answer_clear(&token);
            run->broken = run->stop = 1;
            return 0;
        }
        uscis_answer_clear(&token);
        force = 0;
        pace(&run->pacer);
        uscis_api_case_status(&run->api, receipt, a);
        if (a->status == 401 && !refreshed) {
            /* the token expired or was revoked early: one new token, one more try */
            force = refreshed = 1;
            uscis_answer_clear(a);
            continue;
        }
        if (a->status == 429 && waits < MAX_RETRY_AFTERS) {
            int64_t wait = a->retry_after >= 0 ? a->retry_after : 1;

            if (wait > run->config->max_wait_seconds) {
                run->stop = 1;
                uscis_answer_clear(a);
                return 0;
            }
            waits++;
            uscis_answer_clear(a);
            sleep_ms(wait * 1000);
            continue;
        }
        return 1;
    }
}

/* The context the sync records under: now, acting as the system named "uscis-sync". */
static void sync_context(struct op_context *ctx)
{
    context_init(ctx);
    snprintf(ctx->actor.label, sizeof(ctx->actor.label), "uscis-sync");
}

int uscis_sync_run(struct db *db, const struct uscis_sync_config *config,
                   struct uscis_sync_result *result)
{
    struct run run = {.db = db, .config = config};
    struct problem p = {0};
    char started[TIMESTAMP_LEN], finished[TIMESTAMP_LEN];
    json_t *due = NULL, *row;
    size_t i;
    int rc = -1;

    memset(result, 0, sizeof(*result));
    sync_context(&run.ctx);
    snprintf(started, sizeof(started), "%s", run.ctx.now);
    run.api.base_url = config->base_url;
    run.api.client_id = config->client_id;
    run.api.client_secret = config->client_secret;
    run.api.timeout_seconds = config->timeout_seconds;
    run.pacer.interval_ms = (int64_t)(1000.0 / config->rate_per_second + 0.999);
    due = uscis_statuses_receipts_due(db, &p);
    if (due == NULL)
        goto out;
    json_array_foreach(due, i, row)
    {
        const char *receipt = json_string_value(json_object_get(row, "receipt_number"));
        int64_t request = json_integer_value(json_object_get(row, "parole_request_id"));
        struct uscis_case_status status = {0};
        struct uscis_answer a;
        json_t *parsed = NULL;
        char why[512] = "";
        int outcome;

        if (run.stop || !ask(&run, receipt, &a, &p)) {
            if (p.kind != PROBLEM_NONE)
                goto out;
            result->left = (int64_t)(json_array_size(due) - i);
            break;
        }
        sync_context(&run.ctx); /* each status recorded at the time it was fetched */
        if (a.status != 200 || read_case_status(a.body, receipt, &parsed, &status) != 0)
            failure_of(&a, why, sizeof(why));
        outcome = uscis_statuses_record(db, request, receipt, why[0] ? NULL : &status,
                                        why[0] ? why : NULL, &run.ctx, &p);
        json_decref(parsed);
        uscis_answer_clear(&a);
        if (outcome < 0)
            goto out;
        result->checked++;
        if (outcome == USCIS_CHECK_CHANGED)
            result->changed++;
        if (outcome == USCIS_CHECK_FAILED) {
            result->failed++;
            fprintf(stderr, "paroletrack: uscis-sync: PR-%lld receipt ...%s: %s\n",
                    (long long)request, receipt + (strlen(receipt) > 4 ? strlen(receipt) - 4 : 0),
                    why);
        }
    }
    rc = run.broken ? -1 : 0;
out:
    if (p.kind != PROBLEM_NONE)
        fprintf(stderr, "paroletrack: uscis-sync: %s\n", p.detail);
    printf("uscis-sync: %lld checked, %lld changed, %lld failed", (long long)result->checked,
           (long long)result->changed, (long long)result->failed);
    if (result->left > 0)
        printf(", %lld left for the next run (%s)", (long long)result->left,
               run.broken ? "no token" : "the daily quota or a long Retry-After");
    printf("\n");
    fflush(stdout);
    {
        struct op_context end;
        struct problem q = {0};

        context_init(&end);
        snprintf(finished, sizeof(finished), "%s", end.now);
        if (job_runs_record(db, "uscis-sync", started, finished, rc == 0 && result->failed == 0,
                            result->checked, result->failed, &q) != 0)
            fprintf(stderr, "paroletrack: uscis-sync: recording the run failed: %s\n", q.detail);
        problem_clear(&q);
    }
    problem_clear(&p);
    json_decref(due);
    crypto_wipe(run.api.token, sizeof(run.api.token));
    return rc;
}

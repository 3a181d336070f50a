/* webhook_delivery: posting the outbox's due deliveries (see webhook_delivery.h). */
#include "webhook_delivery.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "notify.h"
#include "webhook_outbox.h"

/* Whether the worker thread of serve is to go on. */
static atomic_int worker_running;

/* The clock of a post: the real time moved by the round's offset (0, unless a test's --now
 * set the round's clock elsewhere), so a batch that takes minutes signs and records each post at
 * the time it is made. */
static void post_clock(const struct op_context *round, int64_t offset, struct op_context *out)
{
    *out = *round;
    dates_format_utc((time_t)((int64_t)time(NULL) + offset), out->now);
}

/* Post one claimed delivery and record the attempt. Returns 0 or -1 (recording failed). */
static int attempt_one(struct db *db, const struct webhook_attempt *a, const struct op_context *ctx,
                       struct webhook_round *out, struct problem *p)
{
    char error[256] = "";
    long status = 0;
    int64_t started = dates_monotonic_ms();
    int rc = notify_webhook_status(a->url, a->secret, a->webhook_id, dates_epoch_of(ctx->now),
                                   a->body, &status, error, sizeof(error));
    int recorded = webhook_outbox_record(db, a, status, rc == 0 ? NULL : error,
                                         dates_monotonic_ms() - started, ctx, p);

    if (recorded < 0)
        return -1;
    if (recorded == 1) /* its lease had passed to another worker: the result is theirs */
        return 0;
    if (rc == 0)
        out->delivered++;
    else if (webhook_outbox_last_attempt(a, ctx))
        out->given_up++;
    else
        out->retrying++;
    return 0;
}

int webhook_delivery_round(struct db *db, const struct op_context *ctx, int max_batches, int sweep,
                           const atomic_int *running, struct webhook_round *out, struct problem *p)
{
    struct webhook_batch batch = {0};
    int64_t offset = dates_epoch_of(ctx->now) - (int64_t)time(NULL);
    struct op_context now;

    *out = (struct webhook_round){0};
    if (sweep && webhook_outbox_sweep(db, ctx, &out->overdue_raised, p) != 0)
        return -1;
    for (int n = 0; max_batches == 0 || n < max_batches; n++) {
        if (running != NULL && !atomic_load(running))
            break;
        post_clock(ctx, offset, &now);
        if (webhook_outbox_claim(db, &now, &batch, p) != 0)
            return -1;
        if (batch.count == 0)
            break;
        for (size_t i = 0; i < batch.count; i++) {
            /* stopping: the rest of the batch waits out its lease for the next worker */
            if (running != NULL && !atomic_load(running))
                break;
            post_clock(ctx, offset, &now);
            if (attempt_one(db, &batch.items[i], &now, out, p) != 0) {
                webhook_batch_clear(&batch);
                return -1;
            }
        }
        webhook_batch_clear(&batch);
    }
    return 0;
}

static pthread_t worker;
static pthread_mutex_t worker_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t worker_wake = PTHREAD_COND_INITIALIZER;

/* The worker thread: a round a second until stopped. */
static void *worker_main(void *arg)
{
    int64_t last_sweep_ms = 0;

    (void)arg;
    while (atomic_load(&worker_running)) {
        struct problem p = {0};
        struct webhook_round round;
        struct op_context ctx;
        struct db *db = db_thread(&p);
        struct timespec until;
        /* the sweep every WEBHOOK_SWEEP_SECONDS (and at once); due deliveries every second */
        int sweep = last_sweep_ms == 0 ||
                    dates_monotonic_ms() - last_sweep_ms >= WEBHOOK_SWEEP_SECONDS * 1000;

        context_init(&ctx);
        if (sweep)
            last_sweep_ms = dates_monotonic_ms();
        if (db != NULL &&
            webhook_delivery_round(db, &ctx, 8, sweep, &worker_running, &round, &p) == 0) {
            if (round.given_up > 0)
                fprintf(stderr,
                        "paroletrack: webhooks: %lld deliveries given up after three days\n",
                        (long long)round.given_up);
        } else
            fprintf(stderr, "paroletrack: webhooks: %s\n", p.detail);
        problem_clear(&p);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_mutex_lock(&worker_lock);
        if (atomic_load(&worker_running))
            pthread_cond_timedwait(&worker_wake, &worker_lock, &until);
        pthread_mutex_unlock(&worker_lock);
    }
    return NULL;
}

int webhook_delivery_start(void)
{
    if (notify_init() != 0)
        return -1;
    atomic_store(&worker_running, 1);
    if (pthread_create(&worker, NULL, worker_main, NULL) != 0) {
        atomic_store(&worker_running, 0);
        return -1;
    }
    return 0;
}

void webhook_delivery_stop(void)
{
    if (!atomic_load(&worker_running))
        return;
    pthread_mutex_lock(&worker_lock);
    atomic_store(&worker_running, 0);
    pthread_cond_signal(&worker_wake);
    pthread_mutex_unlock(&worker_lock);
    pthread_join(worker, NULL);
}

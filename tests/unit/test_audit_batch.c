/* Unit tests of audit_batch, the group commit of audited reads, on a migrated database file
 * (WAL and fsync real): several threads read clients in full at once; one commit can hold many
 * reads' events; every successful read has its event; the chain and its sealed head verify; a
 * failure of a batch's transaction fails every read of that batch and records none; a list
 * with include=notes has its event committed the same way. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit_batch.h"
#include "check.h"
#include "gate_guard.h"
#include "store_fixture.h" /* db: the main thread's connection */
#include "temp_db.h"

#define THREADS 8
#define READS   40 /* per thread, in the free-running round */

static int64_t clients[THREADS];

/* How many changes or events wait right now (the gate's count). */
static int64_t queued_now(void)
{
    struct audit_batch_stats s;

    audit_batch_stats(&s);
    return s.queued;
}

/* One reader thread: `reads` full reads of its client with its own connection, each with a
 * request id "tT-rN" (kept in ids[]). Counts successes. */
struct reader {
    int index, reads, ok;
    char ids[READS][16];
};

static void *reader_run(void *arg)
{
    struct reader *r = arg;
    struct op_context c = ctx;
    struct problem p;
    struct db *conn;

    problem_init(&p);
    conn = db_thread(&p);
    for (int i = 0; conn != NULL && i < r->reads; i++) {
        json_t *record;

        snprintf(r->ids[i], sizeof(r->ids[i]), "t%d-r%d", r->index, i);
        c.request_id = r->ids[i];
        record = resource_get(conn, &clients_resource, 0, clients[r->index], &c, &p);
        if (record != NULL && json_string_value(json_object_get(record, "a_number")) != NULL)
            r->ok++;
        json_decref(record);
        problem_clear(&p);
    }
    return NULL;
}

/* Run THREADS readers of `reads` reads each at once. Returns the number of successful reads;
 * readers[] keeps their request ids. */
static int run_readers(struct reader readers[THREADS], int reads)
{
    pthread_t threads[THREADS];
    int ok = 0;

    for (int t = 0; t < THREADS; t++) {
        readers[t] = (struct reader){.index = t, .reads = reads};
        if (pthread_create(&threads[t], NULL, reader_run, &readers[t]) != 0)
            return -1;
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        ok += readers[t].ok;
    }
    return ok;
}

/* Every request id of the trail's read_identifiers events, as the keys of a new object. */
static json_t *read_event_ids(void)
{
    json_t *ids = json_object();
    char cursor[32] = "";

    for (;;) {
        struct query_param query[] = {{"entity", "clients"}, {"limit", "200"}, {"cursor", cursor}};
        struct problem p;
        json_t *page, *item;
        size_t i;

        problem_init(&p);
        page = audit_list(db, query, cursor[0] ? 3 : 2, &p);
        problem_clear(&p);
        if (page == NULL)
            break;
        json_array_foreach(json_object_get(page, "items"), i, item)
        {
            const char *action = json_string_value(json_object_get(item, "action"));
            const char *request = json_string_value(json_object_get(item, "request_id"));

            if (action != NULL && strcmp(action, "read_identifiers") == 0 && request != NULL)
                json_object_set_new(ids, request, json_true());
        }
        if (!json_is_string(json_object_get(page, "next_cursor"))) {
            json_decref(page);
            break;
        }
        snprintf(cursor, sizeof(cursor), "%s",
                 json_string_value(json_object_get(page, "next_cursor")));
        json_decref(page);
    }
    return ids;
}

/* Open the migrated file database with a test key and THREADS clients holding an A-number. */
static int setup(const char *path)
{
    struct problem p;
    int rc = fixture_open_path(path);

    ctx.actor.type = ACTOR_USER;
    ctx.actor.id = 1;
    snprintf(ctx.actor.label, sizeof(ctx.actor.label), "ana@example.org");
    problem_init(&p);
    for (int t = 0; rc == 0 && t < THREADS; t++) {
        char text[160];
        json_t *body, *record;

        snprintf(text, sizeof(text),
                 "{\"family_name\":\"Bondarenko%d\",\"given_name\":\"Iryna\","
                 "\"citizenship\":\"UA\",\"a_number\":\"A%09d\",\"notes\":\"met at intake\"}",
                 t, 200000 + t);
        body = json_loads(text, 0, NULL);
        record = resource_create(db, &clients_resource, 0, body, &ctx, &p);
        clients[t] = record ? json_integer_value(json_object_get(record, "id")) : 0;
        if (record == NULL) {
            fprintf(stderr, "setup: create: %s\n", p.detail);
            rc = -1;
        }
        json_decref(record);
        json_decref(body);
    }
    problem_clear(&p);
    db_pool_configure(path);
    gate_queued = queued_now;
    gate_threads = THREADS;
    db_set_write_guard(gate_guard);
    return rc;
}

/* The difference of two counter snapshots, field by field, into *d. */
static void stats_since(const struct audit_batch_stats *before, struct audit_batch_stats *d)
{
    struct audit_batch_stats now;

    audit_batch_stats(&now);
    d->commits = now.commits - before->commits;
    d->events = now.events - before->events;
    d->failures = now.failures - before->failures;
    d->queued = now.queued;
}

/* THREADS reads held until all are queued: one commit holds all their events. */
static void test_one_commit_for_a_batch(void)
{
    static struct reader readers[THREADS];
    struct audit_batch_stats before, d;
    int64_t events = fixture_verified_events();

    audit_batch_stats(&before);
    atomic_store(&gate, GATE_HOLD);
    CHECK(run_readers(readers, 1) == THREADS);
    stats_since(&before, &d);
    CHECK(d.commits == 1);
    CHECK(d.events == THREADS);
    CHECK(d.failures == 0 && d.queued == 0);
    CHECK(fixture_verified_events() == events + THREADS);
}

/* THREADS reads whose batch fails when its transaction opens: every one fails, none is
 * recorded, and the next reads succeed again. */
static void test_a_failed_batch_fails_every_read(void)
{
    static struct reader readers[THREADS];
    struct audit_batch_stats before, d;
    int64_t events = fixture_verified_events();

    audit_batch_stats(&before);
    atomic_store(&gate, GATE_FAIL);
    CHECK(run_readers(readers, 1) == 0);
    stats_since(&before, &d);
    CHECK(d.commits == 0 && d.events == 0);
    CHECK(d.failures == 1);
    CHECK(fixture_verified_events() == events);
    CHECK(run_readers(readers, 1) == THREADS);
    CHECK(fixture_verified_events() == events + THREADS);
}

/* Free-running readers: every read succeeds and has its event, under its own request id, and
 * the chain verifies. Commits are counted and compared with the reads. */
static void test_concurrent_reads_all_recorded(void)
{
    static struct reader readers[THREADS];
    struct audit_batch_stats before, d;
    int64_t events = fixture_verified_events();
    json_t *ids;
    int missing = 0;

    audit_batch_stats(&before);
    CHECK(run_readers(readers, READS) == THREADS * READS);
    stats_since(&before, &d);
    CHECK(d.events == THREADS * READS);
    CHECK(d.commits >= 1 && d.commits <= THREADS * READS);
    CHECK(d.failures == 0);
    printf("%d concurrent audited reads: %lld commits (%.1f reads per commit)\n", THREADS * READS,
           (long long)d.commits,
           d.commits > 0 ? (double)(THREADS * READS) / (double)d.commits : 0.0);
    CHECK(fixture_verified_events() == events + THREADS * READS);
    ids = read_event_ids();
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < READS; i++)
            missing += json_object_get(ids, readers[t].ids[i]) == NULL;
    CHECK(missing == 0);
    json_decref(ids);
}

/* A lone read commits at once (no other reader to wait for) and a list with include=notes
 * has its read_notes event committed through the batch. */
static void test_lone_read_and_notes_list(void)
{
    struct query_param query[] = {{"include", "notes"}};
    struct audit_batch_stats before, d;
    struct problem p;
    json_t *record, *page;
    char *text;
    int64_t events = fixture_verified_events();

    problem_init(&p);
    audit_batch_stats(&before);
    record = resource_get(db, &clients_resource, 0, clients[0], &ctx, &p);
    CHECK(record != NULL);
    json_decref(record);
    text = resource_list(db, &clients_resource, 0, query, 1, &ctx, &p);
    page = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    CHECK(page != NULL);
    CHECK_STR(json_string_value(
                  json_object_get(json_array_get(json_object_get(page, "items"), 0), "notes")),
              "met at intake");
    json_decref(page);
    stats_since(&before, &d);
    CHECK(d.commits == 2 && d.events == 2);
    CHECK(fixture_verified_events() == events + 2);
    problem_clear(&p);
}

int main(void)
{
    struct temp_db t;

    if (temp_db_make(&t, "audit-batch") != 0)
        return 1;
    if (setup(t.path) != 0)
        return 1;
    test_lone_read_and_notes_list();
    test_one_commit_for_a_batch();
    test_a_failed_batch_fails_every_read();
    test_concurrent_reads_all_recorded();
    db_set_write_guard(NULL);
    db_pool_close_all();
    db_close(db);
    temp_db_remove(&t);
    return CHECK_DONE();
}

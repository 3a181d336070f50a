/* Unit tests of the write path's group commit (store/write.c) on a real database file, with
 * threads that each write through their own connection, as the server's workers do: changes
 * that meet share one transaction and one commit; a change that fails inside a batch is rolled
 * back alone while the others of its batch are stored; a batch whose transaction fails stores
 * nothing and fails every change; and the audit trail stays one verified chain. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "gate_guard.h"
#include "store_fixture.h"
#include "temp_db.h"

#include "group_commit.h"
#include "write.h"

#define THREADS 8

static struct temp_db file; /* the database file every writer opens */
/* Writers use the pool's thread connections (db_thread), as the server's workers do, and the
 * group commit then leads on the pool's writer connection; else each opens its own. */
static int use_pool;

/* How many changes or events wait right now (the gate's count). */
static int64_t queued_now(void)
{
    struct write_batch_stats s;

    write_batch_stats(&s);
    return s.queued;
}

/* One writer: creates one client through its own connection (a bad one when `bad`). */
struct writer {
    int index, bad;
    int64_t id; /* the new client's id, 0 when refused */
    int status; /* 0 stored, else the problem's HTTP status */
    char name[32];
};

static void *write_one(void *arg)
{
    struct writer *w = arg;
    struct problem p;
    struct db *conn;
    char body[160];
    json_t *json, *record;
    struct op_context mine = ctx;

    problem_init(&p);
    conn = use_pool ? db_thread(&p) : db_open(file.path, &p);
    snprintf(w->name, sizeof(w->name), "Batch%d", w->index);
    snprintf(body, sizeof(body), "{\"family_name\":\"%s\",\"given_name\":\"Test\"%s}", w->name,
             w->bad ? ",\"country_of_birth\":\"Atlantis\"" : "");
    json = json_loads(body, 0, NULL);
    record = conn ? resource_create(conn, &clients_resource, 0, json, &mine, &p) : NULL;
    w->id = record ? json_integer_value(json_object_get(record, "id")) : 0;
    w->status = record ? 0 : problem_status(p.kind);
    json_decref(record);
    json_decref(json);
    if (!use_pool)
        db_close(conn); /* the pool closes its own */
    problem_clear(&p);
    return NULL;
}

/* Run THREADS writers at once (writer `bad_one` sends a bad field; -1: none). */
static void run_writers(struct writer *writers, int bad_one)
{
    pthread_t threads[THREADS];

    for (int t = 0; t < THREADS; t++) {
        memset(&writers[t], 0, sizeof(writers[t]));
        writers[t].index = t;
        writers[t].bad = t == bad_one;
        pthread_create(&threads[t], NULL, write_one, &writers[t]);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
}

/* Whether client `id` is stored. */
static int stored(int64_t id)
{
    struct problem p;
    json_t *record;
    int found;

    problem_init(&p);
    record = resource_get(db, &clients_resource, 0, id, &ctx, &p);
    found = record != NULL;
    json_decref(record);
    problem_clear(&p);
    return found;
}

static void test_changes_that_meet_share_one_commit(void)
{
    struct writer writers[THREADS];
    struct write_batch_stats before, after;
    int64_t events = fixture_verified_events();

    write_batch_stats(&before);
    atomic_store(&gate, GATE_HOLD);
    run_writers(writers, 3);
    write_batch_stats(&after);
    CHECK(after.commits - before.commits == 1);
    CHECK(after.changes - before.changes == THREADS);
    for (int t = 0; t < THREADS; t++) {
        if (t == 3) {
            /* the bad change was refused and rolled back alone */
            CHECK(writers[t].status == 422 && writers[t].id == 0);
        } else {
            CHECK(writers[t].status == 0 && writers[t].id > 0 && stored(writers[t].id));
        }
    }
    /* one event per stored change, in one intact chain */
    CHECK(fixture_verified_events() == events + THREADS - 1);
}

static void test_a_failed_batch_stores_nothing(void)
{
    struct writer writers[THREADS];
    int64_t events = fixture_verified_events();

    atomic_store(&gate, GATE_FAIL);
    run_writers(writers, -1);
    for (int t = 0; t < THREADS; t++)
        CHECK(writers[t].status == 503 && writers[t].id == 0);
    CHECK(fixture_verified_events() == events);
    /* and the next change goes through */
    run_writers(writers, -1);
    for (int t = 0; t < THREADS; t++)
        CHECK(writers[t].status == 0 && stored(writers[t].id));
    CHECK(fixture_verified_events() == events + THREADS);
}

static void test_a_lone_change_commits_at_once(void)
{
    struct write_batch_stats before, after;

    write_batch_stats(&before);
    CHECK(create(&clients_resource, 0, "{\"family_name\":\"Lone\",\"given_name\":\"Test\"}") > 0);
    write_batch_stats(&after);
    CHECK(after.commits - before.commits == 1 && after.changes - before.changes == 1);
}

/* Records which connection ran the last guarded write transaction. */
static struct db *last_writer;
static int recording_guard(struct db *conn, struct problem *p)
{
    last_writer = conn;
    return gate_guard(conn, p);
}

/* With a pool, a batch led by any thread runs on the group's own connection (so its page cache
 * survives from batch to batch), never on the caller's; and batching still holds. */
static void test_a_pool_leads_on_the_groups_own_connection(void)
{
    struct problem p;
    struct db *mine, *writer;
    json_t *body, *record;

    problem_init(&p);
    db_pool_configure(file.path);
    use_pool = 1;
    db_set_write_guard(recording_guard);
    mine = db_thread(&p);
    CHECK(mine != NULL);
    body = json_pack("{s:s, s:s}", "family_name", "Pool", "given_name", "Test");
    record = resource_create(mine, &clients_resource, 0, body, &ctx, &p);
    CHECK(record != NULL);
    json_decref(record);
    json_decref(body);
    writer = db_pool_writer(GROUP_WRITER_CHANGES, &p);
    CHECK(writer != NULL && writer != mine && last_writer == writer);
    CHECK(db_pool_writer(GROUP_WRITER_AUDIT_EVENTS, &p) != writer);
    test_changes_that_meet_share_one_commit();
    CHECK(last_writer == writer);
    test_a_failed_batch_stores_nothing();
    CHECK(last_writer == writer);
    db_set_write_guard(gate_guard);
    use_pool = 0;
    db_pool_close_all();
    CHECK(db_pool_writer(GROUP_WRITER_CHANGES, &p) == NULL); /* no pool: callers lead */
    problem_clear(&p);
}

int main(void)
{
    if (temp_db_make(&file, "write-batch") != 0 || fixture_open_path(file.path) != 0)
        return 1;
    gate_queued = queued_now;
    gate_threads = THREADS;
    db_set_write_guard(gate_guard);
    test_a_lone_change_commits_at_once();
    test_changes_that_meet_share_one_commit();
    test_a_failed_batch_stores_nothing();
    test_a_pool_leads_on_the_groups_own_connection();
    db_close(db);
    temp_db_remove(&file);
    return CHECK_DONE();
}

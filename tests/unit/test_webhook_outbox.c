/* Unit tests of the change webhooks' store (issue 13): endpoints with a secret shown once,
 * events appended by the write path in the change's own transaction, claims under a lease, in
 * order per record, the backoff schedule, and a delivery given up three days after its event. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_fixture.h"
#include "webhook_endpoints.h"
#include "webhook_outbox.h"

/* The outbox's pending and failed deliveries (-1 each when they cannot be read). */
static void backlog(int64_t *pending, int64_t *failed)
{
    struct problem p;
    int64_t oldest = 0;

    problem_init(&p);
    *pending = *failed = -1;
    if (db_begin_read(db, &p) == 0) {
        webhook_outbox_backlog(db, pending, failed, &oldest, &p);
        db_rollback(db);
    }
    problem_clear(&p);
}

/* Register an endpoint from JSON text; returns the record (with its secret) or NULL, the
 * problem left in *p. */
static json_t *endpoint(const char *json, struct problem *p)
{
    json_t *body = json_loads(json, 0, NULL);
    json_t *record = webhook_endpoints_create(db, body, &ctx, p);

    json_decref(body);
    return record;
}

/* Claim what is due now into *batch; the number claimed (-1 on failure). */
static int claim(struct webhook_batch *batch)
{
    struct problem p;
    int rc;

    problem_init(&p);
    rc = webhook_outbox_claim(db, &ctx, batch, &p);
    if (rc != 0)
        fprintf(stderr, "  claim: %s\n", p.detail);
    problem_clear(&p);
    return rc == 0 ? (int)batch->count : -1;
}

/* Record a failed (error non-NULL) or delivered attempt of a claimed delivery. */
static int record(const struct webhook_attempt *a, long status, const char *error)
{
    struct problem p;
    int rc;

    problem_init(&p);
    rc = webhook_outbox_record(db, a, status, error, 12, &ctx, &p);
    problem_clear(&p);
    return rc;
}

static void test_backoff(void)
{
    CHECK(webhook_retry_delay(1) == 5);
    CHECK(webhook_retry_delay(2) == 20);
    CHECK(webhook_retry_delay(3) == 80);
    CHECK(webhook_retry_delay(7) == 20480);
    CHECK(webhook_retry_delay(8) == 8 * 3600);
    CHECK(webhook_retry_delay(40) == 8 * 3600);
}

static void test_bad_endpoints_change_nothing(void)
{
    static const char *const bad[][2] = {
        {"{\"url\": \"http://crm.example.org/h\", \"events\": [\"*\"]}", "url"},
        {"{\"url\": \"https://a:b@crm.example.org/h\", \"events\": [\"*\"]}", "url"},
        {"{\"url\": \"https://crm.example.org/h\", \"events\": [\"client.moved\"]}", "events"},
        {"{\"url\": \"https://crm.example.org/h\", \"events\": []}", "events"},
    };
    int64_t pending, failed;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct problem p;
        json_t *made;

        problem_init(&p);
        made = endpoint(bad[i][0], &p);
        CHECK(made == NULL && p.kind == PROBLEM_VALIDATION);
        CHECK(p.errors != NULL &&
              strcmp(json_string_value(json_object_get(json_array_get(p.errors, 0), "field")),
                     bad[i][1]) == 0);
        json_decref(made);
        problem_clear(&p);
    }
    /* no endpoint: a change writes no event */
    CHECK(create(&clients_resource, 0, "{\"family_name\": \"Ng\", \"given_name\": \"A\"}") > 0);
    backlog(&pending, &failed);
    CHECK(pending == 0 && failed == 0);
}

static void test_outbox(void)
{
    struct webhook_batch batch = {0};
    struct problem p;
    int64_t pending, failed, client;
    json_t *made;
    char secret[64];

    set_clock("2026-12-07", "2026-12-07T15:00:00Z");
    problem_init(&p);
    made = endpoint("{\"url\": \"https://crm.example.org/h\", "
                    "\"events\": [\"client.created\", \"client.updated\"]}",
                    &p);
    CHECK(made != NULL);
    if (made == NULL) {
        fprintf(stderr, "  endpoint: %s\n", p.detail);
        problem_clear(&p);
        return;
    }
    snprintf(secret, sizeof(secret), "%s", json_string_value(json_object_get(made, "secret")));
    CHECK(strncmp(secret, "whsec_", 6) == 0 && strlen(secret) == CRYPTO_WEBHOOK_SECRET_LEN);
    json_decref(made);
    problem_clear(&p);

    client = create(&clients_resource, 0,
                    "{\"family_name\": \"Ng\", \"given_name\": \"B\", "
                    "\"a_number\": \"A123456789\"}");
    CHECK(client > 0);
    backlog(&pending, &failed);
    CHECK(pending == 1 && failed == 0);
    /* a write that fails appends nothing */
    CHECK(create(&clients_resource, 0, "{\"family_name\": \"\"}") == 0);
    backlog(&pending, &failed);
    CHECK(pending == 1);

    CHECK(claim(&batch) == 1);
    CHECK(strcmp(batch.items[0].secret, secret) == 0);
    CHECK(strstr(batch.items[0].body, "\"type\":\"client.created\"") != NULL);
    CHECK(strstr(batch.items[0].body, "123456789") == NULL);
    CHECK(strcmp(batch.items[0].give_up_at, "2026-12-10T15:00:00Z") == 0);
    /* claimed: a second worker finds nothing until the lease ends */
    {
        struct webhook_batch other = {0};

        CHECK(claim(&other) == 0);
    }
    /* an update of the same client waits behind the create while it is not delivered */
    {
        struct problem q;
        json_t *patch = json_pack("{s:s}", "given_name", "C");
        json_t *after;

        problem_init(&q);
        after = resource_patch(db, &clients_resource, 0, client, patch, NULL, &ctx, &q);
        CHECK(after != NULL);
        json_decref(after);
        json_decref(patch);
        problem_clear(&q);
    }
    CHECK(record(&batch.items[0], 503, "webhook: the receiver answered 503") == 0);
    webhook_batch_clear(&batch);
    set_clock("2026-12-07", "2026-12-07T15:00:04Z");
    CHECK(claim(&batch) == 0); /* the create's retry is 5 s away, the update waits behind it */
    set_clock("2026-12-07", "2026-12-07T15:00:06Z");
    CHECK(claim(&batch) == 1);
    CHECK(batch.count == 1 && batch.items[0].attempts == 1 &&
          strstr(batch.items[0].body, "client.created") != NULL);
    CHECK(record(&batch.items[0], 204, NULL) == 0);
    webhook_batch_clear(&batch);
    CHECK(claim(&batch) == 1);
    CHECK(batch.count == 1 && strstr(batch.items[0].body, "client.updated") != NULL &&
          strstr(batch.items[0].body, "given_name") != NULL);
    /* failing until the three days are over: given up, never claimed again */
    for (int round = 0; round < 40 && batch.count == 1; round++) {
        char now[TIMESTAMP_LEN];

        CHECK(record(&batch.items[0], 0, "webhook: connection refused") == 0);
        webhook_batch_clear(&batch);
        dates_format_utc((time_t)(dates_epoch_of(ctx.now) + 8 * 3600 + 1), now);
        set_clock("2026-12-09", now);
        claim(&batch);
    }
    CHECK(batch.count == 0);
    webhook_batch_clear(&batch);
    backlog(&pending, &failed);
    CHECK(pending == 0 && failed == 1);
}

/* A worker that outlives its lease: another takes the delivery over, and only the result of
 * the one holding it counts (the late one is logged, not applied). */
static void test_lease(void)
{
    struct webhook_batch first = {0}, second = {0};
    int64_t pending, failed;

    set_clock("2026-12-20", "2026-12-20T10:00:00Z");
    CHECK(create(&clients_resource, 0, "{\"family_name\": \"Ng\", \"given_name\": \"L\"}") > 0);
    CHECK(claim(&first) == 1);
    set_clock("2026-12-20", "2026-12-20T10:01:00Z");
    CHECK(claim(&second) == 0); /* held: 35 s for its post and 60 s more */
    set_clock("2026-12-20", "2026-12-20T10:01:36Z");
    CHECK(claim(&second) == 1);
    CHECK(first.count == 1 && second.count == 1 &&
          first.items[0].delivery_id == second.items[0].delivery_id &&
          strcmp(first.items[0].lease, second.items[0].lease) < 0);
    {
        struct problem p;

        problem_init(&p);
        CHECK(webhook_outbox_record(db, &first.items[0], 0, "webhook: timed out", 30000, &ctx,
                                    &p) == 1);
        CHECK(webhook_outbox_record(db, &second.items[0], 204, NULL, 12, &ctx, &p) == 0);
        problem_clear(&p);
    }
    webhook_batch_clear(&first);
    webhook_batch_clear(&second);
    backlog(&pending, &failed);
    CHECK(pending == 0);
}

int main(void)
{
    if (fixture_open() != 0)
        return 1;
    test_backoff();
    test_bad_endpoints_change_nothing();
    test_outbox();
    test_lease();
    db_close(db);
    return CHECK_DONE();
}

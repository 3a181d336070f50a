/* store_fixture: an in-memory store for the unit tests that run records through the resource
 * engine: the migrated schema, a test key, the firm's zone (America/New_York), a clock held
 * still, and a helper to create records from JSON text (inline: a test uses what it needs).
 * Include it in one test file only. */
#ifndef PAROLETRACK_STORE_FIXTURE_H
#define PAROLETRACK_STORE_FIXTURE_H

#include <stdio.h>

#include "audit.h"
#include "crypto.h"
#include "migrate.h"
#include "records.h"

static struct db *db;
static struct op_context ctx;

/* Open the migrated store at `path` (":memory:", or a file for tests that need WAL and real
 * commits) with a test key. Returns 0, or -1 after printing why. */
static inline int fixture_open_path(const char *path)
{
    unsigned char key[CRYPTO_KEY_BYTES] = {7};
    struct problem p;
    int rc = 0;

    crypto_init();
    crypto_use_key(key);
    crypto_use_audit_key(key);
    dates_set_timezone("America/New_York");
    context_init(&ctx);
    problem_init(&p);
    db = db_open(path, &p);
    /* the sealed empty audit head keys_open gives a new database */
    if (db == NULL || migrate_apply(db, 0, NULL, &p) != 0 || db_begin_write(db, &p) != 0 ||
        audit_head_adopt(db, &p) != 0 || db_commit(db, &p) != 0) {
        fprintf(stderr, "setup: %s\n", p.detail);
        rc = -1;
    }
    problem_clear(&p);
    return rc;
}

/* Open the migrated in-memory store with a test key. Returns 0, or -1 after printing why. */
static inline int fixture_open(void)
{
    return fixture_open_path(":memory:");
}

/* The number of events in the audit trail when it verifies (sealed head included), else -1
 * (the reason printed). */
static inline int64_t fixture_verified_events(void)
{
    struct audit_check c = {.anchor = NULL};
    struct problem p;
    int rc;

    problem_init(&p);
    rc = audit_verify(db, &c, &p);
    if (rc != 0)
        fprintf(stderr, "  audit verify: %s %s\n", c.why, p.detail);
    problem_clear(&p);
    return rc == 0 ? c.events : -1;
}

/* Move the clock: firm-local date and UTC instant. */
static inline void set_clock(const char *today, const char *now)
{
    snprintf(ctx.today, sizeof(ctx.today), "%s", today);
    snprintf(ctx.now, sizeof(ctx.now), "%s", now);
}

/* Create a record from JSON text; returns its id (0 on failure, reported). */
static inline int64_t create(const struct resource_spec *spec, int64_t parent, const char *json)
{
    struct problem p;
    json_t *body = json_loads(json, 0, NULL), *record;
    int64_t id = 0;

    problem_init(&p);
    record = resource_create(db, spec, parent, body, &ctx, &p);
    if (record == NULL)
        fprintf(stderr, "  create %s failed: %s\n", spec->noun, p.detail);
    else
        id = json_integer_value(json_object_get(record, "id"));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
    return id;
}

#endif

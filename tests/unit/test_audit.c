/* Unit tests of audit: the chain, its verification, tampering caught, append-only triggers,
 * and change diffs with redaction. */
#include <string.h>

#include "audit.h"
#include "check.h"
#include "crypto.h"
#include "migrate.h"

static struct db *db;

/* Append an event in its own transaction. */
static int append(const char *action, int64_t entity_id, json_t *changes)
{
    struct op_context ctx;
    struct problem p;
    int rc;

    resource_context_init(&ctx);
    ctx.actor.type = ACTOR_USER;
    ctx.actor.id = 3;
    snprintf(ctx.actor.label, sizeof(ctx.actor.label), "ana@example.org");
    ctx.request_id = "req-1";
    problem_init(&p);
    rc = db_begin_write(db, &p) == 0 &&
                 audit_append(db, &ctx, action, "client", entity_id, 0, changes, &p) == 0 &&
                 db_commit(db, &p) == 0
             ? 0
             : -1;
    if (rc != 0)
        db_rollback(db);
    problem_clear(&p);
    json_decref(changes);
    return rc;
}

/* Verify the chain: 0 intact, 1 broken (broken_at set). */
static int verify(int64_t *events, int64_t *broken_at)
{
    struct problem p;
    char why[256];
    int rc;

    problem_init(&p);
    rc = audit_verify(db, events, broken_at, why, sizeof(why), &p);
    problem_clear(&p);
    return rc;
}

static void test_changes(void)
{
    static const char *const fields[] = {"family_name", "a_number", "notes", "citizenship", NULL};
    static const char *const secret[] = {"a_number", "notes", NULL};
    json_t *before = json_pack("{s:s, s:s, s:n, s:s}", "family_name", "Kovalenko", "a_number",
                               "A012345678", "notes", "citizenship", "UA");
    json_t *after = json_pack("{s:s, s:s, s:s, s:s}", "family_name", "Kovalenko-Smith", "a_number",
                              "A012345679", "notes", "new", "citizenship", "UA");
    json_t *c = audit_changes(before, after, fields, secret);
    char *text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);

    CHECK(json_object_size(c) == 3); /* citizenship unchanged */
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "family_name"), "after")),
              "Kovalenko-Smith");
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "a_number"), "before")),
              AUDIT_REDACTED);
    CHECK(json_is_null(json_object_get(json_object_get(c, "notes"), "before")));
    CHECK(strstr(text, "A01234567") == NULL && strstr(text, "new") == NULL);
    free(text);
    json_decref(c);
    c = audit_changes(NULL, after, fields, secret); /* a create */
    CHECK(json_object_size(c) == 4);
    CHECK(json_is_null(json_object_get(json_object_get(c, "citizenship"), "before")));
    json_decref(c);
    json_decref(before);
    json_decref(after);
}

int main(void)
{
    struct problem p;
    int64_t events = 0, broken = 0;

    crypto_init();
    {
        unsigned char key[CRYPTO_KEY_BYTES] = {5};

        crypto_use_audit_key(key);
    }
    problem_init(&p);
    db = db_open(":memory:", &p);
    if (db == NULL || migrate_apply(db, 0, NULL, &p) != 0)
        return 1;
    CHECK(verify(&events, &broken) == 0 && events == 0);
    CHECK(append("create", 1,
                 json_pack("{s:{s:n, s:s}}", "family_name", "before", "after", "Шевченко")) == 0);
    CHECK(append("update", 1, NULL) == 0);
    CHECK(append("read_identifiers", 1, NULL) == 0);
    CHECK(append("delete", 1, NULL) == 0);
    CHECK(verify(&events, &broken) == 0 && events == 4);
    /* Another key cannot have made this chain. */
    {
        unsigned char other[CRYPTO_KEY_BYTES] = {6}, key[CRYPTO_KEY_BYTES] = {5};

        crypto_use_audit_key(other);
        CHECK(verify(&events, &broken) == 1 && broken == 1);
        crypto_use_audit_key(key);
    }

    /* The database refuses to change or remove an event. */
    CHECK(db_exec(db, "UPDATE audit_events SET action = 'x' WHERE id = 2", &p) != 0);
    problem_clear(&p);
    CHECK(db_exec(db, "DELETE FROM audit_events WHERE id = 2", &p) != 0);
    problem_clear(&p);

    /* Behind the triggers' back: removing the newest event is caught by the recorded head... */
    CHECK(db_exec(db,
                  "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
                  "DELETE FROM audit_events WHERE id = 4",
                  &p) == 0);
    CHECK(verify(&events, &broken) == 1 && broken == 3);
    /* ...an altered event by its hash... */
    CHECK(db_exec(db, "UPDATE audit_events SET changes = '{}' WHERE id = 1", &p) == 0);
    CHECK(verify(&events, &broken) == 1 && broken == 1);
    /* ...and so is a removed one (the next no longer follows its predecessor). */
    CHECK(db_exec(db, "DELETE FROM audit_events WHERE id = 1", &p) == 0);
    CHECK(verify(&events, &broken) == 1 && broken == 2);
    test_changes();
    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}

/* Unit tests of audit: the chain, its verification, tampering caught, append-only triggers,
 * the sealed head (MAC, count, rollback, forged appends), anchors, and change diffs with
 * redaction. */
#include <string.h>

#include "audit.h"
#include "check.h"
#include "crypto.h"
#include "migrate.h"

#define HASH64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct db *db;

/* Append an event in its own transaction. */
static int append(const char *action, int64_t entity_id, json_t *changes)
{
    struct op_context ctx;
    struct problem p;
    int rc;

    context_init(&ctx);
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

static char why[320];

/* Verify the chain (and the anchor, when not NULL): 0 intact, 1 broken (broken_at and why set). */
static int verify_anchor(const struct audit_anchor *anchor, int64_t *events, int64_t *broken_at,
                         struct audit_anchor *head)
{
    struct audit_check c = {.anchor = anchor};
    struct problem p;
    int rc;

    problem_init(&p);
    rc = audit_verify(db, &c, &p);
    problem_clear(&p);
    *events = c.events;
    *broken_at = c.broken_at;
    snprintf(why, sizeof(why), "%s", c.why);
    if (head != NULL)
        *head = c.head;
    return rc;
}

/* Verify the chain: 0 intact, 1 broken (broken_at set). */
static int verify(int64_t *events, int64_t *broken_at)
{
    return verify_anchor(NULL, events, broken_at, NULL);
}

/* Run audit_head_adopt in its own write transaction, as field_key_open does. */
static int adopt(void)
{
    struct problem p;
    int rc;

    problem_init(&p);
    if (db_begin_write(db, &p) != 0)
        return -1;
    rc = audit_head_adopt(db, &p);
    if (rc < 0 || db_commit(db, &p) != 0)
        db_rollback(db);
    problem_clear(&p);
    return rc;
}

/* Run SQL behind the application's back. Returns 0 or -1. */
static int sql(const char *text)
{
    struct problem p;
    int rc;

    problem_init(&p);
    rc = db_exec(db, text, &p);
    problem_clear(&p);
    return rc;
}

/* A fresh migrated in-memory database with an adopted (sealed, empty) head. */
static int open_fresh(void)
{
    struct problem p;
    int rc = 0;

    db_close(db);
    problem_init(&p);
    db = db_open(":memory:", &p);
    if (db == NULL || migrate_apply(db, 0, NULL, &p) != 0 || adopt() != 0)
        rc = -1;
    problem_clear(&p);
    return rc;
}

/* The sealed head: its MAC, its count, rollbacks, forged appends and removal are caught; a MAC
 * is never taken from the chain's key. */
static void test_head(void)
{
    int64_t events = 0, broken = 0;

    CHECK(open_fresh() == 0);
    CHECK(verify(&events, &broken) == 0 && events == 0);
    for (int i = 1; i <= 5; i++)
        CHECK(append("update", i, NULL) == 0);
    CHECK(verify(&events, &broken) == 0 && events == 5);
    CHECK(sql("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
              "DROP TRIGGER audit_head_no_delete") == 0);
    /* The attack: delete the newest two and point the head at the new last event. */
    CHECK(sql("CREATE TABLE saved AS SELECT * FROM audit_events WHERE id > 3;"
              "CREATE TABLE saved_head AS SELECT * FROM audit_head;"
              "DELETE FROM audit_events WHERE id > 3;"
              "UPDATE audit_head SET event_id = 3, event_count = 3,"
              " hash = (SELECT hash FROM audit_events WHERE id = 3)") == 0);
    CHECK(verify(&events, &broken) == 1 && strstr(why, "MAC is wrong") != NULL);
    /* Cut without rewriting the head: the count and id say events were removed. */
    CHECK(sql("UPDATE audit_head SET event_id = (SELECT event_id FROM saved_head),"
              " event_count = 5, hash = (SELECT hash FROM saved_head)") == 0);
    CHECK(verify(&events, &broken) == 1 && broken == 3 && strstr(why, "removed") != NULL);
    /* An event hash as the head's MAC does not pass either: the keys differ. */
    CHECK(sql("INSERT INTO audit_events SELECT * FROM saved;"
              "UPDATE audit_head SET mac = (SELECT hash FROM audit_events WHERE id = 5)") == 0);
    CHECK(verify(&events, &broken) == 1 && strstr(why, "MAC is wrong") != NULL);
    CHECK(sql("UPDATE audit_head SET mac = (SELECT mac FROM saved_head)") == 0);
    CHECK(verify(&events, &broken) == 0 && events == 5);
    /* Another audit key: the head's MAC fails with the chain. */
    {
        unsigned char other[CRYPTO_KEY_BYTES] = {6}, key[CRYPTO_KEY_BYTES] = {5};
        char a[65], b[65];

        crypto_use_audit_key(other);
        CHECK(verify(&events, &broken) == 1);
        crypto_use_audit_key(key);
        crypto_audit_mac("x", 1, a);
        crypto_audit_head_mac("x", 1, b);
        CHECK(strcmp(a, b) != 0);
    }
    /* A stripped MAC is a failure, and adopt does not reseal a head the chain does not end at. */
    CHECK(sql("UPDATE audit_head SET mac = NULL") == 0);
    CHECK(verify(&events, &broken) == 1 && strstr(why, "not sealed") != NULL);
    CHECK(sql("DELETE FROM audit_events WHERE id = 5") == 0);
    CHECK(adopt() == 1);
    CHECK(verify(&events, &broken) == 1 && strstr(why, "not sealed") != NULL);
    /* A legacy head the chain ends at is sealed once, and appends go on from it. */
    CHECK(sql("UPDATE audit_head SET event_id = 4, event_count = 4,"
              " hash = (SELECT hash FROM audit_events WHERE id = 4)") == 0);
    CHECK(adopt() == 0);
    CHECK(verify(&events, &broken) == 0 && events == 4);
    CHECK(append("update", 6, NULL) == 0);
    CHECK(verify(&events, &broken) == 0 && events == 5);
    /* An event appended behind the application's back (a copy of a real one's row). */
    CHECK(sql("INSERT INTO audit_events (id, at, actor_type, actor_id, actor_label, action,"
              " entity, entity_id, parole_request_id, request_id, changes, prev_hash, hash)"
              " SELECT 6, at, actor_type, actor_id, actor_label, action, entity, entity_id,"
              " parole_request_id, request_id, changes, hash, hash FROM audit_events"
              " WHERE id = 5") == 0);
    CHECK(verify(&events, &broken) == 1 && broken == 6);
    CHECK(sql("DELETE FROM audit_events WHERE id = 6") == 0);
    /* An append does not carry a head forward that no longer matches the trail. */
    CHECK(sql("DELETE FROM audit_events WHERE id = 5") == 0);
    CHECK(append("update", 7, NULL) == 0);
    CHECK(verify(&events, &broken) == 1);
    /* Removing the head, or every event and the head, is a failure. */
    CHECK(sql("DELETE FROM audit_head") == 0);
    CHECK(verify(&events, &broken) == 1 && strstr(why, "missing") != NULL);
    CHECK(sql("DELETE FROM audit_events") == 0);
    CHECK(verify(&events, &broken) == 1 && strstr(why, "missing") != NULL);
}

/* Anchors: parsing, a head that stays held as the trail grows, a rollback past it. */
static void test_anchor(void)
{
    struct audit_anchor a, head, second;
    int64_t events = 0, broken = 0;
    char line[256], reason[200];
    static const char *const malformed[] = {
        "",
        "paroletrack-audit-anchor v2 id=1 count=1 hash=" HASH64 " at=2025-01-01T00:00:00Z",
        "paroletrack-audit-anchor v1 id=1 count=1 hash=" HASH64,
        "paroletrack-audit-anchor v1 id=x count=1 hash=" HASH64 " at=2025-01-01T00:00:00Z",
        "paroletrack-audit-anchor v1 id=-1 count=1 hash=" HASH64 " at=2025-01-01T00:00:00Z",
        "paroletrack-audit-anchor v1 id=1 count=0 hash=" HASH64 " at=2025-01-01T00:00:00Z",
        "paroletrack-audit-anchor v1 id=1 count=1 hash=ABC at=2025-01-01T00:00:00Z",
        "paroletrack-audit-anchor v1 id=1 count=1 hash=" HASH64 " at=yesterday",
        "paroletrack-audit-anchor v1 id=1 count=1 hash=" HASH64 " at=2025-01-01T00:00:00Z x",
        NULL};

    CHECK(audit_anchor_parse("paroletrack-audit-anchor v1 id=12 count=12 hash=" HASH64
                             " at=2025-01-01T00:00:00Z\n",
                             &a, reason, sizeof(reason)) == 0);
    CHECK(a.id == 12 && a.count == 12 && strcmp(a.hash, HASH64) == 0);
    audit_anchor_format(&a, line, sizeof(line));
    CHECK_STR(line,
              "paroletrack-audit-anchor v1 id=12 count=12 hash=" HASH64 " at=2025-01-01T00:00:00Z");
    for (int i = 0; malformed[i]; i++)
        CHECK(audit_anchor_parse(malformed[i], &a, reason, sizeof(reason)) == -1 &&
              reason[0] != '\0');

    CHECK(open_fresh() == 0);
    for (int i = 1; i <= 3; i++)
        CHECK(append("update", i, NULL) == 0);
    CHECK(verify_anchor(NULL, &events, &broken, &head) == 0 && head.id == 3 && head.count == 3);
    CHECK(verify_anchor(&head, &events, &broken, NULL) == 0);
    CHECK(append("update", 4, NULL) == 0);
    CHECK(verify_anchor(&head, &events, &broken, &second) == 0 && second.id == 4);
    /* A wrong hash or count at the anchored event. */
    a = head;
    a.hash[0] = a.hash[0] == '0' ? '1' : '0';
    CHECK(verify_anchor(&a, &events, &broken, NULL) == 1 && strstr(why, "rewritten") != NULL);
    a = head;
    a.count = 2;
    CHECK(verify_anchor(&a, &events, &broken, NULL) == 1);
    /* Rolled back past the anchor, head rewritten with a valid seal (as a key holder could). */
    CHECK(sql("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id >= 3;"
              "UPDATE audit_head SET mac = NULL, event_id = 2, event_count = 2,"
              " hash = (SELECT hash FROM audit_events WHERE id = 2)") == 0);
    CHECK(adopt() == 0);
    CHECK(verify(&events, &broken) == 0 && events == 2);
    CHECK(verify_anchor(&head, &events, &broken, NULL) == 1 && broken == 3 &&
          strstr(why, "rolled back") != NULL);
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
    if (db == NULL || migrate_apply(db, 0, NULL, &p) != 0 || adopt() != 0)
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
    test_head();
    test_anchor();
    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}

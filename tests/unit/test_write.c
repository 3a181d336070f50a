/* Unit tests of the one write path (store/write.c): a change commits with exactly one audit
 * event; a failure at any step (404, a stale If-Match, a bad field, an after-write rule)
 * changes nothing and appends nothing; and the kinds that use it (resources, users, rules,
 * settings, API keys, sessions) keep those guarantees. */
#include <string.h>

#include "check.h"
#include "store_fixture.h"

#include "api_key_store.h"
#include "rule_store.h"
#include "settings.h"
#include "user_access.h"
#include "users.h"
#include "write.h"

/* The id of the newest audit event (0: none). */
static int64_t last_event(void)
{
    struct problem p;
    int64_t id = 0;

    problem_init(&p);
    if (db_scalar_int(db, SQL_AUDIT_LAST, NULL, &id, &p) != 0)
        fprintf(stderr, "audit_last: %s\n", p.detail);
    problem_clear(&p);
    return id;
}

/* The value of a settings row ("" when none). */
static const char *setting(const char *key)
{
    static char value[128];
    struct problem p;

    problem_init(&p);
    if (settings_value(db, key, value, sizeof(value), &p) != 0)
        value[0] = '\0';
    problem_clear(&p);
    return value;
}

/* A test kind over one settings row, "test_note": its record is {"note", "version"}, where
 * version is the length of the note (so a client can hold a stale one). What the write does
 * and whether the after-write rule refuses are set per test. */
static int fail_in_write, fail_after_write, writes_run;

static json_t *note_read(struct db *d, struct write_call *w, struct problem *p)
{
    const char *note = setting("test_note");

    (void)d, (void)w;
    if (note[0] == '\0') {
        problem_set(p, PROBLEM_NOT_FOUND, "no note");
        return NULL;
    }
    return json_pack("{s:s, s:I}", "note", note, "version", (json_int_t)strlen(note));
}

static int note_write(struct db *d, struct write_call *w, const json_t *before, struct problem *p)
{
    (void)before;
    writes_run++;
    if (settings_put(d, "test_note", json_string_value(json_object_get(w->input, "note")),
                     w->ctx->now, p) != 0)
        return -1;
    if (fail_in_write) {
        problem_add_field(p, "note", "is refused by the test");
        return problem_finish_checks(p);
    }
    return 0;
}

static int note_after(struct db *d, struct write_call *w, const json_t *before, struct problem *p)
{
    (void)d, (void)w, (void)before;
    return fail_after_write ? problem_set(p, PROBLEM_CONFLICT, "refused after the write") : 0;
}

static const char *const note_audited[] = {"note", NULL};
static const struct write_kind note_kind = {
    .entity = "notes",
    .noun = "note",
    .read = note_read,
    .write = note_write,
    .after_write = note_after,
    .audited = note_audited,
};

/* Run one note change; returns the status of the problem (0 on success) and the result. */
static int note_change(enum write_mode mode, const char *note, const struct if_match *if_match,
                       json_t **out)
{
    json_t *input = json_pack("{s:s}", "note", note), *result;
    struct write_call w = {.kind = &note_kind,
                           .mode = mode,
                           .action = "note_change",
                           .id = 1,
                           .input = input,
                           .if_match = if_match,
                           .ctx = &ctx};
    struct problem p;
    int status;

    problem_init(&p);
    result = write_run(db, &w, &p);
    status = result != NULL ? 0 : problem_status(p.kind);
    if (out != NULL)
        *out = result;
    else
        json_decref(result);
    json_decref(input);
    problem_clear(&p);
    return status;
}

static void test_write_path(void)
{
    struct if_match stale = {.present = 1, .count = 1, .versions = {99}};
    struct if_match current = {.present = 1, .count = 1, .versions = {5}};
    int64_t before;
    json_t *result = NULL;

    /* an update of a record that is not there: 404, the write never runs */
    writes_run = 0;
    CHECK(note_change(WRITE_UPDATE, "first", NULL, NULL) == 404);
    CHECK(writes_run == 0);
    /* a create: the write runs, the record is read back, one event appended */
    before = last_event();
    CHECK(note_change(WRITE_CREATE, "first", NULL, &result) == 0);
    CHECK_STR(json_string_value(json_object_get(result, "note")), "first");
    json_decref(result);
    CHECK(last_event() == before + 1);
    /* a stale If-Match: 412 before the write runs; nothing changes */
    before = last_event();
    writes_run = 0;
    CHECK(note_change(WRITE_UPDATE, "second", &stale, NULL) == 412);
    CHECK(writes_run == 0);
    CHECK_STR(setting("test_note"), "first");
    CHECK(last_event() == before);
    /* the write refuses after writing its row: 422, the row is rolled back, no event */
    fail_in_write = 1;
    CHECK(note_change(WRITE_UPDATE, "second", &current, NULL) == 422);
    fail_in_write = 0;
    CHECK_STR(setting("test_note"), "first");
    CHECK(last_event() == before);
    /* the after-write rule refuses: 409, the write is rolled back, no event */
    fail_after_write = 1;
    CHECK(note_change(WRITE_UPDATE, "second", &current, NULL) == 409);
    fail_after_write = 0;
    CHECK_STR(setting("test_note"), "first");
    CHECK(last_event() == before);
    /* the matching version: stored, and the event diffs the audited field */
    CHECK(note_change(WRITE_UPDATE, "second", &current, &result) == 0);
    CHECK_STR(json_string_value(json_object_get(result, "note")), "second");
    json_decref(result);
    CHECK(last_event() == before + 1);
    /* a delete returns the record as it was */
    CHECK(note_change(WRITE_DELETE, "ignored", NULL, &result) == 0);
    CHECK_STR(json_string_value(json_object_get(result, "note")), "second");
    json_decref(result);
}

/* A user for the tests of the user kinds. Returns the user (caller owns) or NULL. */
static json_t *new_user(const char *email, const char *role)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Test User", "role",
                             role, "password", "correct horse battery staple 42"),
           *user;
    struct problem p;

    problem_init(&p);
    user = users_create(db, body, &ctx, &p);
    if (user == NULL)
        fprintf(stderr, "users_create: %s\n", p.detail);
    problem_clear(&p);
    json_decref(body);
    return user;
}

static void test_user_kinds(void)
{
    json_t *admin = new_user("admin@example.org", "admin"), *patch, *result, *again;
    int64_t id = json_integer_value(json_object_get(admin, "id")), before;
    struct if_match stale = {.present = 1, .count = 1, .versions = {41}};
    struct problem p;

    CHECK(admin != NULL);
    /* the same e-mail again: 409 naming the field, no event */
    before = last_event();
    problem_init(&p);
    {
        json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "email", "ADMIN@example.org", "name",
                                 "Other", "role", "viewer", "password", "Zq8#vLm2!pTr9&wX-quokka");

        CHECK(users_create(db, body, &ctx, &p) == NULL);
        json_decref(body);
    }
    CHECK(p.kind == PROBLEM_CONFLICT);
    CHECK(last_event() == before);
    problem_clear(&p);
    /* demoting the only admin: 409, the role stays, no event */
    patch = json_pack("{s:s}", "role", "viewer");
    problem_init(&p);
    CHECK(users_update(db, id, patch, NULL, &ctx, &p) == NULL);
    CHECK(p.kind == PROBLEM_CONFLICT);
    problem_clear(&p);
    problem_init(&p);
    if (db_begin_read(db, &p) == 0) {
        again = users_read(db, id, &p);
        db_rollback(db);
        CHECK_STR(json_string_value(json_object_get(again, "role")), "admin");
        json_decref(again);
    }
    problem_clear(&p);
    CHECK(last_event() == before);
    /* a stale version: 412 */
    problem_init(&p);
    CHECK(users_update(db, id, patch, &stale, &ctx, &p) == NULL);
    CHECK(p.kind == PROBLEM_PRECONDITION_FAILED);
    problem_clear(&p);
    json_decref(patch);
    /* ending the sessions of a user who does not exist: 404; of one who does: one event */
    problem_init(&p);
    CHECK(user_access_end_sessions(db, id + 100, 0, &ctx, &p) == -1);
    CHECK(p.kind == PROBLEM_NOT_FOUND);
    problem_clear(&p);
    problem_init(&p);
    CHECK(user_access_end_sessions(db, id, 0, &ctx, &p) == 0);
    CHECK(last_event() == before + 1);
    /* one named session that is not there: 404, no event */
    CHECK(user_access_end_sessions(db, id, 12345, &ctx, &p) == -1);
    CHECK(p.kind == PROBLEM_NOT_FOUND);
    CHECK(last_event() == before + 1);
    problem_clear(&p);
    /* a renamed user is read back as stored */
    patch = json_pack("{s:s}", "name", "Renamed");
    problem_init(&p);
    result = users_update(db, id, patch, NULL, &ctx, &p);
    CHECK_STR(json_string_value(json_object_get(result, "name")), "Renamed");
    CHECK(json_integer_value(json_object_get(result, "version")) ==
          json_integer_value(json_object_get(admin, "version")) + 1);
    problem_clear(&p);
    json_decref(result);
    json_decref(patch);
    json_decref(admin);
}

static void test_other_kinds(void)
{
    json_t *body, *key, *patch, *rule;
    struct problem p;
    int64_t before = last_event();

    /* an API key: created with its one-time secret; revoked once, then 404 */
    body = json_pack("{s:s, s:[s]}", "name", "CRM", "scopes", "read");
    problem_init(&p);
    key = api_key_store_create(db, body, 0, &ctx, &p);
    CHECK(key != NULL && strncmp(json_string_value(json_object_get(key, "key")), "pt_", 3) == 0);
    CHECK(last_event() == before + 1);
    CHECK(api_key_store_revoke(db, json_integer_value(json_object_get(key, "id")), &ctx, &p) == 0);
    CHECK(api_key_store_revoke(db, json_integer_value(json_object_get(key, "id")), &ctx, &p) == -1);
    CHECK(p.kind == PROBLEM_NOT_FOUND);
    CHECK(last_event() == before + 2);
    problem_clear(&p);
    json_decref(key);
    json_decref(body);
    /* a rule whose effective_to is not after effective_from: 422 naming the field, no event */
    patch = json_pack("{s:s, s:s}", "effective_from", "2025-01-01", "effective_to", "2024-01-01");
    problem_init(&p);
    CHECK(rule_store_patch(db, 1, patch, NULL, &ctx, &p) == NULL);
    CHECK(p.kind == PROBLEM_VALIDATION);
    CHECK(p.errors != NULL && json_object_get(json_array_get(p.errors, 0), "field") != NULL &&
          strcmp(json_string_value(json_object_get(json_array_get(p.errors, 0), "field")),
                 "effective_to") == 0);
    CHECK(last_event() == before + 2);
    problem_clear(&p);
    json_decref(patch);
    /* a rule change: stored, version up, one event */
    patch = json_pack("{s:s}", "description", "Changed by the write-path test");
    problem_init(&p);
    rule = rule_store_patch(db, 1, patch, NULL, &ctx, &p);
    CHECK_STR(json_string_value(json_object_get(rule, "description")),
              "Changed by the write-path test");
    CHECK(last_event() == before + 3);
    problem_clear(&p);
    json_decref(rule);
    json_decref(patch);
    /* settings: a bad value changes nothing; a good one is stored */
    patch = json_pack("{s:i}", "session_idle_minutes", 1);
    problem_init(&p);
    CHECK(settings_patch(db, patch, &ctx, &p) == NULL);
    CHECK(p.kind == PROBLEM_VALIDATION);
    CHECK(last_event() == before + 3);
    problem_clear(&p);
    json_decref(patch);
    patch = json_pack("{s:i}", "session_idle_minutes", 45);
    problem_init(&p);
    rule = settings_patch(db, patch, &ctx, &p);
    CHECK(json_integer_value(json_object_get(rule, "session_idle_minutes")) == 45);
    CHECK_STR(setting("session_idle_minutes"), "45");
    CHECK(last_event() == before + 4);
    problem_clear(&p);
    json_decref(rule);
    json_decref(patch);
}

static void test_resource_kind(void)
{
    struct if_match stale = {.present = 1, .count = 1, .versions = {7}};
    struct problem p;
    int64_t client, request, before;
    json_t *patch, *result;
    char body[160];

    set_clock("2026-06-15", "2026-06-15T16:00:00Z");
    client =
        create(&clients_resource, 0, "{\"family_name\":\"Kovalenko\",\"given_name\":\"Olena\"}");
    snprintf(body, sizeof(body), "{\"client_id\":%lld,\"parole_type\":\"humanitarian\"}",
             (long long)client);
    request = create(&parole_requests_resource, 0, body);
    CHECK(client > 0 && request > 0);
    before = last_event();
    /* a stale version: 412, the name stays */
    patch = json_pack("{s:s}", "given_name", "Olha");
    problem_init(&p);
    CHECK(resource_patch(db, &clients_resource, 0, client, patch, &stale, &ctx, &p) == NULL);
    CHECK(p.kind == PROBLEM_PRECONDITION_FAILED);
    problem_clear(&p);
    CHECK(last_event() == before);
    /* the client has a request: its delete is refused (409) and changes nothing */
    problem_init(&p);
    CHECK(resource_delete(db, &clients_resource, 0, client, NULL, &ctx, &p) == -1);
    CHECK(p.kind == PROBLEM_CONFLICT);
    problem_clear(&p);
    CHECK(last_event() == before);
    /* a current patch: stored with one event that joins no request's history */
    problem_init(&p);
    result = resource_patch(db, &clients_resource, 0, client, patch, NULL, &ctx, &p);
    CHECK_STR(json_string_value(json_object_get(result, "given_name")), "Olha");
    CHECK(last_event() == before + 1);
    problem_clear(&p);
    json_decref(result);
    json_decref(patch);
}

int main(void)
{
    if (fixture_open() != 0)
        return 1;
    test_resource_kind();
    test_write_path();
    test_user_kinds();
    test_other_kinds();
    db_close(db);
    return CHECK_DONE();
}

/* In-process tests of the API: requests go straight into api_handle (no socket, no HTTP
 * framing) against a migrated database file with its key, authenticated with a real API key.
 * They prove what the route table and the handlers promise on their own: routing (404, 405
 * with Allow), authentication (401), the strict body check (422 naming the field, nothing
 * stored), creation (201 with Location and ETag), optimistic concurrency (412), and reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "api_key_store.h"
#include "check.h"
#include "crypto.h"
#include "field_key.h"
#include "migrate.h"
#include "temp_db.h"

static char bearer[160];

/* Send one request; the reply is the caller's to clear with call_reply_clear(). */
static void send(const char *method, const char *path, const char *body, const char *if_match,
                 int with_key, struct call_reply *reply)
{
    struct call_request request = {
        .method = method,
        .path = path,
        .body = body,
        .body_len = body ? strlen(body) : 0,
        .content_type = body ? "application/json" : NULL,
        .if_match = if_match,
        .request_id = "unit-test",
        .authorization = with_key ? bearer : NULL,
        .client_address = "127.0.0.1",
    };

    memset(reply, 0, sizeof(*reply));
    api_handle(&request, reply);
}

/* The "field" of the first field error of a problem reply, or "". */
static const char *first_error_field(const struct call_reply *reply)
{
    const char *field = json_string_value(
        json_object_get(json_array_get(json_object_get(reply->body, "errors"), 0), "field"));

    return field ? field : "";
}

/* Open the database file (migrated, keyed) the API will use, and make an API key with both
 * scopes. Returns 0, or -1 after printing why. */
static int setup(const char *path, const char *key_path)
{
    struct op_context ctx;
    struct problem p;
    struct db *db;
    json_t *body = json_pack("{s:s, s:[s, s]}", "name", "unit test", "scopes", "read", "write");
    json_t *key = NULL;
    int rc = -1;

    problem_init(&p);
    context_init(&ctx);
    ctx.actor.type = ACTOR_CLI;
    db = db_open(path, &p);
    if (db != NULL && migrate_apply(db, 0, NULL, &p) == 0 &&
        field_key_open(db, key_path, NULL, &p) == 0)
        key = api_key_store_create(db, body, 0, &ctx, &p);
    if (key != NULL) {
        snprintf(bearer, sizeof(bearer), "Bearer %s",
                 json_string_value(json_object_get(key, "key")));
        rc = 0;
    } else {
        fprintf(stderr, "setup: %s\n", p.detail);
    }
    json_decref(key);
    json_decref(body);
    db_close(db);
    problem_clear(&p);
    if (rc == 0)
        db_pool_configure(path);
    return rc;
}

static void test_routing_and_auth(void)
{
    struct call_reply reply;

    send("GET", "/api/v1/clients", NULL, NULL, 0, &reply);
    CHECK(reply.status == 401 && reply.is_problem);
    call_reply_clear(&reply);
    send("GET", "/api/v1/no-such-thing", NULL, NULL, 1, &reply);
    CHECK(reply.status == 404 && reply.is_problem);
    call_reply_clear(&reply);
    send("PUT", "/api/v1/clients", "{}", NULL, 1, &reply);
    CHECK(reply.status == 405);
    CHECK(strstr(reply.allow, "GET") != NULL && strstr(reply.allow, "POST") != NULL);
    call_reply_clear(&reply);
    send("GET", "/api/v1/clients", NULL, NULL, 1, &reply);
    CHECK(reply.status == 200 && json_array_size(json_object_get(reply.body, "items")) == 0);
    call_reply_clear(&reply);
}

static void test_write_and_read(void)
{
    struct call_reply reply;
    char path[64], etag[32];
    int64_t id;

    /* a bad field: 422 naming it, and nothing stored */
    send("POST", "/api/v1/clients",
         "{\"family_name\":\"Kovalenko\",\"given_name\":\"Olena\","
         "\"country_of_birth\":\"Ukrainia\"}",
         NULL, 1, &reply);
    CHECK(reply.status == 422 && reply.is_problem);
    CHECK_STR(first_error_field(&reply), "country_of_birth");
    call_reply_clear(&reply);
    send("GET", "/api/v1/clients", NULL, NULL, 1, &reply);
    CHECK(json_array_size(json_object_get(reply.body, "items")) == 0);
    call_reply_clear(&reply);
    /* a good one: 201, Location and ETag of version 1 */
    send("POST", "/api/v1/clients", "{\"family_name\":\"Kovalenko\",\"given_name\":\"Olena\"}",
         NULL, 1, &reply);
    CHECK(reply.status == 201);
    id = json_integer_value(json_object_get(reply.body, "id"));
    snprintf(path, sizeof(path), "/api/v1/clients/%lld", (long long)id);
    CHECK_STR(reply.location, path);
    CHECK_STR(reply.etag, "\"1\"");
    snprintf(etag, sizeof(etag), "%s", reply.etag);
    call_reply_clear(&reply);
    /* a patch with the current ETag: 200, version 2; the same ETag again: 412 */
    send("PATCH", path, "{\"given_name\":\"Olha\"}", etag, 1, &reply);
    CHECK(reply.status == 200);
    CHECK_STR(json_string_value(json_object_get(reply.body, "given_name")), "Olha");
    CHECK_STR(reply.etag, "\"2\"");
    call_reply_clear(&reply);
    send("PATCH", path, "{\"given_name\":\"Oksana\"}", etag, 1, &reply);
    CHECK(reply.status == 412 && reply.is_problem);
    call_reply_clear(&reply);
    /* the read shows the stored record */
    send("GET", path, NULL, NULL, 1, &reply);
    CHECK(reply.status == 200);
    CHECK_STR(json_string_value(json_object_get(reply.body, "given_name")), "Olha");
    call_reply_clear(&reply);
    /* a malformed body: 400 */
    send("POST", "/api/v1/clients", "{\"family_name\":", NULL, 1, &reply);
    CHECK(reply.status == 400 && reply.is_problem);
    call_reply_clear(&reply);
}

int main(void)
{
    struct temp_db t;

    if (temp_db_make(&t, "api") != 0 || crypto_init() != 0)
        return 1;
    dates_set_timezone("America/New_York");
    if (setup(t.path, t.key) != 0)
        return 1;
    test_routing_and_auth();
    test_write_and_read();
    db_pool_close_all();
    temp_db_remove(&t);
    return CHECK_DONE();
}

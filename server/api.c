/* api: the route table and the handlers behind it. */
#include "api.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts.h"
#include "apikeys.h"
#include "audit.h"
#include "auth.h"
#include "calendar.h"
#include "deadlines.h"
#include "keys.h"
#include "resources.h"
#include "sessions.h"
#include "settings.h"
#include "static_files.h"
#include "stats.h"
#include "timeline.h"
#include "user_sessions.h"

struct route;
typedef void (*route_handler)(struct api_call *call, const struct route *route,
                              struct api_reply *reply);

struct route {
    const char *method;
    const char *pattern; /* segments; "{id}" and "{child_id}" are positive integers */
    enum permission permission;
    route_handler handler;
    const struct resource_spec *resource; /* for the generic resource handlers */
    int enrolment_ok; /* open to a session that still has to enrol a second factor */
};

static void handle_health(struct api_call *call, const struct route *route,
                          struct api_reply *reply);
static void handle_list(struct api_call *call, const struct route *route, struct api_reply *reply);
static void handle_create(struct api_call *call, const struct route *route,
                          struct api_reply *reply);
static void handle_get(struct api_call *call, const struct route *route, struct api_reply *reply);
static void handle_patch(struct api_call *call, const struct route *route, struct api_reply *reply);
static void handle_delete(struct api_call *call, const struct route *route,
                          struct api_reply *reply);
static void handle_timeline(struct api_call *call, const struct route *route,
                            struct api_reply *reply);
static void handle_history(struct api_call *call, const struct route *route,
                           struct api_reply *reply);
static void handle_audit_list(struct api_call *call, const struct route *route,
                              struct api_reply *reply);
static void handle_settings_get(struct api_call *call, const struct route *route,
                                struct api_reply *reply);
static void handle_settings_patch(struct api_call *call, const struct route *route,
                                  struct api_reply *reply);

/* Adapts a handler of the accounts modules (which need no route) to the table. */
#define PLAIN(fn)                                                                                  \
    static void plain_##fn(struct api_call *call, const struct route *route,                       \
                           struct api_reply *reply)                                                \
    {                                                                                              \
        (void)route;                                                                               \
        fn(call, reply);                                                                           \
    }
PLAIN(sessions_sign_in)
PLAIN(stats_get)
PLAIN(accounts_assignees)
PLAIN(stats_fields)
PLAIN(sessions_get)
PLAIN(sessions_sign_out)
PLAIN(sessions_totp_begin)
PLAIN(sessions_totp_confirm)
PLAIN(accounts_change_own_password)
PLAIN(accounts_list)
PLAIN(accounts_post)
PLAIN(accounts_get)
PLAIN(accounts_patch)
PLAIN(user_sessions_list)
PLAIN(user_sessions_end_all)
PLAIN(user_sessions_end_one)
PLAIN(apikeys_list)
PLAIN(apikeys_post)
PLAIN(apikeys_delete)
PLAIN(deadlines_list)
PLAIN(calendar_feed_create)
PLAIN(calendar_feed_revoke)
PLAIN(calendar_feed_get)
PLAIN(deadlines_of_request)
PLAIN(deadline_rules_list)
PLAIN(deadline_rules_get)
PLAIN(deadline_rules_patch)
#undef PLAIN

#define REQUESTS "/api/v1/parole-requests/{id}/"
#define RESOURCE_ROUTES(base, spec, delete_permission)                                             \
    {"GET", base, PERM_READ, handle_list, &spec, 0},                                               \
        {"POST", base, PERM_WRITE, handle_create, &spec, 0},                                       \
        {"GET", base "/{id}", PERM_READ, handle_get, &spec, 0},                                    \
        {"PATCH", base "/{id}", PERM_WRITE, handle_patch, &spec, 0},                               \
    {                                                                                              \
        "DELETE", base "/{id}", delete_permission, handle_delete, &spec, 0                         \
    }
#define CHILD_ROUTES(name, spec)                                                                   \
    {"GET", REQUESTS name, PERM_READ, handle_list, &spec, 0},                                      \
        {"POST", REQUESTS name, PERM_WRITE, handle_create, &spec, 0},                              \
        {"GET", REQUESTS name "/{child_id}", PERM_READ, handle_get, &spec, 0},                     \
        {"PATCH", REQUESTS name "/{child_id}", PERM_WRITE, handle_patch, &spec, 0},                \
    {                                                                                              \
        "DELETE", REQUESTS name "/{child_id}", PERM_WRITE, handle_delete, &spec, 0                 \
    }

/* Every route of the service, with the permission it needs (deny by default: a route is only
 * reachable as declared here). tests/spec/check_spec.py checks it against
 * api-spec/openapi.yaml; tests/e2e/test_permissions.py walks it for every role and key. */
static const struct route routes[] = {
    {"GET", "/healthz", PERM_PUBLIC, handle_health, NULL, 1},
    {"POST", "/api/v1/session", PERM_PUBLIC, plain_sessions_sign_in, NULL, 1},
    {"GET", "/api/v1/session", PERM_SIGNED_IN, plain_sessions_get, NULL, 1},
    {"DELETE", "/api/v1/session", PERM_SIGNED_IN, plain_sessions_sign_out, NULL, 1},
    {"POST", "/api/v1/me/password", PERM_SIGNED_IN, plain_accounts_change_own_password, NULL, 1},
    {"POST", "/api/v1/me/totp", PERM_SIGNED_IN, plain_sessions_totp_begin, NULL, 1},
    {"POST", "/api/v1/me/totp/confirm", PERM_SIGNED_IN, plain_sessions_totp_confirm, NULL, 1},
    {"POST", "/api/v1/me/calendar-feed", PERM_SIGNED_IN, plain_calendar_feed_create, NULL, 0},
    {"DELETE", "/api/v1/me/calendar-feed", PERM_SIGNED_IN, plain_calendar_feed_revoke, NULL, 0},
    {"GET", "/api/v1/calendar.ics", PERM_PUBLIC, plain_calendar_feed_get, NULL, 0},
    {"GET", "/api/v1/users", PERM_ADMIN, plain_accounts_list, NULL, 0},
    {"POST", "/api/v1/users", PERM_ADMIN, plain_accounts_post, NULL, 0},
    {"GET", "/api/v1/users/{id}", PERM_ADMIN, plain_accounts_get, NULL, 0},
    {"PATCH", "/api/v1/users/{id}", PERM_ADMIN, plain_accounts_patch, NULL, 0},
    {"GET", "/api/v1/users/{id}/sessions", PERM_ADMIN, plain_user_sessions_list, NULL, 0},
    {"DELETE", "/api/v1/users/{id}/sessions", PERM_ADMIN, plain_user_sessions_end_all, NULL, 0},
    {"DELETE", "/api/v1/users/{id}/sessions/{child_id}", PERM_ADMIN, plain_user_sessions_end_one,
     NULL, 0},
    {"GET", "/api/v1/api-keys", PERM_ADMIN, plain_apikeys_list, NULL, 0},
    {"POST", "/api/v1/api-keys", PERM_ADMIN, plain_apikeys_post, NULL, 0},
    {"DELETE", "/api/v1/api-keys/{id}", PERM_ADMIN, plain_apikeys_delete, NULL, 0},
    {"GET", "/api/v1/settings", PERM_ADMIN, handle_settings_get, NULL, 0},
    {"PATCH", "/api/v1/settings", PERM_ADMIN, handle_settings_patch, NULL, 0},
    {"GET", "/api/v1/audit-events", PERM_ADMIN, handle_audit_list, NULL, 0},
    {"GET", "/api/v1/deadline-rules", PERM_ADMIN, plain_deadline_rules_list, NULL, 0},
    {"GET", "/api/v1/deadline-rules/{id}", PERM_ADMIN, plain_deadline_rules_get, NULL, 0},
    {"PATCH", "/api/v1/deadline-rules/{id}", PERM_ADMIN, plain_deadline_rules_patch, NULL, 0},
    {"GET", "/api/v1/deadlines", PERM_READ, plain_deadlines_list, NULL, 0},
    {"GET", "/api/v1/stats", PERM_READ, plain_stats_get, NULL, 0},
    {"GET", "/api/v1/assignees", PERM_READ, plain_accounts_assignees, NULL, 0},
    {"GET", "/api/v1/fields", PERM_READ, plain_stats_fields, NULL, 0},
    RESOURCE_ROUTES("/api/v1/clients", clients_resource, PERM_ADMIN),
    RESOURCE_ROUTES("/api/v1/parole-requests", parole_requests_resource, PERM_ADMIN),
    {"GET", REQUESTS "timeline", PERM_READ, handle_timeline, &parole_requests_resource, 0},
    {"GET", REQUESTS "history", PERM_READ, handle_history, &parole_requests_resource, 0},
    {"GET", REQUESTS "deadlines", PERM_READ, plain_deadlines_of_request, NULL, 0},
    CHILD_ROUTES("filings", filings_resource),
    CHILD_ROUTES("rfes", rfes_resource),
    CHILD_ROUTES("interviews", interviews_resource),
    CHILD_ROUTES("decisions", decisions_resource),
    CHILD_ROUTES("expirations", expirations_resource),
};

#define ROUTE_COUNT (sizeof(routes) / sizeof(routes[0]))

void api_print_routes(FILE *out)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        fprintf(out, "%s %s %s\n", routes[i].method, routes[i].pattern,
                auth_permission_name(routes[i].permission));
}

/* Parse a path segment as a positive id. Returns 0 and *out, or -1. */
static int parse_id_segment(const char *segment, size_t len, int64_t *out)
{
    char buf[24];
    char *end = NULL;
    long long value;

    if (len == 0 || len > 18 || segment[0] < '1' || segment[0] > '9')
        return -1;
    memcpy(buf, segment, len);
    buf[len] = '\0';
    errno = 0;
    value = strtoll(buf, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = value;
    return 0;
}

/* Match path against a route pattern, segment by segment, capturing {id} and {child_id}.
 * Returns 1 on a match. */
static int route_matches(const char *pattern, const char *path, int64_t *id, int64_t *child_id)
{
    while (*pattern && *path) {
        const char *pattern_end, *path_end;
        size_t pattern_len, path_len;

        if (*pattern != '/' || *path != '/')
            return 0;
        pattern++, path++;
        pattern_end = strchr(pattern, '/');
        path_end = strchr(path, '/');
        pattern_len = pattern_end ? (size_t)(pattern_end - pattern) : strlen(pattern);
        path_len = path_end ? (size_t)(path_end - path) : strlen(path);
        if (pattern_len == 4 && strncmp(pattern, "{id}", 4) == 0) {
            if (parse_id_segment(path, path_len, id) != 0)
                return 0;
        } else if (pattern_len == 10 && strncmp(pattern, "{child_id}", 10) == 0) {
            if (parse_id_segment(path, path_len, child_id) != 0)
                return 0;
        } else if (pattern_len != path_len || strncmp(pattern, path, path_len) != 0) {
            return 0;
        }
        pattern += pattern_len;
        path += path_len;
    }
    return *pattern == '\0' && *path == '\0';
}

void api_reply_clear(struct api_reply *reply)
{
    json_decref(reply->body);
    reply->body = NULL;
    free(reply->raw_body);
    reply->raw_body = NULL;
}

void api_reply_problem(struct api_reply *reply, const struct problem *p)
{
    free(reply->raw_body);
    reply->raw_body = NULL;
    json_decref(reply->body);
    reply->status = problem_status(p->kind);
    if (reply->status >= 500) {
        /* The cause goes to the operator's log (it names statements and SQLite errors, never
         * values); the client gets a plain message and the request id to quote. */
        struct problem generic;

        fprintf(stderr, "paroletrack: request_id=%s error: %s\n",
                reply->request_id ? reply->request_id : "-", p->detail);
        problem_init(&generic);
        problem_set(&generic, p->kind, "%s",
                    p->kind == PROBLEM_UNAVAILABLE && strcmp(p->detail, KEYS_CHANGED_DETAIL) == 0
                        ? KEYS_CHANGED_DETAIL
                    : p->kind == PROBLEM_UNAVAILABLE
                        ? "the service cannot reach its database; try again shortly"
                        : "something went wrong on the server; quote the X-Request-Id to "
                          "your administrator");
        reply->body = problem_to_json(&generic);
        problem_clear(&generic);
    } else {
        reply->body = problem_to_json(p);
    }
    if (p->retry_after > 0)
        reply->retry_after = p->retry_after;
    reply->is_problem = 1;
    reply->location[0] = '\0';
    reply->etag[0] = '\0';
}

/* Reply with a record: status, body, its ETag and, for a create, its Location. */
void api_reply_record(struct api_reply *reply, int status, json_t *record, const char *location)
{
    reply->status = status;
    reply->body = record;
    snprintf(reply->etag, sizeof(reply->etag), "\"%lld\"",
             (long long)json_integer_value(json_object_get(record, "version")));
    if (location != NULL)
        snprintf(reply->location, sizeof(reply->location), "%s/%lld", location,
                 (long long)json_integer_value(json_object_get(record, "id")));
}

/* True when the media type is one of the accepted JSON types and any charset parameter names
 * UTF-8 (JSON is UTF-8; a body declared in another charset is refused, not guessed at). */
static int is_json_media_type(const char *content_type, int allow_merge_patch)
{
    const char *charset;
    size_t len;
    int type_ok;

    if (content_type == NULL)
        return 0;
    len = strcspn(content_type, "; \t");
    type_ok = (len == strlen("application/json") &&
               strncasecmp(content_type, "application/json", len) == 0) ||
              (allow_merge_patch && len == strlen("application/merge-patch+json") &&
               strncasecmp(content_type, "application/merge-patch+json", len) == 0);
    if (!type_ok)
        return 0;
    for (charset = content_type + len; *charset; charset++)
        if (strncasecmp(charset, "charset=", 8) == 0)
            break;
    if (*charset == '\0')
        return 1;
    charset += strlen("charset=");
    if (*charset == '"')
        charset++;
    return strncasecmp(charset, "utf-8", 5) == 0 && strchr("\"; \t", charset[5]) != NULL;
}

/* Parse the body of a POST/PATCH as JSON. Returns the value (caller owns) or NULL with 415/400
 * in *p. */
json_t *api_parse_body(const struct api_request *request, int allow_merge_patch, struct problem *p)
{
    json_error_t error;
    json_t *body;

    if (!is_json_media_type(request->content_type, allow_merge_patch)) {
        problem_set(p, PROBLEM_UNSUPPORTED_MEDIA_TYPE, "send the body as %s",
                    allow_merge_patch ? "application/merge-patch+json or application/json"
                                      : "application/json");
        return NULL;
    }
    if (request->body == NULL || request->body_len == 0) {
        problem_set(p, PROBLEM_MALFORMED_JSON, "the request body is empty");
        return NULL;
    }
    body = json_loadb(request->body, request->body_len,
                      JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
    if (body == NULL)
        problem_set(p, PROBLEM_MALFORMED_JSON, "malformed JSON at line %d, column %d: %s",
                    error.line, error.column, error.text);
    return body;
}

/* Parse If-Match (RFC 9110): "*" or a comma-separated list of entity tags. Our tags are strong
 * and hold the version ("3"); a weak tag (W/"3") or another server's opaque tag can never match
 * with the strong comparison If-Match uses, so it is parsed and left out. Returns 0, or -1 with
 * a 400 in *p for a header that is not a list of entity tags. */
int api_parse_if_match(const char *header, struct if_match *cond, struct problem *p)
{
    const char *c = header;

    memset(cond, 0, sizeof(*cond));
    if (header == NULL)
        return 0;
    cond->present = 1;
    while (*c == ' ' || *c == '\t')
        c++;
    if (*c == '*') {
        cond->any = 1;
        c++;
        while (*c == ' ' || *c == '\t')
            c++;
        if (*c != '\0')
            goto bad;
        return 0;
    }
    for (;;) {
        const char *tag, *close;
        int weak = 0;

        while (*c == ' ' || *c == '\t')
            c++;
        if (c[0] == 'W' && c[1] == '/') {
            weak = 1;
            c += 2;
        }
        if (*c != '"')
            goto bad;
        tag = c + 1;
        close = strchr(tag, '"');
        if (close == NULL)
            goto bad;
        if (!weak && close > tag && (size_t)(close - tag) <= 18 &&
            strspn(tag, "0123456789") == (size_t)(close - tag) && cond->count < IF_MATCH_MAX_TAGS)
            cond->versions[cond->count++] = strtoll(tag, NULL, 10);
        c = close + 1;
        while (*c == ' ' || *c == '\t')
            c++;
        if (*c == '\0')
            return 0;
        if (*c++ != ',')
            goto bad;
    }
bad:
    problem_add_field(p, "If-Match", "must be \"*\" or entity tags from this server, like \"3\"");
    return problem_set(p, PROBLEM_BAD_REQUEST, "the If-Match header is not a list of entity tags");
}

void api_reply_simple_list(struct api_call *call, enum sql_id sql, listing_row_fn convert,
                           struct api_reply *reply)
{
    static const struct filter_spec none[] = {{.name = NULL}};
    json_t *binds = json_object(), *page = NULL;
    int64_t limit;

    if (listing_parse_query(none, call->request->query, call->request->query_count, binds, &limit,
                            &call->p) == 0 &&
        db_begin_read(call->db, &call->p) == 0) {
        page = listing_page(call->db, sql, binds, limit, convert, NULL, &call->p);
        db_rollback(call->db);
    }
    json_decref(binds);
    if (page != NULL)
        api_reply_json(reply, 200, page);
}

void api_reply_json(struct api_reply *reply, int status, json_t *body)
{
    json_decref(reply->body);
    reply->status = status;
    reply->body = body;
}

/* The collection path of a resource for Location headers. */
static void collection_path(const struct api_call *call, const struct resource_spec *spec,
                            char *out, size_t size)
{
    if (spec->is_child)
        snprintf(out, size, "/api/v1/parole-requests/%lld/%s", (long long)call->id,
                 spec->collection);
    else
        snprintf(out, size, "/api/v1/%s", spec->collection);
}

static void handle_health(struct api_call *call, const struct route *route, struct api_reply *reply)
{
    int64_t count = 0;

    (void)route;
    if (db_scalar_int(call->db, SQL_HEALTH, NULL, &count, &call->p) != 0) {
        problem_set(&call->p, PROBLEM_UNAVAILABLE, "the database does not answer");
        return;
    }
    api_reply_json(reply, 200, json_pack("{s:s}", "status", "ok"));
}

/* The parent request and target record ids of a resource route. */
static int64_t parent_of(const struct api_call *call, const struct resource_spec *spec)
{
    return spec->is_child ? call->id : 0;
}

static int64_t target_of(const struct api_call *call, const struct resource_spec *spec)
{
    return spec->is_child ? call->child_id : call->id;
}

static void handle_list(struct api_call *call, const struct route *route, struct api_reply *reply)
{
    json_t *page =
        resource_list(call->db, route->resource, parent_of(call, route->resource),
                      call->request->query, call->request->query_count, &call->ctx, &call->p);

    if (page != NULL)
        api_reply_json(reply, 200, page);
}

static void handle_create(struct api_call *call, const struct route *route, struct api_reply *reply)
{
    json_t *body = api_parse_body(call->request, 0, &call->p), *record = NULL;
    char collection[160];

    if (body != NULL)
        record = resource_create(call->db, route->resource, parent_of(call, route->resource), body,
                                 &call->ctx, &call->p);
    json_decref(body);
    if (record == NULL)
        return;
    collection_path(call, route->resource, collection, sizeof(collection));
    api_reply_record(reply, 201, record, collection);
}

static void handle_get(struct api_call *call, const struct route *route, struct api_reply *reply)
{
    json_t *record = resource_get(call->db, route->resource, parent_of(call, route->resource),
                                  target_of(call, route->resource), &call->ctx, &call->p);

    if (record != NULL)
        api_reply_record(reply, 200, record, NULL);
}

static void handle_patch(struct api_call *call, const struct route *route, struct api_reply *reply)
{
    struct if_match if_match;
    json_t *body, *record = NULL;

    if (api_parse_if_match(call->request->if_match, &if_match, &call->p) != 0)
        return;
    body = api_parse_body(call->request, 1, &call->p);
    if (body != NULL)
        record =
            resource_patch(call->db, route->resource, parent_of(call, route->resource),
                           target_of(call, route->resource), body, &if_match, &call->ctx, &call->p);
    json_decref(body);
    if (record != NULL)
        api_reply_record(reply, 200, record, NULL);
}

static void handle_delete(struct api_call *call, const struct route *route, struct api_reply *reply)
{
    struct if_match if_match;

    if (api_parse_if_match(call->request->if_match, &if_match, &call->p) != 0)
        return;
    if (resource_delete(call->db, route->resource, parent_of(call, route->resource),
                        target_of(call, route->resource), &if_match, &call->ctx, &call->p) == 0)
        reply->status = 204;
}

static void handle_timeline(struct api_call *call, const struct route *route,
                            struct api_reply *reply)
{
    json_t *timeline = timeline_of_request(call->db, call->id, &call->ctx, &call->p);

    (void)route;
    if (timeline != NULL)
        api_reply_json(reply, 200, timeline);
}

static void handle_history(struct api_call *call, const struct route *route,
                           struct api_reply *reply)
{
    json_t *page = audit_history(call->db, call->id, call->request->query,
                                 call->request->query_count, &call->p);

    (void)route;
    if (page != NULL)
        api_reply_json(reply, 200, page);
}

static void handle_audit_list(struct api_call *call, const struct route *route,
                              struct api_reply *reply)
{
    json_t *page = audit_list(call->db, call->request->query, call->request->query_count, &call->p);

    (void)route;
    if (page != NULL)
        api_reply_json(reply, 200, page);
}

static void handle_settings_get(struct api_call *call, const struct route *route,
                                struct api_reply *reply)
{
    struct settings settings;

    (void)route;
    if (db_begin_read(call->db, &call->p) == 0) {
        if (settings_read(call->db, &settings, &call->p) == 0)
            api_reply_json(reply, 200, settings_to_json(&settings));
        db_rollback(call->db);
    }
}

static void handle_settings_patch(struct api_call *call, const struct route *route,
                                  struct api_reply *reply)
{
    json_t *body = api_parse_body(call->request, 1, &call->p), *settings = NULL;

    (void)route;
    if (body != NULL && !json_is_object(body))
        problem_set(&call->p, PROBLEM_BAD_REQUEST, "a merge patch must be a JSON object");
    else if (body != NULL)
        settings = settings_patch(call->db, body, &call->ctx, &call->p);
    json_decref(body);
    if (settings != NULL)
        api_reply_json(reply, 200, settings);
}

/* Run the matched route: identify the caller, check the permission, then the handler. */
static void run_route(const struct route *route, const struct api_request *request, int64_t id,
                      int64_t child_id, struct api_reply *reply)
{
    struct principal principal;
    struct api_call call;

    memset(&call, 0, sizeof(call));
    problem_init(&call.p);
    context_init(&call.ctx);
    call.ctx.request_id = request->request_id;
    call.request = request;
    call.principal = &principal;
    call.id = id;
    call.child_id = child_id;
    call.db = db_thread(&call.p);
    if (call.db == NULL)
        goto out;
    memset(&principal, 0, sizeof(principal));
    if (route->permission != PERM_PUBLIC &&
        auth_identify(call.db, request, call.ctx.now, &principal, &call.p) != 0)
        goto out;
    if (auth_allow(&principal, route->permission, route->enrolment_ok, request, &call.p) != 0)
        goto out;
    auth_set_actor(&principal, &call.ctx);
    route->handler(&call, route, reply);
out:
    if (call.p.kind != PROBLEM_NONE)
        api_reply_problem(reply, &call.p);
    problem_clear(&call.p);
}

/* Serve an embedded dashboard file for GET/HEAD outside /api/ (public: the sign-in page and its
 * assets must load before anyone signs in). Returns 1 when the request was a file request. */
static int serve_static(const struct api_request *request, struct api_reply *reply)
{
    const struct static_file *file;

    if ((strcmp(request->method, "GET") != 0 && strcmp(request->method, "HEAD") != 0) ||
        strncmp(request->path, "/api/", 5) == 0 || strcmp(request->path, "/healthz") == 0)
        return 0;
    file = static_file_find(request->path);
    if (file == NULL)
        return 0;
    reply->route = "/{static}";
    snprintf(reply->etag, sizeof(reply->etag), "%s", file->etag);
    reply->cache_control = "no-cache"; /* revalidate with the ETag: a new build shows at once */
    if (request->if_none_match != NULL && strstr(request->if_none_match, file->etag) != NULL) {
        reply->status = 304;
        return 1;
    }
    reply->status = 200;
    reply->static_body = file->data;
    reply->static_size = file->size;
    reply->raw_content_type = file->content_type;
    return 1;
}

/* Find the route of the request's method and path (HEAD runs the GET route). Returns it with
 * the ids of the path in *id and *child_id, or NULL with a 404, or a 405 and the reply's Allow
 * header, in *p. Sets reply->route to the pattern of a known path for the access log. */
static const struct route *find_route(const struct api_request *request, int64_t *id,
                                      int64_t *child_id, struct api_reply *reply, struct problem *p)
{
    int path_known = 0;
    char allow[sizeof(reply->allow)] = "";

    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (!route_matches(routes[i].pattern, request->path, id, child_id))
            continue;
        reply->route = routes[i].pattern;
        /* HEAD is GET without the body (the HTTP layer leaves the body out). */
        if (strcmp(routes[i].method, request->method) == 0 ||
            (strcmp(request->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            return &routes[i];
        if (path_known++)
            strncat(allow, ", ", sizeof(allow) - strlen(allow) - 1);
        strncat(allow, routes[i].method, sizeof(allow) - strlen(allow) - 1);
        if (strcmp(routes[i].method, "GET") == 0)
            strncat(allow, ", HEAD", sizeof(allow) - strlen(allow) - 1);
    }
    if (path_known) {
        memcpy(reply->allow, allow, sizeof(allow));
        problem_set(p, PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed here; allowed: %s",
                    request->method, allow);
    } else
        problem_set(p, PROBLEM_NOT_FOUND, "there is nothing at this path");
    return NULL;
}

void api_handle(const struct api_request *request, struct api_reply *reply)
{
    const struct route *route;
    struct problem p;
    int64_t id = 0, child_id = 0;

    memset(reply, 0, sizeof(*reply));
    reply->route = "-";
    reply->request_id = request->request_id;
    problem_init(&p);
    if (serve_static(request, reply))
        return;
    route = find_route(request, &id, &child_id, reply, &p);
    if (route != NULL)
        run_route(route, request, id, child_id, reply);
    else
        api_reply_problem(reply, &p);
    problem_clear(&p);
}

/* True when the route reads a request body: POST and PATCH, except the POSTs whose handler
 * reads none (GET, HEAD and DELETE never read one). */
static int route_takes_body(const struct route *route)
{
    static const route_handler bodiless_posts[] = {plain_calendar_feed_create};

    if (strcmp(route->method, "POST") != 0 && strcmp(route->method, "PATCH") != 0)
        return 0;
    for (size_t i = 0; i < sizeof(bodiless_posts) / sizeof(bodiless_posts[0]); i++)
        if (route->handler == bodiless_posts[i])
            return 0;
    return 1;
}

int api_preflight(const struct api_request *head, size_t *body_limit, struct api_reply *reply)
{
    const struct route *route = NULL;
    struct principal principal;
    struct op_context ctx;
    struct problem p;
    struct db *db;
    int64_t id = 0, child_id = 0;
    int go_on;

    memset(reply, 0, sizeof(*reply));
    reply->route = "-";
    reply->request_id = head->request_id;
    *body_limit = 0;
    problem_init(&p);
    if (serve_static(head, reply)) {
        /* A file exists here: GET and HEAD of it take no body. */
        api_reply_clear(reply);
        memset(reply, 0, sizeof(*reply));
        reply->route = "/{static}";
        reply->request_id = head->request_id;
        problem_set(&p, PROBLEM_PAYLOAD_TOO_LARGE, "%s of a dashboard file takes no request body",
                    head->method);
        goto out;
    }
    route = find_route(head, &id, &child_id, reply, &p);
    if (route == NULL)
        goto out;
    /* Deny by default, as run_route does; it decides again once the body is in (the session
     * may end meanwhile). The second look-up refreshes no last-use time: this one just did. */
    if (route->permission != PERM_PUBLIC) {
        context_init(&ctx);
        db = db_thread(&p);
        if (db == NULL || auth_identify(db, head, ctx.now, &principal, &p) != 0 ||
            auth_allow(&principal, route->permission, route->enrolment_ok, head, &p) != 0)
            goto out;
    }
    if (!route_takes_body(route)) {
        problem_set(&p, PROBLEM_PAYLOAD_TOO_LARGE, "%s %s takes no request body", head->method,
                    route->pattern);
        goto out;
    }
    *body_limit = route->permission == PERM_PUBLIC ? API_PUBLIC_BODY_MAX : SIZE_MAX;
out:
    go_on = p.kind == PROBLEM_NONE;
    if (!go_on)
        api_reply_problem(reply, &p);
    problem_clear(&p);
    return go_on;
}

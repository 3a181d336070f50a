/* api: the route table, routing, the early body check and api_handle; no handler lives here
 * (the generic resource routes, health, timeline, history, audit and settings are in
 * resource_routes.c). Every handler has the one signature of call.h's world,
 * (struct call *, struct call_reply *), so the table lists the functions of the handler modules
 * themselves. This module includes every handler header; none
 * of them, nor call.h, includes api.h. */
#include "api.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts.h"
#include "api_key_routes.h"
#include "auth.h"
#include "calendar_feed.h"
#include "deadline_rules.h"
#include "deadlines.h"
#include "fee_schedule.h"
#include "field_catalogue.h"
#include "metrics_route.h"
#include "programs.h"
#include "records.h"
#include "replay.h"
#include "resource_routes.h"
#include "search_route.h"
#include "sessions.h"
#include "static_files.h"
#include "stats.h"
#include "uscis_status_routes.h"
#include "user_sessions.h"
#include "webhook_routes.h"

/* Every route's handler: it reads what it needs of the call (the resource of a generic resource
 * route is call->resource) and fills the reply, or leaves a problem in call->p. */
typedef void (*route_handler)(struct call *call, struct call_reply *reply);

struct route {
    const char *method;
    /* segments; "{id}" and "{child_id}" are positive integers, any other "{name}" a word of
     * lower-case letters and underscores (a deadline id's resource and kind) */
    const char *pattern;
    enum permission permission;
    route_handler handler;
    const struct resource_spec *resource; /* for the generic resource handlers */
    int enrolment_ok; /* open to a session that still has to enrol a second factor */
    /* The request or its answer carries a secret (a password, a key, a token, a TOTP secret or
     * recovery codes): an Idempotency-Key is refused, since a kept answer would show the secret
     * a second time and a body's fingerprint would be an unsalted hash of a password. */
    int secret_bearing;
};

#define REQUESTS "/api/v1/parole-requests/{id}/"
#define RESOURCE_ROUTES(base, spec, delete_permission)                                             \
    {"GET", base, PERM_READ, resource_routes_list, &spec, 0, 0},                                   \
        {"POST", base, PERM_WRITE, resource_routes_create, &spec, 0, 0},                           \
        {"GET", base "/{id}", PERM_READ, resource_routes_get, &spec, 0, 0},                        \
        {"PATCH", base "/{id}", PERM_WRITE, resource_routes_patch, &spec, 0, 0},                   \
    {                                                                                              \
        "DELETE", base "/{id}", delete_permission, resource_routes_delete, &spec, 0, 0             \
    }
/* One deadline: its API id ("rfes/12/rfe_response") after the collection's path. */
#define DEADLINE "/api/v1/deadlines/{resource}/{id}/{kind}"
#define CLIENTS  "/api/v1/clients/{id}/"
#define CLIENT_CHILD_ROUTES(name, spec)                                                            \
    {"GET", CLIENTS name, PERM_READ, resource_routes_list, &spec, 0, 0},                           \
        {"POST", CLIENTS name, PERM_WRITE, resource_routes_create, &spec, 0, 0},                   \
        {"GET", CLIENTS name "/{child_id}", PERM_READ, resource_routes_get, &spec, 0, 0},          \
        {"PATCH", CLIENTS name "/{child_id}", PERM_WRITE, resource_routes_patch, &spec, 0, 0},     \
    {                                                                                              \
        "DELETE", CLIENTS name "/{child_id}", PERM_WRITE, resource_routes_delete, &spec, 0, 0      \
    }
#define CHILD_ROUTES(name, spec)                                                                   \
    {"GET", REQUESTS name, PERM_READ, resource_routes_list, &spec, 0, 0},                          \
        {"POST", REQUESTS name, PERM_WRITE, resource_routes_create, &spec, 0, 0},                  \
        {"GET", REQUESTS name "/{child_id}", PERM_READ, resource_routes_get, &spec, 0, 0},         \
        {"PATCH", REQUESTS name "/{child_id}", PERM_WRITE, resource_routes_patch, &spec, 0, 0},    \
    {                                                                                              \
        "DELETE", REQUESTS name "/{child_id}", PERM_WRITE, resource_routes_delete, &spec, 0, 0     \
    }

/* Every route of the service, with the permission it needs (deny by default: a route is only
 * reachable as declared here). tests/spec/check_spec.py checks it against
 * api-spec/openapi.yaml; tests/e2e/test_permissions.py walks it for every role and key. */
static const struct route routes[] = {
    {"GET", "/healthz", PERM_PUBLIC, resource_routes_health, NULL, 1, 0},
    {"POST", "/api/v1/session", PERM_PUBLIC, sessions_sign_in, NULL, 1, 1},
    {"GET", "/api/v1/session", PERM_SIGNED_IN, sessions_get, NULL, 1, 0},
    {"DELETE", "/api/v1/session", PERM_SIGNED_IN, sessions_sign_out, NULL, 1, 0},
    {"POST", "/api/v1/me/password", PERM_SIGNED_IN, accounts_change_own_password, NULL, 1, 1},
    {"POST", "/api/v1/me/totp", PERM_SIGNED_IN, sessions_totp_begin, NULL, 1, 1},
    {"POST", "/api/v1/me/totp/confirm", PERM_SIGNED_IN, sessions_totp_confirm, NULL, 1, 1},
    {"POST", "/api/v1/me/calendar-feed", PERM_SIGNED_IN, calendar_feed_create, NULL, 0, 1},
    {"DELETE", "/api/v1/me/calendar-feed", PERM_SIGNED_IN, calendar_feed_revoke, NULL, 0, 0},
    {"GET", "/api/v1/calendar.ics", PERM_PUBLIC, calendar_feed_get, NULL, 0, 0},
    {"GET", "/api/v1/users", PERM_ADMIN, accounts_list, NULL, 0, 0},
    {"POST", "/api/v1/users", PERM_ADMIN, accounts_post, NULL, 0, 1},
    {"GET", "/api/v1/users/{id}", PERM_ADMIN, accounts_get, NULL, 0, 0},
    {"PATCH", "/api/v1/users/{id}", PERM_ADMIN, accounts_patch, NULL, 0, 1},
    {"GET", "/api/v1/users/{id}/sessions", PERM_ADMIN, user_sessions_list, NULL, 0, 0},
    {"DELETE", "/api/v1/users/{id}/sessions", PERM_ADMIN, user_sessions_end_all, NULL, 0, 0},
    {"DELETE", "/api/v1/users/{id}/sessions/{child_id}", PERM_ADMIN, user_sessions_end_one, NULL, 0,
     0},
    {"GET", "/api/v1/api-keys", PERM_ADMIN, api_key_routes_list, NULL, 0, 0},
    {"POST", "/api/v1/api-keys", PERM_ADMIN, api_key_routes_create, NULL, 0, 1},
    {"DELETE", "/api/v1/api-keys/{id}", PERM_ADMIN, api_key_routes_revoke, NULL, 0, 0},
    {"GET", "/api/v1/settings", PERM_ADMIN, resource_routes_settings_get, NULL, 0, 0},
    {"PATCH", "/api/v1/settings", PERM_ADMIN, resource_routes_settings_patch, NULL, 0, 0},
    {"GET", "/api/v1/audit-events", PERM_ADMIN, resource_routes_audit_list, NULL, 0, 0},
    {"GET", "/api/v1/deadline-rules", PERM_ADMIN, deadline_rules_list, NULL, 0, 0},
    {"GET", "/api/v1/deadline-rules/{id}", PERM_ADMIN, deadline_rules_get, NULL, 0, 0},
    {"PATCH", "/api/v1/deadline-rules/{id}", PERM_ADMIN, deadline_rules_patch, NULL, 0, 0},
    {"GET", "/api/v1/programs", PERM_READ, programs_list, NULL, 0, 0},
    {"POST", "/api/v1/programs", PERM_ADMIN, programs_post, NULL, 0, 0},
    {"GET", "/api/v1/programs/{id}", PERM_READ, programs_get, NULL, 0, 0},
    {"PATCH", "/api/v1/programs/{id}", PERM_ADMIN, programs_patch, NULL, 0, 0},
    {"GET", "/api/v1/fee-schedule", PERM_READ, fee_schedule_list, NULL, 0, 0},
    {"POST", "/api/v1/fee-schedule", PERM_ADMIN, fee_schedule_post, NULL, 0, 0},
    {"GET", "/api/v1/fee-schedule/{id}", PERM_READ, fee_schedule_get, NULL, 0, 0},
    {"PATCH", "/api/v1/fee-schedule/{id}", PERM_ADMIN, fee_schedule_patch, NULL, 0, 0},
    {"GET", "/api/v1/webhook-endpoints", PERM_ADMIN, webhook_routes_list, NULL, 0, 0},
    {"POST", "/api/v1/webhook-endpoints", PERM_ADMIN, webhook_routes_create, NULL, 0, 1},
    {"GET", "/api/v1/webhook-endpoints/{id}", PERM_ADMIN, webhook_routes_get, NULL, 0, 0},
    {"PATCH", "/api/v1/webhook-endpoints/{id}", PERM_ADMIN, webhook_routes_patch, NULL, 0, 0},
    {"DELETE", "/api/v1/webhook-endpoints/{id}", PERM_ADMIN, webhook_routes_delete, NULL, 0, 0},
    {"POST", "/api/v1/webhook-endpoints/{id}/secret", PERM_ADMIN, webhook_routes_rotate_secret,
     NULL, 0, 1},
    {"GET", "/api/v1/webhook-endpoints/{id}/deliveries", PERM_ADMIN, webhook_routes_deliveries,
     NULL, 0, 0},
    {"GET", "/api/v1/webhook-endpoints/{id}/deliveries/{child_id}", PERM_ADMIN,
     webhook_routes_delivery, NULL, 0, 0},
    {"POST", "/api/v1/webhook-endpoints/{id}/deliveries/{child_id}/replay", PERM_ADMIN,
     webhook_routes_replay, NULL, 0, 0},
    {"GET", "/api/v1/deadlines", PERM_READ, deadlines_list, NULL, 0, 0},
    {"GET", DEADLINE, PERM_READ, deadlines_get, NULL, 0, 0},
    {"PATCH", DEADLINE, PERM_WRITE, deadlines_patch, NULL, 0, 0},
    {"GET", "/metrics", PERM_METRICS, metrics_route_get, NULL, 0, 0},
    {"GET", "/api/v1/stats", PERM_READ, stats_get, NULL, 0, 0},
    {"GET", "/api/v1/assignees", PERM_READ, accounts_assignees, NULL, 0, 0},
    {"GET", "/api/v1/fields", PERM_READ, field_catalogue_get, NULL, 0, 0},
    {"GET", "/api/v1/search", PERM_READ, search_route_get, NULL, 0, 0},
    RESOURCE_ROUTES("/api/v1/clients", clients_resource, PERM_ADMIN),
    CLIENT_CHILD_ROUTES("entries", entries_resource),
    {"GET", CLIENTS "deadlines", PERM_READ, deadlines_of_client, NULL, 0, 0},
    RESOURCE_ROUTES("/api/v1/parole-requests", parole_requests_resource, PERM_ADMIN),
    {"GET", REQUESTS "timeline", PERM_READ, resource_routes_timeline, &parole_requests_resource, 0,
     0},
    {"GET", REQUESTS "history", PERM_READ, resource_routes_history, &parole_requests_resource, 0,
     0},
    {"GET", REQUESTS "deadlines", PERM_READ, deadlines_of_request, NULL, 0, 0},
    {"GET", REQUESTS "uscis-statuses", PERM_READ, uscis_status_routes_list, NULL, 0, 0},
    {"GET", REQUESTS "uscis-statuses/{child_id}", PERM_READ, uscis_status_routes_get, NULL, 0, 0},
    {"PATCH", REQUESTS "uscis-statuses/{child_id}", PERM_WRITE, uscis_status_routes_patch, NULL, 0,
     0},
    CHILD_ROUTES("filings", filings_resource),
    CHILD_ROUTES("rfes", rfes_resource),
    CHILD_ROUTES("interviews", interviews_resource),
    CHILD_ROUTES("decisions", decisions_resource),
    CHILD_ROUTES("expirations", expirations_resource),
    CHILD_ROUTES("fee-notices", fee_notices_resource),
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

/* Whether a path segment is a word: 1 to 40 lower-case letters and underscores. */
static int word_segment(const char *segment, size_t len)
{
    if (len == 0 || len > 40)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((segment[i] >= 'a' && segment[i] <= 'z') || segment[i] == '_'))
            return 0;
    return 1;
}

/* Match path against a route pattern, segment by segment, capturing {id} and {child_id} (the
 * handler reads a word segment from the path itself). Returns 1 on a match. */
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
        } else if (pattern[0] == '{') {
            if (!word_segment(path, path_len))
                return 0;
        } else if (pattern_len != path_len || strncmp(pattern, path, path_len) != 0) {
            return 0;
        }
        pattern += pattern_len;
        path += path_len;
    }
    return *pattern == '\0' && *path == '\0';
}

/* Run the matched route: identify the caller, check the permission, then the handler. */
/* Identify the caller of a route (not for a public one) and check the route's permission: deny
 * by default. Fills *principal. Returns 0, or -1 with the 401/403 in *p. */
static int admit_caller(struct db *db, const struct route *route,
                        const struct call_request *request, const char *now,
                        struct principal *principal, struct problem *p)
{
    memset(principal, 0, sizeof(*principal));
    if (route->permission != PERM_PUBLIC && auth_identify(db, request, now, principal, p) != 0)
        return -1;
    return auth_allow(principal, route->permission, route->enrolment_ok, request, p);
}

static void run_route(const struct route *route, const struct call_request *request, int64_t id,
                      int64_t child_id, struct call_reply *reply)
{
    struct principal principal;
    struct replay replay = {0};
    struct call call;
    int reading;

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
    /* A GET reads: who is calling and what they read share one snapshot (a write on the way,
     * such as a last-use time or an audited read's event, ends it first). */
    reading = strcmp(route->method, "GET") == 0;
    if (reading)
        db_read_scope_begin(call.db);
    if (admit_caller(call.db, route, request, call.ctx.now, &principal, &call.p) == 0) {
        auth_set_actor(&principal, &call.ctx);
        call.resource = route->resource;
        /* a keyed POST or PATCH seen before gets its first answer again instead */
        if (replay_begin(&call, route->secret_bearing, &replay, reply) == 0)
            route->handler(&call, reply);
    }
    if (reading)
        db_read_scope_end(call.db);
out:
    if (call.p.kind != PROBLEM_NONE)
        call_reply_problem(reply, &call.p);
    replay_end(&call, &replay, reply);
    problem_clear(&call.p);
}

/* Serve an embedded dashboard file for GET/HEAD outside /api/ (public: the sign-in page and its
 * assets must load before anyone signs in). Returns 1 when the request was a file request. */
static int serve_static(const struct call_request *request, struct call_reply *reply)
{
    const struct static_file *file;

    if ((strcmp(request->method, "GET") != 0 && strcmp(request->method, "HEAD") != 0) ||
        strncmp(request->path, "/api/", 5) == 0 || strcmp(request->path, "/healthz") == 0 ||
        strcmp(request->path, "/metrics") == 0)
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
static const struct route *find_route(const struct call_request *request, int64_t *id,
                                      int64_t *child_id, struct call_reply *reply,
                                      struct problem *p)
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

void api_handle(const struct call_request *request, struct call_reply *reply)
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
        call_reply_problem(reply, &p);
    problem_clear(&p);
}

/* True when the route reads a request body: POST and PATCH, except the POSTs whose handler
 * reads none (GET, HEAD and DELETE never read one). */
static int route_takes_body(const struct route *route)
{
    static const route_handler bodiless_posts[] = {
        calendar_feed_create, webhook_routes_rotate_secret, webhook_routes_replay};

    if (strcmp(route->method, "POST") != 0 && strcmp(route->method, "PATCH") != 0)
        return 0;
    for (size_t i = 0; i < sizeof(bodiless_posts) / sizeof(bodiless_posts[0]); i++)
        if (route->handler == bodiless_posts[i])
            return 0;
    return 1;
}

int api_preflight(const struct call_request *head, size_t announced, size_t *body_limit,
                  struct call_reply *reply)
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
        call_reply_clear(reply);
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
     * may end meanwhile). The second look-up refreshes no last-use time: this one just did. A
     * body no larger than a public route's, on a route that takes one, is read first: refusing
     * it early saves nothing, and a durable write would pay for the caller's look-up twice. */
    if (route->permission != PERM_PUBLIC &&
        (announced > API_PUBLIC_BODY_MAX || !route_takes_body(route))) {
        context_init(&ctx);
        db = db_thread(&p);
        if (db == NULL || admit_caller(db, route, head, ctx.now, &principal, &p) != 0)
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
        call_reply_problem(reply, &p);
    problem_clear(&p);
    return go_on;
}

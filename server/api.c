/* api: the route table and the handlers behind it. */
#include "api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resources.h"
#include "timeline.h"

enum route_action {
    ACTION_HEALTH,
    ACTION_LIST,
    ACTION_CREATE,
    ACTION_GET,
    ACTION_PATCH,
    ACTION_DELETE,
    ACTION_TIMELINE,
};

struct route {
    const char *method;
    const char *pattern; /* segments; "{id}" and "{child_id}" are positive integers */
    enum route_action action;
    const struct resource_spec *resource;
};

#define REQUESTS "/api/v1/parole-requests/{id}/"
#define CHILD_ROUTES(name, spec)                                                                   \
    {"GET", REQUESTS name, ACTION_LIST, &spec}, {"POST", REQUESTS name, ACTION_CREATE, &spec},     \
        {"GET", REQUESTS name "/{child_id}", ACTION_GET, &spec},                                   \
        {"PATCH", REQUESTS name "/{child_id}", ACTION_PATCH, &spec},                               \
    {                                                                                              \
        "DELETE", REQUESTS name "/{child_id}", ACTION_DELETE, &spec                                \
    }

/* Every route of the service. tests/spec/check_spec.py checks it against api-spec/openapi.yaml. */
static const struct route routes[] = {
    {"GET", "/healthz", ACTION_HEALTH, NULL},
    {"GET", "/api/v1/clients", ACTION_LIST, &clients_resource},
    {"POST", "/api/v1/clients", ACTION_CREATE, &clients_resource},
    {"GET", "/api/v1/clients/{id}", ACTION_GET, &clients_resource},
    {"PATCH", "/api/v1/clients/{id}", ACTION_PATCH, &clients_resource},
    {"DELETE", "/api/v1/clients/{id}", ACTION_DELETE, &clients_resource},
    {"GET", "/api/v1/parole-requests", ACTION_LIST, &parole_requests_resource},
    {"POST", "/api/v1/parole-requests", ACTION_CREATE, &parole_requests_resource},
    {"GET", "/api/v1/parole-requests/{id}", ACTION_GET, &parole_requests_resource},
    {"PATCH", "/api/v1/parole-requests/{id}", ACTION_PATCH, &parole_requests_resource},
    {"DELETE", "/api/v1/parole-requests/{id}", ACTION_DELETE, &parole_requests_resource},
    {"GET", REQUESTS "timeline", ACTION_TIMELINE, &parole_requests_resource},
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
        fprintf(out, "%s %s\n", routes[i].method, routes[i].pattern);
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
}

void api_reply_problem(struct api_reply *reply, const struct problem *p)
{
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
                    p->kind == PROBLEM_UNAVAILABLE
                        ? "the service cannot reach its database; try again shortly"
                        : "something went wrong on the server; quote the X-Request-Id to "
                          "your administrator");
        reply->body = problem_to_json(&generic);
        problem_clear(&generic);
    } else {
        reply->body = problem_to_json(p);
    }
    reply->is_problem = 1;
    reply->location[0] = '\0';
    reply->etag[0] = '\0';
}

/* Reply with a record: status, body, its ETag and, for a create, its Location. */
static void reply_record(struct api_reply *reply, int status, json_t *record, const char *location)
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
static json_t *parse_body(const struct api_request *request, int allow_merge_patch,
                          struct problem *p)
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
static int parse_if_match(const char *header, struct if_match *cond, struct problem *p)
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

/* Run the matched route. */
static void run_route(const struct route *route, const struct api_request *request, int64_t id,
                      int64_t child_id, struct api_reply *reply)
{
    const struct resource_spec *spec = route->resource;
    struct problem p;
    struct clock_now clock;
    struct db *db;
    json_t *body = NULL, *result = NULL;
    int64_t parent = 0, target = id;
    struct if_match if_match;
    char collection[160];

    problem_init(&p);
    resource_clock(&clock);
    db = db_thread(&p);
    if (db == NULL)
        goto out;
    if (spec != NULL && spec->is_child) {
        parent = id;
        target = child_id;
        snprintf(collection, sizeof(collection), "/api/v1/parole-requests/%lld/%s",
                 (long long)parent, spec->collection);
    } else if (spec != NULL) {
        snprintf(collection, sizeof(collection), "/api/v1/%s", spec->collection);
    }
    switch (route->action) {
    case ACTION_HEALTH: {
        int64_t count = 0;

        if (resource_scalar_int(db, SQL_HEALTH, NULL, &count, &p) != 0) {
            problem_set(&p, PROBLEM_UNAVAILABLE, "the database does not answer");
            goto out;
        }
        reply->status = 200;
        reply->body = json_pack("{s:s}", "status", "ok");
        break;
    }
    case ACTION_LIST:
        result = resource_list(db, spec, parent, request->query, request->query_count, &clock, &p);
        if (result == NULL)
            goto out;
        reply->status = 200;
        reply->body = result;
        break;
    case ACTION_TIMELINE:
        result = timeline_of_request(db, id, &clock, &p);
        if (result == NULL)
            goto out;
        reply->status = 200;
        reply->body = result;
        break;
    case ACTION_CREATE:
        body = parse_body(request, 0, &p);
        if (body == NULL)
            goto out;
        result = resource_create(db, spec, parent, body, &clock, &p);
        if (result == NULL)
            goto out;
        reply_record(reply, 201, result, collection);
        break;
    case ACTION_GET:
        result = resource_get(db, spec, parent, target, &clock, &p);
        if (result == NULL)
            goto out;
        reply_record(reply, 200, result, NULL);
        break;
    case ACTION_PATCH:
        if (parse_if_match(request->if_match, &if_match, &p) != 0)
            goto out;
        body = parse_body(request, 1, &p);
        if (body == NULL)
            goto out;
        result = resource_patch(db, spec, parent, target, body, &if_match, &clock, &p);
        if (result == NULL)
            goto out;
        reply_record(reply, 200, result, NULL);
        break;
    case ACTION_DELETE:
        if (parse_if_match(request->if_match, &if_match, &p) != 0)
            goto out;
        if (resource_delete(db, spec, parent, target, &if_match, &clock, &p) != 0)
            goto out;
        reply->status = 204;
        break;
    }
out:
    if (p.kind != PROBLEM_NONE)
        api_reply_problem(reply, &p);
    json_decref(body);
    problem_clear(&p);
}

void api_handle(const struct api_request *request, struct api_reply *reply)
{
    struct problem p;
    int64_t id = 0, child_id = 0;
    int path_known = 0;
    char allow[sizeof(reply->allow)] = "";

    memset(reply, 0, sizeof(*reply));
    reply->route = "-";
    reply->request_id = request->request_id;
    problem_init(&p);
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (!route_matches(routes[i].pattern, request->path, &id, &child_id))
            continue;
        reply->route = routes[i].pattern;
        /* HEAD is GET without the body (the HTTP layer leaves the body out). */
        if (strcmp(routes[i].method, request->method) == 0 ||
            (strcmp(request->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
            run_route(&routes[i], request, id, child_id, reply);
            return;
        }
        if (path_known++)
            strncat(allow, ", ", sizeof(allow) - strlen(allow) - 1);
        strncat(allow, routes[i].method, sizeof(allow) - strlen(allow) - 1);
        if (strcmp(routes[i].method, "GET") == 0)
            strncat(allow, ", HEAD", sizeof(allow) - strlen(allow) - 1);
    }
    if (path_known) {
        memcpy(reply->allow, allow, sizeof(allow));
        problem_set(&p, PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed here; allowed: %s",
                    request->method, allow);
    } else
        problem_set(&p, PROBLEM_NOT_FOUND, "there is nothing at this path");
    api_reply_problem(reply, &p);
    problem_clear(&p);
}

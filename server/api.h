/* api: the REST API without the transport. The HTTP layer turns every request into a struct
 * api_request and sends back the struct api_reply; routing (one declarative table), body and
 * header checks, and the mapping of each route to the resource engine all live here, so
 * nothing downstream knows about libmicrohttpd and tests can drive it without a socket. */
#ifndef PAROLETRACK_API_H
#define PAROLETRACK_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "context.h"
#include "listing.h"
#include "resource.h"

struct api_request {
    const char *method;              /* "GET", "POST", ... */
    const char *path;                /* decoded path without the query string */
    const struct query_param *query; /* query parameters in order, repeats kept */
    size_t query_count;
    const char *body; /* the body as received (not NUL-terminated), may be NULL */
    size_t body_len;
    const char *content_type;   /* Content-Type header or NULL */
    const char *if_match;       /* If-Match header or NULL */
    const char *request_id;     /* the request's id for the log, or NULL */
    const char *cookie;         /* Cookie header or NULL */
    const char *authorization;  /* Authorization header or NULL */
    const char *csrf_token;     /* X-CSRF-Token header or NULL */
    const char *if_none_match;  /* If-None-Match header or NULL */
    const char *client_address; /* client_address_resolve: peer or trusted XFF; "unknown" */
};

struct api_reply {
    int status;
    json_t *body;           /* owned; NULL for an empty body (204) */
    int is_problem;         /* body is application/problem+json */
    char location[224];     /* Location header, empty when none */
    char etag[32];          /* ETag header, empty when none */
    char allow[64];         /* Allow header (405), empty when none */
    const char *route;      /* the matched route's pattern for the access log (static), or "-" */
    const char *request_id; /* borrowed from the request, for error logging */
    char set_cookie[256];   /* Set-Cookie header, empty when none */
    char *raw_body;         /* owned; a non-JSON body (e.g. text/calendar), else NULL */
    const unsigned char *static_body; /* borrowed: an embedded file, else NULL */
    size_t static_size;
    const char *cache_control;    /* static; NULL: no-store */
    const char *raw_content_type; /* its Content-Type (static) */
    int retry_after;              /* Retry-After seconds (429), 0 when none */
};

struct principal;

/* What a handler works with: the thread's database connection, the operation's context (time,
 * actor, request id), who is calling, the ids from the path, and the problem to fill when it
 * fails (the dispatcher turns it into the reply). */
struct api_call {
    struct db *db;
    struct op_context ctx;
    const struct api_request *request;
    struct principal *principal;
    int64_t id, child_id;
    struct problem p;
};

/* Parse the body of a POST/PATCH as JSON (415 for another media type, 400 for malformed
 * JSON). Returns the value (caller owns) or NULL with *p set. */
json_t *api_parse_body(const struct api_request *request, int allow_merge_patch, struct problem *p);

/* Parse an If-Match header ("*" or a list of entity tags; NULL: absent) into *cond. Returns 0,
 * or -1 with a 400 naming If-Match in *p. */
int api_parse_if_match(const char *header, struct if_match *cond, struct problem *p);

/* Reply with one page of a list statement that takes only limit/cursor (users, API keys),
 * each row turned into an item by convert. */
void api_reply_simple_list(struct api_call *call, enum sql_id sql, listing_row_fn convert,
                           struct api_reply *reply);

/* Reply with a JSON body (the reply takes the reference). */
void api_reply_json(struct api_reply *reply, int status, json_t *body);

/* Reply with a record: its ETag (from "version") and, when location is not NULL, a Location of
 * location + "/" + its id. The reply takes the reference. */
void api_reply_record(struct api_reply *reply, int status, json_t *record, const char *location);

/* Handle one request: route it, run it against the calling thread's database connection and
 * fill *reply. The caller releases the reply with api_reply_clear(). */
void api_handle(const struct api_request *request, struct api_reply *reply);

/* The largest body a public route (signing in) accepts: an unauthenticated client can make the
 * server hold no more than this per request. */
#define API_PUBLIC_BODY_MAX (16 * 1024)

/* Decide from the headers alone whether the body a request announces (Content-Length > 0 or
 * chunked) may be read: the HTTP layer calls this on the first call of a request with a body,
 * before any of it is read. head carries everything but the body and the query. Refuses in
 * *reply (404, 405, 401, 403, or 413 payload-too-large for a route that takes no body) and
 * returns 0; or returns 1 with the most body bytes the route takes in *body_limit (SIZE_MAX:
 * only the server's --max-body). The credentials are checked against the database here and
 * again by api_handle() once the body arrived. The caller releases the reply with
 * api_reply_clear() either way. */
int api_preflight(const struct api_request *head, size_t *body_limit, struct api_reply *reply);

/* Fill *reply with the problem (status, problem+json body). */
void api_reply_problem(struct api_reply *reply, const struct problem *p);

/* Release what a reply owns. */
void api_reply_clear(struct api_reply *reply);

/* Print the route table, one "METHOD PATTERN" per line. */
void api_print_routes(FILE *out);

#endif

/* api: the REST API without the transport. The HTTP layer turns every request into a struct
 * api_request and sends back the struct api_reply; routing (one declarative table), body and
 * header checks, and the mapping of each route to the resource engine all live here, so
 * nothing downstream knows about libmicrohttpd and tests can drive it without a socket. */
#ifndef PAROLETRACK_API_H
#define PAROLETRACK_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "resource.h"

struct api_request {
    const char *method;              /* "GET", "POST", ... */
    const char *path;                /* decoded path without the query string */
    const struct query_param *query; /* query parameters in order, repeats kept */
    size_t query_count;
    const char *body; /* the body as received (not NUL-terminated), may be NULL */
    size_t body_len;
    const char *content_type; /* Content-Type header or NULL */
    const char *if_match;     /* If-Match header or NULL */
    const char *request_id;   /* the request's id for the log, or NULL */
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
};

/* Handle one request: route it, run it against the calling thread's database connection and
 * fill *reply. The caller releases the reply with api_reply_clear(). */
void api_handle(const struct api_request *request, struct api_reply *reply);

/* Fill *reply with the problem (status, problem+json body). */
void api_reply_problem(struct api_reply *reply, const struct problem *p);

/* Release what a reply owns. */
void api_reply_clear(struct api_reply *reply);

/* Print the route table, one "METHOD PATTERN" per line. */
void api_print_routes(FILE *out);

#endif

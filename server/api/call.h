/* call: what a route handler works with. The request as the API sees it (built by the HTTP
 * layer, or by a test without a socket), the call itself (the thread's database connection, the
 * operation's context, the caller, the ids from the path, the route's resource and the problem
 * to fill), the reply, and the helpers a handler uses to parse a body and build a reply.
 *
 * It sits below the route table (api) and every handler module: it may depend on problem,
 * context, db and the resource engine (list parsing and paging), never on api or a handler. */
#ifndef PAROLETRACK_CALL_H
#define PAROLETRACK_CALL_H

#include <jansson.h>
#include <stddef.h>

#include "context.h"
#include "resource.h"

struct call_request {
    const char *method;              /* "GET", "POST", ... */
    const char *path;                /* decoded path without the query string */
    const struct query_param *query; /* query parameters in order, repeats kept */
    size_t query_count;
    const char *body; /* the body as received (not NUL-terminated), may be NULL */
    size_t body_len;
    const char *content_type;    /* Content-Type header or NULL */
    const char *if_match;        /* If-Match header or NULL */
    const char *request_id;      /* the request's id for the log, or NULL */
    const char *cookie;          /* Cookie header or NULL */
    const char *authorization;   /* Authorization header or NULL */
    const char *csrf_token;      /* X-CSRF-Token header or NULL */
    const char *if_none_match;   /* If-None-Match header or NULL */
    const char *client_address;  /* client_address_resolve: peer or trusted XFF; "unknown" */
    const char *idempotency_key; /* Idempotency-Key header or NULL (replay.h) */
    const char *accept;          /* Accept header or NULL (a list as text/csv: csv_export.h) */
};

/* A body produced part by part after the handler returned (a streamed export): `read` fills
 * buf with up to max bytes and returns how many, 0 at the end, -1 on a failure (the transfer is
 * cut short, so the client sees it incomplete); `free` releases cls once the reply is done or
 * abandoned. Called on one thread at a time. */
struct call_stream {
    long (*read)(void *cls, char *buf, size_t max);
    void (*free)(void *cls);
    void *cls;
};

struct call_reply {
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
    int replayed;              /* the first answer of an Idempotency-Key, given again (replay.h) */
    char disposition[128];     /* Content-Disposition header (an export's file name), empty: none */
    struct call_stream stream; /* owned; a body read part by part (raw_content_type), or none */
};

struct principal;

/* What a handler works with: the thread's database connection, the operation's context (time,
 * actor, request id), who is calling, the ids from the path, the resource of a generic
 * resource route (NULL for every other route), and the problem to fill when it fails (the
 * dispatcher turns it into the reply). Everything is borrowed from the dispatcher for the
 * handler's run. */
struct call {
    struct db *db;
    struct op_context ctx;
    const struct call_request *request;
    struct principal *principal;
    int64_t id, child_id;
    const struct resource_spec *resource;
    struct problem p;
};

/* Parse the body of a POST/PATCH as JSON (415 for another media type, 400 for malformed
 * JSON). Returns the value (caller owns) or NULL with *p set. */
json_t *call_parse_body(const struct call_request *request, int allow_merge_patch,
                        struct problem *p);

/* Parse an If-Match header ("*" or a list of entity tags; NULL: absent) into *cond. Returns 0,
 * or -1 with a 400 naming If-Match in *p. */
int call_parse_if_match(const char *header, struct if_match *cond, struct problem *p);

/* The If-Match header and merge-patch body of a PATCH: the body (caller owns) with *if_match
 * filled, or NULL with *p set (400 for a bad If-Match or malformed JSON, 415). */
json_t *call_parse_patch(const struct call_request *request, struct if_match *if_match,
                         struct problem *p);

/* Refuse any query parameter, for the reads that take none (/stats, /fields). Returns 0, or -1
 * with a 400 naming each parameter in *p. */
int call_refuse_query(const struct call_request *request, struct problem *p);

/* Reply with one page of a list statement that takes only limit/cursor (users, API keys),
 * each row turned into an item by convert. A failure is left in call->p. */
void call_reply_simple_list(struct call *call, enum sql_id sql, listing_row_fn convert,
                            struct call_reply *reply);

/* Reply with a JSON body (the reply takes the reference). */
void call_reply_json(struct call_reply *reply, int status, json_t *body);

/* Reply with a body already written as text (JSON written row by row, an iCalendar feed) of
 * the given static Content-Type; the reply takes the string and frees it. */
void call_reply_text(struct call_reply *reply, int status, char *text, const char *content_type);

/* Reply with a record: its ETag (from "version") and, when location is not NULL, a Location of
 * location + "/" + its id. The reply takes the reference. */
void call_reply_record(struct call_reply *reply, int status, json_t *record, const char *location);

/* Fill *reply with the problem (status, problem+json body); a server error is logged with the
 * request id and replaced by a generic message. */
void call_reply_problem(struct call_reply *reply, const struct problem *p);

/* Release what a reply owns (its body and raw body); the reply can be filled again. */
void call_reply_clear(struct call_reply *reply);

#endif

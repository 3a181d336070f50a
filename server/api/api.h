/* api: the REST API without the transport. The HTTP layer turns every request into a struct
 * call_request and sends back the struct call_reply (both in call.h); routing (one declarative
 * table), the early body and credential checks, and the mapping of each route to its handler
 * all live here, so nothing downstream knows about libmicrohttpd and tests can drive it without
 * a socket.
 *
 * This is the top of the API: it includes every handler module for its route table, and no
 * module below it (handlers, call, auth, the store) may include api.h. */
#ifndef PAROLETRACK_API_H
#define PAROLETRACK_API_H

#include <stddef.h>
#include <stdio.h>

#include "call.h"

/* Handle one request: route it, run it against the calling thread's database connection and
 * fill *reply. The caller releases the reply with call_reply_clear(). */
void api_handle(const struct call_request *request, struct call_reply *reply);

/* The largest body a public route (signing in) accepts: an unauthenticated client can make the
 * server hold no more than this per request. */
#define API_PUBLIC_BODY_MAX (16 * 1024)

/* Decide from the headers alone whether the body a request announces (Content-Length > 0 or
 * chunked) may be read: the HTTP layer calls this on the first call of a request with a body,
 * before any of it is read. head carries everything but the body and the query; announced is
 * the Content-Length (SIZE_MAX when chunked). Refuses in *reply (404, 405, 401, 403, or 413
 * payload-too-large for a route that takes no body) and returns 0; or returns 1 with the most
 * body bytes the route takes in *body_limit (SIZE_MAX: only the server's --max-body). The
 * credentials of a body larger than API_PUBLIC_BODY_MAX (or chunked) are checked against the
 * database here and again by api_handle() once the body arrived; a smaller body, which anyone
 * may make the server hold, is read first and its credentials checked once, by api_handle().
 * The caller releases the reply with call_reply_clear() either way. */
int api_preflight(const struct call_request *head, size_t announced, size_t *body_limit,
                  struct call_reply *reply);

/* Print the route table, one "METHOD PATTERN" per line. */
void api_print_routes(FILE *out);

#endif

/* http: the only module that includes libmicrohttpd. It runs the daemon (epoll, a small thread
 * pool), enforces the transport limits (body size, framing, inactivity timeout and request
 * deadline, per-IP and global connection limits),
 * turns each request into a struct call_request, sends the struct call_reply back with the
 * response headers every answer carries, and writes the access log. */
#ifndef PAROLETRACK_HTTP_H
#define PAROLETRACK_HTTP_H

#include <stddef.h>

#include "client_address.h"

struct http_config {
    const char *listen;          /* "HOST:PORT", "[v6]:PORT"; port 0 picks a free port */
    size_t max_body;             /* bytes; larger bodies get 413 */
    unsigned threads;            /* worker threads in the epoll pool */
    unsigned connection_timeout; /* seconds of inactivity before a connection is closed */
    unsigned request_timeout;    /* seconds from a request's headers to its whole body */
    unsigned per_ip_connections; /* simultaneous connections from one address */
    unsigned max_connections;    /* simultaneous connections in all */
    size_t connection_memory;    /* bytes of buffer memory per connection */
    int hsts;                    /* send Strict-Transport-Security (behind TLS) on every answer */
    /* proxies whose X-Forwarded-For is believed (borrowed; NULL or empty: nobody's) */
    const struct client_address_trust *trusted_proxies;
};

struct http_server;

/* Start serving with the given configuration. Returns the running server (stop it with
 * http_stop()) or NULL after writing the reason to stderr. Writes
 * "paroletrack: listening on http://HOST:PORT" to stderr once it accepts connections. */
struct http_server *http_start(const struct http_config *config);

/* Stop accepting, let in-flight requests finish (up to grace_seconds), then stop the daemon
 * and free the server. */
void http_stop(struct http_server *server, unsigned grace_seconds);

#endif

/* http: libmicrohttpd glue. The access handler follows the library's contract: per-request
 * state in *req_cls (freed in the completion callback), an early 400/404/405/413 on the first
 * call for a request that announces a body, and 401/403 when that body is larger than a public
 * route's or the route takes none (decided by api_preflight() from the headers, before any of
 * the body is read; the
 * daemon then closes the connection, which is what we want there), otherwise the response is queued
 * only after the whole body arrived (queueing on the first call would make the daemon close every
 * keep-alive connection).
 *
 * Time limits: the inactivity timeout (MHD_OPTION_CONNECTION_TIMEOUT) covers every phase; a
 * request also has an absolute deadline counted from its first call (all headers in): while
 * its body arrives, the connection's inactivity timeout is capped at what is left of the
 * deadline and a body still arriving past it has the connection dropped. The header phase has
 * no hook in libmicrohttpd 0.9.75: there the inactivity timeout, the header size limit (the
 * connection memory) and the per-address and global connection limits are the defence. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "call.h"
#include "client_address.h"
#include "crypto.h"
#include "dates.h"
#include "json_text.h"
#include "request_metrics.h"
#include "text_buffer.h"

#define MAX_QUERY_PARAMS 64

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_config config;
    atomic_int in_flight; /* requests begun and not yet completed */
    atomic_int stopping;  /* set by http_stop: new requests get 503 */
};

/* Everything one request needs between the access handler's calls. */
struct request_state {
    struct timespec started;
    char request_id[65];
    struct text_buffer body; /* the body received so far */
    size_t body_limit;       /* the most body bytes this request's route takes */
    size_t received;         /* body bytes that arrived, kept or not */
    unsigned timeout; /* inactivity timeout set on the connection for this request, 0: none */
    int too_large;
    int status;
    size_t bytes;
    const char *route;  /* static pattern or "-" */
    const char *method; /* static label for the log */
    struct http_server *server;
};

/* The method as a static label for the access log (never echo arbitrary client text). */
static const char *method_label(const char *method)
{
    static const char *const known[] = {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"};

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(method, known[i]) == 0)
            return known[i];
    return "OTHER";
}

/* True when a client-supplied request id is safe to echo and log. */
static int request_id_acceptable(const char *id)
{
    size_t len = id ? strlen(id) : 0;

    if (len == 0 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
              (id[i] >= '0' && id[i] <= '9') || strchr("._-", id[i]) != NULL))
            return 0;
    return 1;
}

struct framing {
    int content_length_count;
    int transfer_encoding;
};

static enum MHD_Result count_framing_headers(void *cls, enum MHD_ValueKind kind, const char *key,
                                             const char *value)
{
    struct framing *framing = cls;

    (void)kind, (void)value;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        framing->content_length_count++;
    else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
        framing->transfer_encoding = 1;
    return MHD_YES;
}

struct query_collector {
    struct query_param params[MAX_QUERY_PARAMS];
    size_t count;
    int overflow;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct query_collector *collector = cls;

    (void)kind;
    if (collector->count == MAX_QUERY_PARAMS) {
        collector->overflow = 1;
        return MHD_NO;
    }
    collector->params[collector->count].name = key;
    collector->params[collector->count].value = value;
    collector->count++;
    return MHD_YES;
}

/* Add the headers every response carries. */
static void add_common_headers(struct MHD_Response *response, const struct request_state *state,
                               const char *cache_control)
{
    MHD_add_response_header(response, "X-Request-Id", state->request_id);
    MHD_add_response_header(response, "Cache-Control", cache_control ? cache_control : "no-store");
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(response, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                            "form-action 'self'");
    if (state->server->config.hsts)
        MHD_add_response_header(response, "Strict-Transport-Security", "max-age=31536000");
}

/* A streamed body while libmicrohttpd reads it: the producer, and where the bytes sent are
 * counted for the access log. */
struct stream_reader {
    struct call_stream stream;
    size_t *bytes;
};

/* libmicrohttpd's content reader over a call_stream. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream_reader *reader = cls;
    long n = reader->stream.read(reader->stream.cls, buf, max);

    (void)pos;
    if (n > 0) {
        *reader->bytes += (size_t)n;
        return (ssize_t)n;
    }
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
    struct stream_reader *reader = cls;

    reader->stream.free(reader->stream.cls);
    free(reader);
}

/* Queue the reply as the response of the connection; a text body (raw_body) is handed over to
 * the library, not copied (a CSV export may be tens of MiB). Returns the library's result. */
static enum MHD_Result send_reply(struct MHD_Connection *connection, struct request_state *state,
                                  struct call_reply *reply)
{
    struct MHD_Response *response;
    enum MHD_Result result;
    char *text = NULL;
    size_t len = 0;
    int raw = reply->raw_body != NULL || reply->static_body != NULL || reply->stream.read != NULL;
    struct stream_reader *reader = NULL;

    if (reply->static_body != NULL) {
        text = malloc(reply->static_size ? reply->static_size : 1);
        if (text != NULL) {
            memcpy(text, reply->static_body, reply->static_size);
            len = reply->static_size;
        }
    } else if (reply->raw_body != NULL) {
        text = reply->raw_body;
        reply->raw_body = NULL;
        len = strlen(text);
    } else if (reply->body != NULL) {
        struct text_buffer json = {0};

        json_text_value(&json, reply->body); /* json_dumps' bytes, at a fraction of its cost */
        if (json.failed || json.data == NULL) {
            text_buffer_free(&json);
        } else {
            text = json.data;
            len = json.len;
        }
    }
    if (reply->stream.read != NULL) {
        /* sent chunked as it is produced; the reader owns the stream from here */
        reader = malloc(sizeof(*reader));
        if (reader == NULL)
            return MHD_NO;
        reader->stream = reply->stream;
        reader->bytes = &state->bytes;
        memset(&reply->stream, 0, sizeof(reply->stream));
        response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, stream_read,
                                                     reader, stream_free);
        if (response == NULL) {
            stream_free(reader);
            return MHD_NO;
        }
    } else {
        response = MHD_create_response_from_buffer(
            len, text ? text : (void *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (response == NULL) {
            free(text);
            return MHD_NO;
        }
    }
    add_common_headers(response, state, reply->cache_control);
    if (raw)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply->raw_content_type);
    else if (reply->body != NULL)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                reply->is_problem ? "application/problem+json"
                                                  : "application/json");
    if (reply->location[0])
        MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION, reply->location);
    if (reply->etag[0])
        MHD_add_response_header(response, MHD_HTTP_HEADER_ETAG, reply->etag);
    if (reply->allow[0])
        MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, reply->allow);
    if (reply->replayed)
        MHD_add_response_header(response, "Idempotent-Replayed", "true");
    if (reply->disposition[0])
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_DISPOSITION, reply->disposition);
    if (reply->set_cookie[0])
        MHD_add_response_header(response, MHD_HTTP_HEADER_SET_COOKIE, reply->set_cookie);
    if (reply->retry_after > 0) {
        char seconds[16];

        snprintf(seconds, sizeof(seconds), "%d", reply->retry_after);
        MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    if (reply->status == 401)
        MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"paroletrack\"");
    state->status = reply->status;
    state->bytes = len; /* a stream adds its bytes as they go */
    state->route = reply->route;
    result = MHD_queue_response(connection, (unsigned int)reply->status, response);
    MHD_destroy_response(response);
    return result;
}

/* Reply at once with a problem of the given kind (early 400/413 and the like). */
static enum MHD_Result send_problem(struct MHD_Connection *connection, struct request_state *state,
                                    enum problem_kind kind, const char *detail)
{
    struct call_reply reply;
    struct problem p;
    enum MHD_Result result;

    memset(&reply, 0, sizeof(reply));
    reply.route = state->route;
    reply.request_id = state->request_id;
    problem_init(&p);
    problem_set(&p, kind, "%s", detail);
    call_reply_problem(&reply, &p);
    result = send_reply(connection, state, &reply);
    call_reply_clear(&reply);
    problem_clear(&p);
    return result;
}

/* Collects the X-Forwarded-For header values in arrival order, keeping the last
 * CLIENT_ADDRESS_MAX_HEADERS (the walk starts from the right). */
struct forwarded_collector {
    const char *values[CLIENT_ADDRESS_MAX_HEADERS];
    size_t count;
    int truncated;
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    struct forwarded_collector *c = cls;

    (void)kind;
    if (key == NULL || strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    if (c->count == CLIENT_ADDRESS_MAX_HEADERS) {
        memmove(c->values, c->values + 1, sizeof(c->values[0]) * (c->count - 1));
        c->count--;
        c->truncated = 1;
    }
    c->values[c->count++] = value ? value : "";
    return MHD_YES;
}

/* The client's address as text (client_address_resolve: the peer, or with a trusted proxy as
 * the peer, what X-Forwarded-For says). Used for sign-in throttling and the sign-in audit;
 * never logged. */
static void client_address(struct MHD_Connection *connection, const struct http_config *config,
                           char out[CLIENT_ADDRESS_SIZE])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    struct forwarded_collector forwarded = {.count = 0, .truncated = 0};
    char peer[INET6_ADDRSTRLEN] = "";

    if (sa != NULL && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, peer,
                  sizeof(peer));
    else if (sa != NULL && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, peer,
                  sizeof(peer));
    if (config->trusted_proxies != NULL && config->trusted_proxies->count > 0)
        MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_forwarded, &forwarded);
    client_address_resolve(config->trusted_proxies, peer[0] ? peer : NULL, forwarded.values,
                           forwarded.count, forwarded.truncated, out);
}

/* Fill everything of *request but the query and the body from the connection's headers. The
 * strings are borrowed from the connection, the request id from state and the address from
 * address (CLIENT_ADDRESS_SIZE bytes), all valid for the current call. */
static void fill_request_head(struct MHD_Connection *connection, const char *url,
                              const char *method, struct request_state *state,
                              struct call_request *request, char *address)
{
    memset(request, 0, sizeof(*request));
    request->method = method;
    request->path = url;
    request->content_type =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    request->request_id = state->request_id;
    request->cookie =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
    request->authorization =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    request->csrf_token = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-CSRF-Token");
    request->if_none_match =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    client_address(connection, &state->server->config, address);
    request->client_address = address;
    request->if_match =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
    request->idempotency_key =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Idempotency-Key");
    request->accept =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
}

/* Reply at once with a 413 naming the body limit of the request. */
static enum MHD_Result send_too_large(struct MHD_Connection *connection,
                                      struct request_state *state)
{
    char detail[96];

    snprintf(detail, sizeof(detail), "the body must be at most %zu bytes", state->body_limit);
    return send_problem(connection, state, PROBLEM_PAYLOAD_TOO_LARGE, detail);
}

/* Milliseconds since the request's first call. */
static long long elapsed_ms(const struct request_state *state)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - state->started.tv_sec) * 1000 +
           (now.tv_nsec - state->started.tv_nsec) / 1000000;
}

/* Set the connection's inactivity timeout (seconds) unless it has that value already. */
static void set_timeout(struct MHD_Connection *connection, struct request_state *state,
                        unsigned seconds)
{
    if (state->timeout == seconds)
        return;
    MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, seconds);
    state->timeout = seconds;
}

/* Cap the connection's inactivity timeout at what is left of the request's deadline, so a body
 * that stops arriving is cut when the deadline passes, not a whole timeout later. Returns 0, or
 * -1 when the deadline has passed. */
static int keep_deadline(struct MHD_Connection *connection, struct request_state *state)
{
    long long left_ms = (long long)state->server->config.request_timeout * 1000 - elapsed_ms(state);
    unsigned left, timeout = state->server->config.connection_timeout;

    if (left_ms <= 0)
        return -1;
    left = (unsigned)((left_ms + 999) / 1000);
    if (timeout == 0 || left < timeout)
        timeout = left;
    set_timeout(connection, state, timeout);
    return 0;
}

/* Set up the state of a new request and refuse what can be refused before reading the body:
 * bad framing, and for a request that announces a body everything api_preflight() refuses
 * (unknown route, missing or insufficient credentials, a route that takes no body) and a
 * Content-Length over the route's limit. Returns 1 when a response was queued already. */
static int begin_request(struct MHD_Connection *connection, const char *url, const char *method,
                         struct request_state *state, enum MHD_Result *result)
{
    const char *given_id = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Request-Id");
    const char *length;
    struct framing framing = {0, 0};
    unsigned long long announced = 0;

    if (request_id_acceptable(given_id))
        snprintf(state->request_id, sizeof(state->request_id), "%s", given_id);
    else
        crypto_random_hex(state->request_id, 16);
    state->body_limit = state->server->config.max_body;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, count_framing_headers, &framing);
    if (framing.content_length_count > 1 ||
        (framing.content_length_count == 1 && framing.transfer_encoding)) {
        *result = send_problem(connection, state, PROBLEM_BAD_REQUEST,
                               "ambiguous message framing: send one Content-Length or "
                               "Transfer-Encoding, not both or twice");
        return 1;
    }
    length =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length != NULL)
        announced = strtoull(length, NULL, 10);
    if (announced > 0 || framing.transfer_encoding) {
        struct call_request head;
        struct call_reply reply;
        char address[CLIENT_ADDRESS_SIZE];
        size_t route_limit = 0;

        fill_request_head(connection, url, method, state, &head, address);
        if (!api_preflight(&head, framing.transfer_encoding ? SIZE_MAX : (size_t)announced,
                           &route_limit, &reply)) {
            *result = send_reply(connection, state, &reply);
            call_reply_clear(&reply);
            return 1;
        }
        call_reply_clear(&reply);
        if (route_limit < state->body_limit)
            state->body_limit = route_limit;
        if (announced > state->body_limit) {
            *result = send_too_large(connection, state);
            return 1;
        }
    }
    keep_deadline(connection, state);
    return 0;
}

/* Append upload data to the request's body, or mark it too large. */
static void take_upload(struct request_state *state, const char *data, size_t size)
{
    if (state->too_large)
        return;
    if (state->body.len + size > state->body_limit) {
        state->too_large = 1;
        text_buffer_free(&state->body);
        return;
    }
    text_buffer_add(&state->body, data, size);
    if (state->body.failed) {
        state->too_large = 1;
        text_buffer_free(&state->body);
    }
}

/* Run the API for a request whose body has fully arrived and queue its reply. */
static enum MHD_Result finish_request(struct MHD_Connection *connection, const char *url,
                                      const char *method, struct request_state *state)
{
    struct query_collector query = {.count = 0, .overflow = 0};
    struct call_request request;
    char address[CLIENT_ADDRESS_SIZE];
    struct call_reply reply;
    enum MHD_Result result;

    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_query, &query);
    if (query.overflow)
        return send_problem(connection, state, PROBLEM_INVALID_QUERY, "too many query parameters");
    fill_request_head(connection, url, method, state, &request, address);
    request.query = query.params;
    request.query_count = query.count;
    request.body = state->body.data;
    request.body_len = state->body.len;
    api_handle(&request, &reply);
    result = send_reply(connection, state, &reply);
    call_reply_clear(&reply);
    return result;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *connection, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **req_cls)
{
    struct request_state *state = *req_cls;
    enum MHD_Result result = MHD_YES;

    (void)version;
    if (state == NULL) {
        state = calloc(1, sizeof(*state));
        if (state == NULL)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &state->started);
        state->server = cls;
        state->timeout = state->server->config.connection_timeout; /* the daemon's default */
        atomic_fetch_add(&state->server->in_flight, 1);
        state->route = "-";
        state->method = method_label(method);
        *req_cls = state;
        if (atomic_load(&state->server->stopping))
            return send_problem(connection, state, PROBLEM_UNAVAILABLE,
                                "the server is stopping; try again in a moment");
        if (begin_request(connection, url, method, state, &result))
            return result;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        /* A chunked body has no length up front. libmicrohttpd 0.9.75 cannot queue a response
         * while a body is still arriving, so past the limit the rest is discarded (never
         * stored) and the 413 goes out when it ends; a body that goes on past eight times the
         * limit, or past the request's deadline, has the connection dropped. */
        state->received += *upload_data_size;
        take_upload(state, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (state->too_large && state->received > 8 * state->body_limit + 65536)
            return MHD_NO;
        if (keep_deadline(connection, state) != 0) {
            state->status = 408; /* for the access log: nothing is sent */
            return MHD_NO;
        }
        return MHD_YES;
    }
    /* The body is in: the response goes out under the ordinary inactivity timeout. */
    set_timeout(connection, state, state->server->config.connection_timeout);
    if (state->too_large)
        return send_too_large(connection, state);
    if (state->status != 0)
        return MHD_YES; /* a response is already queued */
    return finish_request(connection, url, method, state);
}

/* The access log's line builder: appends to a fixed buffer and stops at its end (a cut line
 * is still one line). Formatting by hand, not printf, keeps the line a few hundred nanoseconds
 * on a read that takes tens of microseconds. */
struct log_line {
    char text[512];
    size_t len;
};

/* Append the NUL-terminated `s` to `line` (cut at the buffer's end). */
static void log_text(struct log_line *line, const char *s)
{
    size_t n = strlen(s), room = sizeof(line->text) - 1 - line->len;

    if (n > room)
        n = room;
    memcpy(line->text + line->len, s, n);
    line->len += n;
}

/* Append `value` in decimal, at least `width` digits (zero-padded) to `line`. */
static void log_number(struct log_line *line, uint64_t value, int width)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0 && n < (int)sizeof(digits));
    while (n < width && n < (int)sizeof(digits))
        digits[n++] = '0';
    while (n > 0 && line->len < sizeof(line->text) - 1)
        line->text[line->len++] = digits[--n];
}

/* The current second as "YYYY-MM-DDTHH:MM:SSZ", formatted once a second per thread. Returns a
 * thread-owned string, valid until the thread's next call. */
static const char *log_timestamp(void)
{
    static _Thread_local time_t formatted_second = (time_t)-1;
    static _Thread_local char formatted[TIMESTAMP_LEN];
    time_t now = time(NULL);

    if (now != formatted_second) {
        dates_format_utc(now, formatted);
        formatted_second = now;
    }
    return formatted;
}

/* Write the access-log line of a finished request and free its state. The line holds no path,
 * query value or body: only the route pattern. One write(2) per line, so lines of concurrent
 * requests never interleave. */
static void request_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                              enum MHD_RequestTerminationCode code)
{
    struct request_state *state = *req_cls;
    struct http_server *server = cls;
    struct timespec ended;
    struct log_line line = {.len = 0};
    int64_t micros;

    (void)cls, (void)connection;
    if (state == NULL)
        return;
    clock_gettime(CLOCK_MONOTONIC, &ended);
    micros = (int64_t)(ended.tv_sec - state->started.tv_sec) * 1000000 +
             (ended.tv_nsec - state->started.tv_nsec) / 1000;
    if (micros < 0)
        micros = 0;
    request_metrics_observe(state->method, state->route,
                            code == MHD_REQUEST_TERMINATED_COMPLETED_OK ? state->status : 499,
                            micros);
    log_text(&line, log_timestamp());
    log_text(&line, " request_id=");
    log_text(&line, state->request_id);
    log_text(&line, " method=");
    log_text(&line, state->method);
    log_text(&line, " route=");
    log_text(&line, state->route);
    log_text(&line, " status=");
    log_number(&line, (uint64_t)(state->status < 0 ? 0 : state->status), 1);
    log_text(&line, " bytes=");
    log_number(&line, state->bytes, 1);
    log_text(&line, " duration_ms=");
    log_number(&line, (uint64_t)micros / 1000, 1);
    log_text(&line, ".");
    log_number(&line, (uint64_t)micros % 1000, 3);
    if (code != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        log_text(&line, " aborted=1");
    line.text[line.len++] = '\n';
    if (write(STDERR_FILENO, line.text, line.len) < 0) {
        /* nowhere left to say it: the log is gone */
    }
    text_buffer_free(&state->body);
    free(state);
    *req_cls = NULL;
    atomic_fetch_sub(&server->in_flight, 1);
}

/* Resolve "HOST:PORT" / "[V6]:PORT" into a socket address. Returns 0 or -1. */
static int parse_listen(const char *listen, struct sockaddr_storage *address, socklen_t *length)
{
    char host[256];
    const char *port;
    struct addrinfo hints, *found = NULL;
    size_t host_len;

    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');

        if (close == NULL || close[1] != ':')
            return -1;
        host_len = (size_t)(close - listen - 1);
        if (host_len >= sizeof(host))
            return -1;
        memcpy(host, listen + 1, host_len);
        port = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');

        if (colon == NULL)
            return -1;
        host_len = (size_t)(colon - listen);
        if (host_len >= sizeof(host))
            return -1;
        memcpy(host, listen, host_len);
        port = colon + 1;
    }
    host[host_len] = '\0';
    if (port[0] == '\0' || strspn(port, "0123456789") != strlen(port) || atoi(port) > 65535)
        return -1;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(host[0] ? host : NULL, port, &hints, &found) != 0 || found == NULL)
        return -1;
    memcpy(address, found->ai_addr, found->ai_addrlen);
    *length = found->ai_addrlen;
    freeaddrinfo(found);
    return 0;
}

/* Print the address the daemon listens on, with the port it actually bound. */
static void announce(const struct http_server *server, const struct sockaddr_storage *address)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET6_ADDRSTRLEN] = "?";

    if (address->ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, host, sizeof(host));
        fprintf(stderr, "paroletrack: listening on http://[%s]:%u\n", host, info ? info->port : 0);
    } else {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, host, sizeof(host));
        fprintf(stderr, "paroletrack: listening on http://%s:%u\n", host, info ? info->port : 0);
    }
    fflush(stderr);
}

struct http_server *http_start(const struct http_config *config)
{
    struct http_server *server = calloc(1, sizeof(*server));
    struct sockaddr_storage address;
    socklen_t address_length = 0;
    unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;

    if (server == NULL)
        return NULL;
    server->config = *config;
    atomic_init(&server->in_flight, 0);
    atomic_init(&server->stopping, 0);
    if (parse_listen(config->listen, &address, &address_length) != 0) {
        fprintf(stderr, "paroletrack: cannot use listen address \"%s\" (want HOST:PORT)\n",
                config->listen);
        free(server);
        return NULL;
    }
    if (address.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    server->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, access_handler, server, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&address, MHD_OPTION_THREAD_POOL_SIZE, config->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, config->connection_timeout,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, config->per_ip_connections, MHD_OPTION_CONNECTION_LIMIT,
        config->max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT, config->connection_memory,
        MHD_OPTION_NOTIFY_COMPLETED, request_completed, server, MHD_OPTION_END);
    if (server->daemon == NULL) {
        fprintf(stderr, "paroletrack: cannot listen on %s (in use, or not an address here?)\n",
                config->listen);
        free(server);
        return NULL;
    }
    announce(server, &address);
    return server;
}

void http_stop(struct http_server *server, unsigned grace_seconds)
{
    if (server == NULL)
        return;
    /* Refuse new requests (503), let the ones under way finish (idle keep-alive connections do
     * not count), then stop: the daemon closes what is left. MHD_quiesce_daemon is not used: with
     * an epoll thread pool, libmicrohttpd 0.9.75 sometimes aborts in it ("Failed to remove
     * listen FD from epoll set"). */
    atomic_store(&server->stopping, 1);
    for (unsigned waited = 0; waited < grace_seconds * 100; waited++) {
        if (atomic_load(&server->in_flight) == 0)
            break;
        usleep(10 * 1000);
    }
    MHD_stop_daemon(server->daemon);
    free(server);
}

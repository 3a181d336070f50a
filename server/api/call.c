/* call: the request, the call and the reply a handler works with, and the helpers to parse a
 * body or an If-Match header and to build a reply. Depends on problem, db, keys (for the
 * rekey message) and the resource engine's list parser and pager; never on api or a handler. */
#include "call.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "field_key.h"

/* Release what the reply owns, leaving it empty for another use. */
void call_reply_clear(struct call_reply *reply)
{
    json_decref(reply->body);
    reply->body = NULL;
    free(reply->raw_body);
    reply->raw_body = NULL;
    if (reply->stream.free != NULL)
        reply->stream.free(reply->stream.cls);
    memset(&reply->stream, 0, sizeof(reply->stream));
}

/* True for the 503 details written for the client (they name no value): the key changed under
 * the server, or the disk under the database is full, read-only or failing. */
static int client_safe_detail(const char *detail)
{
    static const char *const safe[] = {FIELD_KEY_CHANGED_DETAIL, DB_DISK_FULL_DETAIL,
                                       DB_DISK_READ_ONLY_DETAIL, DB_DISK_ERROR_DETAIL};

    for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
        if (strcmp(detail, safe[i]) == 0)
            return 1;
    return 0;
}

/* Turn the problem into the reply: its status and problem+json body, Retry-After when it has
 * one, and no Location or ETag. */
void call_reply_problem(struct call_reply *reply, const struct problem *p)
{
    free(reply->raw_body);
    reply->raw_body = NULL;
    if (reply->stream.free != NULL)
        reply->stream.free(reply->stream.cls);
    memset(&reply->stream, 0, sizeof(reply->stream));
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
                    p->kind == PROBLEM_UNAVAILABLE && client_safe_detail(p->detail) ? p->detail
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
void call_reply_record(struct call_reply *reply, int status, json_t *record, const char *location)
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
json_t *call_parse_body(const struct call_request *request, int allow_merge_patch,
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
json_t *call_parse_patch(const struct call_request *request, struct if_match *if_match,
                         struct problem *p)
{
    if (call_parse_if_match(request->if_match, if_match, p) != 0)
        return NULL;
    return call_parse_body(request, 1, p);
}

int call_parse_if_match(const char *header, struct if_match *cond, struct problem *p)
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

/* Refuse any query parameter (for reads that take none). Returns 0, or -1 with a 400 in *p. */
int call_refuse_query(const struct call_request *request, struct problem *p)
{
    if (request->query_count == 0)
        return 0;
    for (size_t i = 0; i < request->query_count; i++)
        problem_add_field(p, request->query[i].name, "unknown query parameter");
    problem_set(p, PROBLEM_INVALID_QUERY, "this resource takes no query parameters");
    return -1;
}

/* Reply with one page of a limit/cursor-only list statement, read in one read transaction. */
void call_reply_simple_list(struct call *call, enum sql_id sql, listing_row_fn convert,
                            struct call_reply *reply)
{
    json_t *binds = json_object(), *page = NULL;
    int64_t limit;

    if (listing_parse_query(listing_no_filters, call->request->query, call->request->query_count,
                            binds, &limit, &call->p) == 0 &&
        db_begin_read(call->db, &call->p) == 0) {
        page = listing_page(call->db, sql, binds, limit, convert, NULL, &call->p);
        db_rollback(call->db);
    }
    json_decref(binds);
    if (page != NULL)
        call_reply_json(reply, 200, page);
}

/* Set the status and a text body of content_type, dropping any earlier body; the reply takes
 * the string. */
void call_reply_text(struct call_reply *reply, int status, char *text, const char *content_type)
{
    call_reply_clear(reply);
    reply->status = status;
    reply->raw_body = text;
    reply->raw_content_type = content_type;
}

/* Set the status and JSON body, dropping any earlier body; the reply takes the reference. */
void call_reply_json(struct call_reply *reply, int status, json_t *body)
{
    json_decref(reply->body);
    reply->status = status;
    reply->body = body;
}

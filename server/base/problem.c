/* problem: error kinds, their HTTP status and slug, and the problem+json document. */
#include "problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text_buffer.h"

struct problem_info {
    int status;
    const char *slug;
    const char *title;
};

static const struct problem_info problem_table[PROBLEM__MAX] = {
    [PROBLEM_NONE] = {200, "none", "No problem"},
    [PROBLEM_BAD_REQUEST] = {400, "bad-request", "Bad request"},
    [PROBLEM_MALFORMED_JSON] = {400, "malformed-json", "Malformed JSON body"},
    [PROBLEM_INVALID_QUERY] = {400, "invalid-query", "Invalid query parameters"},
    [PROBLEM_VALIDATION] = {422, "validation", "Invalid field values"},
    [PROBLEM_NOT_FOUND] = {404, "not-found", "Not found"},
    [PROBLEM_METHOD_NOT_ALLOWED] = {405, "method-not-allowed", "Method not allowed"},
    [PROBLEM_CONFLICT] = {409, "conflict", "Conflict"},
    [PROBLEM_POSSIBLE_DUPLICATE] = {409, "possible-duplicate",
                                    "This may be a client you already have"},
    [PROBLEM_PRECONDITION_FAILED] = {412, "precondition-failed", "Precondition failed"},
    [PROBLEM_PAYLOAD_TOO_LARGE] = {413, "payload-too-large", "Request body too large"},
    [PROBLEM_UNSUPPORTED_MEDIA_TYPE] = {415, "unsupported-media-type", "Unsupported media type"},
    [PROBLEM_UNAUTHENTICATED] = {401, "unauthenticated", "Sign in first"},
    [PROBLEM_FORBIDDEN] = {403, "forbidden", "Not allowed"},
    [PROBLEM_CSRF] = {403, "csrf", "Missing or wrong CSRF token"},
    [PROBLEM_INVALID_CREDENTIALS] = {401, "invalid-credentials", "Wrong e-mail or password"},
    [PROBLEM_SECOND_FACTOR_REQUIRED] = {401, "second-factor-required",
                                        "A code from the authenticator app is needed"},
    [PROBLEM_ENROLMENT_REQUIRED] = {403, "second-factor-enrolment-required",
                                    "Set up the authenticator app first"},
    [PROBLEM_TOO_MANY_ATTEMPTS] = {429, "too-many-attempts", "Too many attempts"},
    [PROBLEM_TOO_MANY_LOOKUPS] = {429, "too-many-lookups", "Too many identifier look-ups"},
    [PROBLEM_INTERNAL] = {500, "internal", "Internal server error"},
    [PROBLEM_UNAVAILABLE] = {503, "unavailable", "Service unavailable"},
};

void problem_init(struct problem *p)
{
    p->kind = PROBLEM_NONE;
    p->detail[0] = '\0';
    p->errors = NULL;
    p->retry_after = 0;
    p->members = NULL;
}

void problem_clear(struct problem *p)
{
    json_decref(p->errors);
    json_decref(p->members);
    problem_init(p);
}

int problem_set(struct problem *p, enum problem_kind kind, const char *fmt, ...)
{
    va_list ap;

    p->kind = kind;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
    va_end(ap);
    text_cut_partial_utf8(p->detail); /* a long name cut short must not void the document */
    return -1;
}

void problem_add_field(struct problem *p, const char *field, const char *fmt, ...)
{
    char message[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    text_cut_partial_utf8(message);
    if (p->errors == NULL)
        p->errors = json_array();
    json_array_append_new(p->errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

int problem_has_field_errors(const struct problem *p)
{
    return p->errors != NULL && json_array_size(p->errors) > 0;
}

int problem_names_field(const struct problem *p, const char *field)
{
    json_t *error;
    size_t i;

    json_array_foreach(p->errors, i, error)
    {
        const char *name = json_string_value(json_object_get(error, "field"));

        if (name != NULL && strcmp(name, field) == 0)
            return 1;
    }
    return 0;
}

int problem_status(enum problem_kind kind)
{
    if (kind <= PROBLEM_NONE || kind >= PROBLEM__MAX)
        return 500;
    return problem_table[kind].status;
}

json_t *problem_to_json(const struct problem *p)
{
    enum problem_kind kind = p->kind;
    char type[96];
    json_t *doc;

    if (kind <= PROBLEM_NONE || kind >= PROBLEM__MAX)
        kind = PROBLEM_INTERNAL;
    snprintf(type, sizeof(type), "urn:paroletrack:problem:%s", problem_table[kind].slug);
    doc = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", problem_table[kind].title,
                    "status", problem_table[kind].status, "detail",
                    p->detail[0] ? p->detail : problem_table[kind].title);
    if (p->errors != NULL)
        json_object_set(doc, "errors", p->errors);
    if (p->members != NULL)
        json_object_update_missing(doc, p->members);
    return doc;
}

void problem_set_member(struct problem *p, const char *name, json_t *value)
{
    if (p->members == NULL)
        p->members = json_object();
    json_object_set_new(p->members, name, value);
}

int problem_finish_checks(struct problem *p)
{
    if (!problem_has_field_errors(p))
        return 0;
    return problem_set(p, PROBLEM_VALIDATION, "%zu field(s) are invalid; nothing was changed",
                       json_array_size(p->errors));
}

/* problem: the one error type of paroletrack, mapped to HTTP status and RFC 9457
 * problem+json in one place. Every layer reports failure by filling a struct problem. */
#ifndef PAROLETRACK_PROBLEM_H
#define PAROLETRACK_PROBLEM_H

#include <jansson.h>

enum problem_kind {
    PROBLEM_NONE = 0,
    PROBLEM_BAD_REQUEST,
    PROBLEM_MALFORMED_JSON,
    PROBLEM_INVALID_QUERY,
    PROBLEM_VALIDATION,
    PROBLEM_NOT_FOUND,
    PROBLEM_METHOD_NOT_ALLOWED,
    PROBLEM_CONFLICT,
    PROBLEM_POSSIBLE_DUPLICATE,
    PROBLEM_PRECONDITION_FAILED,
    PROBLEM_PAYLOAD_TOO_LARGE,
    PROBLEM_UNSUPPORTED_MEDIA_TYPE,
    PROBLEM_UNAUTHENTICATED,
    PROBLEM_FORBIDDEN,
    PROBLEM_CSRF,
    PROBLEM_INVALID_CREDENTIALS,
    PROBLEM_SECOND_FACTOR_REQUIRED,
    PROBLEM_ENROLMENT_REQUIRED,
    PROBLEM_TOO_MANY_ATTEMPTS,
    PROBLEM_TOO_MANY_LOOKUPS,
    PROBLEM_INTERNAL,
    PROBLEM_UNAVAILABLE,
    PROBLEM__MAX
};

struct problem {
    enum problem_kind kind;
    char detail[512];
    json_t *errors;  /* array of {field, message}, owned; NULL until the first field error */
    int retry_after; /* seconds for a Retry-After header (429), 0 when none */
    json_t *members; /* further members of the document (an object: "duplicates"), owned; NULL
                      * when none */
};

/* Initialise an empty problem (no error). */
void problem_init(struct problem *p);

/* Release what the problem owns and reset it to no error. */
void problem_clear(struct problem *p);

/* Set the kind and a printf-style detail (replacing an earlier detail). Returns -1 so callers
 * can write `return problem_set(...)`. */
int problem_set(struct problem *p, enum problem_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append one {field, message} entry to the problem's errors (the kind is left as it is). */
void problem_add_field(struct problem *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set a further member of the problem's document (replacing one of that name); takes the
 * reference to value. */
void problem_set_member(struct problem *p, const char *name, json_t *value);

/* True when at least one field error has been added. */
int problem_has_field_errors(const struct problem *p);

/* True when a field error names `field`. */
int problem_names_field(const struct problem *p, const char *field);

/* Turn the field errors collected in *p (if any) into one 422 (PROBLEM_VALIDATION). Returns 0
 * when there are none, else -1. */
int problem_finish_checks(struct problem *p);

/* The HTTP status of a kind. */
int problem_status(enum problem_kind kind);

/* The problem as an RFC 9457 JSON document. Returns a new reference owned by the caller. */
json_t *problem_to_json(const struct problem *p);

#endif

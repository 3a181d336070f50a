/* fields: declarative validation of request bodies. Each resource describes its fields in a
 * table (name, type, required, limits, choices, normaliser); this module checks a create body or
 * a JSON merge patch against the table, reports every bad field at once, and produces the
 * complete, normalised record the store binds. Handlers only ever see checked values. */
#ifndef PAROLETRACK_FIELDS_H
#define PAROLETRACK_FIELDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "dates.h"
#include "identifiers.h"
#include "problem.h"

enum field_type {
    FIELD_TEXT,       /* a string; max_chars counts Unicode characters */
    FIELD_DATE,       /* "YYYY-MM-DD", a real calendar date */
    FIELD_TIMESTAMP,  /* RFC 3339 with an offset */
    FIELD_ENUM,       /* one of choices */
    FIELD_BOOL,       /* true / false, default false */
    FIELD_INT,        /* an integer in min..max */
    FIELD_TEXT_ARRAY, /* an array of at most max_items strings, default [] */
    FIELD_INT_ARRAY,  /* an array of at most max_items distinct integers in min..max */
    FIELD_JSON,       /* an array or object of at most max_items entries, checked by the caller */
};

enum field_flags {
    FIELD_REQUIRED = 1 << 0,    /* must be present and not null */
    FIELD_SINGLE_LINE = 1 << 1, /* text with no control characters (names, codes) */
    FIELD_NOT_FUTURE = 1 << 2,  /* a date not after today (date of birth) */
};

struct field_spec {
    const char *name;
    enum field_type type;
    unsigned flags;
    size_t max_chars;                /* FIELD_TEXT / items of FIELD_TEXT_ARRAY */
    size_t max_items;                /* FIELD_TEXT_ARRAY */
    const char *const *choices;      /* FIELD_ENUM, NULL-terminated */
    identifier_normalizer normalize; /* FIELD_TEXT identifiers and codes, may be NULL */
    int64_t min, max;                /* FIELD_INT */
    const char *default_choice;      /* FIELD_ENUM default on create, may be NULL */
    const char *default_json;        /* any other default, as JSON text, may be NULL */
};

struct field_table {
    const struct field_spec *fields;
    size_t count;
    /* names a client may see but never write, NULL-terminated: a member of these is refused
     * (422 "is read-only"), a field of the table among them too (a code fixed on a patch) */
    const char *const *read_only;
};

/* Check a create body against the table. Returns a new object (owned by the caller) holding
 * every valid field of the table, normalised, with defaults and nulls filled in; each bad field
 * is left out and named in p->errors (the caller decides, after its own cross-field checks,
 * whether to answer 422: see problem_has_field_errors). Returns NULL with PROBLEM_BAD_REQUEST
 * in *p only when body is not an object. today is the firm-local date ("YYYY-MM-DD"). */
json_t *fields_check_create(const struct field_table *table, const json_t *body, const char *today,
                            struct problem *p);

/* Apply a JSON merge patch (RFC 7396) to `current` (a stored record holding every field of the
 * table) and check the result like fields_check_create: a new object owned by the caller with
 * every valid field, bad ones named in p->errors; NULL (400) only when patch is not an object. */
/* Add a field error on effective_to when a row's effective_to is not after its effective_from
 * (a rule or a fee in force from one date to another; either may be missing or null). */
void fields_check_effective_range(const json_t *record, struct problem *p);

json_t *fields_check_patch(const struct field_table *table, const json_t *current,
                           const json_t *patch, const char *today, struct problem *p);

/* The number of Unicode characters in a UTF-8 string. */
size_t fields_utf8_length(const char *text);

#endif

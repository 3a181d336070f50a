/* listing: the one way a collection is read a page at a time. It checks a list request's query
 * parameters (limit, cursor and the filters a list declares as a filter_spec table; anything
 * else is a 400), binds them for a list statement of the SQL catalogue, and runs the statement
 * into {"items": [...], "next_cursor": ...}. Used by the resource engine, the audit trail, the
 * deadlines and the API's simple lists. It knows nothing of resources, audit or HTTP: it may
 * depend on db, sql, problem, identifiers, dates, crypto (blind indexes) and textfold only. */
#ifndef PAROLETRACK_LISTING_H
#define PAROLETRACK_LISTING_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "identifiers.h"
#include "problem.h"
#include "sql.h"

/* One query parameter of a request, as it came (repeats kept, in order); both borrowed. */
struct query_param {
    const char *name;
    const char *value;
};

enum filter_kind {
    FILTER_ID,        /* a positive integer */
    FILTER_CHOICE,    /* one of choices */
    FILTER_CODE,      /* a code checked by normalize */
    FILTER_SEARCH,    /* free text, folded; every word must occur in the search key */
    FILTER_TIMESTAMP, /* an RFC 3339 instant, bound as UTC text */
    FILTER_DATE,      /* a calendar date YYYY-MM-DD */
    FILTER_BLIND,     /* an identifier checked by normalize, bound as its blind index */
    FILTER_ASSIGNEE,  /* a user id, or "me" (resolved by the resource's bind_list) */
    FILTER_ID_LIST,   /* up to FILTER_ID_LIST_MAX comma-separated ids, bound as a JSON array */
};

#define FILTER_ID_LIST_MAX 200

/* A FILTER_BLIND filter is an identifier look-up: limited per principal and audited
 * (lookup_identifiers) by the resource engine, see lookups.h. */

struct filter_spec {
    const char *name;
    enum filter_kind kind;
    const char *const *choices;      /* FILTER_CHOICE */
    identifier_normalizer normalize; /* FILTER_CODE, FILTER_BLIND */
};

/* Converts the current row of a list statement into an item (new reference), or NULL with *p
 * set. */
typedef json_t *(*listing_row_fn)(db_stmt *stmt, const void *arg, struct problem *p);

/* The filters of a list that takes only limit and cursor (an empty, NULL-terminated table). */
extern const struct filter_spec listing_no_filters[];

/* Check the query parameters of a list request against `filters` (NULL-terminated by name) and
 * fill binds: `limit` (asked + 1, to see whether a next page exists), `after` (from the
 * cursor) and each filter (null when absent). *limit gets the page size asked for. Anything
 * else, or a repeated parameter, is a 400 naming it. Returns 0 or -1. */
int listing_parse_query(const struct filter_spec *filters, const struct query_param *query,
                        size_t query_count, json_t *binds, int64_t *limit, struct problem *p);

/* Run a list statement (inside the caller's transaction) with binds holding `limit` (asked + 1)
 * and build {"items": [...], "next_cursor": ...}; the statement's first column is the id the
 * cursor continues from. Returns a new object the caller owns, or NULL with *p set. */
json_t *listing_page(struct db *db, enum sql_id sql, const json_t *binds, int64_t limit,
                     listing_row_fn convert, const void *arg, struct problem *p);

/* Writes the current row of a list statement into out as one item's JSON text. Returns 0, or
 * -1 with *p set. */
typedef int (*listing_write_fn)(db_stmt *stmt, const void *arg, struct text_buffer *out,
                                struct problem *p);

/* listing_page, written as JSON text row by row instead of built as an object: the same page
 * ({"items": [...], "next_cursor": ...}) as a new string the caller frees, or NULL with *p
 * set. */
char *listing_page_text(struct db *db, enum sql_id sql, const json_t *binds, int64_t limit,
                        listing_write_fn write, const void *arg, struct problem *p);

/* True when the parent parole request of a list (its child records, its history, its
 * timeline) exists, inside the caller's transaction; otherwise sets a 404 (or a 500) in *p. */
int listing_parent_exists(struct db *db, int64_t parent_id, struct problem *p);

/* The row `id` of statement `sql` (one bind, :id) as `convert` makes it, inside the caller's
 * transaction: a new object the caller owns, or NULL with 404 naming `noun` (or another
 * problem) in *p. */
json_t *listing_read_one(struct db *db, enum sql_id sql, int64_t id, listing_row_fn convert,
                         const char *noun, struct problem *p);

/* Like listing_parent_exists for a client (the parent of a client's own events): 1, or 0 with
 * 404 naming the client (or another problem) in *p. */
int listing_client_exists(struct db *db, int64_t client_id, struct problem *p);

#endif

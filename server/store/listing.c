/* listing: list query parameters, filters, cursors and pages. */
#include "listing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dates.h"
#include "textfold.h"

#define LIST_DEFAULT_LIMIT 50
#define LIST_MAX_LIMIT     200

/* Parse a strictly positive decimal integer (no sign, no spaces, no leading zeros beyond "0").
 * Returns 0 and *out, or -1. */
static int parse_positive(const char *text, int64_t *out)
{
    char *end = NULL;
    long long value;

    if (text == NULL || text[0] < '1' || text[0] > '9' || strlen(text) > 18)
        return -1;
    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || value <= 0)
        return -1;
    *out = value;
    return 0;
}

const struct filter_spec listing_no_filters[] = {{.name = NULL}};

/* Check one filter value and store it in binds under the filter's name. */
static void bind_filter(const struct filter_spec *f, const char *value, json_t *binds,
                        struct problem *p)
{
    int64_t id;
    char normalized[128];
    const char *message = NULL;

    switch (f->kind) {
    case FILTER_ID:
        if (parse_positive(value, &id) != 0) {
            problem_add_field(p, f->name, "must be a positive integer id");
            return;
        }
        json_object_set_new(binds, f->name, json_integer(id));
        return;
    case FILTER_CHOICE:
        for (const char *const *c = f->choices; *c; c++)
            if (strcmp(*c, value) == 0) {
                json_object_set_new(binds, f->name, json_string(value));
                return;
            }
        problem_add_field(p, f->name, "is not one of the allowed values");
        return;
    case FILTER_CODE:
        if (f->normalize(value, normalized, sizeof(normalized), &message) != 0) {
            problem_add_field(p, f->name, "%s", message);
            return;
        }
        json_object_set_new(binds, f->name, json_string(normalized));
        return;
    case FILTER_ID_LIST: {
        json_t *ids = json_array();
        const char *start = value;
        char *text;

        for (;;) {
            const char *comma = strchr(start, ',');
            size_t length = comma ? (size_t)(comma - start) : strlen(start);
            char one[24];

            if (length > 0 && length < sizeof(one)) {
                memcpy(one, start, length);
                one[length] = '\0';
            }
            if (length == 0 || length >= sizeof(one) ||
                json_array_size(ids) >= FILTER_ID_LIST_MAX || parse_positive(one, &id) != 0) {
                problem_add_field(p, f->name, "must be 1 to %d ids separated by commas",
                                  FILTER_ID_LIST_MAX);
                json_decref(ids);
                return;
            }
            json_array_append_new(ids, json_integer(id));
            if (comma == NULL)
                break;
            start = comma + 1;
        }
        text = json_dumps(ids, JSON_COMPACT);
        json_decref(ids);
        if (text == NULL) {
            problem_set(p, PROBLEM_INTERNAL, "out of memory");
            return;
        }
        json_object_set_new(binds, f->name, json_string(text));
        free(text);
        return;
    }
    case FILTER_ASSIGNEE:
        if (strcmp(value, "me") == 0) {
            json_object_set_new(binds, f->name, json_string("me"));
            return;
        }
        if (parse_positive(value, &id) != 0) {
            problem_add_field(p, f->name, "must be a user id or me");
            return;
        }
        json_object_set_new(binds, f->name, json_integer(id));
        return;
    case FILTER_BLIND: {
        char index[65];

        if (f->normalize(value, normalized, sizeof(normalized), &message) != 0) {
            problem_add_field(p, f->name, "%s", message);
            return;
        }
        crypto_blind_index(f->name, normalized, index);
        json_object_set_new(binds, f->name, json_string(index));
        return;
    }
    case FILTER_DATE: {
        struct civil_date date;

        if (dates_parse(value, &date) != 0) {
            problem_add_field(p, f->name, "must be a date that exists, written YYYY-MM-DD");
            return;
        }
        json_object_set_new(binds, f->name, json_string(value));
        return;
    }
    case FILTER_TIMESTAMP: {
        char utc[TIMESTAMP_LEN];

        if (dates_parse_timestamp(value, utc, NULL) != 0) {
            problem_add_field(p, f->name, "must be an RFC 3339 timestamp with an offset");
            return;
        }
        json_object_set_new(binds, f->name, json_string(utc));
        return;
    }
    case FILTER_SEARCH: {
        char *folded;

        if (strlen(value) > 200) {
            problem_add_field(p, f->name, "must be at most 200 bytes");
            return;
        }
        folded = textfold_fold(value);
        if (folded == NULL) {
            problem_add_field(p, f->name, "must be valid UTF-8 text");
            return;
        }
        /* An empty (or all-space) search matches everything. */
        json_object_set_new(binds, f->name, folded[0] ? json_string(folded) : json_null());
        free(folded);
        return;
    }
    }
}

int listing_parse_query(const struct filter_spec *filters, const struct query_param *query,
                        size_t query_count, json_t *binds, int64_t *limit, struct problem *p)
{
    int64_t after = 0;

    *limit = LIST_DEFAULT_LIMIT;
    for (const struct filter_spec *f = filters; f && f->name; f++)
        json_object_set_new(binds, f->name, json_null());
    for (size_t i = 0; i < query_count; i++) {
        const char *name = query[i].name, *value = query[i].value ? query[i].value : "";
        const struct filter_spec *filter = NULL;
        int repeated = 0;

        for (size_t j = 0; j < i; j++)
            if (strcmp(query[j].name, name) == 0)
                repeated = 1;
        if (repeated) {
            problem_add_field(p, name, "must be given at most once");
            continue;
        }
        if (strcmp(name, "limit") == 0) {
            if (parse_positive(value, limit) != 0 || *limit > LIST_MAX_LIMIT)
                problem_add_field(p, "limit", "must be an integer from 1 to %d", LIST_MAX_LIMIT);
            continue;
        }
        if (strcmp(name, "cursor") == 0) {
            if (value[0] != 'c' || parse_positive(value + 1, &after) != 0)
                problem_add_field(p, "cursor", "is not a cursor this server returned");
            continue;
        }
        for (const struct filter_spec *f = filters; f && f->name; f++)
            if (strcmp(f->name, name) == 0)
                filter = f;
        if (filter == NULL) {
            problem_add_field(p, name, "is not a known query parameter");
            continue;
        }
        bind_filter(filter, value, binds, p);
    }
    if (problem_has_field_errors(p))
        return problem_set(p, PROBLEM_INVALID_QUERY, "%zu query parameter(s) are invalid",
                           json_array_size(p->errors));
    json_object_set_new(binds, "after", json_integer(after));
    json_object_set_new(binds, "limit", json_integer(*limit + 1));
    return 0;
}

/* What a page walk hands each row to: the list's own converter, and where the page goes. */
struct page_visit {
    listing_row_fn convert; /* listing_page: into items */
    json_t *items;
    listing_write_fn write; /* listing_page_text: into text */
    struct text_buffer *text;
    const void *arg;
};

/* Step a list statement for one page: each row up to `limit` goes to the visit; *more says
 * whether a row followed, *last_id is the last one's id. Returns 0, or -1 with *p set. */
static int walk_page(struct db *db, enum sql_id sql, const json_t *binds, int64_t limit,
                     struct page_visit *visit, int64_t *last_id, int *more, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step = DB_ERROR;
    int64_t rows = 0;
    int rc = -1;

    *more = 0;
    *last_id = 0;
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    while ((step = db_step(stmt)) == DB_ROW) {
        if (rows == limit) {
            *more = 1;
            break;
        }
        *last_id = db_row_int(stmt, "id");
        if (visit->convert != NULL) {
            json_t *item = visit->convert(stmt, visit->arg, p);

            if (item == NULL)
                goto out;
            json_array_append_new(visit->items, item);
        } else {
            if (rows > 0)
                text_buffer_add(visit->text, ",", 1);
            if (visit->write(stmt, visit->arg, visit->text, p) != 0)
                goto out;
        }
        rows++;
    }
    if (step != DB_ROW && step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_finish(stmt);
    return rc;
}

json_t *listing_page(struct db *db, enum sql_id sql, const json_t *binds, int64_t limit,
                     listing_row_fn convert, const void *arg, struct problem *p)
{
    struct page_visit visit = {.convert = convert, .items = json_array(), .arg = arg};
    json_t *page = NULL;
    int64_t last_id;
    int more;

    if (walk_page(db, sql, binds, limit, &visit, &last_id, &more, p) == 0) {
        page = json_pack("{s:O}", "items", visit.items);
        if (more) {
            char cursor[32];

            snprintf(cursor, sizeof(cursor), "c%lld", (long long)last_id);
            json_object_set_new(page, "next_cursor", json_string(cursor));
        } else {
            json_object_set_new(page, "next_cursor", json_null());
        }
    }
    json_decref(visit.items);
    return page;
}

char *listing_page_text(struct db *db, enum sql_id sql, const json_t *binds, int64_t limit,
                        listing_write_fn write, const void *arg, struct problem *p)
{
    struct text_buffer text = {0};
    struct page_visit visit = {.write = write, .text = &text, .arg = arg};
    int64_t last_id;
    int more;

    text_buffer_add_string(&text, "{\"items\":[");
    if (walk_page(db, sql, binds, limit, &visit, &last_id, &more, p) != 0) {
        text_buffer_free(&text);
        return NULL;
    }
    if (more) {
        char tail[64];

        snprintf(tail, sizeof(tail), "],\"next_cursor\":\"c%lld\"}", (long long)last_id);
        text_buffer_add_string(&text, tail);
    } else {
        text_buffer_add_string(&text, "],\"next_cursor\":null}");
    }
    if (text.failed) {
        text_buffer_free(&text);
        problem_set(p, PROBLEM_INTERNAL, "out of memory writing a list page");
        return NULL;
    }
    return text.data;
}

/* 1 when statement `sql` (one bind, :id) finds the row `id`, else 0 with 404 naming `noun` (or
 * another problem) in *p. */
static int row_exists(struct db *db, enum sql_id sql, const char *noun, int64_t id,
                      struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id);
    int64_t found = 0;
    int rc = db_scalar_int(db, sql, binds, &found, p);

    json_decref(binds);
    if (rc != 0)
        return 0;
    if (!found) {
        problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %lld", noun, (long long)id);
        return 0;
    }
    return 1;
}

int listing_parent_exists(struct db *db, int64_t parent_id, struct problem *p)
{
    return row_exists(db, SQL_REQUEST_EXISTS, "parole request", parent_id, p);
}

int listing_client_exists(struct db *db, int64_t client_id, struct problem *p)
{
    return row_exists(db, SQL_CLIENT_EXISTS, "client", client_id, p);
}

json_t *listing_read_one(struct db *db, enum sql_id sql, int64_t id, listing_row_fn convert,
                         const char *noun, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)id), *row = NULL;
    db_stmt *stmt = db_prepare(db, sql, p);

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW)
        row = convert(stmt, NULL, p);
    else if (p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %lld", noun, (long long)id);
    db_finish(stmt);
    json_decref(binds);
    return row;
}

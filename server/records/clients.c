/* clients: the people a firm represents. */
#include <stdio.h>
#include <string.h>

#include "crypto.h"

#include "records.h"
#include "search.h"
#include "textfold.h"

static const struct field_spec client_fields[] = {
    {.name = "family_name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 200},
    {.name = "given_name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 200},
    {.name = "other_names",
     .type = FIELD_TEXT_ARRAY,
     .flags = FIELD_SINGLE_LINE,
     .max_chars = 200,
     .max_items = 20},
    {.name = "date_of_birth", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    {.name = "country_of_birth",
     .type = FIELD_TEXT,
     .max_chars = 2,
     .normalize = identifiers_country},
    {.name = "citizenship",
     .type = FIELD_TEXT,
     .max_chars = 9,
     .normalize = identifiers_citizenship},
    {.name = "a_number", .type = FIELD_TEXT, .max_chars = 20, .normalize = identifiers_a_number},
    {.name = "passport_number",
     .type = FIELD_TEXT,
     .max_chars = 30,
     .normalize = identifiers_passport_number},
    {.name = "passport_country",
     .type = FIELD_TEXT,
     .max_chars = 2,
     .normalize = identifiers_country},
    {.name = "passport_expires_on", .type = FIELD_DATE},
    {.name = "email", .type = FIELD_TEXT, .max_chars = 254, .normalize = identifiers_email},
    {.name = "phone", .type = FIELD_TEXT, .max_chars = 40, .normalize = identifiers_phone},
    {.name = "address", .type = FIELD_TEXT, .max_chars = 1000},
    /* the day the client moved to that address (a change of address starts the 10-day AR-11
     * report; when an edit changes the address without it, the day of the edit) */
    {.name = "address_since", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    /* whether the asylum one-year deadline is tracked (off for a client who will not apply) */
    {.name = "track_asylum_deadline", .type = FIELD_BOOL, .default_json = "true"},
    {.name = "preferred_language",
     .type = FIELD_TEXT,
     .max_chars = 64,
     .normalize = identifiers_language_tag},
    {.name = "notes", .type = FIELD_TEXT, .max_chars = 10000},
    /* the clients someone checked and found to be other people (a possible duplicate
     * confirmed as not one) */
    {.name = "distinct_from",
     .type = FIELD_INT_ARRAY,
     .min = 1,
     .max = INT64_MAX,
     .max_items = 50,
     .default_json = "[]"},
};

static const char *const client_read_only[] = {RECORD_READ_ONLY, NULL};
static const char *const client_bool_columns[] = {"track_asylum_deadline", NULL};

static const struct filter_spec client_filters[] = {
    {.name = "q", .kind = FILTER_SEARCH},
    {.name = "a_number", .kind = FILTER_BLIND, .normalize = identifiers_a_number},
    {.name = "passport_number", .kind = FILTER_BLIND, .normalize = identifiers_passport_number},
    {.name = "citizenship", .kind = FILTER_CODE, .normalize = identifiers_citizenship},
    {.name = "id", .kind = FILTER_ID_LIST},
    RESOURCE_INCLUDE_FILTER,
    {.name = NULL},
};

static const char *const client_json_columns[] = {"other_names", "distinct_from", NULL};
static const char *const client_narratives[] = {"notes", NULL};
static const char *const client_encrypted[] = {"a_number", "passport_number", "date_of_birth",
                                               "notes", NULL};
static const char *const client_identifiers[] = {"a_number", "passport_number", "date_of_birth",
                                                 NULL};

/* An edit that changes the address and leaves its date as it was: the client moved on the day
 * of the edit (the date the AR-11 deadline counts from). `stored` is the client before the
 * edit (NULL on create: the date is as sent). */
static void moved_today(json_t *record, const json_t *stored, const struct op_context *ctx)
{
    if (stored != NULL && json_is_string(json_object_get(record, "address")) &&
        !json_equal(json_object_get(record, "address"), json_object_get(stored, "address")) &&
        json_equal(json_object_get(record, "address_since"),
                   json_object_get(stored, "address_since")))
        json_object_set_new(record, "address_since", json_string(ctx->today));
}

/* Whether the record's member `name` differs from the stored client's (always on a create). */
static int changed(const json_t *record, const json_t *stored, const char *name)
{
    return stored == NULL ||
           !json_equal(json_object_get(record, name), json_object_get(stored, name));
}

/* Refuse a client that duplicates another (search_duplicates): an A-number or passport number
 * already on another client is a 409 naming it (checked when the identifier is written); the
 * same date of birth and a close name is a possible-duplicate 409 naming the candidates, which
 * the paralegal confirms by sending their ids in distinct_from (checked when a name or the date
 * of birth is written). Either lists the clients in the problem's "duplicates". Returns 0 or
 * -1 with *p set. */
static int refuse_duplicates(struct db *db, const json_t *record, const json_t *stored, int64_t id,
                             struct problem *p)
{
    int identifiers =
        changed(record, stored, "a_number") || changed(record, stored, "passport_number");
    int likely = changed(record, stored, "family_name") || changed(record, stored, "given_name") ||
                 changed(record, stored, "date_of_birth") ||
                 changed(record, stored, "distinct_from");
    json_t *found, *first;
    const char *matched, *label;
    int64_t other;

    if (problem_has_field_errors(p) || (!identifiers && !likely))
        return 0; /* bad fields first: one 422 */
    found = search_duplicates(db, record, id, identifiers, likely, p);
    if (found == NULL)
        return -1;
    if (json_array_size(found) == 0) {
        json_decref(found);
        return 0;
    }
    first = json_array_get(found, 0);
    matched = json_string_value(json_object_get(first, "matched"));
    label = json_string_value(json_object_get(first, "label"));
    other = json_integer_value(json_object_get(first, "client_id"));
    if (strcmp(matched, "name_and_date_of_birth") == 0) {
        problem_set(p, PROBLEM_POSSIBLE_DUPLICATE,
                    "%s may be client #%lld (%s): same date of birth and a close name. Open that "
                    "client instead, or, if they are different people, save again with their id "
                    "in distinct_from",
                    json_string_value(json_object_get(record, "family_name")), (long long)other,
                    label);
    } else {
        const char *field = strcmp(matched, "a_number") == 0 ? "a_number" : "passport_number";

        problem_add_field(p, field, "is already on client #%lld (%s)", (long long)other, label);
        problem_set(p, PROBLEM_CONFLICT,
                    "this %s is already on client #%lld (%s): open that client instead",
                    strcmp(field, "a_number") == 0 ? "A-number" : "passport number",
                    (long long)other, label);
    }
    problem_set_member(p, "duplicates", found);
    return -1;
}

/* The derived columns of a client: the address date on a move, the folded search key from every
 * name, and the blind indexes of its identifiers. */
static int client_before_write(struct db *db, json_t *record, const json_t *stored,
                               int64_t parent_id, int64_t id, const struct op_context *ctx,
                               struct problem *p)
{
    const char *names[22] = {0};
    size_t count = 0, i;
    json_t *other;

    (void)parent_id;
    moved_today(record, stored, ctx);
    names[count++] = json_string_value(json_object_get(record, "family_name"));
    names[count++] = json_string_value(json_object_get(record, "given_name"));
    json_array_foreach(json_object_get(record, "other_names"), i, other)
    {
        if (count < sizeof(names) / sizeof(names[0]))
            names[count++] = json_string_value(other);
    }
    json_object_set_new(record, "search_key", textfold_search_key(names, count));
    for (size_t k = 0; k < 2; k++) {
        static const char *const identifiers[] = {"a_number", "passport_number"};
        static const char *const index_columns[] = {"a_number_index", "passport_number_index"};
        const char *value = json_string_value(json_object_get(record, identifiers[k]));
        char index[65];

        if (value == NULL) {
            json_object_set_new(record, index_columns[k], json_null());
            continue;
        }
        crypto_blind_index(identifiers[k], value, index);
        json_object_set_new(record, index_columns[k], json_string(index));
    }
    return refuse_duplicates(db, record, stored, id, p);
}

/* In lists, identifiers are masked and the date of birth left out: reading them in full is an
 * audited GET of the one client. */
static void client_present_in_list(json_t *record)
{
    json_object_set_new(record, "a_number", resource_masked(json_object_get(record, "a_number")));
    json_object_set_new(record, "passport_number",
                        resource_masked(json_object_get(record, "passport_number")));
    json_object_set_new(record, "date_of_birth", json_null());
}

const struct resource_spec clients_resource = {
    .ledger = WRITE_LEDGER_CLIENT,
    .collection = "clients",
    .noun = "client",
    .entity = "clients",
    .sql_table = "clients",
    .encrypted = client_encrypted,
    .narratives = client_narratives,
    .audited_reads = client_identifiers,
    .sql_next_id = SQL_NEXT_ID_CLIENTS,
    .present_in_list = client_present_in_list,
    .table = {client_fields, sizeof(client_fields) / sizeof(client_fields[0]), client_read_only},
    .filters = client_filters,
    .json_columns = client_json_columns,
    .bool_columns = client_bool_columns,
    .sql_get = SQL_CLIENT_GET,
    .sql_list = SQL_CLIENT_LIST,
    .sql_insert = SQL_CLIENT_INSERT,
    .sql_update = SQL_CLIENT_UPDATE,
    .sql_delete = SQL_CLIENT_DELETE,
    .before_write = client_before_write,
    .has_dependents = 1,
    .sql_dependents = SQL_CLIENT_DEPENDENTS,
    .dependents_message = "this client still has parole requests or recorded entries; legal "
                          "records are never deleted along with a client",
};

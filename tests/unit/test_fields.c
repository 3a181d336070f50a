/* Unit tests of fields: the declarative checker on a small table. */
#include <string.h>

#include "check.h"
#include "fields.h"

static const char *const colours[] = {"red", "green", NULL};

static const struct field_spec spec[] = {
    {.name = "name",
     .type = FIELD_TEXT,
     .flags = FIELD_REQUIRED | FIELD_SINGLE_LINE,
     .max_chars = 5},
    {.name = "born_on", .type = FIELD_DATE, .flags = FIELD_NOT_FUTURE},
    {.name = "colour", .type = FIELD_ENUM, .choices = colours, .default_choice = "red"},
    {.name = "count", .type = FIELD_INT, .min = 0, .max = 10},
    {.name = "flag", .type = FIELD_BOOL},
    {.name = "aliases", .type = FIELD_TEXT_ARRAY, .max_chars = 5, .max_items = 2},
    {.name = "country", .type = FIELD_TEXT, .max_chars = 2, .normalize = identifiers_country},
    {.name = "at", .type = FIELD_TIMESTAMP},
};
static const char *const read_only[] = {"id", "version", NULL};
static const struct field_table table = {spec, sizeof(spec) / sizeof(spec[0]), read_only};

/* True when p names `field` among its errors. */
static int names_field(const struct problem *p, const char *field)
{
    size_t i;
    json_t *e;

    json_array_foreach(p->errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return 1;
    }
    return 0;
}

static void test_create_defaults(void)
{
    struct problem p;
    json_t *body = json_loads("{\"name\":\"Олена\",\"country\":\"ua\"}", 0, NULL);
    json_t *record;

    problem_init(&p);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(record != NULL);
    CHECK_STR(json_string_value(json_object_get(record, "name")), "Олена");
    CHECK_STR(json_string_value(json_object_get(record, "colour")), "red");
    CHECK_STR(json_string_value(json_object_get(record, "country")), "UA");
    CHECK(json_is_false(json_object_get(record, "flag")));
    CHECK(json_array_size(json_object_get(record, "aliases")) == 0);
    CHECK(json_is_null(json_object_get(record, "born_on")));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
}

static void test_create_errors_all_listed(void)
{
    struct problem p;
    json_t *body = json_loads("{\"born_on\":\"2025-02-30\",\"colour\":\"blue\",\"count\":11,"
                              "\"flag\":\"yes\",\"aliases\":[\"ok\",\"toolong\"],"
                              "\"country\":\"XX\",\"at\":\"2026-01-01T10:00:00\","
                              "\"extra\":1,\"id\":4}",
                              0, NULL);
    json_t *record;

    problem_init(&p);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    /* The record keeps the valid fields; every bad one is named (nothing is 422 yet: the
     * caller runs its cross-field rules first). */
    CHECK(record != NULL && json_object_get(record, "colour") == NULL);
    CHECK(problem_has_field_errors(&p));
    CHECK(names_field(&p, "name"));
    CHECK(names_field(&p, "born_on"));
    CHECK(names_field(&p, "colour"));
    CHECK(names_field(&p, "count"));
    CHECK(names_field(&p, "flag"));
    CHECK(names_field(&p, "aliases[1]"));
    CHECK(names_field(&p, "country"));
    CHECK(names_field(&p, "at"));
    CHECK(names_field(&p, "extra"));
    CHECK(names_field(&p, "id"));
    CHECK(json_array_size(p.errors) == 10);
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
}

static void test_limits(void)
{
    struct problem p;
    json_t *body;
    json_t *record;

    /* five characters of Cyrillic are ten bytes but within a 5-character limit */
    body = json_loads("{\"name\":\"Олена\",\"born_on\":\"2026-11-25\"}", 0, NULL);
    problem_init(&p);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(names_field(&p, "born_on") && !names_field(&p, "name"));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
    body = json_loads("{\"name\":\"a\\nb\"}", 0, NULL);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(names_field(&p, "name"));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
    body = json_loads("{\"name\":\"   \"}", 0, NULL);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(names_field(&p, "name"));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
    body = json_loads("{\"name\":\"ok\",\"colour\":\"red\\u0000x\",\"born_on\":"
                      "\"2020-01-01\\u0000\",\"aliases\":[\"a\\u0000\"]}",
                      JSON_ALLOW_NUL, NULL);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(names_field(&p, "colour") && names_field(&p, "born_on") && names_field(&p, "aliases[0]"));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
    body = json_loads("{\"name\":\"a\\u2028b\"}", 0, NULL);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(names_field(&p, "name"));
    json_decref(record);
    json_decref(body);
    problem_clear(&p);
    body = json_loads("[1]", 0, NULL);
    record = fields_check_create(&table, body, "2026-11-24", &p);
    CHECK(record == NULL && p.kind == PROBLEM_BAD_REQUEST);
    json_decref(body);
    problem_clear(&p);
}

static void test_patch(void)
{
    struct problem p;
    json_t *current = json_loads("{\"name\":\"Ana\",\"born_on\":\"1990-01-01\",\"colour\":"
                                 "\"green\",\"count\":3,\"flag\":true,\"aliases\":[],"
                                 "\"country\":\"VE\",\"at\":null}",
                                 0, NULL);
    json_t *patch = json_loads("{\"born_on\":null,\"count\":4}", 0, NULL);
    json_t *record;

    problem_init(&p);
    record = fields_check_patch(&table, current, patch, "2026-11-24", &p);
    CHECK(record != NULL);
    CHECK(json_is_null(json_object_get(record, "born_on")));
    CHECK(json_integer_value(json_object_get(record, "count")) == 4);
    CHECK_STR(json_string_value(json_object_get(record, "colour")), "green");
    CHECK_STR(json_string_value(json_object_get(record, "name")), "Ana");
    json_decref(record);
    json_decref(patch);
    /* null resets a field with a default (RFC 7396 "remove") */
    patch = json_loads("{\"flag\":null,\"aliases\":null,\"colour\":null}", 0, NULL);
    record = fields_check_patch(&table, current, patch, "2026-11-24", &p);
    CHECK(record != NULL);
    CHECK(json_is_false(json_object_get(record, "flag")));
    CHECK(json_array_size(json_object_get(record, "aliases")) == 0);
    CHECK_STR(json_string_value(json_object_get(record, "colour")), "red");
    json_decref(record);
    json_decref(patch);
    patch = json_loads("{\"name\":null,\"version\":9}", 0, NULL);
    record = fields_check_patch(&table, current, patch, "2026-11-24", &p);
    CHECK(names_field(&p, "name") && names_field(&p, "version"));
    json_decref(record);
    json_decref(patch);
    json_decref(current);
    problem_clear(&p);
}

int main(void)
{
    test_create_defaults();
    test_create_errors_all_listed();
    test_limits();
    test_patch();
    return CHECK_DONE();
}

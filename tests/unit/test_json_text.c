/* test_json_text: the JSON text json_text writes is byte for byte what jansson's
 * json_dumps(JSON_COMPACT) writes for the same values (quotes, backslashes, every control
 * character, UTF-8 of several scripts, the empty string, null, the integer extremes; whole
 * trees of every type, in member order, NUL bytes inside strings), and it parses back to
 * them. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_text.h"

/* Whether json_text_string writes s as jansson does. */
static int string_matches_jansson(const char *s)
{
    struct text_buffer mine = {0};
    json_t *value = json_string(s);
    char *theirs = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    int same;

    json_text_string(&mine, s);
    same = theirs != NULL && mine.data != NULL && strcmp(mine.data, theirs) == 0;
    if (!same)
        fprintf(stderr, "json_text: %s, jansson: %s\n", mine.data ? mine.data : "(none)",
                theirs ? theirs : "(none)");
    free(theirs);
    json_decref(value);
    text_buffer_free(&mine);
    return same;
}

/* Whether json_text_value writes value as json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) does. */
static int value_matches_jansson(const json_t *value)
{
    struct text_buffer mine = {0};
    char *theirs = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    int same;

    json_text_value(&mine, value);
    same = theirs != NULL && mine.data != NULL && mine.len == strlen(theirs) &&
           memcmp(mine.data, theirs, mine.len) == 0;
    if (!same)
        fprintf(stderr, "json_text: %s\njansson:   %s\n", mine.data ? mine.data : "(none)",
                theirs ? theirs : "(none)");
    free(theirs);
    text_buffer_free(&mine);
    return same;
}

/* Whole values: every type, nesting, member order as inserted (not sorted). */
static void test_values(void)
{
    json_t *tree = json_loads(
        "{\"zeta\":1,\"alpha\":[true,false,null,-7,0,\"x\\\"y\"],\"mid\":{\"b\":{},\"a\":[]},"
        "\"name\":\"Коваленко\",\"fee_cents\":41000,\"nested\":[[[{\"deep\":\"\\n\"}]]]}",
        0, NULL);
    json_t *with_nul = json_stringn("before\0after", 12);
    json_t *real = json_real(2.5);
    json_t *items = json_array();

    CHECK(tree != NULL);
    CHECK(value_matches_jansson(tree));
    CHECK(value_matches_jansson(with_nul));
    CHECK(value_matches_jansson(real));
    CHECK(value_matches_jansson(items));
    json_object_set_new(tree, "added_last", json_integer(INT64_MIN));
    json_array_append(items, tree);
    json_array_append_new(items, json_string("tail"));
    CHECK(value_matches_jansson(items));
    CHECK(value_matches_jansson(json_null()));
    CHECK(value_matches_jansson(json_true()));
    json_decref(items);
    json_decref(real);
    json_decref(with_nul);
    json_decref(tree);
}

/* json_text_utf8_string judges UTF-8 as json_stringn does: what jansson refuses is null, the
 * rest is written as json_dumps writes it. */
static void test_utf8_judgement(void)
{
    static const char *const bytes[] = {
        "plain",
        "\xC3\xA9t\xC3\xA9",
        "\xF0\x9F\x87\xBA\xF0\x9F\x87\xA6",
        "\xEF\xBF\xBF",
        "\xC0\xAF",         /* overlong */
        "\xED\xA0\x80",     /* a surrogate */
        "\xF4\x90\x80\x80", /* past U+10FFFF */
        "\xE2\x82",         /* cut short */
        "\x80",             /* a lone continuation byte */
        "\xF8\x88\x80\x80\x80",
    };

    for (size_t i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
        struct text_buffer mine = {0};
        json_t *value = json_stringn(bytes[i], strlen(bytes[i]));
        char *theirs = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

        json_text_utf8_string(&mine, bytes[i], strlen(bytes[i]));
        CHECK_STR(mine.data, theirs ? theirs : "null");
        free(theirs);
        json_decref(value);
        text_buffer_free(&mine);
    }
}

int main(void)
{
    static const char *const strings[] = {
        "",
        "plain ASCII, 42",
        "quote \" and backslash \\ and slash /",
        "line\nbreak\r\ttab\bback\fform",
        "\x01\x02\x1f\x7f control bytes",
        "Коваленко Олена",
        "José Nuñez, عبد الله, 張偉, 🇺🇦",
        "I-94 admit-until date",
    };
    struct text_buffer out = {0};
    char all_controls[32];
    json_t *parsed;

    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        CHECK(string_matches_jansson(strings[i]));
    for (int c = 1; c < 32; c++)
        all_controls[c - 1] = (char)c;
    all_controls[31] = '\0';
    CHECK(string_matches_jansson(all_controls));

    /* An object written with every helper parses back to the values. */
    text_buffer_add_string(&out, "{");
    json_text_key(&out, "name \"quoted\"");
    json_text_string(&out, strings[6]);
    text_buffer_add_string(&out, ",");
    json_text_key(&out, "none");
    json_text_string(&out, NULL);
    text_buffer_add_string(&out, ",");
    json_text_key(&out, "min");
    json_text_int(&out, INT64_MIN);
    text_buffer_add_string(&out, ",");
    json_text_key(&out, "max");
    json_text_int(&out, INT64_MAX);
    text_buffer_add_string(&out, ",");
    json_text_key(&out, "zero");
    json_text_int(&out, 0);
    text_buffer_add_string(&out, "}");
    CHECK(!out.failed);
    parsed = json_loads(out.data, 0, NULL);
    CHECK(parsed != NULL);
    CHECK_STR(json_string_value(json_object_get(parsed, "name \"quoted\"")), strings[6]);
    CHECK(json_is_null(json_object_get(parsed, "none")));
    CHECK(json_integer_value(json_object_get(parsed, "min")) == INT64_MIN);
    CHECK(json_integer_value(json_object_get(parsed, "max")) == INT64_MAX);
    CHECK(json_is_integer(json_object_get(parsed, "zero")) &&
          json_integer_value(json_object_get(parsed, "zero")) == 0);
    json_decref(parsed);
    text_buffer_free(&out);
    test_values();
    test_utf8_judgement();
    return CHECK_DONE();
}

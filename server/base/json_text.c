/* json_text: JSON text into a text_buffer (see json_text.h). */
#include "json_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append the n bytes at s as a JSON string (quoted, escaped as jansson escapes). */
static void string_of_length(struct text_buffer *out, const char *s, size_t n)
{
    const char *run = s, *end = s + n;

    text_buffer_add(out, "\"", 1);
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        char escaped[8];

        if (c >= 0x20 && c != '"' && c != '\\')
            continue; /* part of the plain run */
        text_buffer_add(out, run, (size_t)(s - run));
        switch (c) {
        case '"':
            text_buffer_add(out, "\\\"", 2);
            break;
        case '\\':
            text_buffer_add(out, "\\\\", 2);
            break;
        case '\b':
            text_buffer_add(out, "\\b", 2);
            break;
        case '\f':
            text_buffer_add(out, "\\f", 2);
            break;
        case '\n':
            text_buffer_add(out, "\\n", 2);
            break;
        case '\r':
            text_buffer_add(out, "\\r", 2);
            break;
        case '\t':
            text_buffer_add(out, "\\t", 2);
            break;
        default:
            snprintf(escaped, sizeof(escaped), "\\u%04X", c);
            text_buffer_add(out, escaped, 6);
        }
        run = s + 1;
    }
    text_buffer_add(out, run, (size_t)(s - run));
    text_buffer_add(out, "\"", 1);
}

/* The length of the UTF-8 sequence starting at s (at most `left` bytes there), or 0 when it is
 * not valid: jansson's rules. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
    size_t size = s[0] < 0x80   ? 1
                  : s[0] < 0xC2 ? 0
                  : s[0] < 0xE0 ? 2
                  : s[0] < 0xF0 ? 3
                  : s[0] < 0xF5 ? 4
                                : 0;
    uint32_t value;

    if (size <= 1)
        return size;
    if (size > left)
        return 0;
    value = s[0] & (size == 2 ? 0x1F : size == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < size; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
        value = (value << 6) | (s[i] & 0x3F);
    }
    if ((size == 3 && (value < 0x800 || (value >= 0xD800 && value <= 0xDFFF))) ||
        (size == 4 && (value < 0x10000 || value > 0x10FFFF)))
        return 0;
    return size;
}

void json_text_utf8_string(struct text_buffer *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;

    for (size_t i = 0; i < n;) {
        size_t size = utf8_sequence(u + i, n - i);

        if (size == 0) {
            text_buffer_add(out, "null", 4);
            return;
        }
        i += size;
    }
    string_of_length(out, s, n);
}

void json_text_string(struct text_buffer *out, const char *s)
{
    if (s == NULL)
        text_buffer_add(out, "null", 4);
    else
        string_of_length(out, s, strlen(s));
}

void json_text_key(struct text_buffer *out, const char *key)
{
    json_text_string(out, key);
    text_buffer_add(out, ":", 1);
}

void json_text_int(struct text_buffer *out, int64_t value)
{
    char digits[24];
    int n = snprintf(digits, sizeof(digits), "%lld", (long long)value);

    text_buffer_add(out, digits, (size_t)n);
}

void json_text_value(struct text_buffer *out, const json_t *value)
{
    const char *key;
    json_t *member;
    size_t i;
    char *real;

    switch (json_typeof(value)) {
    case JSON_OBJECT:
        text_buffer_add(out, "{", 1);
        i = 0;
        json_object_foreach((json_t *)value, key, member)
        {
            if (i++ > 0)
                text_buffer_add(out, ",", 1);
            json_text_key(out, key);
            json_text_value(out, member);
        }
        text_buffer_add(out, "}", 1);
        break;
    case JSON_ARRAY:
        text_buffer_add(out, "[", 1);
        json_array_foreach(value, i, member)
        {
            if (i > 0)
                text_buffer_add(out, ",", 1);
            json_text_value(out, member);
        }
        text_buffer_add(out, "]", 1);
        break;
    case JSON_STRING:
        string_of_length(out, json_string_value(value), json_string_length(value));
        break;
    case JSON_INTEGER:
        json_text_int(out, json_integer_value(value));
        break;
    case JSON_REAL: /* none in the API today; jansson's own digits */
        real = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        if (real == NULL)
            out->failed = 1;
        else
            text_buffer_add_string(out, real);
        free(real);
        break;
    case JSON_TRUE:
        text_buffer_add(out, "true", 4);
        break;
    case JSON_FALSE:
        text_buffer_add(out, "false", 5);
        break;
    case JSON_NULL:
        text_buffer_add(out, "null", 4);
        break;
    }
}

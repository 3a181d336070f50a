/* json_text: JSON text into a text_buffer (see json_text.h). */
#include "json_text.h"

#include <stdio.h>
#include <string.h>

void json_text_string(struct text_buffer *out, const char *s)
{
    const char *run;

    if (s == NULL) {
        text_buffer_add(out, "null", 4);
        return;
    }
    text_buffer_add(out, "\"", 1);
    run = s;
    for (; *s; s++) {
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

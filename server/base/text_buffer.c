/* text_buffer: a growing NUL-terminated buffer (see text_buffer.h). */
#include "text_buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void text_buffer_add(struct text_buffer *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        char *grown;

        while (cap < t->len + n + 1)
            cap *= 2;
        grown = realloc(t->data, cap);
        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void text_buffer_add_string(struct text_buffer *t, const char *s)
{
    text_buffer_add(t, s, strlen(s));
}

void text_buffer_free(struct text_buffer *t)
{
    free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
    t->failed = 0;
}

void text_buffer_printf(struct text_buffer *t, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof(text)) {
        text_buffer_add(t, text, (size_t)n);
    } else if (n > 0) {
        /* longer than the stack buffer: format again into one of its size */
        char *long_text = malloc((size_t)n + 1);

        if (long_text == NULL) {
            t->failed = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(long_text, (size_t)n + 1, fmt, ap);
        va_end(ap);
        text_buffer_add(t, long_text, (size_t)n);
        free(long_text);
    }
}

void text_cut_partial_utf8(char *text)
{
    size_t len = strlen(text), lead = len;

    while (lead > 0 && ((unsigned char)text[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0 && (unsigned char)text[lead - 1] >= 0xC0) {
        unsigned char c = (unsigned char)text[lead - 1];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

        if (len - (lead - 1) < need)
            text[lead - 1] = '\0';
    }
}

/* text_buffer: a growing, always NUL-terminated byte buffer (request bodies, iCalendar feeds,
 * reminder digests). Start one zeroed; once an allocation fails, `failed` is set and nothing
 * more is added, so a writer checks once at the end. The owner frees `data` (free(), or
 * text_buffer_free). Depends on nothing. */
#ifndef PAROLETRACK_TEXT_BUFFER_H
#define PAROLETRACK_TEXT_BUFFER_H

#include <stddef.h>

struct text_buffer {
    char *data; /* NULL until the first byte is added */
    size_t len, cap;
    int failed;
};

/* Append n bytes of s (any bytes, NULs included) and keep a NUL after them. */
void text_buffer_add(struct text_buffer *t, const char *s, size_t n);

/* Append the NUL-terminated string s. */
void text_buffer_add_string(struct text_buffer *t, const char *s);

/* Append printf-style text: a line of the metrics exposition, say (any length: text longer
 * than a short stack buffer is formatted again into an allocated one). */
void text_buffer_printf(struct text_buffer *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Free the data and zero the buffer for reuse. */
void text_buffer_free(struct text_buffer *t);

/* Drop a UTF-8 character cut short at the end of NUL-terminated `text` (by a snprintf into a
 * buffer too small), so that the text stays valid UTF-8 (jansson refuses anything else). */
void text_cut_partial_utf8(char *text);

#endif

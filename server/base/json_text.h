/* json_text: JSON text written straight into a text_buffer, for replies built row by row (a
 * page of deadlines) without building a jansson tree and dumping it. Compact, UTF-8 passed
 * through as is: the bytes json_dumps(JSON_COMPACT) writes for the same values. The caller
 * writes the punctuation ({ } [ ] ,) with text_buffer_add_string, or has a whole jansson
 * value written (json_text_value: every JSON reply). Depends on text_buffer and jansson. */
#ifndef PAROLETRACK_JSON_TEXT_H
#define PAROLETRACK_JSON_TEXT_H

#include <jansson.h>
#include <stdint.h>

#include "text_buffer.h"

/* Append s as a JSON string (quoted, escaped), or null when s is NULL. */
void json_text_string(struct text_buffer *out, const char *s);

/* Append the n bytes at s as a JSON string when they are valid UTF-8 as jansson judges it (no
 * overlong forms, surrogates or code points past U+10FFFF; NUL bytes allowed and escaped);
 * otherwise append null, as db_row_to_json reads such a value. */
void json_text_utf8_string(struct text_buffer *out, const char *s, size_t n);

/* Append the member name key and its colon ("key":); key is escaped as any string. */
void json_text_key(struct text_buffer *out, const char *key);

/* Append the integer value in decimal. */
void json_text_int(struct text_buffer *out, int64_t value);

/* Append the whole of value (any JSON type), as json_dumps(value, JSON_COMPACT |
 * JSON_ENCODE_ANY) would write it: members in their order, strings with their NUL bytes
 * escaped. */
void json_text_value(struct text_buffer *out, const json_t *value);

#endif

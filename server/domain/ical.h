/* ical: RFC 5545 content lines. The writer of one content line into a text_buffer:
 * the value escaped (TEXT values), invalid UTF-8 and control characters left out, folded at 75
 * octets on character boundaries only, ended by CRLF. No fixed-size buffer anywhere, so a long
 * value is never cut, let alone inside a character. */
#ifndef PAROLETRACK_ICAL_H
#define PAROLETRACK_ICAL_H

#include <stddef.h>

#include "text_buffer.h"

#define ICAL_FOLD_OCTETS 75 /* RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets */

/* Append the content line "NAME:VALUE" to t: with `escape`, backslash, semicolon and comma are
 * escaped and a newline becomes "\n" (TEXT values); bytes that are not valid UTF-8 and control
 * characters other than TAB are left out; the line is folded (CRLF + space) so that no physical
 * line holds more than ICAL_FOLD_OCTETS octets and no character is split; it ends with CRLF. */
void ical_add_line(struct text_buffer *t, const char *name, const char *value, int escape);

/* The length of the valid UTF-8 character at s (at most `available` bytes), or 0 when s does not
 * start one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, or a
 * sequence cut short). */
size_t ical_utf8_char_length(const unsigned char *s, size_t available);

#endif

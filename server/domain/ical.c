/* ical: RFC 5545 content lines, folded on character boundaries. */
#include "ical.h"

#include <stdlib.h>
#include <string.h>

size_t ical_utf8_char_length(const unsigned char *s, size_t available)
{
    size_t width;
    unsigned int code;

    if (available == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        width = 2, code = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        width = 3, code = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        width = 4, code = s[0] & 0x07u;
    else
        return 0; /* a continuation byte, an overlong lead (C0, C1) or past U+10FFFF */
    if (width > available)
        return 0;
    for (size_t i = 1; i < width; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;
        code = (code << 6) | (s[i] & 0x3Fu);
    }
    if ((width == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
        (width == 4 && (code < 0x10000 || code > 0x10FFFF)))
        return 0;
    return width;
}

/* Append one unit (a character or an escape pair) to the line, folding first when it would
 * take the physical line past the limit. *octets counts the current physical line. */
static void add_unit(struct text_buffer *t, const char *unit, size_t width, size_t *octets)
{
    if (*octets + width > ICAL_FOLD_OCTETS) {
        text_buffer_add(t, "\r\n ", 3); /* a fold: the space counts on the next line */
        *octets = 1;
    }
    text_buffer_add(t, unit, width);
    *octets += width;
}

/* The length of the run of printable ASCII at the start of c (at most `left` octets) that needs
 * no escape: every octet of it is written as it is. */
static size_t plain_run(const unsigned char *c, size_t left, int escape)
{
    size_t n = 0;

    while (n < left && c[n] >= 0x20 && c[n] < 0x7F &&
           !(escape && (c[n] == '\\' || c[n] == ';' || c[n] == ',')))
        n++;
    return n;
}

void ical_add_line(struct text_buffer *t, const char *name, const char *value, int escape)
{
    const unsigned char *c = (const unsigned char *)name;
    size_t octets = 0, left;

    /* The property name and its parameters are ours (ASCII): written as they are, folded like
     * the value. */
    for (; *c; c++)
        add_unit(t, (const char *)c, 1, &octets);
    add_unit(t, ":", 1, &octets);
    c = (const unsigned char *)value;
    left = strlen(value);
    while (left > 0) {
        size_t run = plain_run(c, left, escape), width;

        /* A run of printable ASCII that needs no escape goes in whole pieces, folded where the
         * physical line is full (as add_unit would, one octet at a time). */
        while (run > 0) {
            size_t room, n;

            if (octets >= ICAL_FOLD_OCTETS) {
                text_buffer_add(t, "\r\n ", 3);
                octets = 1;
            }
            room = ICAL_FOLD_OCTETS - octets;
            n = run < room ? run : room;
            text_buffer_add(t, (const char *)c, n);
            octets += n, c += n, left -= n, run -= n;
        }
        if (left == 0)
            break;
        width = ical_utf8_char_length(c, left);

        if (width == 0) {
            width = 1; /* not UTF-8: left out */
        } else if (escape && (*c == '\\' || *c == ';' || *c == ',')) {
            char pair[2] = {'\\', (char)*c};

            add_unit(t, pair, 2, &octets);
        } else if (escape && *c == '\n') {
            add_unit(t, "\\n", 2, &octets);
        } else if (*c >= 0x20 && *c != 0x7F) {
            add_unit(t, (const char *)c, width, &octets);
        } else if (*c == '\t') {
            add_unit(t, "\t", 1, &octets);
        }
        c += width;
        left -= width;
    }
    text_buffer_add(t, "\r\n", 2);
}

/* Unit tests of ical: content lines folded at 75 octets on character boundaries, with 1- to
 * 4-byte characters at every fold position, escapes, and bytes that are not UTF-8. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ical.h"

/* True when the whole text is valid UTF-8 without NUL bytes. */
static int valid_utf8(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t width = ical_utf8_char_length((const unsigned char *)s + i, len - i);

        if (width == 0 || s[i] == '\0')
            return 0;
        i += width;
    }
    return 1;
}

/* Check one rendered line: ends with CRLF, every physical line at most 75 octets and valid
 * UTF-8 by itself (no character split by a fold), continuation lines start with a space, and
 * unfolding gives back `expected`. */
static void check_line(const struct text_buffer *t, const char *expected)
{
    char *unfolded = malloc(t->len + 1);
    size_t n = 0, start = 0;
    int ok_lengths = 1, ok_utf8 = 1, ok_continuations = 1;

    CHECK(t->len >= 2 && strcmp(t->data + t->len - 2, "\r\n") == 0);
    CHECK(strlen(t->data) == t->len); /* no NUL inside */
    while (start < t->len) {
        const char *crlf = strstr(t->data + start, "\r\n");
        size_t end = crlf ? (size_t)(crlf - t->data) : t->len;
        size_t from = start;

        if (end - start > ICAL_FOLD_OCTETS)
            ok_lengths = 0;
        if (!valid_utf8(t->data + start, end - start))
            ok_utf8 = 0;
        if (start > 0) {
            if (t->data[start] != ' ')
                ok_continuations = 0;
            from++;
        }
        memcpy(unfolded + n, t->data + from, end - from);
        n += end - from;
        start = end + 2;
    }
    unfolded[n] = '\0';
    CHECK(ok_lengths);
    CHECK(ok_utf8);
    CHECK(ok_continuations);
    CHECK_STR(unfolded, expected);
    free(unfolded);
}

int main(void)
{
    static const char *const characters[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x99\x82"};

    /* Every width of character at every position around the folds of three lines. */
    for (size_t w = 0; w < 4; w++) {
        for (size_t prefix = 0; prefix < 160; prefix++) {
            char value[1024], expected[1100];
            struct text_buffer t = {0};
            size_t n = 0;

            memset(value, 'x', prefix);
            n = prefix;
            for (int k = 0; k < 40; k++) {
                memcpy(value + n, characters[w], strlen(characters[w]));
                n += strlen(characters[w]);
            }
            value[n] = '\0';
            ical_add_line(&t, "DESCRIPTION", value, 1);
            snprintf(expected, sizeof(expected), "DESCRIPTION:%s", value);
            check_line(&t, expected);
            free(t.data);
        }
    }
    /* Escapes are kept whole; a newline becomes \n. */
    {
        struct text_buffer t = {0};

        ical_add_line(&t, "SUMMARY", "a,b;c\\d\ne", 1);
        CHECK_STR(t.data, "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n");
        free(t.data);
    }
    /* Not UTF-8 (a lone lead byte at the end, a stray continuation byte, an overlong form, a
     * surrogate) and control characters are left out; nothing past the value is read. */
    {
        struct text_buffer t = {0};

        ical_add_line(&t, "X", "ok\xe2\x82", 0);
        CHECK_STR(t.data, "X:ok\r\n");
        free(t.data);
        memset(&t, 0, sizeof(t));
        ical_add_line(&t, "X",
                      "a\x80"
                      "b\xc0\xaf"
                      "c\xed\xa0\x80"
                      "d\x01\x7f"
                      "e\tf",
                      0);
        CHECK_STR(t.data, "X:abcde\tf\r\n");
        free(t.data);
    }
    /* A value far longer than any old fixed buffer is kept whole. */
    {
        size_t big = 20000;
        char *value = malloc(big * 4 + 1), *expected = malloc(big * 4 + 3);
        struct text_buffer t = {0};

        for (size_t i = 0; i < big; i++)
            memcpy(value + 4 * i, characters[3], 4);
        value[big * 4] = '\0';
        ical_add_line(&t, "X", value, 1);
        snprintf(expected, big * 4 + 3, "X:%s", value);
        check_line(&t, expected);
        free(t.data);
        free(value);
        free(expected);
    }
    CHECK(ical_utf8_char_length((const unsigned char *)"\xf4\x90\x80\x80", 4) == 0);
    CHECK(ical_utf8_char_length((const unsigned char *)"\xf0\x9f\x99\x82", 3) == 0);
    CHECK(ical_utf8_char_length((const unsigned char *)"\xf0\x9f\x99\x82", 4) == 4);
    return CHECK_DONE();
}

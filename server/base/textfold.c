/* textfold: case folding and accent stripping through libunistring, and search keys. */
#include "textfold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

char *textfold_fold(const char *text)
{
    size_t folded_len = 0, out_len = 0;
    uint8_t *folded = NULL;
    char *out = NULL;
    const uint8_t *cursor;
    int last_space = 1;

    if (u8_check((const uint8_t *)text, strlen(text)) != NULL)
        return NULL;
    folded = u8_casefold((const uint8_t *)text, strlen(text), NULL, UNINORM_NFD, NULL, &folded_len);
    if (folded == NULL)
        return NULL;
    out = malloc(folded_len + 1);
    if (out == NULL)
        goto out;
    cursor = folded;
    while (cursor < folded + folded_len) {
        ucs4_t uc;
        int n = u8_mbtouc(&uc, cursor, (size_t)(folded + folded_len - cursor));

        if (n <= 0)
            break;
        if ((uc >= 0x0300 && uc <= 0x036F) || (uc >= 0x064B && uc <= 0x065F) || uc == 0x0670) {
            /* A combining diacritical mark (the accent NFD split off a Latin, Greek or
             * Cyrillic letter) or an optional Arabic vowel sign (harakat), which people
             * seldom type. Marks that carry meaning (Devanagari vowel signs) stay. */
        } else if (uc_is_space(uc)) {
            if (!last_space)
                out[out_len++] = ' ';
            last_space = 1;
        } else if (uc < 0x20 || (uc >= 0x7f && uc < 0xa0)) {
            /* other control characters never take part in matching */
        } else {
            memcpy(out + out_len, cursor, (size_t)n);
            out_len += (size_t)n;
            last_space = 0;
        }
        cursor += n;
    }
    while (out_len > 0 && out[out_len - 1] == ' ')
        out_len--;
    out[out_len] = '\0';
out:
    free(folded);
    return out;
}

json_t *textfold_search_key(const char *const *texts, size_t count)
{
    size_t cap = 1, len = 0;
    char *key = NULL;
    json_t *result;

    for (size_t i = 0; i < count; i++)
        cap += texts[i] ? strlen(texts[i]) * 3 + 3 : 0;
    key = calloc(1, cap + 1);
    if (key == NULL)
        return json_string("");
    for (size_t i = 0; i < count; i++) {
        char *folded;

        if (texts[i] == NULL)
            continue;
        folded = textfold_fold(texts[i]);
        if (folded == NULL)
            continue;
        /* Fields are joined by U+001F, which no folded query can contain (textfold drops
         * control characters), so a word never matches the separator. */
        len += (size_t)snprintf(key + len, cap - len, "%s%s", len ? "\x1f" : "", folded);
        free(folded);
        if (len >= cap)
            break;
    }
    result = json_string(key);
    free(key);
    return result;
}

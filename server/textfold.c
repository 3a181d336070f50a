/* textfold: case folding and accent stripping through libunistring. */
#include "textfold.h"

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

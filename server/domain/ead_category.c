/* ead_category: the work permit categories (see ead_category.h). */
#include "ead_category.h"

#include <ctype.h>
#include <string.h>

const char *const ead_category_names[] = {"c11", "a12", "c19", "c8",  "c9",    "a10", "a3",
                                          "a5",  "c10", "c18", "c33", "other", NULL};

int ead_category_normalize(const char *in, char *out, size_t out_size, const char **message)
{
    char name[16];
    size_t n = 0;

    *message = "must be a work permit category as printed on the card, like c11, a12, c8 or "
               "c19 (known: c11, a12, c19, c8, c9, a10, a3, a5, c10, c18, c33, other)";
    for (const char *c = in; *c; c++) {
        unsigned char ch = (unsigned char)*c;

        if (strchr(" ()-", ch) != NULL)
            continue;
        if (!isalnum(ch) || n + 1 >= sizeof(name))
            return -1;
        name[n++] = (char)tolower(ch);
    }
    name[n] = '\0';
    /* The card prints two digits ("C08"): a leading zero is dropped. */
    if (n == 3 && name[1] == '0' && isdigit((unsigned char)name[2])) {
        name[1] = name[2];
        name[2] = '\0';
        n = 2;
    }
    for (const char *const *k = ead_category_names; *k; k++)
        if (strcmp(*k, name) == 0) {
            if (n + 1 > out_size)
                return -1;
            memcpy(out, name, n + 1);
            return 0;
        }
    return -1;
}

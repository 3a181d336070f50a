/* identifiers: format rules from ../shared/DOMAIN.md, applied after normalising. */
#include "identifiers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copy `in` to `out` upper-cased without the characters in `drop`. Returns the length, or -1
 * when it does not fit. */
static int squeeze_upper(const char *in, const char *drop, char *out, size_t out_size)
{
    size_t n = 0;

    for (const char *c = in; *c; c++) {
        if (strchr(drop, *c) != NULL)
            continue;
        if (n + 1 >= out_size)
            return -1;
        out[n++] = (char)toupper((unsigned char)*c);
    }
    out[n] = '\0';
    return (int)n;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int all_alnum(const char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s))
            return 0;
    return 1;
}

int identifiers_a_number(const char *in, char *out, size_t out_size, const char **message)
{
    char buf[32];
    int len = squeeze_upper(in, " -#.", buf, sizeof(buf));
    const char *digits = buf;

    *message = "must be an A-number: A and 7 to 9 digits, or the digits alone (A#, A- and USCIS# "
               "are understood)";
    if (len < 0)
        return -1;
    /* The work permit prints the A-number as "USCIS#" and its digits. */
    if (len >= 5 && memcmp(buf, "USCIS", 5) == 0)
        digits += 5;
    else if (buf[0] == 'A')
        digits += 1;
    /* else the digits alone, as a paralegal often types them */
    if (strlen(digits) < 7 || strlen(digits) > 9 || !all_digits(digits, strlen(digits)))
        return -1;
    if (out_size < 11)
        return -1;
    snprintf(out, out_size, "A%09ld", strtol(digits, NULL, 10));
    return 0;
}

int identifiers_receipt_number(const char *in, char *out, size_t out_size, const char **message)
{
    int len = squeeze_upper(in, " -", out, out_size);

    *message = "must be 3 letters and 10 digits, like EAC2490012345";
    if (len != 13)
        return -1;
    for (int i = 0; i < 3; i++)
        if (out[i] < 'A' || out[i] > 'Z')
            return -1;
    return all_digits(out + 3, 10) ? 0 : -1;
}

int identifiers_receipt_prefix_known(const char *receipt_number)
{
    static const char *const known[] = {"EAC", "VSC", "WAC", "CSC", "LIN", "NSC",
                                        "SRC", "TSC", "MSC", "NBC", "IOE", "YSC"};

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strncmp(receipt_number, known[i], 3) == 0)
            return 1;
    return 0;
}

/* The 249 officially assigned ISO 3166-1 alpha-2 codes, and XK (Kosovo: user-assigned, used by
 * US agencies and the EU), sorted for bsearch. */
static const char iso_countries[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};

static int compare_country(const void *key, const void *element)
{
    return strcmp((const char *)key, (const char *)element);
}

int identifiers_country(const char *in, char *out, size_t out_size, const char **message)
{
    char code[3];

    *message = "must be a two-letter country code, like US, UA or XK (Kosovo)";
    if (strlen(in) != 2 || !isalpha((unsigned char)in[0]) || !isalpha((unsigned char)in[1]))
        return -1;
    code[0] = (char)toupper((unsigned char)in[0]);
    code[1] = (char)toupper((unsigned char)in[1]);
    code[2] = '\0';
    if (bsearch(code, iso_countries, sizeof(iso_countries) / sizeof(iso_countries[0]),
                sizeof(iso_countries[0]), compare_country) == NULL)
        return -1;
    if (out_size < 3)
        return -1;
    memcpy(out, code, 3);
    return 0;
}

/* Length of the run of characters starting at s that satisfy the predicate. */
static size_t span_of(const char *s, int (*pred)(int))
{
    size_t n = 0;

    while (s[n] && pred((unsigned char)s[n]))
        n++;
    return n;
}

/* Split the next '-'-separated subtag: returns its length and advances *cursor past it. */
static size_t next_subtag(const char **cursor, const char **subtag)
{
    const char *start = *cursor;
    size_t n = span_of(start, isalnum);

    *subtag = start;
    *cursor = start + n;
    if (**cursor == '-')
        (*cursor)++;
    return n;
}

/* RFC 5646 "langtag" syntax (no grandfathered irregular tags; privateuse accepted). */
int identifiers_language_tag(const char *in, char *out, size_t out_size, const char **message)
{
    const char *cursor = in, *sub;
    size_t n, len = strlen(in);
    int stage = 0; /* 0 language, 1 extlang, 2 script, 3 region, 4 variant, 5 extension */

    *message = "must be a BCP 47 language tag, like en, es-MX, uk or fa-AF";
    if (len == 0 || len > 64 || in[len - 1] == '-' || strstr(in, "--") != NULL)
        return -1;
    for (const char *c = in; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-')
            return -1;
    n = next_subtag(&cursor, &sub);
    if (n == 1 && (sub[0] == 'x' || sub[0] == 'X'))
        goto private_use;
    if (n < 2 || n > 8 || span_of(sub, isalpha) != n)
        return -1;
    stage = n <= 3 ? 1 : 2;
    while (*cursor) {
        n = next_subtag(&cursor, &sub);
        if (n == 1 && (sub[0] == 'x' || sub[0] == 'X'))
            goto private_use;
        if (n == 1) { /* extension singleton: one or more 2..8 subtags follow */
            size_t count = 0;
            const char *peek;

            while (*cursor) {
                const char *save = cursor;
                size_t m = next_subtag(&cursor, &peek);

                if (m < 2) {
                    cursor = save;
                    break;
                }
                if (m > 8)
                    return -1;
                count++;
            }
            if (count == 0)
                return -1;
            stage = 5;
            continue;
        }
        if (stage <= 1 && n == 3 && span_of(sub, isalpha) == 3 && stage == 1) {
            stage = 2; /* one extlang */
            continue;
        }
        if (stage <= 2 && n == 4 && span_of(sub, isalpha) == 4) {
            stage = 3;
            continue;
        }
        if (stage <= 3 &&
            ((n == 2 && span_of(sub, isalpha) == 2) || (n == 3 && span_of(sub, isdigit) == 3))) {
            stage = 4;
            continue;
        }
        if (stage <= 4 && ((n >= 5 && n <= 8) || (n == 4 && isdigit((unsigned char)sub[0])))) {
            stage = 4;
            continue;
        }
        return -1;
    }
    goto done;
private_use:
    if (*cursor == '\0')
        return -1;
    while (*cursor) {
        n = next_subtag(&cursor, &sub);
        if (n < 1 || n > 8)
            return -1;
    }
done:
    if (len + 1 > out_size)
        return -1;
    memcpy(out, in, len + 1);
    return 0;
}

int identifiers_email(const char *in, char *out, size_t out_size, const char **message)
{
    const char *at = strchr(in, '@');
    size_t len = strlen(in);

    *message = "must be an e-mail address like name@example.org";
    if (len > 254 || at == NULL || at == in || strchr(at + 1, '@') != NULL)
        return -1;
    for (const char *c = in; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f || strchr("<>()[],;:\\\"", *c) != NULL)
            return -1;
    if (strchr(at + 1, '.') == NULL || at[1] == '.' || in[len - 1] == '.' ||
        strstr(at, "..") != NULL)
        return -1;
    if (len + 1 > out_size)
        return -1;
    memcpy(out, in, len + 1);
    return 0;
}

int identifiers_phone(const char *in, char *out, size_t out_size, const char **message)
{
    size_t digits = 0, len = strlen(in);

    *message = "must be a phone number of 7 to 20 digits, like +1 202 555 0143";
    for (size_t i = 0; i < len; i++) {
        if (isdigit((unsigned char)in[i]))
            digits++;
        else if (in[i] == '+' && i == 0)
            continue;
        else if (strchr(" -.()", in[i]) == NULL)
            return -1;
    }
    if (digits < 7 || digits > 20 || len + 1 > out_size)
        return -1;
    memcpy(out, in, len + 1);
    return 0;
}

int identifiers_program(const char *in, char *out, size_t out_size, const char **message)
{
    size_t n = 0;
    int gap = 0;

    *message = "must be a program code like u4u, oaw, frp or chnv (letters, digits and _)";
    for (const char *c = in; *c; c++) {
        unsigned char ch = (unsigned char)*c;

        if (ch == ' ' || ch == '-' || ch == '_') {
            gap = n > 0; /* words joined by one '_'; leading gaps dropped */
            continue;
        }
        if (!isalnum(ch))
            return -1;
        if (gap) {
            if (n + 1 >= out_size)
                return -1;
            out[n++] = '_';
            gap = 0;
        }
        if (n + 1 >= out_size)
            return -1;
        out[n++] = (char)tolower(ch);
    }
    out[n] = '\0';
    if (n < 1 || n > 32 || !islower((unsigned char)out[0]))
        return -1;
    return 0;
}

int identifiers_passport_number(const char *in, char *out, size_t out_size, const char **message)
{
    int len = squeeze_upper(in, " ", out, out_size);

    *message = "must be 5 to 20 letters and digits";
    if (len < 5 || len > 20 || !all_alnum(out))
        return -1;
    return 0;
}

int identifiers_citizenship(const char *in, char *out, size_t out_size, const char **message)
{
    if (strcasecmp(in, "stateless") == 0) {
        if (out_size < sizeof("stateless"))
            return -1;
        memcpy(out, "stateless", sizeof("stateless"));
        return 0;
    }
    if (identifiers_country(in, out, out_size, message) == 0)
        return 0;
    *message = "must be a two-letter country code, like US, UA or XK (Kosovo), or stateless";
    return -1;
}

int identifiers_i94_number_shaped(const char *number)
{
    size_t len = strlen(number);

    /* 11 digits (before May 2019), or 9 digits, a letter or digit, and a digit */
    if (len != 11 || !all_digits(number, 9) || !isdigit((unsigned char)number[10]))
        return 0;
    return isdigit((unsigned char)number[9]) || isupper((unsigned char)number[9]);
}

int identifiers_document_number(const char *in, char *out, size_t out_size, const char **message)
{
    int len = squeeze_upper(in, " -", out, out_size);

    *message = "must be 1 to 30 letters and digits";
    if (len < 1 || len > 30 || !all_alnum(out))
        return -1;
    return 0;
}

/* Unit tests of identifiers: normalisation and rejection of every identifier format. */
#include "check.h"
#include "identifiers.h"

/* Run a normaliser; returns the normalised text or NULL when rejected. */
static const char *norm(identifier_normalizer fn, const char *in)
{
    static char out[128];
    const char *message = NULL;

    if (fn(in, out, sizeof(out), &message) != 0)
        return message != NULL ? NULL : "no message!";
    return out;
}

static void test_a_number(void)
{
    CHECK_STR(norm(identifiers_a_number, "A1234567"), "A001234567");
    CHECK_STR(norm(identifiers_a_number, "a12345678"), "A012345678");
    CHECK_STR(norm(identifiers_a_number, "A123456789"), "A123456789");
    CHECK_STR(norm(identifiers_a_number, "A-123-456-789"), "A123456789");
    CHECK_STR(norm(identifiers_a_number, "A 012 345 678"), "A012345678");
    CHECK(norm(identifiers_a_number, "A123456") == NULL);
    CHECK(norm(identifiers_a_number, "A1234567890") == NULL);
    CHECK_STR(norm(identifiers_a_number, "123456789"), "A123456789"); /* the digits alone */
    CHECK_STR(norm(identifiers_a_number, "1234567"), "A001234567");
    CHECK(norm(identifiers_a_number, "AA123456789") == NULL);
    CHECK(norm(identifiers_a_number, "123456") == NULL);
    CHECK(norm(identifiers_a_number, "B123456789") == NULL);
    CHECK(norm(identifiers_a_number, "A12345678X") == NULL);
    CHECK(norm(identifiers_a_number, "") == NULL);
    /* the prefixes of forms and cards: A#, USCIS# (the work permit prints the 9 digits) */
    CHECK_STR(norm(identifiers_a_number, "A# 012-345-678"), "A012345678");
    CHECK_STR(norm(identifiers_a_number, "A#1234567"), "A001234567");
    CHECK_STR(norm(identifiers_a_number, "USCIS# 123456789"), "A123456789");
    CHECK_STR(norm(identifiers_a_number, "USCIS #012345678"), "A012345678");
    CHECK_STR(norm(identifiers_a_number, "uscis#123-456-789"), "A123456789");
    CHECK(norm(identifiers_a_number, "USCIS#") == NULL);
    CHECK(norm(identifiers_a_number, "USCIS# 1234567890") == NULL);
    CHECK(norm(identifiers_a_number, "USCIS A123456789") == NULL);
    CHECK_STR(norm(identifiers_a_number, "#123456789"), "A123456789"); /* "#" is ignored */
}

static void test_receipt_number(void)
{
    CHECK_STR(norm(identifiers_receipt_number, "IOE0912345678"), "IOE0912345678");
    CHECK_STR(norm(identifiers_receipt_number, "eac-24-900-12345"), "EAC2490012345");
    CHECK_STR(norm(identifiers_receipt_number, " msc 2490012345 "), "MSC2490012345");
    CHECK(norm(identifiers_receipt_number, "EAC249001234") == NULL);
    CHECK(norm(identifiers_receipt_number, "EAC24900123456") == NULL);
    CHECK(norm(identifiers_receipt_number, "E4C2490012345") == NULL);
    CHECK(norm(identifiers_receipt_number, "EAC249001234X") == NULL);
    CHECK(norm(identifiers_receipt_number, "EAC_2490012345") == NULL);
    CHECK(identifiers_receipt_prefix_known("IOE0912345678"));
    CHECK(identifiers_receipt_prefix_known("NBC0912345678"));
    CHECK(!identifiers_receipt_prefix_known("ZZZ0912345678"));
}

static void test_country(void)
{
    CHECK_STR(norm(identifiers_country, "ua"), "UA");
    CHECK_STR(norm(identifiers_country, "AF"), "AF");
    CHECK_STR(norm(identifiers_country, "US"), "US");
    CHECK_STR(norm(identifiers_country, "ZW"), "ZW");
    CHECK_STR(norm(identifiers_country, "AD"), "AD");
    CHECK(norm(identifiers_country, "XX") == NULL);
    CHECK(norm(identifiers_country, "UK") == NULL); /* GB is the code */
    CHECK(norm(identifiers_country, "USA") == NULL);
    CHECK(norm(identifiers_country, "U") == NULL);
    CHECK(norm(identifiers_country, "1A") == NULL);
    CHECK_STR(norm(identifiers_country, "xk"), "XK"); /* Kosovo, as US agencies write it */
    CHECK(norm(identifiers_country, "stateless") == NULL);
    CHECK_STR(norm(identifiers_citizenship, "Stateless"), "stateless");
    CHECK_STR(norm(identifiers_citizenship, "ua"), "UA");
    CHECK_STR(norm(identifiers_citizenship, "XK"), "XK");
    CHECK(norm(identifiers_citizenship, "none") == NULL);
    CHECK(norm(identifiers_citizenship, "XX") == NULL);
    /* I-94 numbers: 11 digits, or 9 digits + a letter or digit + a digit (since 2019) */
    CHECK(identifiers_i94_number_shaped("12345678901"));
    CHECK(identifiers_i94_number_shaped("123456789A1"));
    CHECK(identifiers_i94_number_shaped("000000000Z9"));
    CHECK(!identifiers_i94_number_shaped("123456789AA"));
    CHECK(!identifiers_i94_number_shaped("12345678A01"));
    CHECK(!identifiers_i94_number_shaped("A2345678901"));
    CHECK(!identifiers_i94_number_shaped("1234567890"));
    CHECK(!identifiers_i94_number_shaped("123456789012"));
    CHECK(!identifiers_i94_number_shaped("123456789a1"));
}

static void test_language(void)
{
    const char *good[] = {"en",
                          "es-MX",
                          "uk",
                          "fa-AF",
                          "ps",
                          "ht",
                          "zh-Hant-TW",
                          "sr-Latn",
                          "es-419",
                          "de-CH-1996",
                          "en-US-x-firm",
                          "x-private",
                          "sl-rozaj-biske",
                          "en-a-bbb-x-a-ccc",
                          "ar"};
    const char *bad[] = {"",       "e",   "english-", "en--US", "en_US", "toolonglanguage",
                         "en-US-", "123", "en-a",     "x",      "en-ÿ"};

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        const char *out = norm(identifiers_language_tag, good[i]);

        CHECK(out != NULL);
        if (out == NULL)
            fprintf(stderr, "  rejected good tag %s\n", good[i]);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *out = norm(identifiers_language_tag, bad[i]);

        CHECK(out == NULL);
        if (out != NULL)
            fprintf(stderr, "  accepted bad tag %s\n", bad[i]);
    }
}

static void test_contacts_and_codes(void)
{
    CHECK_STR(norm(identifiers_email, "olena.k@example.org"), "olena.k@example.org");
    CHECK(norm(identifiers_email, "olena.k@example") == NULL);
    CHECK(norm(identifiers_email, "olena k@example.org") == NULL);
    CHECK(norm(identifiers_email, "@example.org") == NULL);
    CHECK(norm(identifiers_email, "a@b@example.org") == NULL);
    CHECK(norm(identifiers_email, "a@example..org") == NULL);
    CHECK_STR(norm(identifiers_phone, "+1 (202) 555-0143"), "+1 (202) 555-0143");
    CHECK(norm(identifiers_phone, "555-01") == NULL);
    CHECK(norm(identifiers_phone, "call me") == NULL);
    CHECK(norm(identifiers_phone, "1+2025550143") == NULL);
    CHECK_STR(norm(identifiers_program, "u4u"), "u4u");
    CHECK_STR(norm(identifiers_program, "U4U"), "u4u");
    CHECK_STR(norm(identifiers_program, " Uniting for  Ukraine "), "uniting_for_ukraine");
    CHECK_STR(norm(identifiers_program, "u-4-u"), "u_4_u");
    CHECK(norm(identifiers_program, "4u") == NULL);
    CHECK(norm(identifiers_program, "u4u!") == NULL);
    CHECK(norm(identifiers_program, "") == NULL);
    CHECK(norm(identifiers_program, " - ") == NULL);
    CHECK(norm(identifiers_program, "abcdefghijklmnopqrstuvwxyzabcdefg") == NULL);
    CHECK_STR(norm(identifiers_passport_number, "fa 123 4567"), "FA1234567");
    CHECK(norm(identifiers_passport_number, "FA12") == NULL);
    CHECK(norm(identifiers_passport_number, "FA-1234567") == NULL);
    CHECK_STR(norm(identifiers_document_number, "src-123-456-7890"), "SRC1234567890");
    CHECK(norm(identifiers_document_number, "---") == NULL);
}

int main(void)
{
    test_a_number();
    test_receipt_number();
    test_country();
    test_language();
    test_contacts_and_codes();
    return CHECK_DONE();
}

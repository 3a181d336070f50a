/* Unit tests of totp: RFC 6238 test vectors, the ±1 step window, replay refusal, the otpauth://
 * URI, base32 and recovery codes. */
#include "check.h"
#include "crypto.h"
#include "totp.h"

#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

/* The RFC 6238 Appendix B SHA-1 secret. */
static const unsigned char rfc_secret[] = "12345678901234567890";
#define RFC_SECRET_LEN 20

/* Verify code at time now with no step used yet; returns the matched step or -1. */
static int64_t verify(const char *code, time_t now)
{
    int64_t step = -1;

    if (totp_verify(rfc_secret, RFC_SECRET_LEN, code, now, -1, &step) != 0)
        return -1;
    return step;
}

static void test_rfc6238_vectors(void)
{
    /* Appendix B (SHA-1): the last 6 digits of the 8-digit values. */
    static const struct {
        time_t at;
        const char *code;
    } vectors[] = {
        {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
        {1234567890, "005924"}, {2000000000, "279037"}, {(time_t)20000000000LL, "353130"},
    };

    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
        CHECK(verify(vectors[i].code, vectors[i].at) == totp_step(vectors[i].at));
    CHECK(totp_step(59) == 1);
    CHECK(totp_step(1111111109) == 37037036);
    CHECK(totp_step((time_t)20000000000LL) == 666666666);
    CHECK(totp_step(0) == 0);
    CHECK(totp_step(29) == 0);
    CHECK(totp_step(30) == 1);
    CHECK(totp_step(-1) == -1);
}

static void test_window(void)
{
    const int64_t step = 37037036; /* "081804" */
    const time_t start = (time_t)(step * TOTP_PERIOD), end = start + TOTP_PERIOD - 1;

    CHECK(verify("081804", start) == step);
    CHECK(verify("081804", end) == step);
    CHECK(verify("081804", start - 1) == step);           /* one step early: the clock is fast */
    CHECK(verify("081804", start - TOTP_PERIOD) == step); /* still one step */
    CHECK(verify("081804", end + 1) == step);             /* one step late */
    CHECK(verify("081804", end + TOTP_PERIOD) == step);
    CHECK(verify("081804", start - TOTP_PERIOD - 1) == -1); /* two steps early */
    CHECK(verify("081804", end + TOTP_PERIOD + 1) == -1);   /* two steps late */
    CHECK(verify("081804", start + 10 * TOTP_PERIOD) == -1);
    CHECK(verify("081805", start) == -1); /* wrong code */
    CHECK(verify("287082", start) == -1); /* another step's code */
}

static void test_replay(void)
{
    const int64_t step = 37037036; /* "081804" */
    const time_t now = (time_t)(step * TOTP_PERIOD + 5);
    int64_t matched = 12345;

    CHECK(totp_verify(rfc_secret, RFC_SECRET_LEN, "081804", now, step - 1, &matched) == 0);
    CHECK(matched == step);
    /* The same code again: the step is used. */
    matched = 12345;
    CHECK(totp_verify(rfc_secret, RFC_SECRET_LEN, "081804", now, step, &matched) == -1);
    CHECK(matched == 12345);
    /* An older step within the window after a newer one was used. */
    CHECK(totp_verify(rfc_secret, RFC_SECRET_LEN, "081804", now + TOTP_PERIOD, step + 1,
                      &matched) == -1);
    CHECK(totp_verify(rfc_secret, RFC_SECRET_LEN, "081804", now + TOTP_PERIOD, step, &matched) ==
          -1);
    /* Still accepted one step later when the previous use was older. */
    CHECK(totp_verify(rfc_secret, RFC_SECRET_LEN, "081804", now + TOTP_PERIOD, step - 5,
                      &matched) == 0);
    CHECK(matched == step);
    CHECK(totp_verify(rfc_secret, RFC_SECRET_LEN, "081804", now, -1, NULL) == 0);
}

static void test_malformed_codes(void)
{
    const time_t now = 1111111109;

    CHECK(verify("81804", now) == -1);
    CHECK(verify("0818040", now) == -1);
    CHECK(verify("08180a", now) == -1);
    CHECK(verify(" 081804", now) == -1);
    CHECK(verify("081804 ", now) == -1);
    CHECK(verify("081 804", now) == -1);
    CHECK(verify("+81804", now) == -1);
    CHECK(verify("", now) == -1);
    CHECK(verify(NULL, now) == -1);
    CHECK(verify("\xef\xbc\x90"
                 "81804",
                 now) == -1); /* a full-width zero */
    CHECK(totp_verify(rfc_secret, 0, "081804", now, -1, NULL) == -1);
    CHECK(totp_verify(NULL, RFC_SECRET_LEN, "081804", now, -1, NULL) == -1);
}

static void test_base32(void)
{
    unsigned char raw[TOTP_SECRET_BYTES], raw2[TOTP_SECRET_BYTES];
    char base32[TOTP_BASE32_SIZE], base32_2[TOTP_BASE32_SIZE], small[32];
    char *decoded = NULL;
    size_t decoded_len = 0;

    CHECK(totp_base32_encode(rfc_secret, RFC_SECRET_LEN, base32, sizeof(base32)) == 0);
    CHECK_STR(base32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    CHECK(totp_base32_encode((const unsigned char *)"foob", 4, base32, sizeof(base32)) == 0);
    CHECK_STR(base32, "MZXW6YQ"); /* RFC 4648 section 10, padding removed */
    CHECK(totp_base32_encode(rfc_secret, RFC_SECRET_LEN, small, sizeof(small)) == -1);

    CHECK(totp_new_secret(raw, base32) == 0);
    CHECK(strlen(base32) == 32);
    CHECK(strspn(base32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == 32);
    CHECK(oath_base32_decode(base32, strlen(base32), &decoded, &decoded_len) == OATH_OK);
    CHECK(decoded != NULL && decoded_len == TOTP_SECRET_BYTES &&
          memcmp(decoded, raw, TOTP_SECRET_BYTES) == 0);
    free(decoded);
    CHECK(totp_new_secret(raw2, base32_2) == 0);
    CHECK(memcmp(raw, raw2, TOTP_SECRET_BYTES) != 0);
    CHECK(strcmp(base32, base32_2) != 0);
}

static void test_uri(void)
{
    char uri[512];

    CHECK(totp_uri("ana.maria+intake@firm.example", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", uri,
                   sizeof(uri)) == 0);
    CHECK_STR(uri, "otpauth://totp/paroletrack:ana.maria%2Bintake%40firm.example"
                   "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=paroletrack&algorithm=SHA1"
                   "&digits=6&period=30");
    CHECK(totp_uri("o'neil_x~y-z@x.example", "MZXW6YQ", uri, sizeof(uri)) == 0);
    CHECK_STR(uri, "otpauth://totp/paroletrack:o%27neil_x~y-z%40x.example?secret=MZXW6YQ"
                   "&issuer=paroletrack&algorithm=SHA1&digits=6&period=30");
    CHECK(totp_uri("a b@x.example", "MZXW6YQ", uri, sizeof(uri)) == 0);
    CHECK(strstr(uri, "paroletrack:a%20b%40x.example?") != NULL);
    CHECK(totp_uri("ana@firm.example", "MZXW6YQ", uri, 40) == -1);
    CHECK(totp_uri("ana@firm.example", "mzxw6yq", uri, sizeof(uri)) == -1);
    CHECK(totp_uri("ana@firm.example", "MZXW6YQ=", uri, sizeof(uri)) == -1);
    CHECK(totp_uri("ana@firm.example", "", uri, sizeof(uri)) == -1);
}

/* True when code has the shape "xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx" (7 groups of 4, at least
 * 128 bits: 28 * log2(31) > 138) over the recovery alphabet. */
static int recovery_shape(const char *code)
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

    if (strlen(code) != 34)
        return 0;
    for (int i = 0; i < 34; i++)
        if (i % 5 == 4 ? code[i] != '-' : strchr(alphabet, code[i]) == NULL)
            return 0;
    return 1;
}

static void test_recovery_codes(void)
{
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE], out[RECOVERY_CODE_SIZE];
    int shaped = 1, distinct = 1;

    CHECK(recovery_codes_new(codes, RECOVERY_CODE_COUNT) == 0);
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
        shaped &= recovery_shape(codes[i]);
        for (int j = 0; j < i; j++)
            distinct &= strcmp(codes[i], codes[j]) != 0;
        CHECK(recovery_code_normalize(codes[i], out) == 0 && strcmp(out, codes[i]) == 0);
    }
    CHECK(shaped);
    CHECK(distinct);

    /* today's codes: 28 characters, typed in any case, with or without dashes and spaces */
    CHECK(recovery_code_normalize("ABCDEFGHJKMNPQRSTUVWXYZ23456", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3456");
    CHECK(recovery_code_normalize(" abcd efgh-JKMN pqrs tuvw xyz2 3456 ", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3456");
    CHECK(recovery_code_normalize("abcd-efgh-jkmn-pqrs-tuvw-xyz2-345", out) == -1);   /* 27 */
    CHECK(recovery_code_normalize("abcd-efgh-jkmn-pqrs-tuvw-xyz2-34567", out) == -1); /* 29 */
    CHECK(recovery_code_normalize("abcd-efgh-jkmn-pqrs-tuvw-xyz2-345o", out) == -1);
    CHECK(recovery_code_normalize("abcdefghjkmnpqrs", out) == -1); /* 16: neither length */
    /* the 12-character codes of older releases still normalise (their rows still work) */
    CHECK(recovery_code_normalize("abcd-efgh-jkmn", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn");
    CHECK(recovery_code_normalize("ABCD-EFGH-JKMN", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn");
    CHECK(recovery_code_normalize("abcdefghjkmn", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn");
    CHECK(recovery_code_normalize(" AbCd efgh  JKMN ", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn");
    CHECK(recovery_code_normalize("ab-cdef-ghjk-mn", out) == 0);
    CHECK_STR(out, "abcd-efgh-jkmn");
    CHECK(recovery_code_normalize("pq23-4567-89xz", out) == 0);
    CHECK_STR(out, "pq23-4567-89xz");
    CHECK(recovery_code_normalize("abcd-efgh-jkm", out) == -1);   /* 11 characters */
    CHECK(recovery_code_normalize("abcd-efgh-jkmnp", out) == -1); /* 13 characters */
    CHECK(recovery_code_normalize("abcd-efgh-jkmo", out) == -1);  /* o is not in the alphabet */
    CHECK(recovery_code_normalize("abcd-efgh-jkm0", out) == -1);
    CHECK(recovery_code_normalize("abcd-efgh-jkm1", out) == -1);
    CHECK(recovery_code_normalize("abcd-efgh-jkml", out) == -1);
    CHECK(recovery_code_normalize("abcd-efgh-jkmi", out) == -1);
    CHECK(recovery_code_normalize("abcd_efgh_jkmn", out) == -1);
    CHECK(recovery_code_normalize("abcd-efgh-jkm\xc3\xa9", out) == -1);
    CHECK(recovery_code_normalize("", out) == -1);
    CHECK(recovery_code_normalize(NULL, out) == -1);
}

static void test_recovery_hashes(void)
{
    static const char code[] = "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3456";
    char first[RECOVERY_HASH_SIZE], second[RECOVERY_HASH_SIZE], plain[65];

    recovery_code_hash(code, first);
    recovery_code_hash(code, second);
    CHECK(strncmp(first, "s1$", 3) == 0 && strlen(first) == 100 && first[35] == '$');
    CHECK(strcmp(first, second) != 0); /* a fresh salt each time */
    crypto_sha256_hex(code, strlen(code), plain);
    CHECK(strstr(first, plain) == NULL); /* not the unsalted digest */
    CHECK(recovery_code_matches(first, code) == 1);
    CHECK(recovery_code_matches(second, code) == 1);
    CHECK(recovery_code_matches(first, "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3457") == 0);
    CHECK(recovery_code_matches(plain, code) == 1); /* an older release's unsalted row */
    CHECK(recovery_code_matches(first, NULL) == 0);
    CHECK(recovery_code_matches("s1$short$x", code) == 0);
    first[99] = first[99] == 'a' ? 'b' : 'a';
    CHECK(recovery_code_matches(first, code) == 0);
}

int main(void)
{
    test_rfc6238_vectors();
    test_window();
    test_replay();
    test_malformed_codes();
    test_base32();
    test_uri();
    test_recovery_codes();
    test_recovery_hashes();
    return CHECK_DONE();
}

/* totp: RFC 6238 codes through liboath, the otpauth:// URI, and recovery codes. */
#include "totp.h"

#include "crypto.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

#define RECOVERY_ALPHABET_LEN (sizeof(recovery_alphabet) - 1)
#define RECOVERY_CHARS        (RECOVERY_CODE_GROUPS * 4) /* without the dashes */
#define LEGACY_RECOVERY_CHARS 12 /* the codes of older releases, "xxxx-xxxx-xxxx" */
#define RECOVERY_SALT_HEX     32 /* 128-bit salt as hex */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_status = -1; /* oath_init()'s result once started */

/* Start liboath; pthread_once runs it exactly once per process. */
static void oath_start(void)
{
    oath_status = oath_init();
}

/* Start liboath on first use. Returns 0, or -1 when it cannot start. */
static int oath_ready(void)
{
    if (pthread_once(&oath_once, oath_start) != 0)
        return -1;
    return oath_status == OATH_OK ? 0 : -1;
}

int totp_base32_encode(const unsigned char *raw, size_t raw_len, char *out, size_t out_size)
{
    char *encoded = NULL; /* liboath's, freed here */
    size_t len = 0;
    int rc = -1;

    if (oath_ready() != 0)
        goto out;
    if (oath_base32_encode((const char *)raw, raw_len, &encoded, &len) != OATH_OK)
        goto out;
    while (len > 0 && encoded[len - 1] == '=')
        len--;
    if (len >= out_size)
        goto out;
    memcpy(out, encoded, len);
    out[len] = '\0';
    rc = 0;
out:
    free(encoded);
    return rc;
}

int totp_new_secret(unsigned char raw[TOTP_SECRET_BYTES], char base32[TOTP_BASE32_SIZE])
{
    crypto_random_bytes(raw, TOTP_SECRET_BYTES);
    return totp_base32_encode(raw, TOTP_SECRET_BYTES, base32, TOTP_BASE32_SIZE);
}

/* Append text to out (size out_size, *len bytes used so far), keeping it NUL-terminated.
 * Returns 0, or -1 when it does not fit. */
static int append(char *out, size_t out_size, size_t *len, const char *text)
{
    size_t n = strlen(text);

    if (*len + n >= out_size)
        return -1;
    memcpy(out + *len, text, n + 1);
    *len += n;
    return 0;
}

/* True for an RFC 3986 unreserved character: ALPHA / DIGIT / "-" / "." / "_" / "~". */
static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* True when text is non-empty RFC 4648 base32 without padding (A-Z, 2-7). */
static int is_base32(const char *text)
{
    if (*text == '\0')
        return 0;
    for (; *text; text++)
        if (!((*text >= 'A' && *text <= 'Z') || (*text >= '2' && *text <= '7')))
            return 0;
    return 1;
}

int totp_uri(const char *account_email, const char *base32, char *out, size_t out_size)
{
    size_t len = 0;
    char escaped[4];

    if (out_size == 0)
        return -1;
    out[0] = '\0';
    if (account_email == NULL || base32 == NULL || !is_base32(base32))
        return -1;
    if (append(out, out_size, &len, "otpauth://totp/paroletrack:") != 0)
        return -1;
    for (const unsigned char *c = (const unsigned char *)account_email; *c; c++) {
        if (is_unreserved(*c)) {
            escaped[0] = (char)*c;
            escaped[1] = '\0';
        } else {
            snprintf(escaped, sizeof(escaped), "%%%02X", *c);
        }
        if (append(out, out_size, &len, escaped) != 0)
            return -1;
    }
    if (append(out, out_size, &len, "?secret=") != 0 || append(out, out_size, &len, base32) != 0 ||
        append(out, out_size, &len, "&issuer=paroletrack&algorithm=SHA1&digits=6&period=30") != 0)
        return -1;
    return 0;
}

int64_t totp_step(time_t now)
{
    int64_t t = (int64_t)now, step = t / TOTP_PERIOD;

    /* Floor division, so that a time before the epoch never lands in step 0. */
    if (t % TOTP_PERIOD < 0)
        step--;
    return step;
}

/* True when code is exactly TOTP_DIGITS ASCII digits. */
static int is_code(const char *code)
{
    size_t n = 0;

    for (; code[n]; n++)
        if (n >= TOTP_DIGITS || code[n] < '0' || code[n] > '9')
            return 0;
    return n == TOTP_DIGITS;
}

/* Compare two strings of n bytes in time that does not depend on where they differ. True when
 * they are equal. */
static int equal_constant_time(const char *a, const char *b, size_t n)
{
    unsigned char diff = 0;

    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* Each eligible step in the window is generated with liboath (HOTP of the step counter is the
 * TOTP code of that step) and compared in constant time, instead of oath_totp_validate4: that
 * stops at its first match, which could be a step already used when two steps share a code,
 * and it cannot skip the steps at or before last_used_step. The latest matching step wins. */
int totp_verify(const unsigned char *raw, size_t raw_len, const char *code, time_t now,
                int64_t last_used_step, int64_t *matched_step)
{
    char expected[TOTP_DIGITS + 1];
    int64_t current = totp_step(now), found = -1;
    int rc = -1;

    if (raw == NULL || raw_len == 0 || code == NULL || !is_code(code) || oath_ready() != 0)
        goto out;
    for (int64_t step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
        if (step < 0 || step <= last_used_step)
            continue;
        if (oath_hotp_generate((const char *)raw, raw_len, (uint64_t)step, TOTP_DIGITS, false,
                               OATH_HOTP_DYNAMIC_TRUNCATION, expected) != OATH_OK)
            goto out;
        if (equal_constant_time(expected, code, TOTP_DIGITS))
            found = step;
    }
    if (found < 0)
        goto out;
    if (matched_step != NULL)
        *matched_step = found;
    rc = 0;
out:
    crypto_wipe(expected, sizeof(expected));
    return rc;
}

/* Write n characters of chars (a multiple of 4) as groups of 4 joined by dashes, plus NUL, into
 * out. */
static void format_recovery_code(const char *chars, size_t n, char out[RECOVERY_CODE_SIZE])
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = chars[i];
    }
    out[o] = '\0';
}

int recovery_codes_new(char codes[][RECOVERY_CODE_SIZE], size_t count)
{
    char chars[RECOVERY_CHARS];

    for (size_t i = 0; i < count; i++) {
        crypto_random_chars(recovery_alphabet, chars, sizeof(chars));
        format_recovery_code(chars, sizeof(chars), codes[i]);
    }
    crypto_wipe(chars, sizeof(chars));
    return 0;
}

int recovery_code_normalize(const char *in, char out[RECOVERY_CODE_SIZE])
{
    char chars[RECOVERY_CHARS];
    size_t n = 0;
    int rc = -1;

    if (in == NULL)
        goto out;
    for (const char *c = in; *c; c++) {
        char lower = (char)tolower((unsigned char)*c);

        if (*c == ' ' || *c == '-')
            continue;
        if (n == RECOVERY_CHARS || strchr(recovery_alphabet, lower) == NULL)
            goto out;
        chars[n++] = lower;
    }
    if (n != RECOVERY_CHARS && n != LEGACY_RECOVERY_CHARS)
        goto out;
    format_recovery_code(chars, n, out);
    rc = 0;
out:
    crypto_wipe(chars, sizeof(chars));
    return rc;
}

/* SHA-256 (hex) of "<salt>$<code>" into digest. */
static void salted_digest(const char *salt, const char *code, char digest[65])
{
    char buf[RECOVERY_SALT_HEX + 1 + RECOVERY_CODE_SIZE];
    int len = snprintf(buf, sizeof(buf), "%s$%s", salt, code);

    crypto_sha256_hex(buf, len > 0 && (size_t)len < sizeof(buf) ? (size_t)len : 0, digest);
    crypto_wipe(buf, sizeof(buf));
}

/* A plain SHA-256 over a salt is enough here, and better than a password hash or a MAC under
 * the firm key: the codes carry about 138 random bits, so no dictionary or brute force reaches
 * them whatever the hash's speed; the per-code salt keeps equal codes from giving equal rows and
 * rules out precomputed tables; and unlike a MAC it does not depend on the field key, so a rekey
 * leaves every code working. */
void recovery_code_hash(const char *normalized, char out[RECOVERY_HASH_SIZE])
{
    char salt[RECOVERY_SALT_HEX + 1], digest[65];

    crypto_random_hex(salt, RECOVERY_SALT_HEX / 2);
    salted_digest(salt, normalized, digest);
    snprintf(out, RECOVERY_HASH_SIZE, "s1$%s$%s", salt, digest);
}

int recovery_code_matches(const char *stored, const char *normalized)
{
    char salt[RECOVERY_SALT_HEX + 1], digest[65];
    int match;

    if (stored == NULL || normalized == NULL)
        return 0;
    if (strncmp(stored, "s1$", 3) == 0 && strlen(stored) == 3 + RECOVERY_SALT_HEX + 1 + 64 &&
        stored[3 + RECOVERY_SALT_HEX] == '$') {
        memcpy(salt, stored + 3, RECOVERY_SALT_HEX);
        salt[RECOVERY_SALT_HEX] = '\0';
        salted_digest(salt, normalized, digest);
        match = crypto_equal(stored + 4 + RECOVERY_SALT_HEX, digest);
    } else {
        /* an older release's unsalted hash, of a 12-character code */
        crypto_sha256_hex(normalized, strlen(normalized), digest);
        match = crypto_equal(stored, digest);
    }
    crypto_wipe(digest, sizeof(digest));
    return match;
}

/* totp: the second factor. RFC 6238 time-based one-time passwords through liboath (HMAC-SHA-1,
 * 6 digits, 30-second steps counted from the Unix epoch, one step of clock drift either way),
 * the otpauth:// URI authenticator apps scan, and single-use recovery codes. The only module
 * that includes liboath. Secrets are 160 random bits; storing them (encrypted) is the caller's
 * job. Every function here is thread-safe. */
#ifndef PAROLETRACK_TOTP_H
#define PAROLETRACK_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOTP_SECRET_BYTES    20 /* 160-bit secret, as RFC 4226 recommends */
#define TOTP_BASE32_SIZE     40 /* its 32 base32 characters + NUL, with room to spare */
#define TOTP_DIGITS          6
#define TOTP_PERIOD          30 /* seconds per step */
#define TOTP_WINDOW          1  /* steps accepted before and after the current one */
#define RECOVERY_CODE_COUNT  10 /* codes handed out at enrolment */
#define RECOVERY_CODE_GROUPS 7  /* groups of 4 characters: 28 characters, about 138 bits */
#define RECOVERY_CODE_SIZE   40 /* "xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx" + NUL, with room to spare */
#define RECOVERY_HASH_SIZE   101 /* "s1$" + 32 hex salt + "$" + 64 hex digest + NUL */

/* Fill raw with a new random secret and base32 with its RFC 4648 base32 text (upper case, no
 * padding, NUL-terminated). Both buffers belong to the caller; wipe raw once it is stored.
 * Returns 0, or -1 when liboath cannot start. */
int totp_new_secret(unsigned char raw[TOTP_SECRET_BYTES], char base32[TOTP_BASE32_SIZE]);

/* Write the RFC 4648 base32 text of raw_len bytes of raw (upper case, no padding, NUL-terminated)
 * into out (out_size bytes, the caller's). Returns 0, or -1 when it does not fit. */
int totp_base32_encode(const unsigned char *raw, size_t raw_len, char *out, size_t out_size);

/* Write the key URI authenticator apps scan into out (out_size bytes, the caller's):
 * "otpauth://totp/paroletrack:<email>?secret=<base32>&issuer=paroletrack&algorithm=SHA1&digits=6
 * &period=30" with every character of the e-mail address but RFC 3986 unreserved ones
 * percent-encoded ('+' as %2B, '@' as %40). Returns 0, or -1 when base32 is not base32 text or the
 * URI does not fit. */
int totp_uri(const char *account_email, const char *base32, char *out, size_t out_size);

/* The TOTP step (time counter) that contains the Unix time now: floor(now / 30). */
int64_t totp_step(time_t now);

/* Check a code typed by the user against the secret raw (raw_len bytes) at time now. Returns 0
 * when code is exactly 6 ASCII digits that match the step of now or one step either side AND
 * that step is later than last_used_step (pass -1 before the first use): a code works once, and a
 * replay of the same or an older step is refused. On success the matched step is written to
 * *matched_step (when not NULL); the caller must store it as the new last_used_step in the same
 * transaction that accepts the sign-in. Returns -1 otherwise (*matched_step untouched). */
int totp_verify(const unsigned char *raw, size_t raw_len, const char *code, time_t now,
                int64_t last_used_step, int64_t *matched_step);

/* Fill codes[0..count-1] (the caller's) with new random recovery codes of 7 groups of 4
 * characters, "xxxx-xxxx-xxxx-xxxx-xxxx-xxxx-xxxx", drawn from the 31 unambiguous characters
 * abcdefghjkmnpqrstuvwxyz23456789 (no 0/o/1/l/i): 28 * log2(31), about 138 bits each.
 * Returns 0. */
int recovery_codes_new(char codes[][RECOVERY_CODE_SIZE], size_t count);

/* Normalise a recovery code as typed: case-insensitive, spaces and dashes ignored wherever they
 * are. Writes the canonical form (groups of 4 joined by dashes) into out (the caller's) and
 * returns 0, or returns -1 when in is not 28 characters (a code of today) or 12 characters (a code
 * handed out by an older release, "xxxx-xxxx-xxxx") of the recovery-code alphabet. */
int recovery_code_normalize(const char *in, char out[RECOVERY_CODE_SIZE]);

/* The stored form of a normalised recovery code: "s1$<salt>$<digest>", a fresh random 128-bit
 * salt (hex) and SHA-256 over "<salt>$<code>" (hex), written into out (the caller's). */
void recovery_code_hash(const char *normalized, char out[RECOVERY_HASH_SIZE]);

/* Whether a normalised recovery code matches a stored hash: the salted form above, or the
 * unsalted SHA-256 hex that older releases stored. Compares in constant time. Returns 1 or 0. */
int recovery_code_matches(const char *stored, const char *normalized);

#endif

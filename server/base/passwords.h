/* passwords: the password policy (length, text, personal information, cracklib) and generated
 * passwords. The only module that includes cracklib. Hashing lives in crypto. Every function here
 * is thread-safe: cracklib calls are serialised behind a mutex. */
#ifndef PAROLETRACK_PASSWORDS_H
#define PAROLETRACK_PASSWORDS_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS     12   /* characters (Unicode code points) */
#define PASSWORD_MAX_BYTES     1024 /* bytes of UTF-8 */
#define PASSWORD_GENERATED_LEN 20   /* characters of a generated password */

/* Check a new password against the policy:
 * - at least 12 characters (code points) and at most 1024 bytes of valid UTF-8 without control
 *   characters (C0, DEL, C1);
 * - not containing, nor contained in, the e-mail address's local part or the name, nor any word
 *   of 4 or more characters of either (case-insensitive; email and name may be NULL);
 * - not a dictionary or common password with digits or symbols added before or after (simple
 *   letter-for-digit swaps like p@ssw0rd undone, reversed too), nor a keyboard, alphabet or digit
 *   run (qwertyuiop, 1qaz2wsx), nor one of those repeated (trustno1trustno1);
 * - accepted by cracklib's FascistCheckUser against the default dictionary.
 * Returns 0 when acceptable (*message set to NULL). Returns -1 when refused, or -2 when the
 * cracklib dictionary cannot be read (refuse too, and log: the server is misinstalled); either
 * way *message points at a static English sentence for the user, which never quotes the
 * password. */
int passwords_check_policy(const char *password, const char *email, const char *name,
                           const char **message);

/* Write a new random password of 20 characters (letters, digits and a few symbols, at least one
 * of each kind, without look-alikes such as 0/O and 1/l/I) that passes the policy into out
 * (out_size bytes, the caller's; at least 21). Returns 0, or -1 when out is too small or no
 * acceptable password came up (the dictionary cannot be read). */
int passwords_generate(char *out, size_t out_size);

#endif

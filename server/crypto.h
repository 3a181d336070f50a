/* crypto: the only module that includes libsodium. Hashing and random identifiers now;
 * password hashing and field encryption arrive with the accounts issue. */
#ifndef PAROLETRACK_CRYPTO_H
#define PAROLETRACK_CRYPTO_H

#include <stddef.h>

/* Initialise libsodium once per process. Returns 0, or -1 when it cannot start. */
int crypto_init(void);

/* SHA-256 of data as 64 lower-case hex digits plus NUL, written into out. */
void crypto_sha256_hex(const void *data, size_t len, char out[65]);

/* nbytes random bytes as 2*nbytes lower-case hex digits plus NUL, written into out (which must
 * hold 2*nbytes+1 bytes). */
void crypto_random_hex(char *out, size_t nbytes);

#endif

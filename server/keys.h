/* keys: the field-encryption key of a database. The key lives in a key file (created 0600 at
 * first start) or comes from the environment, never in the database; the database holds only a
 * check value sealed with it, so a wrong or missing key is a clear error at start instead of
 * garbage later. Also `paroletrack rekey`, which moves every sealed value to a new key in one
 * transaction. */
#ifndef PAROLETRACK_KEYS_H
#define PAROLETRACK_KEYS_H

#include "crypto.h"
#include "db.h"
#include "problem.h"

/* The key file a database uses when none is named: "<db>.key". Writes into out. */
void keys_default_path(const char *db_path, char *out, size_t out_size);

/* Load the key (from key_hex when not NULL, else from key_file) and check it against the
 * database; a database with no sealed data yet and no key gets a new key file (0600). Makes the
 * key the process's field key. Returns 0, or -1 with a clear reason in *p. */
int keys_open(struct db *db, const char *key_file, const char *key_hex, struct problem *p);

/* Re-seal every encrypted value and blind index under new_key, in one transaction, after
 * checking old_key. Returns 0 or -1 with *p set (nothing changed). */
int keys_rekey(struct db *db, const unsigned char old_key[CRYPTO_KEY_BYTES],
               const unsigned char new_key[CRYPTO_KEY_BYTES], struct problem *p);

#endif

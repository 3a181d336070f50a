/* field_key: the field-encryption key of a database. The key lives in a key file (created 0600 at
 * first start) or comes from the environment, never in the database; the database holds only a
 * check value sealed with it, so a wrong or missing key is a clear error at start instead of
 * garbage later. Also `paroletrack rekey`, which moves every sealed value to a new key in one
 * transaction, and the guard that stops a server's writes once the key changed under it. */
#ifndef PAROLETRACK_FIELD_KEY_H
#define PAROLETRACK_FIELD_KEY_H

#include "crypto.h"
#include "db.h"
#include "problem.h"

/* The key file a database uses when none is named: "<db>.key". Writes into out. */
void field_key_default_path(const char *db_path, char *out, size_t out_size);

/* Load the key (from key_hex when not NULL, else from key_file) and check it against the
 * database; a database with no sealed data yet and no key gets a new key file (0600). Makes the
 * key the process's field key. Returns 0, or -1 with a clear reason in *p. */
int field_key_open(struct db *db, const char *key_file, const char *key_hex, struct problem *p);

/* Re-seal every encrypted value and blind index under new_key, in one transaction, after
 * checking old_key. Returns 0 or -1 with *p set (nothing changed). */
int field_key_rekey(struct db *db, const unsigned char old_key[CRYPTO_KEY_BYTES],
                    const unsigned char new_key[CRYPTO_KEY_BYTES], struct problem *p);

/* Open every sealed value of the database with the process's key (field_key_open loaded it),
 * in one read transaction, counting them in *opened: a backup's proof that nothing it holds
 * is lost with the key. Returns 0, or -1 with *p naming the first value that does not open. */
int field_key_verify_sealed(struct db *db, int64_t *opened, struct problem *p);

/* The detail of the 503 a server gives once its key changed under it: meant for the client
 * (it names no value), so the API passes it on instead of its generic 503 text. */
#define FIELD_KEY_CHANGED_DETAIL                                                                   \
    "the database was rekeyed while this server runs, so it no longer writes or opens values "     \
    "(it would use the old key); the operator must restart it with the new key file"

/* The write guard of a running server (db_set_write_guard), run inside every write
 * transaction: 0 while the database's key check names this process's key; otherwise it says
 * why on stderr (once) and returns -1 with a 503 in *p, for this and every later write. */
int field_key_check_unchanged(struct db *db, struct problem *p);

#endif

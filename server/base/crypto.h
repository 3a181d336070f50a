/* crypto: the only module that includes libsodium. Random bytes and tokens, hashes, password
 * hashing (argon2id, at most one hash per core at a time), the field-encryption key and the
 * encryption of identifiers and narratives (XChaCha20-Poly1305 bound to table, column, row id,
 * the row's random nonce and the key's id), and keyed blind indexes for exact-match lookup of
 * encrypted identifiers. */
#ifndef PAROLETRACK_CRYPTO_H
#define PAROLETRACK_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_KEY_BYTES         32
#define CRYPTO_TOKEN_LEN         43 /* 32 random bytes, base64url without padding */
#define CRYPTO_PASSWORD_HASH_LEN 128
/* A sealed value is "enc2:<key id>:<base64 of nonce, ciphertext and tag>". "enc1:<base64>"
 * values (before migration 9: bound to table, column and id only) are opened only by the
 * one-time upgrade at start (field_key.c), never on a request. */
#define CRYPTO_FIELD_PREFIX        "enc2:"
#define CRYPTO_FIELD_LEGACY_PREFIX "enc1:"
#define CRYPTO_KEY_ID_LEN          8  /* hex digits: 4 bytes derived from the key */
#define CRYPTO_ROW_NONCE_LEN       32 /* hex digits: 16 random bytes, one per row, never changed */

/* Initialise libsodium and the password-hashing limiter once per process. Returns 0 or -1. */
int crypto_init(void);

/* True when the process's keys are locked in memory (never swapped out); false when
 * RLIMIT_MEMLOCK did not allow it. Meaningful after crypto_init(). */
int crypto_keys_locked(void);

/* Wipe n bytes of a secret in a way the optimiser cannot remove (memset before a free or a
 * return is a dead store it may drop). */
void crypto_wipe(void *buf, size_t n);

/* Wipe a NUL-terminated secret up to its terminator (NULL: nothing). */
void crypto_wipe_string(char *text);

/* Fill buf with n random bytes. */
void crypto_random_bytes(void *buf, size_t n);

/* Fill out with n characters drawn uniformly (no modulo bias) from the NUL-terminated alphabet
 * (at most 256 characters). out is not NUL-terminated. */
void crypto_random_chars(const char *alphabet, char *out, size_t n);

/* SHA-256 of data as 64 lower-case hex digits plus NUL, written into out. */
void crypto_sha256_hex(const void *data, size_t len, char out[65]);

/* nbytes random bytes as 2*nbytes lower-case hex digits plus NUL, written into out (which must
 * hold 2*nbytes+1 bytes; nbytes at most 64). */
void crypto_random_hex(char *out, size_t nbytes);

/* A new random token (32 bytes) as base64url without padding, written into out. */
void crypto_token(char out[CRYPTO_TOKEN_LEN + 1]);

/* Constant-time comparison of two NUL-terminated strings; 1 when equal. */
int crypto_equal(const char *a, const char *b);

/* Hash a password with argon2id (the interactive limits). Waits while as many hashes as there
 * are cores are running. Returns 0, or -1 when out of memory. */
int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_LEN]);

/* Check a password against a stored hash, or (hash NULL) against a dummy hash, so that an
 * unknown account takes the same time. Returns 1 on a match, 0 otherwise. */
int crypto_password_verify(const char *hash, const char *password);

/* True when a stored hash was made with other parameters than today's (rehash on sign-in). */
int crypto_password_needs_rehash(const char *hash);

/* Read the 32-byte master key from hex text (64 hex digits, surrounding white space allowed).
 * Returns 0 or -1. */
int crypto_key_from_hex(const char *hex, unsigned char key[CRYPTO_KEY_BYTES]);

/* Write a new random key as 64 hex digits and a newline to path, created with mode 0600 (fails
 * when the file exists). Returns 0 and the key, or -1 with errno set. */
int crypto_key_create_file(const char *path, unsigned char key[CRYPTO_KEY_BYTES]);

/* Read a key file written by crypto_key_create_file. Refuses a file that others may read.
 * Returns 0, or -1 with a reason in why (static text). */
int crypto_key_read_file(const char *path, unsigned char key[CRYPTO_KEY_BYTES], const char **why);

/* Make `key` the process's field key (derives the encryption and blind-index subkeys). */
void crypto_use_key(const unsigned char key[CRYPTO_KEY_BYTES]);

/* The id of the process's field key (CRYPTO_KEY_ID_LEN hex digits and a NUL): a one-way
 * function of the key, stored in every sealed value so a value sealed under another key is
 * recognised as such. "" before crypto_use_key. Static storage. */
const char *crypto_key_id(void);

/* The key id a sealed value ("enc2:<key id>:...") names, written into out; returns 0, or -1
 * when stored is not an enc2 value. */
int crypto_field_key_id(const char *stored, char out[CRYPTO_KEY_ID_LEN + 1]);

/* A new row nonce (CRYPTO_ROW_NONCE_LEN random hex digits plus NUL) written into out. */
void crypto_row_nonce(char out[CRYPTO_ROW_NONCE_LEN + 1]);

/* Encrypt a value of table.column in the row with id `row_id` and nonce `row_nonce` (its
 * row_nonce column; "" for the settings singletons). Returns a new string
 * "enc2:<key id>:<base64>" the caller frees, or NULL when out of memory or without a key. */
char *crypto_field_encrypt(const char *table, const char *column, int64_t row_id,
                           const char *row_nonce, const char *plaintext);

/* Decrypt a value made by crypto_field_encrypt with this key for the same table, column, row
 * id and row nonce. Returns the plaintext (caller frees) or NULL: another key, another place,
 * tampered, or not an enc2 value (enc1 values are refused here). */
char *crypto_field_decrypt(const char *table, const char *column, int64_t row_id,
                           const char *row_nonce, const char *stored);

/* Decrypt an old "enc1:" value (bound to table, column and id only) for the one-time upgrade
 * at start. Returns the plaintext (caller frees) or NULL. Never call it on a request path. */
char *crypto_field_decrypt_legacy(const char *table, const char *column, int64_t row_id,
                                  const char *stored);

/* Make `key` the audit chain's MAC key. It is a random key of its own, kept in the database
 * sealed with the field key (field_key.c), so a rekey does not touch the chain. */
void crypto_use_audit_key(const unsigned char key[CRYPTO_KEY_BYTES]);

/* True once the audit chain's key is in use. */
int crypto_has_key(void);

/* The keyed MAC (HMAC-SHA-256 under the audit key) of data as 64 hex digits: the
 * audit trail's chain, which nobody without the key can recompute. */
void crypto_audit_mac(const void *data, size_t len, char out[65]);

/* The keyed MAC of the audit trail's head record (HMAC-SHA-256 under a subkey derived from the
 * audit key with its own context) as 64 hex digits written into out. */
void crypto_audit_head_mac(const void *data, size_t len, char out[65]);

/* The Standard Webhooks signature of a message: base64 of HMAC-SHA256, keyed with the base64
 * secret after "whsec_", over "<msg_id>.<timestamp>.<body>". Writes it into out. Returns 0, or
 * -1 when the secret is not "whsec_<base64>". */
int crypto_webhook_signature(const char *secret, const char *msg_id, int64_t timestamp,
                             const char *body, char out[128]);

/* The length of a new webhook secret: "whsec_" and the base64 of 32 random bytes. */
#define CRYPTO_WEBHOOK_SECRET_LEN (6 + 44)

/* A new random Standard Webhooks secret, "whsec_<base64 of 32 bytes>", into out. */
void crypto_webhook_secret(char out[CRYPTO_WEBHOOK_SECRET_LEN + 1]);

/* The keyed blind index of a normalised identifier value of a column, as 64 hex digits. */
void crypto_blind_index(const char *column, const char *value, char out[65]);

/* Whether the file at path is a sealed file (crypto_file_seal): 1 yes, 0 no, -1 unreadable. */
int crypto_file_is_sealed(const char *path);

/* Seal the file plain_path into sealed_path (created 0600, replaced when there, synced) under
 * a subkey of the current field key: XChaCha20-Poly1305 in 64 KiB chunks (libsodium's
 * secretstream), so a copy stored elsewhere gives nothing away and any change, reordering or
 * cut is found when it is opened. The sealed file names the key's id. Returns 0, or -1 with
 * the reason in why. */
int crypto_file_seal(const char *plain_path, const char *sealed_path, char *why, size_t why_size);

/* Open a sealed file into plain_path (created 0600, synced; NULL: only check that the whole
 * file opens). Returns 0, or -1 with the reason in why (another key, damaged, altered, cut
 * short); plain_path may then hold a part of it, which the caller removes. */
int crypto_file_open(const char *sealed_path, const char *plain_path, char *why, size_t why_size);

/* The SHA-256 of a file's bytes as 64 hex digits into out, and its size. Returns 0 or -1. */
int crypto_sha256_file(const char *path, char out[65], int64_t *size);

#endif

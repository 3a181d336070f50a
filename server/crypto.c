/* crypto: thin, careful wrappers over libsodium. */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The process's field keys (set once at start, read-only afterwards). */
static unsigned char field_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
static unsigned char index_key[crypto_auth_hmacsha256_KEYBYTES];
static unsigned char audit_key[crypto_auth_hmacsha256_KEYBYTES];
static unsigned char audit_head_key[crypto_auth_hmacsha256_KEYBYTES];
static int have_key;
static int have_audit_key;

/* At most one argon2id hash per core at a time: each takes 64 MiB. */
static sem_t password_slots;
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = -1;

static void crypto_init_once(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (sodium_init() < 0)
        return;
    if (sem_init(&password_slots, 0, (unsigned)(cores > 0 ? cores : 1)) != 0)
        return;
    init_result = 0;
}

int crypto_init(void)
{
    pthread_once(&init_once, crypto_init_once);
    return init_result;
}

void crypto_random_bytes(void *buf, size_t n)
{
    randombytes_buf(buf, n);
}

void crypto_random_chars(const char *alphabet, char *out, size_t n)
{
    size_t alphabet_len = strlen(alphabet), used, i = 0;
    const size_t limit = 256 - 256 % alphabet_len;
    unsigned char pool[64];

    used = sizeof(pool);
    while (i < n) {
        if (used == sizeof(pool)) {
            randombytes_buf(pool, sizeof(pool));
            used = 0;
        }
        if (pool[used] < limit) /* bytes past the last whole alphabet would favour early chars */
            out[i++] = alphabet[pool[used] % alphabet_len];
        used++;
    }
    sodium_memzero(pool, sizeof(pool));
}

void crypto_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

void crypto_random_hex(char *out, size_t nbytes)
{
    unsigned char buf[64];

    if (nbytes > sizeof(buf))
        nbytes = sizeof(buf);
    randombytes_buf(buf, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

void crypto_token(char out[CRYPTO_TOKEN_LEN + 1])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, CRYPTO_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

int crypto_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la != lb)
        return 0;
    return sodium_memcmp(a, b, la) == 0;
}

int crypto_password_hash(const char *password, char out[CRYPTO_PASSWORD_HASH_LEN])
{
    int rc;

    sem_wait(&password_slots);
    rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sem_post(&password_slots);
    return rc == 0 ? 0 : -1;
}

/* Make the hash that unknown accounts are checked against (once, on first need). */
static void make_dummy_hash(void)
{
    char secret[33];

    crypto_random_hex(secret, 16);
    if (crypto_pwhash_str(dummy_hash, secret, strlen(secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

int crypto_password_verify(const char *hash, const char *password)
{
    int ok;

    if (hash == NULL) {
        /* An unknown account: spend the same time on a hash that never matches. */
        pthread_once(&dummy_once, make_dummy_hash);
        hash = dummy_hash;
        sem_wait(&password_slots);
        ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
        sem_post(&password_slots);
        (void)ok;
        return 0;
    }
    sem_wait(&password_slots);
    ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    sem_post(&password_slots);
    return ok;
}

int crypto_password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

int crypto_key_from_hex(const char *hex, unsigned char key[CRYPTO_KEY_BYTES])
{
    size_t got = 0;
    const char *end = NULL;

    while (*hex == ' ' || *hex == '\n' || *hex == '\t' || *hex == '\r')
        hex++;
    if (sodium_hex2bin(key, CRYPTO_KEY_BYTES, hex, strlen(hex), " \t\r\n", &got, &end) != 0 ||
        got != CRYPTO_KEY_BYTES)
        return -1;
    while (end && (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r'))
        end++;
    return end != NULL && *end == '\0' ? 0 : -1;
}

int crypto_key_create_file(const char *path, unsigned char key[CRYPTO_KEY_BYTES])
{
    char hex[CRYPTO_KEY_BYTES * 2 + 2];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ssize_t written;

    if (fd < 0)
        return -1;
    randombytes_buf(key, CRYPTO_KEY_BYTES);
    sodium_bin2hex(hex, sizeof(hex) - 1, key, CRYPTO_KEY_BYTES);
    strcat(hex, "\n");
    written = write(fd, hex, strlen(hex));
    sodium_memzero(hex, sizeof(hex));
    if (written != (ssize_t)(CRYPTO_KEY_BYTES * 2 + 1) || fsync(fd) != 0) {
        int saved = errno;

        close(fd);
        unlink(path);
        errno = saved ? saved : EIO;
        return -1;
    }
    return close(fd);
}

int crypto_key_read_file(const char *path, unsigned char key[CRYPTO_KEY_BYTES], const char **why)
{
    char text[256];
    struct stat st;
    ssize_t got;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;

    *why = "cannot be read";
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0)
        goto out;
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        *why = "may be read by other users (chmod 600 it)";
        goto out;
    }
    got = read(fd, text, sizeof(text) - 1);
    if (got <= 0)
        goto out;
    text[got] = '\0';
    if (crypto_key_from_hex(text, key) != 0) {
        *why = "does not hold a key (64 hex digits)";
        goto out;
    }
    rc = 0;
out:
    sodium_memzero(text, sizeof(text));
    close(fd);
    return rc;
}

void crypto_use_key(const unsigned char key[CRYPTO_KEY_BYTES])
{
    crypto_kdf_derive_from_key(field_key, sizeof(field_key), 1, "ptfield1", key);
    crypto_kdf_derive_from_key(index_key, sizeof(index_key), 2, "ptindex1", key);
    have_key = 1;
}

/* The associated data binding a value to its place: "table\0column\0row id". */
static size_t place_of(const char *table, const char *column, int64_t row_id, char *out,
                       size_t size)
{
    int n = snprintf(out, size, "%s%c%s%c%lld", table, 0, column, 0, (long long)row_id);

    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

char *crypto_field_encrypt(const char *table, const char *column, int64_t row_id,
                           const char *plaintext)
{
    size_t len = strlen(plaintext), sealed_len, b64_len, prefix = strlen(CRYPTO_FIELD_PREFIX);
    unsigned char *sealed = NULL;
    char ad[256], *out = NULL;
    size_t ad_len = place_of(table, column, row_id, ad, sizeof(ad));
    unsigned long long clen = 0;

    if (!have_key || ad_len == 0)
        return NULL;
    sealed_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len +
                 crypto_aead_xchacha20poly1305_ietf_ABYTES;
    sealed = malloc(sealed_len);
    if (sealed == NULL)
        goto out;
    randombytes_buf(sealed, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
        (const unsigned char *)plaintext, len, (const unsigned char *)ad, ad_len, NULL, sealed,
        field_key);
    b64_len = sodium_base64_ENCODED_LEN(sealed_len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    out = malloc(prefix + b64_len);
    if (out == NULL)
        goto out;
    memcpy(out, CRYPTO_FIELD_PREFIX, prefix);
    sodium_bin2base64(out + prefix, b64_len, sealed,
                      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + clen,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
out:
    free(sealed);
    return out;
}

char *crypto_field_decrypt(const char *table, const char *column, int64_t row_id,
                           const char *stored)
{
    size_t prefix = strlen(CRYPTO_FIELD_PREFIX), stored_len, sealed_len = 0;
    unsigned char *sealed = NULL;
    char ad[256], *plain = NULL;
    size_t ad_len = place_of(table, column, row_id, ad, sizeof(ad));
    unsigned long long plain_len = 0;

    if (!have_key || ad_len == 0 || strncmp(stored, CRYPTO_FIELD_PREFIX, prefix) != 0)
        return NULL;
    stored_len = strlen(stored + prefix);
    sealed = malloc(stored_len + 1);
    if (sealed == NULL)
        return NULL;
    if (sodium_base642bin(sealed, stored_len + 1, stored + prefix, stored_len, NULL, &sealed_len,
                          NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
        sealed_len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                         crypto_aead_xchacha20poly1305_ietf_ABYTES)
        goto fail;
    plain = malloc(sealed_len + 1);
    if (plain == NULL)
        goto fail;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)plain, &plain_len, NULL,
            sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
            sealed_len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)ad,
            ad_len, sealed, field_key) != 0)
        goto fail;
    plain[plain_len] = '\0';
    free(sealed);
    return plain;
fail:
    free(plain);
    free(sealed);
    return NULL;
}

int crypto_has_key(void)
{
    return have_audit_key;
}

void crypto_use_audit_key(const unsigned char key[CRYPTO_KEY_BYTES])
{
    memcpy(audit_key, key, sizeof(audit_key));
    /* The head's MAC key: a subkey with a context of its own, so a head MAC is never a valid
     * event hash nor the reverse. */
    crypto_kdf_derive_from_key(audit_head_key, sizeof(audit_head_key), 1, "ptahead1", key);
    have_audit_key = 1;
}

void crypto_audit_head_mac(const void *data, size_t len, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    crypto_auth_hmacsha256(mac, data, len, audit_head_key);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

void crypto_audit_mac(const void *data, size_t len, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    crypto_auth_hmacsha256(mac, data, len, audit_key);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

int crypto_webhook_signature(const char *secret, const char *msg_id, int64_t timestamp,
                             const char *body, char out[128])
{
    unsigned char key[256], mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    size_t key_len = 0;
    char stamp[32];

    if (strncmp(secret, "whsec_", 6) != 0 ||
        sodium_base642bin(key, sizeof(key), secret + 6, strlen(secret + 6), NULL, &key_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        key_len == 0)
        return -1;
    snprintf(stamp, sizeof(stamp), ".%lld.", (long long)timestamp);
    crypto_auth_hmacsha256_init(&state, key, key_len);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)msg_id, strlen(msg_id));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)stamp, strlen(stamp));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_bin2base64(out, 128, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(key, sizeof(key));
    return 0;
}

void crypto_blind_index(const char *column, const char *value, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;

    crypto_auth_hmacsha256_init(&state, index_key, sizeof(index_key));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)column, strlen(column) + 1);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)value, strlen(value));
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

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

/* The process's keys (set at start, read-only afterwards). They live in memory from
 * sodium_malloc: locked (never swapped out or written to a core dump), between guard pages,
 * and read-only except while crypto_use_key / crypto_use_audit_key write them. */
struct process_keys {
    unsigned char field[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    unsigned char index[crypto_auth_hmacsha256_KEYBYTES];
    unsigned char audit[crypto_auth_hmacsha256_KEYBYTES];
    unsigned char audit_head[crypto_auth_hmacsha256_KEYBYTES];
    unsigned char file[crypto_secretstream_xchacha20poly1305_KEYBYTES]; /* sealed backups */
};
static struct process_keys *keys;
static int field_key_locked;
static int have_key;
static char key_id[CRYPTO_KEY_ID_LEN + 1];
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
    keys = sodium_malloc(sizeof(*keys));
    if (keys == NULL)
        return;
    sodium_memzero(keys, sizeof(*keys));
    /* sodium_malloc locks the pages when it can; ask again to know whether it could
     * (RLIMIT_MEMLOCK), so the operator can be told. */
    field_key_locked = sodium_mlock(keys, sizeof(*keys)) == 0;
    sodium_mprotect_readonly(keys);
    init_result = 0;
}

int crypto_init(void)
{
    pthread_once(&init_once, crypto_init_once);
    return init_result;
}

int crypto_keys_locked(void)
{
    return field_key_locked;
}

void crypto_wipe(void *buf, size_t n)
{
    sodium_memzero(buf, n);
}

void crypto_wipe_string(char *text)
{
    if (text != NULL)
        sodium_memzero(text, strlen(text));
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
    unsigned char id[crypto_kdf_BYTES_MIN];

    sodium_mprotect_readwrite(keys);
    crypto_kdf_derive_from_key(keys->field, sizeof(keys->field), 1, "ptfield1", key);
    crypto_kdf_derive_from_key(keys->index, sizeof(keys->index), 2, "ptindex1", key);
    crypto_kdf_derive_from_key(keys->file, sizeof(keys->file), 4, "ptfile01", key);
    sodium_mprotect_readonly(keys);
    crypto_kdf_derive_from_key(id, sizeof(id), 3, "ptkeyid1", key);
    sodium_bin2hex(key_id, sizeof(key_id), id, CRYPTO_KEY_ID_LEN / 2);
    sodium_memzero(id, sizeof(id));
    have_key = 1;
}

const char *crypto_key_id(void)
{
    return key_id;
}

int crypto_field_key_id(const char *stored, char out[CRYPTO_KEY_ID_LEN + 1])
{
    size_t prefix = strlen(CRYPTO_FIELD_PREFIX);

    out[0] = '\0';
    if (strncmp(stored, CRYPTO_FIELD_PREFIX, prefix) != 0 ||
        strspn(stored + prefix, "0123456789abcdef") != CRYPTO_KEY_ID_LEN ||
        stored[prefix + CRYPTO_KEY_ID_LEN] != ':')
        return -1;
    memcpy(out, stored + prefix, CRYPTO_KEY_ID_LEN);
    out[CRYPTO_KEY_ID_LEN] = '\0';
    return 0;
}

void crypto_row_nonce(char out[CRYPTO_ROW_NONCE_LEN + 1])
{
    crypto_random_hex(out, CRYPTO_ROW_NONCE_LEN / 2);
}

/* The associated data of an enc1 value: "table\0column\0row id". Returns its length, 0 when
 * it does not fit. */
static size_t legacy_place_of(const char *table, const char *column, int64_t row_id, char *out,
                              size_t size)
{
    int n = snprintf(out, size, "%s%c%s%c%lld", table, 0, column, 0, (long long)row_id);

    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* The associated data of an enc2 value: "enc2\0table\0column\0row id\0row nonce\0key id", so
 * a value opens only in its own row (even after its id was reused) and under its own key id.
 * Returns its length, 0 when it does not fit. */
static size_t place_of(const char *table, const char *column, int64_t row_id, const char *row_nonce,
                       const char *id, char *out, size_t size)
{
    int n = snprintf(out, size, "enc2%c%s%c%s%c%lld%c%s%c%s", 0, table, 0, column, 0,
                     (long long)row_id, 0, row_nonce, 0, id);

    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* Seal plaintext under the field key with associated data ad, as `head` followed by base64 of
 * nonce, ciphertext and tag. Returns a new string (caller frees) or NULL. */
static char *seal(const char *head, const char *ad, size_t ad_len, const char *plaintext)
{
    size_t len = strlen(plaintext), sealed_len, b64_len, head_len = strlen(head);
    unsigned char *sealed = NULL;
    char *out = NULL;
    unsigned long long clen = 0;

    sealed_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len +
                 crypto_aead_xchacha20poly1305_ietf_ABYTES;
    sealed = malloc(sealed_len);
    if (sealed == NULL)
        goto out;
    randombytes_buf(sealed, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
        (const unsigned char *)plaintext, len, (const unsigned char *)ad, ad_len, NULL, sealed,
        keys->field);
    b64_len = sodium_base64_ENCODED_LEN(sealed_len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    out = malloc(head_len + b64_len);
    if (out == NULL)
        goto out;
    memcpy(out, head, head_len);
    sodium_bin2base64(out + head_len, b64_len, sealed,
                      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + clen,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
out:
    free(sealed);
    return out;
}

/* Open the base64 text b64 (nonce, ciphertext, tag) under the field key with associated data
 * ad. Returns the plaintext (caller frees) or NULL. */
static char *open_sealed(const char *b64, const char *ad, size_t ad_len)
{
    size_t stored_len = strlen(b64), sealed_len = 0;
    unsigned char *sealed = malloc(stored_len + 1);
    char *plain = NULL;
    unsigned long long plain_len = 0;

    if (sealed == NULL)
        return NULL;
    if (sodium_base642bin(sealed, stored_len + 1, b64, stored_len, NULL, &sealed_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
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
            ad_len, sealed, keys->field) != 0)
        goto fail;
    plain[plain_len] = '\0';
    free(sealed);
    return plain;
fail:
    free(plain);
    free(sealed);
    return NULL;
}

char *crypto_field_encrypt(const char *table, const char *column, int64_t row_id,
                           const char *row_nonce, const char *plaintext)
{
    char ad[256], head[sizeof(CRYPTO_FIELD_PREFIX) + CRYPTO_KEY_ID_LEN + 1];
    size_t ad_len;

    if (!have_key || row_nonce == NULL)
        return NULL;
    ad_len = place_of(table, column, row_id, row_nonce, key_id, ad, sizeof(ad));
    if (ad_len == 0)
        return NULL;
    snprintf(head, sizeof(head), "%s%s:", CRYPTO_FIELD_PREFIX, key_id);
    return seal(head, ad, ad_len, plaintext);
}

char *crypto_field_decrypt(const char *table, const char *column, int64_t row_id,
                           const char *row_nonce, const char *stored)
{
    char ad[256], id[CRYPTO_KEY_ID_LEN + 1];
    size_t ad_len;

    if (!have_key || row_nonce == NULL || crypto_field_key_id(stored, id) != 0 ||
        strcmp(id, key_id) != 0)
        return NULL;
    ad_len = place_of(table, column, row_id, row_nonce, key_id, ad, sizeof(ad));
    if (ad_len == 0)
        return NULL;
    return open_sealed(stored + strlen(CRYPTO_FIELD_PREFIX) + CRYPTO_KEY_ID_LEN + 1, ad, ad_len);
}

char *crypto_field_decrypt_legacy(const char *table, const char *column, int64_t row_id,
                                  const char *stored)
{
    size_t prefix = strlen(CRYPTO_FIELD_LEGACY_PREFIX);
    char ad[256];
    size_t ad_len = legacy_place_of(table, column, row_id, ad, sizeof(ad));

    if (!have_key || ad_len == 0 || strncmp(stored, CRYPTO_FIELD_LEGACY_PREFIX, prefix) != 0)
        return NULL;
    return open_sealed(stored + prefix, ad, ad_len);
}

int crypto_has_key(void)
{
    return have_audit_key;
}

void crypto_use_audit_key(const unsigned char key[CRYPTO_KEY_BYTES])
{
    sodium_mprotect_readwrite(keys);
    memcpy(keys->audit, key, sizeof(keys->audit));
    /* The head's MAC key: a subkey with a context of its own, so a head MAC is never a valid
     * event hash nor the reverse. */
    crypto_kdf_derive_from_key(keys->audit_head, sizeof(keys->audit_head), 1, "ptahead1", key);
    sodium_mprotect_readonly(keys);
    have_audit_key = 1;
}

/* HMAC-SHA-256 of data under key as 64 hex digits into out. */
static void hmac_hex(const unsigned char *key, const void *data, size_t len, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    crypto_auth_hmacsha256(mac, data, len, key);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

void crypto_audit_head_mac(const void *data, size_t len, char out[65])
{
    hmac_hex(keys->audit_head, data, len, out);
}

void crypto_audit_mac(const void *data, size_t len, char out[65])
{
    hmac_hex(keys->audit, data, len, out);
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

void crypto_webhook_secret(char out[CRYPTO_WEBHOOK_SECRET_LEN + 1])
{
    unsigned char key[32];

    randombytes_buf(key, sizeof(key));
    memcpy(out, "whsec_", 6);
    sodium_bin2base64(out + 6, CRYPTO_WEBHOOK_SECRET_LEN + 1 - 6, key, sizeof(key),
                      sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(key, sizeof(key));
}

void crypto_blind_index(const char *column, const char *value, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;

    crypto_auth_hmacsha256_init(&state, keys->index, sizeof(keys->index));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)column, strlen(column) + 1);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)value, strlen(value));
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

/* A sealed file: FILE_MAGIC, the key's id and a newline, the secretstream header, then the
 * plaintext in chunks of FILE_CHUNK bytes, each sealed with its tag (the last one FINAL), all
 * bound to the magic and key id as additional data. */
#define FILE_MAGIC      "paroletrack-sealed-file-1\n"
#define FILE_MAGIC_LEN  (sizeof(FILE_MAGIC) - 1)
#define FILE_PREFIX_LEN (FILE_MAGIC_LEN + CRYPTO_KEY_ID_LEN + 1)
#define FILE_CHUNK      65536
#define FILE_SEALED_MAX (FILE_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)

int crypto_file_is_sealed(const char *path)
{
    char head[FILE_MAGIC_LEN];
    FILE *f = fopen(path, "rb");
    size_t got;

    if (f == NULL)
        return -1;
    got = fread(head, 1, sizeof(head), f);
    fclose(f);
    return got == sizeof(head) && memcmp(head, FILE_MAGIC, FILE_MAGIC_LEN) == 0;
}

/* Open `path` for writing as a new file of the owner alone (0600), replacing one that is there. */
static FILE *create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f;

    if (fd < 0)
        return NULL;
    f = fdopen(fd, "wb");
    if (f == NULL)
        close(fd);
    return f;
}

/* Flush f to the disk and close it. Returns 0, or -1 (closed either way). */
static int close_synced(FILE *f)
{
    int rc = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;

    return fclose(f) == 0 ? rc : -1;
}

/* What both directions of a sealed file hold: the two files, the chunk buffers (the plaintext
 * one wiped at the end) and the stream's state. */
struct file_stream {
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char *plain, *sealed;
    FILE *in, *out;
};

/* Start a stream: the key loaded, the buffers allocated, in_path open for reading. Returns 0,
 * or -1 with the reason in why (file_stream_end releases what was taken either way). */
static int file_stream_begin(struct file_stream *f, const char *in_path, char *why, size_t why_size)
{
    memset(f, 0, sizeof(*f));
    if (!have_key) {
        snprintf(why, why_size, "no key is loaded");
        return -1;
    }
    f->plain = malloc(FILE_CHUNK);
    f->sealed = malloc(FILE_SEALED_MAX);
    if (f->plain == NULL || f->sealed == NULL) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    f->in = fopen(in_path, "rb");
    if (f->in == NULL) {
        snprintf(why, why_size, "reading %s: %s", in_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Close what is still open (an output not closed by then is dropped unsynced: a failure) and
 * wipe the plaintext buffer and the stream's state. */
static void file_stream_end(struct file_stream *f)
{
    if (f->out != NULL)
        fclose(f->out);
    if (f->in != NULL)
        fclose(f->in);
    if (f->plain != NULL)
        sodium_memzero(f->plain, FILE_CHUNK);
    free(f->plain);
    free(f->sealed);
    sodium_memzero(&f->st, sizeof(f->st));
}

/* The prefix of a sealed file under the current key: the magic, the key's id and a newline. */
static void file_prefix(unsigned char prefix[FILE_PREFIX_LEN])
{
    memcpy(prefix, FILE_MAGIC, FILE_MAGIC_LEN);
    memcpy(prefix + FILE_MAGIC_LEN, key_id, CRYPTO_KEY_ID_LEN);
    prefix[FILE_PREFIX_LEN - 1] = '\n';
}

int crypto_file_seal(const char *plain_path, const char *sealed_path, char *why, size_t why_size)
{
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES],
        prefix[FILE_PREFIX_LEN];
    struct file_stream f;
    int rc = -1, last = 0;

    if (file_stream_begin(&f, plain_path, why, why_size) != 0)
        goto out;
    f.out = create_private(sealed_path);
    if (f.out == NULL)
        goto write_failed;
    file_prefix(prefix);
    crypto_secretstream_xchacha20poly1305_init_push(&f.st, header, keys->file);
    if (fwrite(prefix, 1, sizeof(prefix), f.out) != sizeof(prefix) ||
        fwrite(header, 1, sizeof(header), f.out) != sizeof(header))
        goto write_failed;
    while (!last) {
        size_t got = fread(f.plain, 1, FILE_CHUNK, f.in);
        unsigned long long sealed_len;

        if (ferror(f.in)) {
            snprintf(why, why_size, "reading %s: %s", plain_path, strerror(errno));
            goto out;
        }
        last = feof(f.in) || got < FILE_CHUNK;
        crypto_secretstream_xchacha20poly1305_push(
            &f.st, f.sealed, &sealed_len, f.plain, got, prefix, sizeof(prefix),
            last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        if (fwrite(f.sealed, 1, (size_t)sealed_len, f.out) != sealed_len)
            goto write_failed;
    }
    rc = close_synced(f.out);
    f.out = NULL;
    if (rc == 0)
        goto out;
write_failed:
    snprintf(why, why_size, "writing %s: %s", sealed_path, strerror(errno));
    rc = -1;
out:
    file_stream_end(&f);
    return rc;
}

int crypto_file_open(const char *sealed_path, const char *plain_path, char *why, size_t why_size)
{
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES],
        prefix[FILE_PREFIX_LEN], expected[FILE_PREFIX_LEN];
    struct file_stream f;
    unsigned char tag = 0;
    int rc = -1;

    if (file_stream_begin(&f, sealed_path, why, why_size) != 0)
        goto out;
    file_prefix(expected);
    if (fread(prefix, 1, sizeof(prefix), f.in) != sizeof(prefix) ||
        memcmp(prefix, FILE_MAGIC, FILE_MAGIC_LEN) != 0 ||
        fread(header, 1, sizeof(header), f.in) != sizeof(header)) {
        snprintf(why, why_size, "it is not a sealed paroletrack file");
        goto out;
    }
    if (memcmp(prefix, expected, sizeof(prefix)) != 0) {
        char other[CRYPTO_KEY_ID_LEN + 1] = "?";

        /* the file's bytes reach the operator's terminal only when they are a key id */
        if (strspn((const char *)prefix + FILE_MAGIC_LEN, "0123456789abcdef") >= CRYPTO_KEY_ID_LEN)
            snprintf(other, sizeof(other), "%.*s", CRYPTO_KEY_ID_LEN,
                     (const char *)prefix + FILE_MAGIC_LEN);
        snprintf(why, why_size, "it was sealed with another key (id %s; this key's id is %s)",
                 other, key_id);
        goto out;
    }
    if (crypto_secretstream_xchacha20poly1305_init_pull(&f.st, header, keys->file) != 0) {
        snprintf(why, why_size, "it is damaged (its header)");
        goto out;
    }
    if (plain_path != NULL && (f.out = create_private(plain_path)) == NULL) {
        snprintf(why, why_size, "writing %s: %s", plain_path, strerror(errno));
        goto out;
    }
    while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
        size_t got = fread(f.sealed, 1, FILE_SEALED_MAX, f.in);
        unsigned long long plain_len;

        if (got == 0 ||
            crypto_secretstream_xchacha20poly1305_pull(&f.st, f.plain, &plain_len, &tag, f.sealed,
                                                       got, prefix, sizeof(prefix)) != 0) {
            snprintf(why, why_size, "it is damaged, cut short or altered");
            goto out;
        }
        if (f.out != NULL && fwrite(f.plain, 1, (size_t)plain_len, f.out) != plain_len) {
            snprintf(why, why_size, "writing %s: %s", plain_path, strerror(errno));
            goto out;
        }
    }
    if (fgetc(f.in) != EOF) {
        snprintf(why, why_size, "it has bytes after its end (altered)");
        goto out;
    }
    rc = f.out != NULL ? close_synced(f.out) : 0;
    f.out = NULL;
    if (rc != 0)
        snprintf(why, why_size, "writing %s: %s", plain_path, strerror(errno));
out:
    file_stream_end(&f);
    return rc;
}

int crypto_sha256_file(const char *path, char out[65], int64_t *size)
{
    crypto_hash_sha256_state st;
    unsigned char buf[65536], digest[crypto_hash_sha256_BYTES];
    FILE *f = fopen(path, "rb");
    size_t got;
    int rc;

    *size = 0;
    if (f == NULL)
        return -1;
    crypto_hash_sha256_init(&st);
    while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
        crypto_hash_sha256_update(&st, buf, got);
        *size += (int64_t)got;
    }
    rc = ferror(f) ? -1 : 0;
    fclose(f);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
    return rc;
}

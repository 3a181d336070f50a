/* Unit tests of crypto: field sealing bound to its place, keys, blind indexes, passwords. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "crypto.h"

#define NONCE "0123456789abcdef0123456789abcdef"
#define OTHER "fedcba9876543210fedcba9876543210"

static void test_sealing(void)
{
    unsigned char key[CRYPTO_KEY_BYTES] = {1, 2, 3}, other[CRYPTO_KEY_BYTES] = {9};
    char *sealed, *plain;

    crypto_use_key(key);
    sealed = crypto_field_encrypt("clients", "a_number", 7, NONCE, "A012345678");
    CHECK(sealed != NULL && strncmp(sealed, CRYPTO_FIELD_PREFIX, 5) == 0);
    CHECK(strstr(sealed, "A012345678") == NULL && strstr(sealed, "012345678") == NULL);
    plain = crypto_field_decrypt("clients", "a_number", 7, NONCE, sealed);
    CHECK_STR(plain, "A012345678");
    free(plain);
    /* A value copied to another row, column or table does not open. */
    CHECK(crypto_field_decrypt("clients", "a_number", 8, NONCE, sealed) == NULL);
    CHECK(crypto_field_decrypt("clients", "passport_number", 7, NONCE, sealed) == NULL);
    CHECK(crypto_field_decrypt("users", "a_number", 7, NONCE, sealed) == NULL);
    /* Nor into a row with the same id but another nonce (an id used again). */
    CHECK(crypto_field_decrypt("clients", "a_number", 7, OTHER, sealed) == NULL);
    CHECK(crypto_field_decrypt("clients", "a_number", 7, "", sealed) == NULL);
    CHECK(crypto_field_decrypt("clients", "a_number", 7, NULL, sealed) == NULL);
    /* Nor with another key. */
    crypto_use_key(other);
    CHECK(crypto_field_decrypt("clients", "a_number", 7, NONCE, sealed) == NULL);
    crypto_use_key(key);
    /* Tampering is detected. */
    sealed[20] = sealed[20] == 'A' ? 'B' : 'A';
    CHECK(crypto_field_decrypt("clients", "a_number", 7, NONCE, sealed) == NULL);
    free(sealed);
    /* Two seals of the same value differ (random nonce); both open. */
    {
        char *a = crypto_field_encrypt("rfes", "summary", 1, NONCE, "Олена: \"medical\" 🙂");
        char *b = crypto_field_encrypt("rfes", "summary", 1, NONCE, "Олена: \"medical\" 🙂");
        char *pa = crypto_field_decrypt("rfes", "summary", 1, NONCE, a);

        CHECK(a && b && strcmp(a, b) != 0);
        CHECK_STR(pa, "Олена: \"medical\" 🙂");
        free(a);
        free(b);
        free(pa);
    }
    CHECK(crypto_field_decrypt("rfes", "summary", 1, NONCE, "plain text") == NULL);
    CHECK(crypto_field_decrypt("rfes", "summary", 1, NONCE, "enc1:!!!") == NULL);
    CHECK(crypto_field_decrypt("rfes", "summary", 1, NONCE, "enc2:!!!") == NULL);
    /* Without a row nonce nothing is sealed. */
    CHECK(crypto_field_encrypt("rfes", "summary", 1, NULL, "x") == NULL);
}

static void test_key_id(void)
{
    unsigned char key[CRYPTO_KEY_BYTES] = {1, 2, 3}, other[CRYPTO_KEY_BYTES] = {9};
    char first[CRYPTO_KEY_ID_LEN + 1], named[CRYPTO_KEY_ID_LEN + 1], *sealed, *forged, *plain;

    crypto_use_key(key);
    snprintf(first, sizeof(first), "%s", crypto_key_id());
    CHECK(strlen(first) == CRYPTO_KEY_ID_LEN && strspn(first, "0123456789abcdef") == 8);
    sealed = crypto_field_encrypt("filings", "notes", 3, NONCE, "hello");
    /* The value names its key: "enc2:<key id>:". */
    CHECK(crypto_field_key_id(sealed, named) == 0);
    CHECK_STR(named, first);
    CHECK(strncmp(sealed + 5, first, CRYPTO_KEY_ID_LEN) == 0 && sealed[13] == ':');
    CHECK(crypto_field_key_id("enc1:abc", named) != 0);
    CHECK(crypto_field_key_id("enc2:xyz:abc", named) != 0);
    /* Another key has another id, and cannot open the value. */
    crypto_use_key(other);
    CHECK(strcmp(crypto_key_id(), first) != 0);
    CHECK(crypto_field_decrypt("filings", "notes", 3, NONCE, sealed) == NULL);
    /* The id is bound too: a value relabelled with another key id does not open, even under
     * the key that made it. */
    crypto_use_key(key);
    forged = strdup(sealed);
    memcpy(forged + 5, "00000000", CRYPTO_KEY_ID_LEN);
    CHECK(strcmp(first, "00000000") != 0);
    CHECK(crypto_field_decrypt("filings", "notes", 3, NONCE, forged) == NULL);
    plain = crypto_field_decrypt("filings", "notes", 3, NONCE, sealed);
    CHECK_STR(plain, "hello");
    free(plain);
    free(forged);
    free(sealed);
}

static void test_legacy(void)
{
    /* The upgrade's enc1 opener takes nothing but enc1 values (an enc1 value made by the old
     * binary is opened and re-sealed by tests/e2e/test_ids.py). */
    unsigned char key[CRYPTO_KEY_BYTES] = {1, 2, 3};

    crypto_use_key(key);
    CHECK(crypto_field_decrypt_legacy("clients", "notes", 1, "enc2:00000000:abc") == NULL);
    CHECK(crypto_field_decrypt_legacy("clients", "notes", 1, "enc1:!!!") == NULL);
    CHECK(crypto_field_decrypt_legacy("clients", "notes", 1, "plain") == NULL);
}

static void test_blind_index(void)
{
    unsigned char key[CRYPTO_KEY_BYTES] = {1, 2, 3}, other[CRYPTO_KEY_BYTES] = {9};
    char a[65], b[65], c[65], d[65];

    crypto_use_key(key);
    crypto_blind_index("a_number", "A012345678", a);
    crypto_blind_index("a_number", "A012345678", b);
    crypto_blind_index("passport_number", "A012345678", c);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    crypto_use_key(other);
    crypto_blind_index("a_number", "A012345678", d);
    CHECK(strcmp(a, d) != 0);
}

static void test_key_files(void)
{
    char dir[] = "/tmp/paroletrack-crypto-XXXXXX", path[64];
    unsigned char key[CRYPTO_KEY_BYTES], back[CRYPTO_KEY_BYTES];
    const char *why = NULL;
    struct stat st;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/k", dir);
    CHECK(crypto_key_create_file(path, key) == 0);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(crypto_key_create_file(path, back) != 0); /* never overwrites */
    CHECK(crypto_key_read_file(path, back, &why) == 0 && memcmp(key, back, sizeof(key)) == 0);
    chmod(path, 0644);
    CHECK(crypto_key_read_file(path, back, &why) != 0 && strstr(why, "other users") != NULL);
    unlink(path);
    rmdir(dir);
    CHECK(crypto_key_from_hex(
              "  0011223344556677889900112233445566778899001122334455667788990011\n", back) == 0);
    CHECK(crypto_key_from_hex("0011", back) != 0);
    CHECK(crypto_key_from_hex("zz11223344556677889900112233445566778899001122334455667788990011",
                              back) != 0);
}

static void test_passwords(void)
{
    char hash[CRYPTO_PASSWORD_HASH_LEN];

    CHECK(crypto_password_hash("Tiger-lamp-ocean-47-violet", hash) == 0);
    CHECK(strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(crypto_password_verify(hash, "Tiger-lamp-ocean-47-violet") == 1);
    CHECK(crypto_password_verify(hash, "tiger-lamp-ocean-47-violet") == 0);
    CHECK(crypto_password_verify(NULL, "Tiger-lamp-ocean-47-violet") == 0);
    CHECK(!crypto_password_needs_rehash(hash));
    CHECK(crypto_equal("abc", "abc") && !crypto_equal("abc", "abd") && !crypto_equal("abc", "ab"));
}

int main(void)
{
    CHECK(crypto_init() == 0);
    /* The keys live in locked memory (the tests run as root or with the default 8 MiB
     * RLIMIT_MEMLOCK, both enough), and wiping clears every byte. */
    CHECK(crypto_keys_locked());
    {
        char secret[] = "a secret that must not stay";
        size_t n = sizeof(secret);

        crypto_wipe_string(secret);
        for (size_t i = 0; i < n - 1; i++)
            CHECK(secret[i] == '\0');
        crypto_wipe_string(NULL);
    }
    test_sealing();
    test_key_id();
    test_legacy();
    test_blind_index();
    test_key_files();
    test_passwords();
    return CHECK_DONE();
}

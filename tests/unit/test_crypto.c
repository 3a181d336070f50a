/* Unit tests of crypto: field sealing bound to its place, keys, blind indexes, passwords. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "crypto.h"

static void test_sealing(void)
{
    unsigned char key[CRYPTO_KEY_BYTES] = {1, 2, 3}, other[CRYPTO_KEY_BYTES] = {9};
    char *sealed, *plain;

    crypto_use_key(key);
    sealed = crypto_field_encrypt("clients", "a_number", 7, "A012345678");
    CHECK(sealed != NULL && strncmp(sealed, CRYPTO_FIELD_PREFIX, 5) == 0);
    CHECK(strstr(sealed, "A012345678") == NULL && strstr(sealed, "012345678") == NULL);
    plain = crypto_field_decrypt("clients", "a_number", 7, sealed);
    CHECK_STR(plain, "A012345678");
    free(plain);
    /* A value copied to another row, column or table does not open. */
    CHECK(crypto_field_decrypt("clients", "a_number", 8, sealed) == NULL);
    CHECK(crypto_field_decrypt("clients", "passport_number", 7, sealed) == NULL);
    CHECK(crypto_field_decrypt("users", "a_number", 7, sealed) == NULL);
    /* Nor with another key. */
    crypto_use_key(other);
    CHECK(crypto_field_decrypt("clients", "a_number", 7, sealed) == NULL);
    crypto_use_key(key);
    /* Tampering is detected. */
    sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
    CHECK(crypto_field_decrypt("clients", "a_number", 7, sealed) == NULL);
    free(sealed);
    /* Two seals of the same value differ (random nonce); both open. */
    {
        char *a = crypto_field_encrypt("rfes", "summary", 1, "Олена: \"medical\" 🙂");
        char *b = crypto_field_encrypt("rfes", "summary", 1, "Олена: \"medical\" 🙂");
        char *pa = crypto_field_decrypt("rfes", "summary", 1, a);

        CHECK(a && b && strcmp(a, b) != 0);
        CHECK_STR(pa, "Олена: \"medical\" 🙂");
        free(a);
        free(b);
        free(pa);
    }
    CHECK(crypto_field_decrypt("rfes", "summary", 1, "plain text") == NULL);
    CHECK(crypto_field_decrypt("rfes", "summary", 1, "enc1:!!!") == NULL);
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
    crypto_init();
    test_sealing();
    test_blind_index();
    test_key_files();
    test_passwords();
    return CHECK_DONE();
}

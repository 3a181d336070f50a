/* libFuzzer target: a stored sealed value as the decoder meets it (crypto_field_key_id,
 * crypto_field_decrypt): whatever the text in the column (damaged, cut, forged, another
 * key's), no crash, no leak, and nothing opens without the key's tag. */
#include "crypto.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    char *text = fuzz_text(data, size), *plain, id[CRYPTO_KEY_ID_LEN + 1];

    if (!ready) {
        unsigned char key[CRYPTO_KEY_BYTES] = {42};

        if (crypto_init() != 0)
            abort();
        crypto_use_key(key);
        ready = 1;
    }
    (void)crypto_field_key_id(text, id);
    plain =
        crypto_field_decrypt("clients", "a_number", 1, "00112233445566778899aabbccddeeff", text);
    if (plain != NULL)
        abort(); /* a forgery opened: the tag did not hold */
    free(plain);
    free(text);
    return 0;
}

/* libFuzzer target: the credentials a request carries, as the server splits them before any
 * look-up: a Cookie header searched for the session cookie under both its names
 * (auth_cookie_value) and an Authorization bearer value split into an API key's prefix and
 * secret (api_key_parse). No crash, a value that fits its buffer, a secret inside the key. */
#include "api_key_store.h"
#include "auth.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"pt_session", "__Host-pt_session"};
    char *text = fuzz_text(data, size), token[128], prefix[32];
    const char *secret = NULL;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        memset(token, 'x', sizeof(token));
        auth_cookie_value(text, names[i], token, sizeof(token));
        if (memchr(token, '\0', sizeof(token)) == NULL || strchr(token, ';') != NULL)
            abort();
    }
    if (api_key_parse(text, prefix, sizeof(prefix), &secret) == 0 &&
        (secret < text || secret > text + strlen(text) || strchr(prefix, '_') != NULL))
        abort();
    free(text);
    return 0;
}

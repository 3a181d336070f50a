/* libFuzzer target: a query string ("a=1&b=x&..." split as the HTTP layer splits it, no
 * decoding) through every list's filter and paging parser (listing_parse_query), with a key
 * loaded as in the server: no crash, no leak, whatever the names, values, repeats and cursors. */
#include <jansson.h>

#include "crypto.h"
#include "fuzz_common.h"
#include "listing.h"
#include "problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct query_param params[32];
    size_t count = 0;
    char *text = fuzz_text(data, size), *save = NULL;

    if (!ready) { /* an identifier filter is looked up by its keyed blind index */
        unsigned char key[CRYPTO_KEY_BYTES] = {42};

        if (crypto_init() != 0)
            abort();
        crypto_use_key(key);
        ready = 1;
    }
    for (char *pair = strtok_r(text, "&", &save); pair != NULL && count < 32;
         pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');

        if (eq != NULL)
            *eq = '\0';
        params[count].name = pair;
        params[count].value = eq != NULL ? eq + 1 : "";
        count++;
    }
    for (size_t i = 0; i < sizeof(fuzz_resources) / sizeof(fuzz_resources[0]); i++) {
        json_t *binds = json_object();
        struct problem p;
        int64_t limit = 0;

        problem_init(&p);
        (void)listing_parse_query(fuzz_resources[i]->filters, params, count, binds, &limit, &p);
        problem_clear(&p);
        json_decref(binds);
    }
    free(text);
    return 0;
}
